#pragma once

#include <QDialog>

class QDateTimeEdit;

namespace fd {

// Asks for a custom time range (local time, seconds). fromMs() < toMs() once accepted.
class TimeRangeDialog : public QDialog
{
    Q_OBJECT
public:
    TimeRangeDialog(qint64 fromMs, qint64 toMs, QWidget *parent = nullptr);

    qint64 fromMs() const;
    qint64 toMs() const;

    void accept() override;

private:
    QDateTimeEdit *m_from;
    QDateTimeEdit *m_to;
};

} // namespace fd
