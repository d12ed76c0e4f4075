#pragma once

// Private to TelemetryChart (telemetry_chart.cpp includes it, nothing else does): the
// implementation struct, its Qt Charts objects and the drawing helpers, kept apart so
// the widget's own file stays readable. No Qt Charts type leaks through telemetry_chart.h.
//
// Two renderers sit behind the same interface. Qt Charts always draws the frame: chart,
// axes, grid, title, plot area, theme. The lines are drawn either
//  - by our TelemetryTraceItem (raster path, usesOpenGL() false): one item over the plot
//    area that paints the decimated segments as polylines, or
//  - by QLineSeries with QXYSeries::useOpenGL (usesOpenGL() true), one per segment.
// Without OpenGL, Qt Charts' LineChartItem strokes a hit-test shape over every point of
// every replace(), which cost far more than the drawing itself.

#include "widgets/telemetry_chart.h"

#include "core/telemetry/gap_detector.h"
#include "widgets/telemetry_chart_legend.h"
#include "widgets/telemetry_chart_view.h"
#include "widgets/telemetry_trace_item.h"

#include "widgets/time_axis_ticks.h"

#include <QCategoryAxis>
#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLineSeries>
#include <QOpenGLContext>
#include <QPainter>
#include <QRunnable>
#include <QScrollArea>
#include <QSemaphore>
#include <QThread>
#include <QThreadPool>
#include <QTimer>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <utility>

namespace fd {

using namespace Qt::StringLiterals;

namespace {

constexpr int kMaxSegmentsPerSeries = 256;
constexpr int kLegendWidth = 250;
constexpr int kChartMargin = 4;
// Among the QChart's child items: above the plot area (0), shades (1), grid (2) and axes
// (3), like Qt Charts' own series (its ChartPresenter::SeriesZValue).
constexpr qreal kTraceZValue = 4;

const QColor kPalette[] = {
    QColor(0x1f, 0x77, 0xb4), QColor(0xd6, 0x27, 0x28), QColor(0x2c, 0xa0, 0x2c),
    QColor(0xff, 0x7f, 0x0e), QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
    QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f), QColor(0xbc, 0xbd, 0x22),
    QColor(0x17, 0xbe, 0xcf),
};

QString defaultFormat(double v)
{
    if (std::isnan(v))
        return u"\u2014"_s;  // em dash: no value
    return QString::number(v, 'g', 5);
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
        bool stale = false;       // as drawn: gap-stale or marked STALE
        qint64 staleSinceMs = 0;  // marked STALE since (setSeriesStaleSince); 0: not
        std::vector<QLineSeries *> lines;  // OpenGL path: one per drawn segment (pool)
        int linesUsed = 0;
        // What is on screen: skip the redraw when nothing of it changed.
        quint64 drawnRevision = ~0ULL;
        qint64 drawnFrom = 0;
        qint64 drawnTo = 0;
        int drawnWidth = 0;
        double yMin = std::numeric_limits<double>::quiet_NaN();
        double yMax = std::numeric_limits<double>::quiet_NaN();
        SeriesStats stats;
        DecimatedSeries decimated;  // scratch of decimate(), its capacity kept
    };

    TelemetryChart *q = nullptr;
    QChart *chart = nullptr;
    TelemetryChartView *view = nullptr;
    QCategoryAxis *xAxis = nullptr;
    QList<qint64> tickTimes;  // what xAxis shows
    QValueAxis *yAxis = nullptr;
    // The value axis of a chart with nothing to draw yet (setExpectedValueRange); NaN: 0..1.
    double expectedLo = std::numeric_limits<double>::quiet_NaN();
    double expectedHi = std::numeric_limits<double>::quiet_NaN();
    TelemetryChartLegend *legend = nullptr;
    TelemetryTraceItem *traces = nullptr;  // raster path: the lines of all series
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
    QString title;  // as given (the chart shows it escaped)
    std::function<QString(double)> valueFormatter;
    int extraLeft = 0;  // added to the left margin to line up with other charts
    QList<QPointF> points;
    // Helpers of decimateAll(), shared by every chart and owned by the composition root
    // (a widget owns no threads); null: the GUI thread decimates alone.
    QThreadPool *decimatePool = nullptr;
    std::vector<Series *> toDecimate;

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

    // Switches the line renderer; everything is drawn again with the other one.
    void setRenderer(bool openGL)
    {
        useOpenGL = openGL;
        traces->setVisible(!openGL);
        if (openGL)
            traces->clear();
        for (Series &s : series) {
            if (!openGL)
                dropLines(s);
            s.drawnRevision = ~0ULL;
        }
        schedule();
    }

