#include "widgets/telemetry_trace_item.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace fd {

TelemetryTraceItem::TelemetryTraceItem(QGraphicsItem *parent)
    : QGraphicsItem(parent)
{
    setFlag(QGraphicsItem::ItemHasNoContents, false);
    setAcceptedMouseButtons(Qt::NoButton);  // input belongs to the view
    setAcceptHoverEvents(false);
    // No DeviceCoordinateCache: it would make a crosshair-only repaint a blit, but it adds
    // a pixmap clear and a full-plot alpha blit to every pan/zoom/live frame (measured
    // +2-5 ms of ~10), and the lines alone are cheap on the cosmetic-pen path.
}

void TelemetryTraceItem::setPlotArea(const QRectF &area)
{
    if (area == m_area)
        return;
    if (area.size() != m_area.size()) {
        prepareGeometryChange();
        invalidateMapping();
    }
    m_area = area;
    setPos(area.topLeft());
    update();
}

void TelemetryTraceItem::setXRange(qint64 fromMs, qint64 toMs)
{
    toMs = qMax(fromMs + 1, toMs);
    if (fromMs == m_fromMs && toMs == m_toMs)
        return;
    m_fromMs = fromMs;
    m_toMs = toMs;
    invalidateMapping();
}

void TelemetryTraceItem::setYRange(double min, double max)
{
    if (!(max > min))
        max = min + 1;
    if (min == m_yMin && max == m_yMax)
        return;
    m_yMin = min;
    m_yMax = max;
    invalidateMapping();
}

void TelemetryTraceItem::setTrace(int id, const DecimatedSeries &data)
{
    Trace &t = findOrAdd(id);
    t.points.assign(data.points.begin(), data.points.end());
    t.segmentStarts.assign(data.segmentStarts.begin(), data.segmentStarts.end());
    t.mappedGeneration = 0;
    update();
}

void TelemetryTraceItem::setTrace(int id, DecimatedSeries &&data)
{
    Trace &t = findOrAdd(id);
    t.points.swap(data.points);
    t.segmentStarts.swap(data.segmentStarts);
    t.mappedGeneration = 0;
    update();
}

void TelemetryTraceItem::setTraceStyle(int id, const QColor &color, bool dashed)
{
    Trace *t = find(id);
    if (!t || (t->color == color && t->dashed == dashed))
        return;
    t->color = color;
    t->dashed = dashed;
    update();
}

void TelemetryTraceItem::removeTrace(int id)
{
    const auto it = std::find_if(m_traces.begin(), m_traces.end(), [id](const Trace &t) { return t.id == id; });
    if (it == m_traces.end())
        return;
    m_traces.erase(it);
    update();
}

void TelemetryTraceItem::clear()
{
    if (m_traces.empty())
        return;
    m_traces.clear();
    update();
}

bool TelemetryTraceItem::hasTrace(int id) const
{
    return find(id) != nullptr;
}

int TelemetryTraceItem::segmentCount(int id) const
{
    const Trace *t = find(id);
    return t ? int(t->segmentStarts.size()) : 0;
}

qsizetype TelemetryTraceItem::pointCount(int id) const
{
    const Trace *t = find(id);
    return t ? qsizetype(t->points.size()) : 0;
}

QRectF TelemetryTraceItem::boundingRect() const
{
    return QRectF(QPointF(0, 0), m_area.size());
}

QPainterPath TelemetryTraceItem::shape() const
{
    QPainterPath path;
    path.addRect(boundingRect());
    return path;
}

void TelemetryTraceItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    if (m_traces.empty() || m_area.isEmpty())
        return;
    painter->save();
    painter->setClipRect(boundingRect(), Qt::IntersectClip);
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->setBrush(Qt::NoBrush);
    for (Trace &t : m_traces) {
        if (t.points.empty())
            continue;
        if (t.mappedGeneration != m_generation)
            map(t);
        QPen pen(t.color, 1);
        pen.setCosmetic(true);
        if (t.dashed)
            pen.setStyle(Qt::DashLine);
        painter->setPen(pen);
        // A 1-px cosmetic pen is the raster engine's fast path (QCosmeticStroker); any
        // wider pen goes through QStroker (joins: atan2 per point) and an outline fill,
        // ten times slower. Drawing the polyline again half a pixel down-right gives the
        // 1-2 px lines (1.5 on average) of the 1.5-px pen Qt Charts used, aliased. Only
        // where the line is sparse (< kDensePointsPerPixel): a dense min/max line is a band
        // of vertical spans that the second pass hardly changes, at twice the cost.
        const bool dense = double(t.points.size()) > kDensePointsPerPixel * m_area.width();
        for (const QPointF offset : {QPointF(0, 0), QPointF(0.5, 0.5)}) {
            if (dense && !offset.isNull())
                break;
            painter->translate(offset);
            const qsizetype segments = qsizetype(t.segmentStarts.size());
            for (qsizetype i = 0; i < segments; ++i) {
                const qsizetype begin = t.segmentStarts[size_t(i)];
                const qsizetype end = i + 1 < segments ? t.segmentStarts[size_t(i + 1)]
                                                       : qsizetype(t.mapped.size());
                if (end - begin >= 2)
                    painter->drawPolyline(t.mapped.data() + begin, int(end - begin));
                else if (end - begin == 1 && offset.isNull())  // a lone point: a dot
                    painter->fillRect(QRectF(t.mapped[size_t(begin)] - QPointF(1, 1), QSizeF(3, 3)), t.color);
            }
            painter->translate(-offset);
        }
    }
    painter->restore();
}

TelemetryTraceItem::Trace *TelemetryTraceItem::find(int id)
{
    for (Trace &t : m_traces)
        if (t.id == id)
            return &t;
    return nullptr;
}

const TelemetryTraceItem::Trace *TelemetryTraceItem::find(int id) const
{
    return const_cast<TelemetryTraceItem *>(this)->find(id);
}

TelemetryTraceItem::Trace &TelemetryTraceItem::findOrAdd(int id)
{
    if (Trace *t = find(id))
        return *t;
    Trace t;
    t.id = id;
    m_traces.push_back(std::move(t));
    return m_traces.back();
}

void TelemetryTraceItem::invalidateMapping()
{
    ++m_generation;
    update();
}

void TelemetryTraceItem::map(Trace &trace) const
{
    // The same mapping as Qt Charts' XY domain: linear in both axes, y up.
    const double w = m_area.width();
    const double h = m_area.height();
    const double sx = w / double(m_toMs - m_fromMs);
    const double sy = h / (m_yMax - m_yMin);
    trace.mapped.resize(trace.points.size());
    QPointF *out = trace.mapped.data();
    for (const TelemetryPoint &p : trace.points)
        *out++ = QPointF(double(p.tMs - m_fromMs) * sx, h - (p.value - m_yMin) * sy);
    trace.mappedGeneration = m_generation;
}

} // namespace fd
