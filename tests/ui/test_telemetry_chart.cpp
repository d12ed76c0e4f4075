// Tests of fd::TelemetryChart (offscreen): a gap splits a series into separate drawn
// lines, the renderer gets decimated points (never more than a few per pixel), unchanged
// data is not redrawn, redraws are coalesced, a stale series is marked, the legend
// toggles series, statistics cover the visible range, PNG export works, and the raster
// renderer (our TelemetryTraceItem, offscreen has no OpenGL) puts the series' colour on
// the expected pixels and nothing across a gap or for hidden / removed series.
//
// FLEETDECK_CHART_SCREENSHOT=<file.png> makes renderedScreenshot() export a sample chart
// (and <file>-zoomed.png).

#include "widgets/telemetry_chart.h"
#include "widgets/telemetry_chart_view.h"
#include "widgets/time_axis_ticks.h"

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QDateTime>
#include <QLabel>
#include <QLineSeries>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>

using namespace Qt::StringLiterals;
using namespace fd;

namespace {

int drawnSegments(const TelemetryChart &chart)
{
    int n = 0;
    for (int id : chart.seriesIds())
        n += chart.drawnSegmentCount(id);
    return n;
}

// Qt Charts' own line series with points (the OpenGL path only).
int qtChartsLinesWithPoints(const TelemetryChart &chart)
{
    int n = 0;
    const auto *view = chart.findChild<QChartView *>();
    for (QAbstractSeries *series : view->chart()->series()) {
        auto *l = qobject_cast<QLineSeries *>(series);
        n += l && l->isVisible() && l->count() > 0 ? 1 : 0;
    }
    return n;
}

// Maps (time, value) to a pixel of chart.renderImage(), with the y range [lo, hi].
QPoint pixelAt(const TelemetryChart &chart, qint64 t, double v, double lo, double hi)
{
    const auto *view = chart.findChild<QChartView *>();
    const QRectF plot = view->chart()->plotArea();
    const double x = plot.left() + plot.width() * double(t - chart.fromMs()) / double(chart.toMs() - chart.fromMs());
    const double y = plot.top() + plot.height() * (hi - v) / (hi - lo);
    return view->viewport()->mapTo(&chart, view->mapFromScene(QPointF(x, y)));
}

QRect plotRectInImage(const TelemetryChart &chart)
{
    const auto *view = chart.findChild<QChartView *>();
    const QRect plot = view->mapFromScene(view->chart()->plotArea()).boundingRect();
    return plot.translated(view->viewport()->mapTo(&chart, QPoint(0, 0)));
}

// Pixels of exactly this colour in a rectangle of the image.
int countColor(const QImage &image, const QRect &rect, QColor color)
{
    int n = 0;
    const QRect r = rect.intersected(image.rect());
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x)
            n += (image.pixel(x, y) & 0xffffff) == (color.rgb() & 0xffffff) ? 1 : 0;
    return n;
}

} // namespace

class TestTelemetryChart : public QObject
{
    Q_OBJECT

private slots:
    void deviceTextIsShownLiterally();
    void emptyChartShowsTheExpectedRange();
    void gapsAreSeparateLinesAndPointsAreDecimated();
    void redrawsOnlyWhatChanged();
    void staleSeriesIsMarked();
    void seriesMarkedStaleShowsFromWhen();
    void legendTogglesAndStatsFollowTheRange();
    void rasterRendererDrawsTheExpectedPixels();
    void renderedScreenshot();
    void historyAtMixedSpacingIsDrawn();
    void timeTicksAreRound();
};