    void dropLines(Series &s)
    {
        for (QLineSeries *l : s.lines) {
            chart->removeSeries(l);
            delete l;
        }
        s.lines.clear();
        s.linesUsed = 0;
    }

    void applyPen(Series &s)
    {
        traces->setTraceStyle(s.id, s.color, s.stale);
        if (s.lines.empty())
            return;
        QPen pen(s.color);
        pen.setWidthF(1.5);
        if (s.stale)
            pen.setStyle(Qt::DashLine);
        for (QLineSeries *l : s.lines)
            l->setPen(pen);
    }

    // Decimates s into s.decimated and sets its y extent within [from, to]. Runs on a
    // helper thread for some series (decimateAll()): touches nothing but s.
    static void decimateSeries(Series &s, qint64 from, qint64 to, int width)
    {
        MinMaxDecimator::Params params;
        params.fromMs = from;
        params.toMs = to;
        params.buckets = width;  // one per pixel: every column's extent is drawn
        params.gapMs = -1;  // per part (history / live)
        s.data->decimate(params, &s.decimated);
        double lo = std::numeric_limits<double>::infinity();
        double hi = -lo;
        for (const TelemetryPoint &p : s.decimated.points) {
            if (p.tMs < from || p.tMs > to)
                continue;
            lo = qMin(lo, p.value);
            hi = qMax(hi, p.value);
        }
        s.yMin = lo <= hi ? lo : std::numeric_limits<double>::quiet_NaN();
        s.yMax = lo <= hi ? hi : std::numeric_limits<double>::quiet_NaN();
    }

    // decimateSeries() for every series of toDecimate, spread over the GUI thread and the
    // helpers of decimatePool that are idle right now (none is waited for to start).
    // Thread safety: a series' history is only changed on the GUI thread, which is blocked
    // here until every helper is done; its live buffer is written by the ingest thread
    // under LiveTelemetry's lock, which TelemetrySeriesData holds for reading while it
    // reads. Each job writes only its own Series (decimated, yMin, yMax), and the vector of
    // series does not change meanwhile.
    void decimateAll(qint64 from, qint64 to, int width)
    {
        const size_t count = toDecimate.size();
        std::atomic<size_t> next{0};
        const auto work = [&] {
            for (size_t i = next.fetch_add(1, std::memory_order_relaxed); i < count;
                 i = next.fetch_add(1, std::memory_order_relaxed))
                decimateSeries(*toDecimate[i], from, to, width);
        };
        QSemaphore done;
        int helpers = 0;
        if (count > 1 && decimatePool) {
            const int wanted = int(qMin<size_t>(count - 1, size_t(decimatePool->maxThreadCount())));
            for (int i = 0; i < wanted; ++i) {
                const bool started = decimatePool->tryStart([&work, &done] {
                    work();
                    done.release();
                });
                if (!started)
                    break;
                ++helpers;
            }
        }
        work();
        done.acquire(helpers);  // the helpers' writes are visible after this
    }

