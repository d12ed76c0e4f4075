#pragma once

#include <QPointer>
#include <QWidget>

namespace fd {

// Drop feedback: a highlighted frame with a short text ("Add temperature of dev-00001")
// painted over a target widget while a drag hovers it. Transparent for the mouse, so it
// never becomes the drop target itself (QWidget::childAt skips it).
class DropHighlight : public QWidget
{
    Q_OBJECT
public:
    explicit DropHighlight(QWidget *parent);

    // Covers target (a descendant of parentWidget()) and shows text; null target hides.
    void showOver(QWidget *target, const QString &text);
    void clear();
    QWidget *target() const { return m_target; }
    QString text() const { return m_text; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QPointer<QWidget> m_target;
    QString m_text;
};

} // namespace fd
