#include "ui/snooze_until_dialog.h"

#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace fd {

SnoozeUntilDialog::SnoozeUntilDialog(const QDateTime &initial, QWidget *parent)
    : QDialog(parent)
    , m_edit(new QDateTimeEdit(initial, this))
    , m_note(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Snooze Until"));
    setWindowModality(Qt::WindowModal);
    auto *label = new QLabel(tr("Hide the selected alerts from the queue until:"), this);
    label->setTextFormat(Qt::PlainText);
    label->setBuddy(m_edit);
    m_edit->setCalendarPopup(true);
    m_edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    m_edit->setAccessibleName(tr("Snooze until"));
    m_note->setTextFormat(Qt::PlainText);
    m_note->setForegroundRole(QPalette::PlaceholderText);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(label);
    layout->addWidget(m_edit);
    layout->addWidget(m_note);
    layout->addWidget(m_buttons);
    connect(m_edit, &QDateTimeEdit::dateTimeChanged, this, &SnoozeUntilDialog::updateOk);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateOk();
    m_edit->setFocus();
}

qint64 SnoozeUntilDialog::untilMs() const
{
    return m_edit->dateTime().toMSecsSinceEpoch();
}

void SnoozeUntilDialog::updateOk()
{
    const bool future = m_edit->dateTime() > QDateTime::currentDateTime();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(future);
    m_note->setText(future ? QString() : tr("Choose a time in the future."));
}

} // namespace fd
