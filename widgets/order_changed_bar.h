#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace fd {

// A slim bar under a sorted table whose order is held (the rows changed their sort values
// while the user was working in the table): "Order changed" and a Re-sort button, as mail
// clients show. Placed under the table so that showing it moves no row.
class OrderChangedBar : public QFrame
{
    Q_OBJECT
public:
    explicit OrderChangedBar(QWidget *parent = nullptr);

    QPushButton *resortButton() const { return m_button; }

signals:
    void resortRequested();

private:
    QLabel *m_text;
    QPushButton *m_button;
};

} // namespace fd
