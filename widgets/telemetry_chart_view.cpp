#include "widgets/telemetry_chart_view.h"

#include <QChart>
#include <QDateTime>
#include <QFontMetrics>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace fd {

namespace {
constexpr qint64 kMinWindowMs = 1000;                          // 1 s
constexpr qint64 kMaxWindowMs = 400LL * 24 * 60 * 60 * 1000;  // ~400 days
constexpr int kRubberBandMinPx = 6;
} // namespace

TelemetryChartView::TelemetryChartView(QChart *chart, QWidget *parent)
    : QChartView(chart, parent)
{
    setRenderHint(QPainter::Antialiasing, false);
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setRubberBand(QChartView::NoRubberBand);  // ours: horizontal only, no axis changes
    setDragMode(QGraphicsView::NoDrag);
    setViewportUpdateMode(QGraphicsView::FullViewportUpdate);
    setCacheMode(QGraphicsView::CacheNone);
}

void TelemetryChartView::setRange(qint64 fromMs, qint64 toMs)
{
    m_fromMs = fromMs;
    m_toMs = qMax(fromMs + 1, toMs);
}

void TelemetryChartView::setCrosshairText(std::function<QStringList(qint64)> text)
{
    m_crosshairText = std::move(text);
}

void TelemetryChartView::setExternalCrosshair(qint64 tMs)
{
    if (tMs == m_externalCrosshairMs)
        return;
    m_externalCrosshairMs = tMs;
    viewport()->update();
}

QRectF TelemetryChartView::plotArea() const
{
    return chart()->plotArea();
}

void TelemetryChartView::setStaleMarks(const QList<qint64> &sinceMs)
{
    if (sinceMs == m_staleMarks)
        return;
    m_staleMarks = sinceMs;
    viewport()->update();
}

void TelemetryChartView::drawStaleMarks(QPainter *painter, const QRectF &plot)
{
    if (m_staleMarks.isEmpty() || plot.width() <= 0)
        return;
    const qint64 earliest = *std::min_element(m_staleMarks.cbegin(), m_staleMarks.cend());
    if (earliest > m_toMs)
        return;
    // The shaded region: from the earliest mark (or the left edge) to the right edge.
    const qreal left = qBound(plot.left(), xAt(earliest), plot.right());
    QColor shade = palette().color(QPalette::Text);
    shade.setAlpha(22);
    painter->fillRect(QRectF(QPointF(left, plot.top()), QPointF(plot.right(), plot.bottom())), shade);
    QColor line = palette().color(QPalette::Text);
    line.setAlpha(150);
    const QFontMetrics fm(font());
    for (qint64 since : m_staleMarks) {
        if (since > m_toMs)
            continue;
        const bool inside = since >= m_fromMs;
        const qreal x = inside ? xAt(since) : plot.left();
        if (inside) {
            painter->setPen(QPen(line, 1, Qt::DashLine));
            painter->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        }
        // The label inside the region, at the top: "stale" (at the left edge, when the
        // time is before the range: "stale since 10:42:13").
        const QString text = inside ? tr("stale")
                                    : tr("stale since %1")
                                          .arg(QDateTime::fromMSecsSinceEpoch(since).toString(QStringLiteral("HH:mm:ss")));
        painter->setPen(line);
        painter->drawText(QPointF(x + 4, plot.top() + fm.ascent() + 2), text);
    }
}

qint64 TelemetryChartView::timeAt(qreal x) const
{
    const QRectF plot = plotArea();
    if (plot.width() <= 0)
        return m_fromMs;
    const double f = (x - plot.left()) / plot.width();
    return m_fromMs + qint64(std::llround(f * double(m_toMs - m_fromMs)));
}

qreal TelemetryChartView::xAt(qint64 tMs) const
{
    const QRectF plot = plotArea();
    return plot.left() + plot.width() * double(tMs - m_fromMs) / double(m_toMs - m_fromMs);
}

void TelemetryChartView::zoomAround(qint64 centerMs, double factor)
{
    const qint64 window = m_toMs - m_fromMs;
    const qint64 newWindow = std::clamp<qint64>(qint64(double(window) * factor), kMinWindowMs, kMaxWindowMs);
    const double left = double(centerMs - m_fromMs) / double(window);
    const qint64 from = centerMs - qint64(left * double(newWindow));
    emit rangeRequested(from, from + newWindow);
}

void TelemetryChartView::pan(double fractionOfWindow)
{
    const qint64 shift = qint64(double(m_toMs - m_fromMs) * fractionOfWindow);
    emit rangeRequested(m_fromMs + shift, m_toMs + shift);
}

void TelemetryChartView::wheelEvent(QWheelEvent *event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0) {
        event->ignore();
        return;
    }
    const qint64 center = timeAt(event->position().x());
    zoomAround(center, std::pow(0.8, steps));
    event->accept();
}

