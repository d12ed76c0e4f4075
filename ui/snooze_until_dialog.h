#pragma once

#include <QDateTime>
#include <QDialog>

class QDateTimeEdit;
class QDialogButtonBox;
class QLabel;

namespace fd {

// Snooze ▸ Custom…: a local date and time in the future (OK disabled otherwise), opened
// window-modal with open(); untilMs() on accepted().
class SnoozeUntilDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SnoozeUntilDialog(const QDateTime &initial, QWidget *parent = nullptr);

    qint64 untilMs() const;
    QDateTimeEdit *editor() const { return m_edit; }

private:
    void updateOk();

    QDateTimeEdit *m_edit;
    QLabel *m_note;
    QDialogButtonBox *m_buttons;
};

} // namespace fd