void TestTelemetryChart::gapsAreSeparateLinesAndPointsAreDecimated()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto live = std::make_shared<TelemetryRingBuffer>(200000);
    for (qint64 i = 0; i < 50000; ++i)  // 50,000 points at 10 Hz ...
        live->append(now - 10 * 60000 + i * 10, std::sin(double(i) / 100.0));
    for (qint64 i = 0; i < 1000; ++i)  // ... then 60 s offline, then more
        live->append(now - 60000 + i * 10, 1.0);
    TelemetryChart chart;
    chart.resize(1000, 400);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    chart.addSeries(u"a"_s, std::make_shared<TelemetrySeriesData>(live));
    chart.setTimeRange(now - 11 * 60000, now);
    chart.redrawNow();
    QVERIFY(!chart.usesOpenGL());  // offscreen: our raster renderer
    const int id = chart.seriesIds().front();
    QCOMPARE(chart.drawnSegmentCount(id), 2);
    QCOMPARE(qtChartsLinesWithPoints(chart), 0);
    const qsizetype points = chart.drawnPointCount(id);
    QVERIFY2(points <= 4 * chart.plotWidthPixels(), qPrintable(QString::number(points)));
    QVERIFY(points > chart.plotWidthPixels());  // one bucket per pixel
    // Zoomed into the first part only: one line.
    chart.setTimeRange(now - 9 * 60000, now - 8 * 60000);
    chart.redrawNow();
    QCOMPARE(drawnSegments(chart), 1);

    // The same through Qt Charts' series (the OpenGL path; offscreen only its data is
    // checked), and back.
    chart.setUseOpenGL(true);
    chart.setTimeRange(now - 11 * 60000, now);
    chart.redrawNow();
    QCOMPARE(chart.drawnSegmentCount(id), 2);
    QCOMPARE(qtChartsLinesWithPoints(chart), 2);
    QVERIFY(chart.drawnPointCount(id) > chart.plotWidthPixels());
    QVERIFY(chart.drawnPointCount(id) <= 4 * chart.plotWidthPixels());
    chart.setUseOpenGL(false);
    chart.redrawNow();
    QCOMPARE(qtChartsLinesWithPoints(chart), 0);
    QCOMPARE(chart.drawnSegmentCount(id), 2);
    QVERIFY(chart.drawnPointCount(id) > chart.plotWidthPixels());
}

void TestTelemetryChart::redrawsOnlyWhatChanged()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto a = std::make_shared<TelemetryRingBuffer>(1000);
    auto b = std::make_shared<TelemetryRingBuffer>(1000);
    for (int i = 0; i < 100; ++i) {
        a->append(now - 100000 + i * 1000, i);
        b->append(now - 100000 + i * 1000, -i);
    }
    TelemetryChart chart;
    chart.resize(800, 300);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    chart.addSeries(u"a"_s, std::make_shared<TelemetrySeriesData>(a));
    chart.addSeries(u"b"_s, std::make_shared<TelemetrySeriesData>(b));
    chart.setTimeRange(now - 120000, now);
    QCOMPARE(chart.redrawNow(), 2);
    // The first redraw may change the axes' labels and so the plot width once.
    for (int i = 0; i < 3 && chart.redrawNow() > 0; ++i)
        QApplication::processEvents();
    QCOMPARE(chart.redrawNow(), 0);  // nothing changed
    a->append(now, 1000);
    QCOMPARE(chart.redrawNow(), 1);  // only a
    // Many notifications: one coalesced redraw.
    const quint64 before = chart.redrawCount();
    for (int i = 0; i < 100; ++i) {
        a->append(now + 1 + i, i);
        chart.notifyDataChanged();
    }
    QTRY_COMPARE(chart.redrawCount(), before + 1);
    QTest::qWait(100);
    QCOMPARE(chart.redrawCount(), before + 1);
}

void TestTelemetryChart::staleSeriesIsMarked()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto fresh = std::make_shared<TelemetryRingBuffer>(1000);
    auto stale = std::make_shared<TelemetryRingBuffer>(1000);
    for (int i = 0; i < 60; ++i) {
        fresh->append(now - 59000 + i * 1000, i);
        stale->append(now - 600000 + i * 1000, i);  // nothing for 9 minutes
    }
    TelemetryChart chart;
    const int f = chart.addSeries(u"fresh"_s, std::make_shared<TelemetrySeriesData>(fresh));
    const int s = chart.addSeries(u"stale"_s, std::make_shared<TelemetrySeriesData>(stale));
    chart.setWindowMs(15 * 60000);
    chart.setFollowLive(true);
    chart.redrawNow();
    chart.updateStatsNow();
    QVERIFY(!chart.isSeriesStale(f));
    QVERIFY(chart.isSeriesStale(s));
}

