// fleetdeck-chartbench: the chart targets of docs/performance.md.
//
//   fleetdeck-chartbench [--series 16] [--points 1000000] [--iterations 200] [--live-seconds 10]
//
// 1. decimator: MinMaxDecimator over 1,000,000 points into 1,500 buckets, repeated;
//    points per second and ns per point (CPU time of this thread), brute force (every
//    point) and through the ring buffer's block summaries (pyramid_*), over the whole
//    buffer and over 1/8 of it (eighth_*); µs per decimation.
// 2. pan/zoom: a TelemetryChart (1600x900 window, renderer as the platform offers) with
//    `series` series of `points` points each (1 s apart); each iteration pans or zooms
//    (full range down to 1/64 of it and back) and redraws synchronously (decimate and
//    hand the points to the renderer: our raster trace item, or QXYSeries::replace with
//    OpenGL; then repaint of the viewport). p50/p95/max in ms.
// 3. live: the same series appended at 100 Hz each, chart following a 1-minute window,
//    while a 1 ms timer measures GUI event-loop lateness (p50/p99/max in ms).
// Prints one JSON object on stdout. Run under Xvfb (QT_QPA_PLATFORM=xcb) to include
// OpenGL where Mesa offers it, or offscreen.

#include "core/telemetry/min_max_decimator.h"
#include "core/telemetry/telemetry_ring_buffer.h"
#include "core/telemetry/telemetry_series_data.h"
#include "widgets/telemetry_chart.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDateTime>
#include <QElapsedTimer>
#include <QGraphicsView>
#include <QThread>
#include <QThreadPool>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <utility>
#include <vector>

using namespace Qt::StringLiterals;
using namespace fd;

namespace {

double threadCpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e9 + double(ts.tv_nsec);
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const size_t i = std::min(v.size() - 1, size_t(std::ceil(p / 100.0 * double(v.size()))) - (p > 0 ? 1 : 0));
    return v[i];
}

