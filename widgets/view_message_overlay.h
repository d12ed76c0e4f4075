#pragma once

#include <QWidget>

class QAbstractScrollArea;
class QLabel;
class QPushButton;
class QVBoxLayout;

namespace fd {

// A message centred over a view's viewport (an empty or no-match state): a title, an
// explanation (plain text, may come from the user or a device) and buttons. Follows the
// viewport's size; the caller shows and hides it.
class ViewMessageOverlay : public QWidget
{
    Q_OBJECT
public:
    explicit ViewMessageOverlay(QAbstractScrollArea *view);

    void setTitle(const QString &title);
    void setText(const QString &text);
    QString title() const;
    QString text() const;
    QPushButton *addButton(const QString &text);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void place();

    QWidget *m_viewport;
    QLabel *m_title;
    QLabel *m_text;
    QWidget *m_buttons;
};

} // namespace fd
