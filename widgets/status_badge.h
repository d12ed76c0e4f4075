#pragma once

#include <QColor>
#include <QString>
#include <QWidget>

namespace fd {

// A coloured dot followed by a short text ("● Online", "● Connected"). Generic: the caller
// decides the colour and the words. Text is plain text, never rich text.
class StatusBadge : public QWidget
{
    Q_OBJECT
public:
    explicit StatusBadge(QWidget *parent = nullptr);

    void setStatus(const QColor &color, const QString &text);
    // A hollow dot (a ring): the state is not known (e.g. source not connected).
    void setHollow(bool hollow);
    bool isHollow() const { return m_hollow; }
    QColor color() const { return m_color; }
    QString text() const { return m_text; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QColor m_color;
    QString m_text;
    bool m_hollow = false;
};

} // namespace fd