void TestTelemetryChart::seriesMarkedStaleShowsFromWhen()
{
    // A device that died 40 s ago (Sparkplug NDEATH): its last values stay, marked STALE
    // from the death on: a dashed line with a shaded region to the right edge, the legend
    // and the crosshair say so; cleared when it reports again.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 death = now - 40000;
    auto a = std::make_shared<TelemetryRingBuffer>(1000);
    auto b = std::make_shared<TelemetryRingBuffer>(1000);
    for (int i = 0; i <= 100; ++i) {
        if (now - 100000 + i * 1000 <= death)
            a->append(now - 100000 + i * 1000, 10);
        b->append(now - 100000 + i * 1000, 20);
    }
    TelemetryChart chart;
    chart.resize(900, 420);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    const int ida = chart.addSeries(u"pump"_s, std::make_shared<TelemetrySeriesData>(a), QColor(220, 20, 30));
    const int idb = chart.addSeries(u"fan"_s, std::make_shared<TelemetrySeriesData>(b), QColor(20, 40, 220));
    chart.setTimeRange(now - 110000, now + 10000);
    for (int i = 0; i < 3 && chart.redrawNow() > 0; ++i)
        QApplication::processEvents();
    const QImage before = chart.renderImage();

    chart.setSeriesStaleSince(ida, death);
    QCOMPARE(chart.seriesStaleSince(ida), death);
    QVERIFY(chart.isSeriesStale(ida));
    QVERIFY(!chart.isSeriesStale(idb));
    auto *view = chart.findChild<TelemetryChartView *>();
    QVERIFY(view);
    QCOMPARE(view->staleMarks(), QList<qint64>{death});
    // The legend says since when.
    bool legendSaysStale = false;
    for (const QLabel *label : chart.findChildren<QLabel *>())
        legendSaysStale |= label->text().contains(u"STALE since "_s + QDateTime::fromMSecsSinceEpoch(death).toString(u"yyyy-MM-dd HH:mm:ss"_s));
    QVERIFY(legendSaysStale);
    // The crosshair: STALE after the death, not before.
    const QStringList after = chart.crosshairTextAt(death + 10000);
    QVERIFY(after.filter(u"pump"_s).value(0).endsWith(u"(STALE)"_s));
    QVERIFY(!after.filter(u"fan"_s).value(0).endsWith(u"(STALE)"_s));
    QVERIFY(!chart.crosshairTextAt(death - 10000).filter(u"pump"_s).value(0).endsWith(u"(STALE)"_s));

    // Pixels: the plot background right of the mark is shaded, left of it unchanged.
    const QImage image = chart.renderImage();
    const QRect plot = plotRectInImage(chart);
    const int xDeath = pixelAt(chart, death, 0, 0, 1).x();
    const QPoint leftPoint(plot.left() + (xDeath - plot.left()) / 2, plot.bottom() - 3);
    const QPoint rightPoint(xDeath + (plot.right() - xDeath) / 2, plot.bottom() - 3);
    QCOMPARE(image.pixel(leftPoint), before.pixel(leftPoint));
    QVERIFY(image.pixel(rightPoint) != before.pixel(rightPoint));
    // The dashed line at the death: some pixels in that column differ.
    int changedInColumn = 0;
    for (int y = plot.top() + 20; y < plot.bottom(); ++y)
        for (int dx = -1; dx <= 1; ++dx)
            changedInColumn += image.pixel(xDeath + dx, y) != before.pixel(xDeath + dx, y) ? 1 : 0;
    QVERIFY(changedInColumn > 20);

    // Reported again: the mark goes.
    chart.setSeriesStaleSince(ida, 0);
    QVERIFY(view->staleMarks().isEmpty());
    chart.updateStatsNow();
    QVERIFY(!chart.crosshairTextAt(death + 10000).filter(u"pump"_s).value(0).endsWith(u"(STALE)"_s));
    // Removing a stale series removes its mark too.
    chart.setSeriesStaleSince(idb, death);
    QCOMPARE(view->staleMarks().size(), 1);
    chart.removeSeries(idb);
    QVERIFY(view->staleMarks().isEmpty());
}

