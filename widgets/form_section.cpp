#include "widgets/form_section.h"

#include <QFormLayout>
#include <QGroupBox>

namespace fd {

QGroupBox *formSection(const QString &title, QFormLayout **form, QWidget *parent)
{
    auto *box = new QGroupBox(title, parent);
    *form = new QFormLayout(box);
    (*form)->setLabelAlignment(Qt::AlignLeft);
    (*form)->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    (*form)->setHorizontalSpacing(16);
    (*form)->setVerticalSpacing(4);
    return box;
}

} // namespace fd