void TelemetryChartView::mousePressEvent(QMouseEvent *event)
{
    setFocus(Qt::MouseFocusReason);
    if (!plotArea().contains(event->position())) {
        QChartView::mousePressEvent(event);
        return;
    }
    m_pressPos = event->position().toPoint();
    m_pressFromMs = m_fromMs;
    m_pressToMs = m_toMs;
    if (event->button() == Qt::RightButton
        || (event->button() == Qt::LeftButton && (event->modifiers() & Qt::ShiftModifier)))
        m_drag = Drag::RubberBand;
    else if (event->button() == Qt::LeftButton)
        m_drag = Drag::Pan;
    event->accept();
}

void TelemetryChartView::mouseMoveEvent(QMouseEvent *event)
{
    m_mousePos = event->position().toPoint();
    m_mouseInside = plotArea().contains(event->position());
    if (m_drag == Drag::Pan) {
        const QRectF plot = plotArea();
        if (plot.width() > 0) {
            const double dx = m_mousePos.x() - m_pressPos.x();
            const qint64 shift = qint64(-dx / plot.width() * double(m_pressToMs - m_pressFromMs));
            emit rangeRequested(m_pressFromMs + shift, m_pressToMs + shift);
        }
    }
    emit crosshairMoved(m_mouseInside ? timeAt(m_mousePos.x()) : -1);
    viewport()->update();
    event->accept();
}

void TelemetryChartView::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_drag == Drag::RubberBand) {
        const int x0 = qMin(m_pressPos.x(), event->position().toPoint().x());
        const int x1 = qMax(m_pressPos.x(), event->position().toPoint().x());
        if (x1 - x0 >= kRubberBandMinPx) {
            const qint64 from = timeAt(x0);
            const qint64 to = qMax(from + kMinWindowMs, timeAt(x1));
            emit rangeRequested(from, to);
        }
    }
    m_drag = Drag::None;
    viewport()->update();
    event->accept();
}

void TelemetryChartView::mouseDoubleClickEvent(QMouseEvent *event)
{
    m_drag = Drag::None;
    emit resetRequested();
    event->accept();
}

void TelemetryChartView::keyPressEvent(QKeyEvent *event)
{
    const qint64 center = m_fromMs + (m_toMs - m_fromMs) / 2;
    switch (event->key()) {
    case Qt::Key_Left:
        pan(-0.1);
        break;
    case Qt::Key_Right:
        pan(0.1);
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
    case Qt::Key_Up:
        zoomAround(center, 0.5);
        break;
    case Qt::Key_Minus:
    case Qt::Key_Down:
        zoomAround(center, 2.0);
        break;
    case Qt::Key_Home:
    case Qt::Key_Escape:
        emit resetRequested();
        break;
    case Qt::Key_Space:
        emit pauseToggleRequested();
        break;
    default:
        QChartView::keyPressEvent(event);
        return;
    }
    event->accept();
}

void TelemetryChartView::leaveEvent(QEvent *event)
{
    m_mouseInside = false;
    emit crosshairMoved(-1);
    viewport()->update();
    QChartView::leaveEvent(event);
}

void TelemetryChartView::drawForeground(QPainter *painter, const QRectF &rect)
{
    QChartView::drawForeground(painter, rect);
    const QRectF plot = plotArea();
    painter->save();
    drawStaleMarks(painter, plot);
    if (m_drag == Drag::RubberBand) {
        const qreal x0 = qMin(m_pressPos.x(), m_mousePos.x());
        const qreal x1 = qMax(m_pressPos.x(), m_mousePos.x());
        const QRectF band(QPointF(qMax(plot.left(), x0), plot.top()),
                          QPointF(qMin(plot.right(), x1), plot.bottom()));
        QColor accent = palette().color(QPalette::Highlight);
        accent.setAlpha(50);
        painter->fillRect(band, accent);
        accent.setAlpha(160);
        painter->setPen(accent);
        painter->drawRect(band);
    }
    const bool own = m_mouseInside && m_drag == Drag::None;
    const qint64 t = own ? timeAt(m_mousePos.x()) : m_externalCrosshairMs;
    if ((own || m_externalCrosshairMs >= 0) && t >= m_fromMs && t <= m_toMs) {
        const qreal x = own ? qreal(m_mousePos.x()) : xAt(t);
        QColor crosshair = palette().color(QPalette::Text);
        crosshair.setAlpha(170);
        painter->setPen(QPen(crosshair, 1, Qt::DashLine));
        painter->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        if (own && m_crosshairText) {
            const QStringList lines = m_crosshairText(t);
            const QFontMetrics fm(font());
            int w = 0;
            for (const QString &line : lines)
                w = qMax(w, fm.horizontalAdvance(line));
            const int h = fm.height() * int(lines.size());
            QRectF box(x + 12, plot.top() + 8, w + 12, h + 8);
            if (box.right() > plot.right())
                box.moveRight(x - 12);
            painter->setPen(palette().color(QPalette::Mid));
            QColor boxFill = palette().color(QPalette::ToolTipBase);
            boxFill.setAlpha(235);
            painter->setBrush(boxFill);
            painter->drawRoundedRect(box, 3, 3);
            painter->setPen(palette().color(QPalette::ToolTipText));
            qreal y = box.top() + 4 + fm.ascent();
            for (const QString &line : lines) {
                painter->drawText(QPointF(box.left() + 6, y), line);
                y += fm.height();
            }
        }
    }
    painter->restore();
}

} // namespace fd