void TestTelemetryChart::legendTogglesAndStatsFollowTheRange()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto a = std::make_shared<TelemetryRingBuffer>(1000);
    for (int i = 0; i < 100; ++i)
        a->append(now - 100000 + i * 1000, i);
    TelemetryChart chart;
    chart.resize(800, 300);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    const int id = chart.addSeries(u"a"_s, std::make_shared<TelemetrySeriesData>(a));
    chart.setTimeRange(now - 100000, now - 90000);  // values 0..10
    chart.redrawNow();
    chart.updateStatsNow();
    QCOMPARE(chart.visibleStats(id).count, 11);
    QCOMPARE(chart.visibleStats(id).min, 0.0);
    QCOMPARE(chart.visibleStats(id).max, 10.0);
    QCOMPARE(chart.visibleStats(id).mean, 5.0);
    QCOMPARE(chart.visibleStats(id).last, 10.0);
    QVERIFY(chart.drawnSegmentCount(id) > 0);

    auto *check = chart.findChild<QCheckBox *>();
    QVERIFY(check);
    check->click();
    QVERIFY(!chart.isSeriesVisible(id));
    chart.redrawNow();
    QCOMPARE(drawnSegments(chart), 0);
    chart.setSeriesVisible(id, true);
    QVERIFY(check->isChecked());

    QTemporaryDir dir;
    QString error;
    QVERIFY2(chart.exportPng(dir.filePath(u"c.png"_s), &error), qPrintable(error));
    QVERIFY(!QImage(dir.filePath(u"c.png"_s)).isNull());
    QVERIFY(!chart.exportPng(u"/nonexistent/dir/c.png"_s, &error));
    QVERIFY(error.contains(u"/nonexistent/dir/c.png"_s));
}

void TestTelemetryChart::rasterRendererDrawsTheExpectedPixels()
{
    // a: 10 for 40 s, nothing for 30 s (gap threshold 5 s), then 20 up to now.
    // b: 15 all along. The y axis is then [9.5, 20.5] (5 % padding), rounded out to
    // whole ticks of 2: [8, 22].
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto a = std::make_shared<TelemetryRingBuffer>(1000);
    auto b = std::make_shared<TelemetryRingBuffer>(1000);
    for (int i = 0; i <= 100; ++i) {
        const qint64 t = now - 100000 + i * 1000;
        if (i <= 40 || i >= 70)
            a->append(t, i <= 40 ? 10 : 20);
        b->append(t, 15);
    }
    const QColor red(220, 20, 30);
    const QColor blue(20, 40, 220);
    TelemetryChart chart;
    chart.resize(900, 420);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    const int ida = chart.addSeries(u"a"_s, std::make_shared<TelemetrySeriesData>(a), red);
    const int idb = chart.addSeries(u"b"_s, std::make_shared<TelemetrySeriesData>(b), blue);
    chart.setTimeRange(now - 110000, now + 10000);
    for (int i = 0; i < 3 && chart.redrawNow() > 0; ++i)  // settle the axes' layout
        QApplication::processEvents();
    QImage image = chart.renderImage();
    QVERIFY(!chart.isSeriesStale(ida));  // drawn solid
    QCOMPARE(chart.drawnSegmentCount(ida), 2);
    const double lo = 8;
    const double hi = 22;

    // Along each part of a, every column has red within a pixel of the expected row.
    auto redColumns = [&](qint64 t0, qint64 t1, double v) {
        const QPoint p0 = pixelAt(chart, t0, v, lo, hi);
        const QPoint p1 = pixelAt(chart, t1, v, lo, hi);
        int hit = 0;
        for (int x = p0.x() + 2; x <= p1.x() - 2; ++x)
            hit += countColor(image, QRect(x, p0.y() - 1, 1, 3), red) > 0 ? 1 : 0;
        return std::pair(hit, p1.x() - p0.x() - 3);
    };
    const auto [hit1, cols1] = redColumns(now - 100000, now - 60000, 10);
    QVERIFY2(cols1 > 100 && hit1 == cols1, qPrintable(u"%1/%2"_s.arg(hit1).arg(cols1)));
    const auto [hit2, cols2] = redColumns(now - 30000, now, 20);
    QVERIFY2(cols2 > 100 && hit2 == cols2, qPrintable(u"%1/%2"_s.arg(hit2).arg(cols2)));
    // b in blue at 15.
    const QPoint b0 = pixelAt(chart, now - 100000, 15, lo, hi);
    const QPoint b1 = pixelAt(chart, now, 15, lo, hi);
    QVERIFY(countColor(image, QRect(b0.x() + 2, b0.y() - 1, b1.x() - b0.x() - 4, 3), blue) >= b1.x() - b0.x() - 4);
    // Nothing red across the gap, nor outside the plot area.
    const QRect plot = plotRectInImage(chart);
    const int gx0 = pixelAt(chart, now - 60000, 0, lo, hi).x() + 3;
    const int gx1 = pixelAt(chart, now - 30000, 0, lo, hi).x() - 3;
    QCOMPARE(countColor(image, QRect(gx0, plot.top(), gx1 - gx0, plot.height()), red), 0);
    QCOMPARE(countColor(image, QRect(plot.left(), 0, plot.width(), plot.top() - 1), red), 0);
    // Lines are 1-2 px thick (like the 1.5-px pen of Qt Charts' series).
    const int mid = (pixelAt(chart, now - 100000, 10, lo, hi).x() + pixelAt(chart, now - 60000, 10, lo, hi).x()) / 2;
    const int thickness = countColor(image, QRect(mid, plot.top(), 1, plot.height()), red);
    QVERIFY2(thickness >= 1 && thickness <= 2, qPrintable(QString::number(thickness)));

    // Hidden: b's line is gone, a's stays.
    chart.setSeriesVisible(idb, false);
    image = chart.renderImage();
    QCOMPARE(countColor(image, plot, blue), 0);
    QVERIFY(countColor(image, plot, red) > 100);
    QCOMPARE(chart.drawnSegmentCount(idb), 0);
    chart.setSeriesVisible(idb, true);
    image = chart.renderImage();
    QVERIFY(countColor(image, plot, blue) > 100);
    // Removed: a's line is gone.
    chart.removeSeries(ida);
    image = chart.renderImage();
    QCOMPARE(countColor(image, plot, red), 0);
    QVERIFY(countColor(image, plot, blue) > 100);
    chart.clearSeries();
    image = chart.renderImage();
    QCOMPARE(countColor(image, plot, blue), 0);
}