    // Hands s.decimated (from decimateAll()) to the renderer (the raster one swaps it in:
    // s.decimated is scratch again afterwards).
    void drawSeries(Series &s)
    {
        const DecimatedSeries &scratch = s.decimated;
        const int segments = int(scratch.segmentCount());
        if (!useOpenGL) {
            traces->setTrace(s.id, std::move(s.decimated));
            traces->setTraceStyle(s.id, s.color, s.stale);
            return;
        }
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
            l->setPointsVisible(seg.size() == 1);  // a lone point: a dot
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

    // Ticks on round local times; the categories change only when the ticks do.
    void updateTimeAxis(qint64 from, qint64 to, int width)
    {
        const QList<TimeAxisTicks::Tick> ticks = TimeAxisTicks::ticks(from, to, width);
        QList<qint64> times;
        for (const TimeAxisTicks::Tick &t : ticks)
            times.append(t.tMs);
        if (times != tickTimes) {
            for (const QString &label : xAxis->categoriesLabels())
                xAxis->remove(label);
            xAxis->setStartValue(double(from));
            for (const TimeAxisTicks::Tick &t : ticks)
                xAxis->append(t.label, double(t.tMs));
            tickTimes = times;
        }
        xAxis->setStartValue(double(from));
        xAxis->setRange(double(from), double(to));
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
        updateTimeAxis(from, to, width);
        double lo = std::numeric_limits<double>::infinity();
        double hi = -lo;
        toDecimate.clear();
        for (Series &s : series) {
            if (!s.visible) {
                for (int i = 0; i < s.linesUsed; ++i)
                    s.lines[size_t(i)]->setVisible(false);
                traces->removeTrace(s.id);
                s.drawnRevision = ~0ULL;
                continue;
            }
            const quint64 revision = s.data->revision();
            if (revision != s.drawnRevision || from != s.drawnFrom || to != s.drawnTo
                || width != s.drawnWidth) {
                toDecimate.push_back(&s);
                s.drawnRevision = revision;
                s.drawnFrom = from;
                s.drawnTo = to;
                s.drawnWidth = width;
            }
        }
        decimateAll(from, to, width);
        for (Series *s : toDecimate)
            drawSeries(*s);
        const int drawn = int(toDecimate.size());
        toDecimate.clear();
        for (const Series &s : series) {
            if (!s.visible)
                continue;
            if (!std::isnan(s.yMin)) {
                lo = qMin(lo, s.yMin);
                hi = qMax(hi, s.yMax);
            }
        }
        if (lo > hi && expectedLo < expectedHi) {
            lo = expectedLo;
            hi = expectedHi;
        } else if (lo > hi) {
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
        // Round outwards to a 1/2/5 x 10^k step so the ticks read 0, 5, 10 rather than
        // 0.91, 4.705, 8.5; the range then also changes less often while following live.
        const double rough = (hi - lo) / 5;
        const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
        const double norm = rough / magnitude;
        const double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * magnitude;
        if (std::isfinite(step) && step > 0) {
            lo = std::floor(lo / step) * step;
            hi = std::ceil(hi / step) * step;
            const int ticks = qBound(2, int(std::lround((hi - lo) / step)) + 1, 12);
            if (yAxis->tickCount() != ticks)
                yAxis->setTickCount(ticks);
        }
        if (yAxis->min() != lo || yAxis->max() != hi)
            yAxis->setRange(lo, hi);
        // The axes' ranges exactly (QValueAxis keeps lo/hi as given): lines and grid agree.
        traces->setXRange(from, to);
        traces->setYRange(lo, hi);
        traces->setPlotArea(chart->plotArea());
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
            const bool gapStale = newest
                                  && GapDetector::isStale(newest->tMs, now,
                                                          GapDetector::thresholdFor(s.data->typicalIntervalMs()));
            const bool stale = gapStale || s.staleSinceMs != 0;
            if (stale != s.stale) {
                s.stale = stale;
                applyPen(s);
            }
            QString text = s.stats.isEmpty()
                               ? TelemetryChart::tr("no data in range")
                               : TelemetryChart::tr("last %1  min %2  max %3  mean %4")
                                     .arg(formatValue(s.stats.last), formatValue(s.stats.min),
                                          formatValue(s.stats.max), formatValue(s.stats.mean));
            if (s.staleSinceMs != 0)
                text += u"\n"_s + TelemetryChart::tr("⚠ STALE since %1: last known values")
                                      .arg(QDateTime::fromMSecsSinceEpoch(s.staleSinceMs).toString(u"yyyy-MM-dd HH:mm:ss"_s));
            else if (stale)
                text += u"\n"_s + TelemetryChart::tr("⚠ stale: nothing since %1")
                                      .arg(QDateTime::fromMSecsSinceEpoch(newest->tMs).toString(u"yyyy-MM-dd HH:mm:ss"_s));
            legend->setStatsText(s.id, text, stale);
        }
    }

    // A value as the caller formats it (a metric's precision and unit); NaN: an em dash.
    QString formatValue(double v) const
    {
        if (std::isnan(v))
            return u"\u2014"_s;
        return valueFormatter ? valueFormatter(v) : defaultFormat(v);
    }

    // The view's marks: the distinct STALE times of the visible series.
    void updateStaleMarks()
    {
        QList<qint64> marks;
        for (const Series &s : series)
            if (s.visible && s.staleSinceMs != 0 && !marks.contains(s.staleSinceMs))
                marks.append(s.staleSinceMs);
        std::sort(marks.begin(), marks.end());
        view->setStaleMarks(marks);
    }

    QStringList crosshairText(qint64 t) const
    {
        QStringList lines{QDateTime::fromMSecsSinceEpoch(t).toString(u"yyyy-MM-dd HH:mm:ss"_s)};
        // A point counts within two pixels of the pointer: what the eye sees as touching.
        const qint64 tolerance = 2 * qMax<qint64>(1, (toMs - fromMs) / plotWidth());
        for (const Series &s : series) {
            if (!s.visible)
                continue;
            const auto p = s.data->valueAt(t, tolerance);
            QString line = s.label + u": "_s + (p ? formatValue(p->value) : TelemetryChart::tr("no data"));
            if (s.staleSinceMs != 0 && t >= s.staleSinceMs)
                line += TelemetryChart::tr(" (STALE)");
            lines.append(line);
        }
        return lines;
    }
};

} // namespace fd
