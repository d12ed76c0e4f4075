// Tests of fd::TelemetrySeriesData: history + live merge, stats over a range (weighted by
// rollup counts), rows for export, value lookup.

#include "core/telemetry/telemetry_series_data.h"

#include <QTest>

#include <cmath>

using namespace fd;

class TestSeriesData : public QObject
{
    Q_OBJECT

private slots:
    void liveWinsWhereBothOverlap();
    void statsWeightRollups();
    void rowsForExport();
    void rollupsDrawMinAndMax();
    void valueAtAndNewest();
    void revisionChanges();
    void mixedSpacingIsDrawnWhole();
};

namespace {

TelemetryBucket raw(qint64 t, double v)
{
    return TelemetryBucket{t, 0, v, v, v, 1};
}

} // namespace

void TestSeriesData::liveWinsWhereBothOverlap()
{
    auto live = std::make_shared<TelemetryRingBuffer>(100);
    for (int i = 5; i < 10; ++i)
        live->append(i * 1000, 100 + i);
    TelemetrySeriesData data(live);
    TelemetryBuckets history;
    for (int i = 0; i < 8; ++i)  // overlaps the live buffer at 5..7 s
        history.append(raw(i * 1000, i));
    data.setHistory(history);
    DecimatedSeries out;
    data.decimate({0, 10000, 1000, 0}, &out);
    QCOMPARE(out.points.size(), size_t(10));
    QCOMPARE(out.points[4].value, 4.0);    // history
    QCOMPARE(out.points[5].value, 105.0);  // live from 5 s on
}

void TestSeriesData::statsWeightRollups()
{
    TelemetrySeriesData data;
    data.setHistory({TelemetryBucket{0, 60000, 1, 5, 2, 3},        // 3 samples, mean 2
                     TelemetryBucket{60000, 60000, 0, 10, 6, 1}});  // 1 sample, mean 6
    const SeriesStats s = data.stats(0, 120000);
    QCOMPARE(s.count, 4);
    QCOMPARE(s.min, 0.0);
    QCOMPARE(s.max, 10.0);
    QCOMPARE(s.mean, 3.0);  // (3 * 2 + 6) / 4
    QCOMPARE(s.last, 6.0);
    QCOMPARE(s.lastTMs, 60000);
    const SeriesStats first = data.stats(0, 59999);
    QCOMPARE(first.count, 3);
    QVERIFY(data.stats(200000, 300000).isEmpty());
    QVERIFY(std::isnan(data.stats(200000, 300000).mean));
}

void TestSeriesData::rowsForExport()
{
    auto live = std::make_shared<TelemetryRingBuffer>(100);
    live->append(5000, 50);
    live->append(6000, 60);
    TelemetrySeriesData data(live);
    data.setHistory({raw(1000, 1), raw(2000, 2), raw(5000, 999)});
    const TelemetryBuckets rows = data.rows(2000, 5500);
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows.at(0), raw(2000, 2));
    QCOMPARE(rows.at(1), raw(5000, 50));
}

void TestSeriesData::rollupsDrawMinAndMax()
{
    TelemetrySeriesData data;
    data.setHistory({TelemetryBucket{0, 60000, 1, 5, 2, 3}, TelemetryBucket{60000, 60000, 4, 4, 4, 1}});
    const auto &pts = data.historyPoints();
    QCOMPARE(pts.size(), size_t(3));
    QCOMPARE(pts[0], (TelemetryPoint{15000, 1}));
    QCOMPARE(pts[1], (TelemetryPoint{45000, 5}));
    QCOMPARE(pts[2], (TelemetryPoint{90000, 4}));
}

void TestSeriesData::valueAtAndNewest()
{
    auto live = std::make_shared<TelemetryRingBuffer>(100);
    TelemetrySeriesData data(live);
    QVERIFY(!data.newest());
    data.setHistory({raw(1000, 1), raw(2000, 2)});
    QCOMPARE(data.newest()->value, 2.0);
    live->append(3000, 3);
    QCOMPARE(data.newest()->value, 3.0);
    QVERIFY(!data.valueAt(500));
    QCOMPARE(data.valueAt(1500)->value, 1.0);
    QCOMPARE(data.valueAt(2999)->value, 2.0);
    QCOMPARE(data.valueAt(3000)->value, 3.0);
    QVERIFY(!data.valueAt(10000));  // after the last point: no data
    QCOMPARE(data.valueAt(3400, 500)->value, 3.0);  // within the tolerance
}

void TestSeriesData::revisionChanges()
{
    auto live = std::make_shared<TelemetryRingBuffer>(100);
    TelemetrySeriesData data(live);
    const quint64 r0 = data.revision();
    live->append(1, 1);
    const quint64 r1 = data.revision();
    QVERIFY(r1 != r0);
    data.setHistory({raw(0, 0)});
    QVERIFY(data.revision() != r1);
}

void TestSeriesData::mixedSpacingIsDrawnWhole()
{
    // The demo's case: the live buffer starts with a backfill at one point a minute, then
    // one point a second; the cache has 1-minute rows before it, with a real 30-minute gap.
    const qint64 t0 = 1'700'000'000'000LL;
    TelemetryBuckets history;
    for (int i = 0; i < 60; ++i)
        history.append(raw(t0 + i * 60000LL, i));
    for (int i = 90; i < 120; ++i)  // after a 30-minute gap
        history.append(raw(t0 + i * 60000LL, i));
    auto live = std::make_shared<TelemetryRingBuffer>(10000);
    for (int i = 120; i < 180; ++i)
        live->append(t0 + i * 60000LL, i);
    for (int i = 1; i <= 600; ++i)
        live->append(t0 + 179 * 60000LL + i * 1000LL, 200);
    TelemetrySeriesData data(live);
    data.setHistory(history);
    DecimatedSeries out;
    const qint64 end = t0 + 190 * 60000LL;
    data.decimate({t0, end, 800, -1}, &out);
    QCOMPARE(out.segmentCount(), 2);  // before the gap; after it, history + backfill + live
    QVERIFY(out.segment(0).size() >= 60);
    QCOMPARE(out.segment(1).front().tMs, t0 + 90 * 60000LL);
    QCOMPARE(out.segment(1).back().tMs, t0 + 179 * 60000LL + 600000);
    // A shorter window inside the backfill and live part: one line.
    data.decimate({t0 + 150 * 60000LL, end, 800, -1}, &out);
    QCOMPARE(out.segmentCount(), 1);
    // The crosshair: values where there is data, nothing in the gap, before or after.
    QCOMPARE(data.valueAt(t0 + 30 * 60000LL + 10)->value, 30.0);
    QVERIFY(!data.valueAt(t0 + 75 * 60000LL));
    QVERIFY(!data.valueAt(t0 - 60000));
    QCOMPARE(data.valueAt(t0 + 150 * 60000LL + 10)->value, 150.0);
    QVERIFY(!data.valueAt(end + 3600000));
}

QTEST_GUILESS_MAIN(TestSeriesData)
#include "test_series_data.moc"