void TestTelemetryChart::historyAtMixedSpacingIsDrawn()
{
    // One series as the demo with --demo-history has it: 1-minute rows in the cache
    // (3 h ago to 2 h ago, a real 40-minute gap, 80 to 60 minutes ago), and a live buffer
    // with two stray points 3 h back, then the backfill at one point a minute (60 to 10
    // minutes ago), then one point a second up to now. A second series has 1-minute rollups over the 3 hours.
    const qint64 minute = 60000;
    const qint64 now = QDateTime::currentMSecsSinceEpoch() / 1000 * 1000;
    TelemetryBuckets rows;
    for (qint64 m = 180; m >= 120; --m)
        rows.append(TelemetryBucket{now - m * minute, 0, 10, 10, 10, 1});
    for (qint64 m = 80; m > 60; --m)
        rows.append(TelemetryBucket{now - m * minute, 0, 10, 10, 10, 1});
    auto live = std::make_shared<TelemetryRingBuffer>(10000);
    // The first backfilled samples got in before the live ones (the rest of the backfill
    // was older than the newest point and dropped): two points alone, hours back.
    live->append(now - 180 * minute, 10);
    live->append(now - 179 * minute, 10);
    for (qint64 m = 60; m >= 10; --m)
        live->append(now - m * minute, 10);
    for (qint64 s = 599; s >= 0; --s)
        live->append(now - s * 1000, 10);
    auto a = std::make_shared<TelemetrySeriesData>(live);
    a->setHistory(rows);
    TelemetryBuckets rollups;
    for (qint64 m = 180; m > 0; --m)
        rollups.append(TelemetryBucket{now - m * minute, minute, 19, 21, 20, 60});
    auto b = std::make_shared<TelemetrySeriesData>();
    b->setHistory(rollups);

    const QColor red(220, 20, 30);
    const QColor blue(20, 40, 220);
    TelemetryChart chart;
    chart.resize(1000, 420);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    const int ida = chart.addSeries(u"a"_s, a, red);
    const int idb = chart.addSeries(u"b"_s, b, blue);
    chart.setTimeRange(now - 190 * minute, now + minute);
    for (int i = 0; i < 3 && chart.redrawNow() > 0; ++i)  // settle the axes' layout
        QApplication::processEvents();
    const QImage image = chart.renderImage();
    // All stretches drawn: before the gap, and history + backfill + live after it.
    QCOMPARE(chart.drawnSegmentCount(ida), 2);
    QCOMPARE(chart.drawnSegmentCount(idb), 1);
    const QRect plot = chart.plotAreaRect();
    QCOMPARE(plot, plotRectInImage(chart));
    const auto column = [&](qint64 t) {
        const int x = pixelAt(chart, t, 0, 0, 1).x();
        return QRect(x, plot.top(), 1, plot.height());
    };
    for (const qint64 m : {170, 130, 75, 65, 40, 15, 5}) {  // cache, backfill and live
        QVERIFY2(countColor(image, column(now - m * minute), red) > 0, qPrintable(u"a at -%1 min"_s.arg(m)));
        QVERIFY2(countColor(image, column(now - m * minute), blue) > 0, qPrintable(u"b at -%1 min"_s.arg(m)));
    }
    // The real gap stays a gap.
    const int gx0 = pixelAt(chart, now - 118 * minute, 0, 0, 1).x();
    const int gx1 = pixelAt(chart, now - 82 * minute, 0, 0, 1).x();
    QCOMPARE(countColor(image, QRect(gx0, plot.top(), gx1 - gx0, plot.height()), red), 0);
    // The crosshair: a value over the lines, "no data" in the gap, before and after.
    const QStringList over = chart.crosshairTextAt(now - 150 * minute);
    QCOMPARE(over.size(), 3);
    QCOMPARE(over.at(1), u"a: 10"_s);
    QCOMPARE(over.at(2), u"b: 21"_s);
    const QStringList inGap = chart.crosshairTextAt(now - 100 * minute);
    QCOMPARE(inGap.at(1), u"a: no data"_s);
    QVERIFY(inGap.at(2).startsWith(u"b: 2"_s));
    QCOMPARE(chart.crosshairTextAt(now - 185 * minute).at(1), u"a: no data"_s);
    QCOMPARE(chart.crosshairTextAt(now - 185 * minute).at(2), u"b: no data"_s);
    QCOMPARE(chart.crosshairTextAt(now - 30 * minute).at(1), u"a: 10"_s);
}

