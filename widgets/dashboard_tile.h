#pragma once

#include <QAbstractButton>
#include <QColor>
#include <QList>
#include <QString>

namespace fd {

// A dashboard card: a small title, a big value, a caption under it, an accent stripe at the
// left in the caller's colour and, optionally, a trend line of recent values along the
// bottom. Generic (no business rules); all text is drawn as plain text. A clickable tile
// (setClickable(true), the default) is a button: Tab reaches it, Space or Enter clicks it,
// and it shows focus and hover; a tile that only informs takes no focus.
class DashboardTile : public QAbstractButton
{
    Q_OBJECT
public:
    explicit DashboardTile(QWidget *parent = nullptr);

    void setTitle(const QString &title);
    QString title() const { return m_title; }
    void setValue(const QString &value);
    QString value() const { return m_value; }
    void setCaption(const QString &caption);
    QString caption() const { return m_caption; }
    void setAccentColor(const QColor &color);
    QColor accentColor() const { return m_accent; }
    // Dims the value (e.g. a count of zero): the tile recedes without disappearing.
    void setMuted(bool muted);
    bool isMuted() const { return m_muted; }
    // Recent values, oldest first, drawn as a line along the bottom; empty: none.
    void setTrend(const QList<double> &values);
    void setClickable(bool clickable);
    bool isClickable() const { return m_clickable; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void enterEvent(QEnterEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    void updateAccessibleName();
    QFont valueFont() const;
    QFont titleFont() const;

    QString m_title;
    QString m_value;
    QString m_caption;
    QColor m_accent;
    QList<double> m_trend;
    bool m_muted = false;
    bool m_clickable = true;
    bool m_hovered = false;
};

} // namespace fd
