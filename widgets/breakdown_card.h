#pragma once

#include <QColor>
#include <QList>
#include <QString>
#include <QWidget>

namespace fd {

// A small card: a title, a bar split into coloured segments in proportion to their
// counts, and a legend line ("42 online · 3 offline"). Generic (no business rules); text is
// drawn as plain text. Segments with a count of 0 are left out of the bar and the legend.
class BreakdownCard : public QWidget
{
    Q_OBJECT
public:
    struct Segment
    {
        QString label;  // "online"
        int count = 0;
        QColor color;
        friend bool operator==(const Segment &, const Segment &) = default;
    };

    explicit BreakdownCard(QWidget *parent = nullptr);

    void setTitle(const QString &title);
    QString title() const { return m_title; }
    void setSegments(const QList<Segment> &segments);
    const QList<Segment> &segments() const { return m_segments; }
    // "42 online · 3 offline"
    QString legendText() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QString m_title;
    QList<Segment> m_segments;
};

} // namespace fd
