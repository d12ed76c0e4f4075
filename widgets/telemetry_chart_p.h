#pragma once

// Private to TelemetryChart (telemetry_chart.cpp includes it, nothing else does): the
// implementation struct, its Qt Charts objects and the drawing helpers, kept apart so
// the widget's own file stays readable. No Qt Charts type leaks through telemetry_chart.h.

#include "widgets/telemetry_chart.h"

#include "core/telemetry/gap_detector.h"
#include "widgets/telemetry_chart_legend.h"
#include "widgets/telemetry_chart_view.h"

#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLineSeries>
#include <QOpenGLContext>
#include <QPainter>
#include <QScrollArea>
#include <QTimer>
#include <QValueAxis>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace fd {

using namespace Qt::StringLiterals;

namespace {

constexpr int kMaxSegmentsPerSeries = 256;
constexpr int kLegendWidth = 250;

const QColor kPalette[] = {
    QColor(0x1f, 0x77, 0xb4), QColor(0xd6, 0x27, 0x28), QColor(0x2c, 0xa0, 0x2c),
    QColor(0xff, 0x7f, 0x0e), QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
    QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f), QColor(0xbc, 0xbd, 0x22),
    QColor(0x17, 0xbe, 0xcf),
};

QString formatValue(double v)
{
    if (std::isnan(v))
        return u"–"_s;
    return QString::number(v, 'g', 5);
}

QString axisFormat(qint64 windowMs)
{
    if (windowMs <= 3LL * 60 * 1000)
        return u"HH:mm:ss"_s;
    if (windowMs <= 2LL * 24 * 60 * 60 * 1000)
        return u"HH:mm"_s;
    return u"MM-dd HH:mm"_s;
}

} // namespace

struct TelemetryChart::Impl
{
    struct Series
    {
        int id = 0;
        QString label;
        QColor color;
        std::shared_ptr<TelemetrySeriesData> data;
        bool visible = true;
        bool stale = false;
        std::vector<QLineSeries *> lines;  // one per drawn segment (pool)
        int linesUsed = 0;
        // What is on screen: skip the redraw when nothing of it changed.
        quint64 drawnRevision = ~0ULL;
        qint64 drawnFrom = 0;
        qint64 drawnTo = 0;
        int drawnWidth = 0;
        double yMin = std::numeric_limits<double>::quiet_NaN();
        double yMax = std::numeric_limits<double>::quiet_NaN();
        SeriesStats stats;
    };

    TelemetryChart *q = nullptr;
    QChart *chart = nullptr;
    TelemetryChartView *view = nullptr;
    QDateTimeAxis *xAxis = nullptr;
    QValueAxis *yAxis = nullptr;
    TelemetryChartLegend *legend = nullptr;
    QTimer redrawTimer;
    QTimer statsTimer;
    std::vector<Series> series;
    int nextId = 1;
    qint64 fromMs = 0;
    qint64 toMs = 0;
    qint64 windowMs = 15LL * 60 * 1000;
    bool follow = true;
    bool useOpenGL = false;
    bool dirty = true;
    quint64 redraws = 0;
    QString axisFormatShown;
    DecimatedSeries scratch;
    QList<QPointF> points;

    Series *find(int id)
    {
        for (Series &s : series)
            if (s.id == id)
                return &s;
        return nullptr;
    }
    const Series *find(int id) const { return const_cast<Impl *>(this)->find(id); }

    int plotWidth() const { return qMax(50, int(chart->plotArea().width())); }

    void currentRange(qint64 *from, qint64 *to) const
    {
        if (!follow) {
            *from = fromMs;
            *to = toMs;
            return;
        }
        // Snap the right edge to whole pixels: a sub-pixel move is not a visible change.
        const qint64 msPerPx = qMax<qint64>(1, windowMs / plotWidth());
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        *to = (now / msPerPx + 1) * msPerPx;
        *from = *to - windowMs;
    }

    void schedule()
    {
        dirty = true;
        if (!redrawTimer.isActive() || redrawTimer.remainingTime() > kRedrawIntervalMs)
            redrawTimer.start(kRedrawIntervalMs);
        if (!statsTimer.isActive())
            statsTimer.start();
    }

    QLineSeries *line(Series &s, int index)
    {
        while (int(s.lines.size()) <= index) {
            auto *l = new QLineSeries(chart);
            QPen pen(s.color);
            pen.setWidthF(1.5);
            l->setPen(pen);
            l->setUseOpenGL(useOpenGL);
            chart->addSeries(l);
            l->attachAxis(xAxis);
            l->attachAxis(yAxis);
            s.lines.push_back(l);
        }
        return s.lines[size_t(index)];
    }

    void applyPen(Series &s)
    {
        QPen pen(s.color);
        pen.setWidthF(1.5);
        if (s.stale)
            pen.setStyle(Qt::DashLine);
        for (QLineSeries *l : s.lines)
            l->setPen(pen);
    }

