#include "widgets/dashboard_tile.h"

#include <QPainter>
#include <QPainterPath>
#include <QStyle>
#include <QStyleOptionFocusRect>

#include <algorithm>

namespace fd {

namespace {
constexpr int kMargin = 12;
constexpr int kStripe = 4;
constexpr int kRadius = 6;
constexpr int kTrendHeight = 18;
} // namespace

DashboardTile::DashboardTile(QWidget *parent)
    : QAbstractButton(parent)
    , m_accent(palette().color(QPalette::Highlight))
{
    // Tiles of a row share its height (the tallest one's, e.g. with a trend line).
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    setFocusPolicy(Qt::StrongFocus);
    setCursor(Qt::PointingHandCursor);
    setAttribute(Qt::WA_Hover);
}

void DashboardTile::setTitle(const QString &title)
{
    m_title = title;
    updateAccessibleName();
    updateGeometry();
    update();
}

void DashboardTile::setValue(const QString &value)
{
    if (value == m_value)
        return;
    m_value = value;
    updateAccessibleName();
    update();
}

void DashboardTile::setCaption(const QString &caption)
{
    if (caption == m_caption)
        return;
    m_caption = caption;
    updateAccessibleName();
    update();
}

void DashboardTile::setAccentColor(const QColor &color)
{
    m_accent = color;
    update();
}

void DashboardTile::setMuted(bool muted)
{
    if (muted == m_muted)
        return;
    m_muted = muted;
    update();
}

void DashboardTile::setTrend(const QList<double> &values)
{
    m_trend = values;
    updateGeometry();
    update();
}

void DashboardTile::setClickable(bool clickable)
{
    m_clickable = clickable;
    setFocusPolicy(clickable ? Qt::StrongFocus : Qt::NoFocus);
    setCursor(clickable ? Qt::PointingHandCursor : Qt::ArrowCursor);
    setEnabled(true);
    setAttribute(Qt::WA_TransparentForMouseEvents, !clickable);
    update();
}

void DashboardTile::updateAccessibleName()
{
    setAccessibleName(m_title);
    setAccessibleDescription(m_caption.isEmpty() ? m_value : m_value + QStringLiteral(", ") + m_caption);
    setText(m_title);  // what QAbstractButton reports; drawn by paintEvent only
}

QFont DashboardTile::valueFont() const
{
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 2.0);
    f.setBold(true);
    return f;
}

QFont DashboardTile::titleFont() const
{
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 0.92);
    return f;
}

QSize DashboardTile::sizeHint() const
{
    const QFontMetrics title(titleFont());
    const QFontMetrics value(valueFont());
    const int textWidth = std::max({title.horizontalAdvance(m_title), value.horizontalAdvance(m_value),
                                    fontMetrics().horizontalAdvance(m_caption)});
    const int h = kMargin + title.height() + 4 + value.height() + 2 + fontMetrics().height() + kMargin
                  + (m_trend.isEmpty() ? 0 : kTrendHeight + 4);
    return {std::max(150, kStripe + 2 * kMargin + textWidth), h};
}

QSize DashboardTile::minimumSizeHint() const
{
    return {120, sizeHint().height()};
}

void DashboardTile::enterEvent(QEnterEvent *event)
{
    m_hovered = true;
    update();
    QAbstractButton::enterEvent(event);
}

void DashboardTile::leaveEvent(QEvent *event)
{
    m_hovered = false;
    update();
    QAbstractButton::leaveEvent(event);
}

void DashboardTile::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const QRectF card = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    QColor background = pal.color(QPalette::Base);
    if (m_clickable && (m_hovered || isDown()))
        background = pal.color(QPalette::AlternateBase);
    QPainterPath shape;
    shape.addRoundedRect(card, kRadius, kRadius);
    p.fillPath(shape, background);
    // The accent stripe, clipped to the card's rounded corners.
    p.save();
    p.setClipPath(shape);
    p.fillRect(QRectF(card.left(), card.top(), kStripe, card.height()), m_accent);
    p.restore();
    QColor border = pal.color(QPalette::Mid);
    if (m_clickable && hasFocus())
        border = pal.color(QPalette::Highlight);
    p.setPen(QPen(border, m_clickable && hasFocus() ? 2 : 1));
    p.setBrush(Qt::NoBrush);
    p.drawPath(shape);

    const int left = kStripe + kMargin;
    const int width = this->width() - left - kMargin;
    int y = kMargin;
    const QFontMetrics titleMetrics(titleFont());
    p.setFont(titleFont());
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(QRect(left, y, width, titleMetrics.height()), Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine,
               titleMetrics.elidedText(m_title, Qt::ElideRight, width));
    y += titleMetrics.height() + 4;
    const QFontMetrics valueMetrics(valueFont());
    p.setFont(valueFont());
    p.setPen(m_muted ? pal.color(QPalette::PlaceholderText) : pal.color(QPalette::Text));
    p.drawText(QRect(left, y, width, valueMetrics.height()), Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine,
               valueMetrics.elidedText(m_value, Qt::ElideRight, width));
    y += valueMetrics.height() + 2;
    p.setFont(font());
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(QRect(left, y, width, fontMetrics().height()), Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine,
               fontMetrics().elidedText(m_caption, Qt::ElideRight, width));
    y += fontMetrics().height() + 4;

    if (m_trend.size() >= 2) {
        const auto [lo, hi] = std::minmax_element(m_trend.cbegin(), m_trend.cend());
        const double span = *hi - *lo > 0 ? *hi - *lo : 1.0;
        const QRectF area(left, y, width, kTrendHeight);
        QPolygonF line;
        for (qsizetype i = 0; i < m_trend.size(); ++i) {
            const double x = area.left() + area.width() * double(i) / double(m_trend.size() - 1);
            const double v = (m_trend.at(i) - *lo) / span;
            line.append(QPointF(x, area.bottom() - v * area.height()));
        }
        p.setPen(QPen(m_accent, 1.5));
        p.drawPolyline(line);
    }
}

} // namespace fd