void TestTelemetryChart::timeTicksAreRound()
{
    const qint64 minute = 60000;
    const qint64 from = QDateTime(QDate(2026, 3, 4), QTime(10, 2, 17)).toMSecsSinceEpoch();
    struct Case
    {
        qint64 range;
        qint64 step;
    };
    const Case cases[] = {{15 * minute, 2 * minute}, {60 * minute, 10 * minute}, {24 * 60 * minute, 3 * 60 * minute},
                          {60 * 1000, 10 * 1000}};
    for (const Case &c : cases) {
        const auto ticks = TimeAxisTicks::ticks(from, from + c.range, 900);
        QVERIFY(ticks.size() >= 4);
        QCOMPARE(TimeAxisTicks::stepFor(c.range, 900), c.step);
        QSet<QString> labels;
        for (const TimeAxisTicks::Tick &t : ticks) {
            const QDateTime local = QDateTime::fromMSecsSinceEpoch(t.tMs);
            const qint64 sinceMidnight = local.time().msecsSinceStartOfDay();
            QVERIFY2(sinceMidnight % c.step == 0, qPrintable(local.toString(Qt::ISODate)));
            QVERIFY(t.tMs >= from && t.tMs <= from + c.range);
            labels.insert(t.label);
        }
        QCOMPARE(labels.size(), ticks.size());  // unique labels
    }
    // 15 minutes from 10:02:17: 10:04, 10:06, ... 10:16.
    const auto ticks = TimeAxisTicks::ticks(from, from + 15 * minute, 900);
    QCOMPARE(ticks.constFirst().label, u"10:04"_s);
    QCOMPARE(ticks.constLast().label, u"10:16"_s);
}