    void drawSeries(Series &s, qint64 from, qint64 to, int width)
    {
        MinMaxDecimator::Params params;
        params.fromMs = from;
        params.toMs = to;
        // Without OpenGL, Qt Charts strokes every drawn point for its hit-test shape (a few
        // µs each): one bucket per two pixels still keeps every 2-px column's extent.
        params.buckets = useOpenGL ? width : qMax(1, width / 2);
        params.gapMs = -1;  // per part (history / live)
        s.data->decimate(params, &scratch);
        int segments = int(scratch.segmentCount());
        double lo = std::numeric_limits<double>::infinity();
        double hi = -lo;
        for (const TelemetryPoint &p : scratch.points) {
            if (p.tMs < from || p.tMs > to)
                continue;
            lo = qMin(lo, p.value);
            hi = qMax(hi, p.value);
        }
        s.yMin = lo <= hi ? lo : std::numeric_limits<double>::quiet_NaN();
        s.yMax = lo <= hi ? hi : std::numeric_limits<double>::quiet_NaN();
        int used = 0;
        for (int i = 0; i < segments; ++i) {
            // Beyond the pool limit the remaining segments are joined into the last line.
            const bool last = i == kMaxSegmentsPerSeries - 1;
            const PointSpan seg = last ? PointSpan(scratch.points).subspan(size_t(scratch.segmentStarts[size_t(i)]))
                                       : scratch.segment(i);
            points.resize(qsizetype(seg.size()));
            for (size_t k = 0; k < seg.size(); ++k)
                points[qsizetype(k)] = QPointF(double(seg[k].tMs), seg[k].value);
            QLineSeries *l = line(s, used++);
            l->replace(points);
            if (!l->isVisible())
                l->setVisible(true);
            if (last)
                break;
        }
        for (int i = used; i < s.linesUsed; ++i) {
            s.lines[size_t(i)]->clear();
            s.lines[size_t(i)]->setVisible(false);
        }
        s.linesUsed = used;
    }

    int redraw()
    {
        redrawTimer.stop();
        dirty = false;
        qint64 from = 0;
        qint64 to = 0;
        currentRange(&from, &to);
        fromMs = from;
        toMs = to;
        const int width = plotWidth();
        view->setRange(from, to);
        xAxis->setRange(QDateTime::fromMSecsSinceEpoch(from), QDateTime::fromMSecsSinceEpoch(to));
        const QString format = axisFormat(to - from);
        if (format != axisFormatShown) {
            xAxis->setFormat(format);
            axisFormatShown = format;
        }
        int drawn = 0;
        double lo = std::numeric_limits<double>::infinity();
        double hi = -lo;
        for (Series &s : series) {
            if (!s.visible) {
                for (int i = 0; i < s.linesUsed; ++i)
                    s.lines[size_t(i)]->setVisible(false);
                s.drawnRevision = ~0ULL;
                continue;
            }
            const quint64 revision = s.data->revision();
            if (revision != s.drawnRevision || from != s.drawnFrom || to != s.drawnTo
                || width != s.drawnWidth) {
                drawSeries(s, from, to, width);
                s.drawnRevision = revision;
                s.drawnFrom = from;
                s.drawnTo = to;
                s.drawnWidth = width;
                ++drawn;
            }
            if (!std::isnan(s.yMin)) {
                lo = qMin(lo, s.yMin);
                hi = qMax(hi, s.yMax);
            }
        }
        if (lo > hi) {
            lo = 0;
            hi = 1;
        } else if (lo == hi) {
            lo -= 1;
            hi += 1;
        } else {
            const double pad = (hi - lo) * 0.05;
            lo -= pad;
            hi += pad;
        }
        if (yAxis->min() != lo || yAxis->max() != hi)
            yAxis->setRange(lo, hi);
        ++redraws;
        if (follow && q->isVisible()) {
            // Next time the window moves by a pixel (and at most ~30 Hz).
            const qint64 msPerPx = qMax<qint64>(1, windowMs / width);
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            const qint64 untilNextPx = to - now + 1;
            redrawTimer.start(int(qBound(qint64(kRedrawIntervalMs), qMin(untilNextPx, msPerPx), qint64(60000))));
        }
        return drawn;
    }

    void updateStats()
    {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (Series &s : series) {
            s.stats = s.data->stats(fromMs, toMs);
            const auto newest = s.data->newest();
            const bool stale = newest
                               && GapDetector::isStale(newest->tMs, now,
                                                       GapDetector::thresholdFor(s.data->typicalIntervalMs()));
            if (stale != s.stale) {
                s.stale = stale;
                applyPen(s);
            }
            QString text = s.stats.isEmpty()
                               ? TelemetryChart::tr("no data in range")
                               : TelemetryChart::tr("last %1  min %2  max %3  mean %4")
                                     .arg(formatValue(s.stats.last), formatValue(s.stats.min),
                                          formatValue(s.stats.max), formatValue(s.stats.mean));
            if (stale)
                text += u"\n"_s + TelemetryChart::tr("⚠ stale: nothing since %1")
                                      .arg(QDateTime::fromMSecsSinceEpoch(newest->tMs).toString(u"yyyy-MM-dd HH:mm:ss"_s));
            legend->setStatsText(s.id, text, stale);
        }
    }

    QStringList crosshairText(qint64 t) const
    {
        QStringList lines{QDateTime::fromMSecsSinceEpoch(t).toString(u"yyyy-MM-dd HH:mm:ss"_s)};
        for (const Series &s : series) {
            if (!s.visible)
                continue;
            const auto p = s.data->valueAt(t);
            lines.append(s.label + u": "_s + (p ? formatValue(p->value) : u"–"_s));
        }
        return lines;
    }
};

} // namespace fd