QJsonObject stats(const std::vector<double> &v)
{
    return QJsonObject{{u"p50_ms"_s, percentile(v, 50)},
                       {u"p95_ms"_s, percentile(v, 95)},
                       {u"p99_ms"_s, percentile(v, 99)},
                       {u"max_ms"_s, v.empty() ? 0.0 : *std::max_element(v.begin(), v.end())},
                       {u"samples"_s, int(v.size())}};
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption seriesOpt(u"series"_s, u"Series (default 16)."_s, u"N"_s, u"16"_s);
    const QCommandLineOption pointsOpt(u"points"_s, u"Points per series (default 1000000)."_s, u"N"_s, u"1000000"_s);
    const QCommandLineOption iterOpt(u"iterations"_s, u"Pan/zoom redraws (default 200)."_s, u"N"_s, u"200"_s);
    const QCommandLineOption liveOpt(u"live-seconds"_s, u"Live phase length (default 10)."_s, u"S"_s, u"10"_s);
    parser.addOptions({seriesOpt, pointsOpt, iterOpt, liveOpt});
    parser.process(app);
    const int seriesCount = parser.value(seriesOpt).toInt();
    const qsizetype points = parser.value(pointsOpt).toLongLong();
    const int iterations = parser.value(iterOpt).toInt();
    const int liveSeconds = parser.value(liveOpt).toInt();

    // Data: random walks, 1 s apart, ending now.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 start = now - qint64(points) * 1000;
    QRandomGenerator rng(1);
    std::vector<std::shared_ptr<TelemetryRingBuffer>> buffers;
    for (int s = 0; s < seriesCount; ++s) {
        auto b = std::make_shared<TelemetryRingBuffer>(points + 100000);
        double v = 20 + s;
        for (qsizetype i = 0; i < points; ++i) {
            v += rng.generateDouble() - 0.5;
            b->append(start + i * 1000, v);
        }
        buffers.push_back(b);
    }

    // 1. Decimator throughput: brute force (every point) and through the ring buffer's
    //    block summaries (same output), over the whole buffer and over 1/8 of it.
    QJsonObject decimator;
    {
        const TelemetryRingBuffer &buffer = *buffers[0];
        const int reps = 20;
        // CPU ns per decimation of [fromMs, toMs] into 1,500 buckets.
        const auto measure = [&](qint64 fromMs, qint64 toMs, bool pyramid, DecimatedSeries *out) {
            const auto [from, to] = buffer.rangeCovering(fromMs, toMs);
            const double cpu0 = threadCpuNs();
            for (int r = 0; r < reps; ++r) {
                MinMaxDecimator d;
                d.begin({fromMs, toMs, 1500, 5000}, out);
                if (pyramid) {
                    d.add(buffer, from, to);
                } else {
                    for (const PointSpan &span : buffer.spans(from, to))
                        d.add(span);
                }
                d.finish();
            }
            return std::pair<double, double>((threadCpuNs() - cpu0) / reps, double(qMax<qsizetype>(1, to - from)));
        };
        DecimatedSeries out;
        DecimatedSeries fast;
        const auto [bruteNs, n] = measure(start, now, false, &out);
        const auto [pyramidNs, n2] = measure(start, now, true, &fast);
        bool same = fast.points == out.points && fast.segmentStarts == out.segmentStarts;
        // 1/8 of the range, in the middle.
        const qint64 eighthFrom = start + (now - start) / 16 * 7;
        const qint64 eighthTo = eighthFrom + (now - start) / 8;
        DecimatedSeries eighth;
        const auto [bruteEighthNs, n8] = measure(eighthFrom, eighthTo, false, &eighth);
        const auto [pyramidEighthNs, n82] = measure(eighthFrom, eighthTo, true, &fast);
        same = same && fast.points == eighth.points && fast.segmentStarts == eighth.segmentStarts;
        const double total = double(points);
        decimator = QJsonObject{{u"points"_s, double(points)},
                                {u"buckets"_s, 1500},
                                {u"output_points"_s, int(out.points.size())},
                                {u"ns_per_point"_s, bruteNs / total},
                                {u"points_per_second"_s, total / (bruteNs / 1e9)},
                                {u"us_per_decimation"_s, bruteNs / 1e3},
                                {u"eighth_ns_per_point"_s, bruteEighthNs / n8},
                                {u"eighth_us_per_decimation"_s, bruteEighthNs / 1e3},
                                {u"pyramid_ns_per_point"_s, pyramidNs / n2},
                                {u"pyramid_us_per_decimation"_s, pyramidNs / 1e3},
                                {u"pyramid_eighth_ns_per_point"_s, pyramidEighthNs / n82},
                                {u"pyramid_eighth_us_per_decimation"_s, pyramidEighthNs / 1e3},
                                {u"pyramid_matches_brute_force"_s, same},
                                {u"summary_bytes_per_point"_s,
                                 double(buffer.summaries().memoryBytes()) / double(buffer.size())}};
    }

    // 2. Pan / zoom redraw.
    TelemetryChart chart;
    QThreadPool pool;  // what the app gives its charts: one helper less than the cores
    pool.setMaxThreadCount(qMax(1, QThread::idealThreadCount() - 1));
    chart.setDecimationPool(&pool);
    chart.resize(1600, 900);
    for (int s = 0; s < seriesCount; ++s)
        chart.addSeries(u"series %1"_s.arg(s + 1), std::make_shared<TelemetrySeriesData>(buffers[size_t(s)]));
    chart.show();
    QElapsedTimer settle;
    settle.start();
    while (settle.elapsed() < 500)
        app.processEvents();
    auto *view = chart.findChild<QGraphicsView *>();
    std::vector<double> redraw;
    std::vector<double> decimateOnly;
    const qint64 full = now - start;
    qint64 window = full;
    qint64 from = start;
    bool zoomingIn = true;
    for (int i = 0; i < iterations; ++i) {
        if (i % 2 == 0) {  // zoom
            if (zoomingIn && window < full / 64)
                zoomingIn = false;
            if (!zoomingIn && window >= full)
                zoomingIn = true;
            const qint64 center = from + window / 2;
            window = zoomingIn ? window / 2 : qMin(full, window * 2);
            from = qBound(start, center - window / 2, now - window);
        } else {  // pan by 5 %
            from = qBound(start, from + ((i / 2) % 2 ? window / 20 : -window / 20), now - window);
        }
        QElapsedTimer t;
        t.start();
        chart.setTimeRange(from, from + window);
        chart.redrawNow();
        const double afterDecimate = double(t.nsecsElapsed()) / 1e6;
        view->viewport()->repaint();
        redraw.push_back(double(t.nsecsElapsed()) / 1e6);
        decimateOnly.push_back(afterDecimate);
    }

    // 3. Live: 100 Hz per series, follow a 1-minute window, GUI lateness.
    chart.setWindowMs(60000);
    chart.setFollowLive(true);
    std::vector<double> lateness;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(1);
    QElapsedTimer probeClock;
    qint64 expected = 0;
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 nowNs = probeClock.nsecsElapsed();
        lateness.push_back(qMax(0.0, double(nowNs - expected) / 1e6));
        expected = nowNs + 1000000;
    });
    QTimer feeder;
    feeder.setTimerType(Qt::PreciseTimer);
    feeder.setInterval(10);  // 100 Hz: one new point per series per tick
    QObject::connect(&feeder, &QTimer::timeout, [&] {
        const qint64 t = QDateTime::currentMSecsSinceEpoch();
        for (auto &b : buffers)
            b->append(t, b->last().value + rng.generateDouble() - 0.5);
        chart.notifyDataChanged();
    });
    const quint64 redrawsBefore = chart.redrawCount();
    probeClock.start();
    expected = 1000000;
    probe.start();
    feeder.start();
    QElapsedTimer liveClock;
    liveClock.start();
    while (liveClock.elapsed() < liveSeconds * 1000)
        app.processEvents(QEventLoop::WaitForMoreEvents, 50);
    probe.stop();
    feeder.stop();
    const double redrawHz = double(chart.redrawCount() - redrawsBefore) / liveSeconds;

    QJsonObject live = stats(lateness);
    live.insert(u"redraws_per_second"_s, redrawHz);
    live.insert(u"series"_s, seriesCount);
    live.insert(u"append_hz_per_series"_s, 100);
    const QJsonObject root{
        {u"benchmark"_s, u"charts"_s},
        {u"platform"_s, QGuiApplication::platformName()},
        {u"opengl"_s, chart.usesOpenGL()},
        {u"series"_s, seriesCount},
        {u"points_per_series"_s, double(points)},
        {u"plot_width_px"_s, chart.plotWidthPixels()},
        {u"decimator"_s, decimator},
        {u"pan_zoom_redraw"_s, stats(redraw)},
        {u"pan_zoom_decimate_and_replace"_s, stats(decimateOnly)},
        {u"live_gui_lateness"_s, live},
    };
    std::fputs(QJsonDocument(root).toJson(QJsonDocument::Indented).constData(), stdout);
    return 0;
}