void TestTelemetryChart::renderedScreenshot()
{
    const QString path = qEnvironmentVariable("FLEETDECK_CHART_SCREENSHOT");
    if (path.isEmpty())
        QSKIP("FLEETDECK_CHART_SCREENSHOT not set");
    // Three random walks over 2 h at 1 s: one with a 10-minute gap, one stale (its data
    // ends 20 minutes ago: drawn dashed).
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QRandomGenerator rng(7);
    TelemetryChart chart;
    chart.resize(1200, 500);
    chart.setTitle(u"Temperature (own raster renderer)"_s);
    chart.setValueAxisTitle(u"°C"_s);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    for (int s = 0; s < 3; ++s) {
        auto buffer = std::make_shared<TelemetryRingBuffer>(10000);
        double v = 20 + 3 * s;
        for (qint64 i = 0; i < 7200; ++i) {
            v += rng.generateDouble() - 0.5;
            const qint64 t = now - 7200000 + i * 1000;
            if (s == 1 && t > now - 3600000 && t < now - 3000000)
                continue;
            if (s == 2 && t > now - 1200000)
                break;
            buffer->append(t, v);
        }
        chart.addSeries(u"device-%1"_s.arg(s + 1), std::make_shared<TelemetrySeriesData>(buffer));
    }
    chart.setTimeRange(now - 7200000, now);
    QTest::qWait(100);  // the legend's new rows are shown by a queued call
    QString error;
    QVERIFY2(chart.exportPng(path, &error), qPrintable(error));
    // Zoomed to 5 minutes around the gap's end: sparse lines (under a point per pixel).
    chart.setTimeRange(now - 3200000, now - 2900000);
    QString zoomed = path;
    zoomed.replace(u".png"_s, u"-zoomed.png"_s);
    QVERIFY2(chart.exportPng(zoomed, &error), qPrintable(error));
}

// Metric and device names come from devices: markup in them is shown as the characters it
// is made of, in the chart title, the value axis title and the legend's tooltip.
// A chart with nothing to draw yet shows the metric's expected range (metric catalogue), not
// 0..1; once data comes, the axis follows the data.
void TestTelemetryChart::emptyChartShowsTheExpectedRange()
{
    TelemetryChart chart;
    chart.resize(600, 300);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    const auto *view = chart.findChild<QChartView *>();
    QVERIFY(view);
    const auto valueAxis = [view]() -> const QValueAxis * {
        for (QAbstractAxis *axis : view->chart()->axes(Qt::Vertical))
            if (auto *v = qobject_cast<QValueAxis *>(axis))
                return v;
        return nullptr;
    };
    QVERIFY(valueAxis());
    chart.setExpectedValueRange(-10, 50);
    chart.redrawNow();
    QCOMPARE(valueAxis()->min(), -10.0);
    QCOMPARE(valueAxis()->max(), 50.0);
    chart.setExpectedValueRange(5, 5);  // not a range: the default
    chart.redrawNow();
    QCOMPARE(valueAxis()->min(), 0.0);
    QCOMPARE(valueAxis()->max(), 1.0);
}

void TestTelemetryChart::deviceTextIsShownLiterally()
{
    TelemetryChart chart;
    const QString markup = u"<h1>BIG</h1><img src=x>"_s;
    chart.setTitle(markup);
    chart.setValueAxisTitle(markup);
    QCOMPARE(chart.title(), markup);
    const auto *view = chart.findChild<QChartView *>();
    QVERIFY(view);
    QVERIFY2(view->chart()->title().contains(u"&lt;h1&gt;BIG&lt;/h1&gt;"_s), qPrintable(view->chart()->title()));
    bool axisEscaped = false;
    for (QAbstractAxis *axis : view->chart()->axes(Qt::Vertical))
        axisEscaped = axisEscaped || axis->titleText().contains(u"&lt;img src=x&gt;"_s);
    QVERIFY(axisEscaped);
    auto buffer = std::make_shared<TelemetryRingBuffer>(16);
    const int id = chart.addSeries(markup, std::make_shared<TelemetrySeriesData>(buffer));
    Q_UNUSED(id);
    bool legendEscaped = false;
    for (const QCheckBox *box : chart.findChildren<QCheckBox *>()) {
        QCOMPARE(box->text(), markup);  // a button's text is always plain
        legendEscaped = legendEscaped || box->toolTip().contains(u"&lt;h1&gt;"_s);
    }
    QVERIFY(legendEscaped);
}

QTEST_MAIN(TestTelemetryChart)
#include "test_telemetry_chart.moc"
