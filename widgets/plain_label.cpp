#include "widgets/plain_label.h"

#include <QLabel>

namespace fd {

QLabel *plainLabel(const QString &text, QWidget *parent, PlainLabelOptions options)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);  // set before the text: never parsed as markup
    label->setWordWrap(options.wrap);
    if (options.selectable)
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setText(text);
    return label;
}

} // namespace fd
