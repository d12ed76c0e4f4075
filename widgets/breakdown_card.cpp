#include "widgets/breakdown_card.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace fd {

namespace {
constexpr int kMargin = 10;
constexpr int kBar = 8;
} // namespace

BreakdownCard::BreakdownCard(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void BreakdownCard::setTitle(const QString &title)
{
    if (title == m_title)
        return;
    m_title = title;
    setAccessibleName(title);
    update();
}

void BreakdownCard::setSegments(const QList<Segment> &segments)
{
    if (segments == m_segments)
        return;
    m_segments = segments;
    setAccessibleDescription(legendText());
    update();
}

QString BreakdownCard::legendText() const
{
    const QLocale locale;
    QStringList parts;
    for (const Segment &s : m_segments) {
        if (s.count > 0)
            parts.append(tr("%1 %2").arg(locale.toString(s.count), s.label));
    }
    return parts.join(QStringLiteral(" · "));
}

QSize BreakdownCard::sizeHint() const
{
    const QFontMetrics fm = fontMetrics();
    const int w = std::max(fm.horizontalAdvance(m_title), fm.horizontalAdvance(legendText()));
    return {std::max(180, w + 2 * kMargin), 2 * kMargin + 2 * fm.height() + kBar + 10};
}

QSize BreakdownCard::minimumSizeHint() const
{
    return {140, sizeHint().height()};
}

void BreakdownCard::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const QRectF card = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    QPainterPath shape;
    shape.addRoundedRect(card, 6, 6);
    p.fillPath(shape, pal.color(QPalette::Base));
    p.setPen(pal.color(QPalette::Mid));
    p.drawPath(shape);

    const QFontMetrics fm = fontMetrics();
    const int width = this->width() - 2 * kMargin;
    int y = kMargin;
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(pal.color(QPalette::Text));
    p.drawText(QRect(kMargin, y, width, fm.height()), Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine,
               QFontMetrics(bold).elidedText(m_title, Qt::ElideRight, width));
    y += fm.height() + 5;

    int total = 0;
    for (const Segment &s : m_segments)
        total += qMax(0, s.count);
    const QRectF bar(kMargin, y, width, kBar);
    QPainterPath barShape;
    barShape.addRoundedRect(bar, kBar / 2.0, kBar / 2.0);
    p.save();
    p.setClipPath(barShape);
    p.fillRect(bar, pal.color(QPalette::AlternateBase));
    double x = bar.left();
    for (const Segment &s : m_segments) {
        if (s.count <= 0 || total == 0)
            continue;
        const double w = bar.width() * double(s.count) / double(total);
        p.fillRect(QRectF(x, bar.top(), w, bar.height()), s.color);
        x += w;
    }
    p.restore();
    y += kBar + 5;

    p.setFont(font());
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(QRect(kMargin, y, width, fm.height()), Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine,
               fm.elidedText(legendText(), Qt::ElideRight, width));
}

} // namespace fd
