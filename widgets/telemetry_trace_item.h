#pragma once

// Internal to fleetdeck_widgets: the raster renderer of TelemetryChart's lines. One
// QGraphicsItem over the chart's plot area (a child of the QChart, above its grid) that
// paints every visible series' decimated segments as polylines with a cosmetic pen. It
// keeps the decimated points in data space (ms, value) and maps them to item coordinates
// lazily in paint() when the plot area or an axis range changed since the last mapping.
// There is no per-point item and no stroked hit-test shape: shape() is the bounding
// rectangle (the crosshair works by time, not by path). The pen is 1-px cosmetic (the
// raster engine's fast path), drawn twice half a pixel apart for the 1-2 px lines of the
// 1.5-px pen Qt Charts used, except where the line is dense (min/max bands: once).

#include "core/telemetry/decimated_series.h"

#include <QColor>
#include <QGraphicsItem>
#include <QPointF>
#include <QRectF>

#include <vector>

namespace fd {

class TelemetryTraceItem : public QGraphicsItem
{
public:
    // Above this many points per pixel of width a trace is drawn in one pass.
    static constexpr double kDensePointsPerPixel = 2.0;

    explicit TelemetryTraceItem(QGraphicsItem *parent = nullptr);

    // The plot area in the parent's coordinates (QChart::plotArea()).
    void setPlotArea(const QRectF &area);
    QRectF plotArea() const { return m_area; }
    void setXRange(qint64 fromMs, qint64 toMs);
    void setYRange(double min, double max);

    // The decimated points of one series (each segment is one polyline), replacing what
    // it had. A new id is drawn above the ones set before.
    void setTrace(int id, const DecimatedSeries &data);
    // The same without a copy: data's vectors are swapped in (data gets the old ones, to
    // be cleared and reused as scratch by the caller).
    void setTrace(int id, DecimatedSeries &&data);
    // Of a trace set before (a new trace has no colour: set its style after it).
    void setTraceStyle(int id, const QColor &color, bool dashed);
    void removeTrace(int id);
    void clear();

    // What is drawn (tests, TelemetryChart's drawn* accessors).
    bool hasTrace(int id) const;
    int segmentCount(int id) const;
    qsizetype pointCount(int id) const;

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    struct Trace
    {
        int id = 0;
        QColor color;
        bool dashed = false;
        std::vector<TelemetryPoint> points;  // data space
        std::vector<qsizetype> segmentStarts;
        std::vector<QPointF> mapped;  // item coordinates, valid for mappedGeneration
        quint64 mappedGeneration = 0;
    };

    Trace *find(int id);
    const Trace *find(int id) const;
    Trace &findOrAdd(int id);
    void invalidateMapping();
    void map(Trace &trace) const;

    std::vector<Trace> m_traces;  // in drawing order
    QRectF m_area;
    qint64 m_fromMs = 0;
    qint64 m_toMs = 1;
    double m_yMin = 0;
    double m_yMax = 1;
    quint64 m_generation = 1;  // bumped whenever the mapping changes
};

} // namespace fd
