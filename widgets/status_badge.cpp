#include "widgets/status_badge.h"

#include <QPainter>

namespace fd {

namespace {
constexpr int kDot = 10;
constexpr int kGap = 6;
constexpr int kMargin = 2;
} // namespace

StatusBadge::StatusBadge(QWidget *parent)
    : QWidget(parent)
    , m_color(Qt::gray)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

void StatusBadge::setStatus(const QColor &color, const QString &text)
{
    if (color == m_color && text == m_text)
        return;
    const bool resize = text != m_text;
    m_color = color;
    m_text = text;
    setAccessibleName(text);
    if (resize)
        updateGeometry();
    update();
}

void StatusBadge::setHollow(bool hollow)
{
    if (hollow == m_hollow)
        return;
    m_hollow = hollow;
    update();
}

QSize StatusBadge::sizeHint() const
{
    const QFontMetrics fm = fontMetrics();
    return {kMargin * 2 + kDot + kGap + fm.horizontalAdvance(m_text), std::max(fm.height(), kDot) + kMargin * 2};
}

QSize StatusBadge::minimumSizeHint() const
{
    return sizeHint();
}

void StatusBadge::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const int y = (height() - kDot) / 2;
    const QRectF dot(kMargin + 0.5, y + 0.5, kDot - 1, kDot - 1);
    if (m_hollow) {
        p.setPen(QPen(m_color, 1.6));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(dot.adjusted(0.5, 0.5, -0.5, -0.5));
    } else {
        p.setPen(QPen(m_color.darker(130), 1));
        p.setBrush(m_color);
        p.drawEllipse(dot);
    }
    p.setPen(palette().color(QPalette::WindowText));
    const QRect textRect(kMargin + kDot + kGap, 0, width() - (kMargin + kDot + kGap), height());
    p.drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine,
               fontMetrics().elidedText(m_text, Qt::ElideRight, textRect.width()));
}

} // namespace fd
