#include "widgets/time_range_dialog.h"

#include <QDateTime>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QMessageBox>

using namespace Qt::StringLiterals;

namespace fd {

TimeRangeDialog::TimeRangeDialog(qint64 fromMs, qint64 toMs, QWidget *parent)
    : QDialog(parent)
    , m_from(new QDateTimeEdit(QDateTime::fromMSecsSinceEpoch(fromMs), this))
    , m_to(new QDateTimeEdit(QDateTime::fromMSecsSinceEpoch(toMs), this))
{
    setWindowTitle(tr("Custom time range"));
    auto *form = new QFormLayout(this);
    for (QDateTimeEdit *edit : {m_from, m_to}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(u"yyyy-MM-dd HH:mm:ss"_s);
    }
    form->addRow(tr("From:"), m_from);
    form->addRow(tr("To:"), m_to);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

qint64 TimeRangeDialog::fromMs() const
{
    return m_from->dateTime().toMSecsSinceEpoch();
}

qint64 TimeRangeDialog::toMs() const
{
    return m_to->dateTime().toMSecsSinceEpoch();
}

void TimeRangeDialog::accept()
{
    if (fromMs() >= toMs()) {
        QMessageBox::warning(this, tr("Custom time range"), tr("The start must be before the end."));
        return;
    }
    QDialog::accept();
}

} // namespace fd
