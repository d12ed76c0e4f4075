// Tests of fd::GapDetector: gaps from time steps and NaN runs, thresholds, staleness.

#include "core/telemetry/gap_detector.h"

#include <QTest>

#include <limits>
#include <vector>

using namespace fd;

class TestGapDetector : public QObject
{
    Q_OBJECT

private slots:
    void findsTimeGaps();
    void nanRunIsOneGap();
    void typicalInterval();
    void threshold();
    void stale();
    void localRule();
};

void TestGapDetector::findsTimeGaps()
{
    std::vector<TelemetryPoint> pts;
    for (int i = 0; i < 10; ++i)
        pts.push_back({i * 1000, 1});
    pts.push_back({30000, 1});  // 21 s offline
    pts.push_back({31000, 1});
    pts.push_back({45000, 1});  // 14 s offline
    QCOMPARE(GapDetector::findGaps(pts, 5000),
             (QList<GapDetector::Gap>{{9000, 30000}, {31000, 45000}}));
    QCOMPARE(GapDetector::findGaps(pts, 15000), (QList<GapDetector::Gap>{{9000, 30000}}));
    QVERIFY(GapDetector::findGaps(pts, 60000).isEmpty());
    QVERIFY(GapDetector::findGaps({}, 1000).isEmpty());
}

void TestGapDetector::nanRunIsOneGap()
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<TelemetryPoint> pts = {{0, 1}, {1000, nan}, {2000, nan}, {3000, 2}, {4000, 3}};
    QCOMPARE(GapDetector::findGaps(pts, 5000), (QList<GapDetector::Gap>{{0, 3000}}));
}

void TestGapDetector::typicalInterval()
{
    std::vector<TelemetryPoint> pts;
    qint64 t = 0;
    for (int i = 0; i < 100; ++i) {
        t += (i % 10 == 0) ? 60000 : 1000;  // outliers do not move the median
        pts.push_back({t, 0});
    }
    QCOMPARE(GapDetector::typicalIntervalMs(pts), 1000);
    QCOMPARE(GapDetector::typicalIntervalMs(PointSpan(pts).subspan(0, 1)), 0);
    // Across two spans (a wrapped ring buffer).
    const PointSpan all(pts);
    QCOMPARE(GapDetector::typicalIntervalMs({all.subspan(0, 50), all.subspan(50)}), 1000);
}

void TestGapDetector::threshold()
{
    QCOMPARE(GapDetector::thresholdFor(0), GapDetector::kMinGapMs);
    QCOMPARE(GapDetector::thresholdFor(100), GapDetector::kMinGapMs);
    QCOMPARE(GapDetector::thresholdFor(60000), 300000);
}

void TestGapDetector::stale()
{
    QVERIFY(!GapDetector::isStale(10000, 14000, 5000));
    QVERIFY(!GapDetector::isStale(10000, 15000, 5000));
    QVERIFY(GapDetector::isStale(10000, 15001, 5000));
}

void TestGapDetector::localRule()
{
    // 1-minute points, then 1-second points, a 10-minute break, a lone point, another break.
    std::vector<qint64> t;
    for (int i = 0; i < 30; ++i)
        t.push_back(i * 60000LL);
    for (int i = 1; i <= 60; ++i)
        t.push_back(t[29] + i * 1000LL);
    const qsizetype breakAt = qsizetype(t.size());
    t.push_back(t.back() + 600000);  // after a break: a lone point
    t.push_back(t.back() + 600000);  // and another break
    for (int i = 1; i <= 10; ++i)
        t.push_back(t.back() + 1000);
    const auto at = [&t](qsizetype k) { return t[size_t(k)]; };
    const qsizetype n = qsizetype(t.size());
    QList<qsizetype> gaps;
    for (qsizetype i = 1; i < n; ++i)
        if (GapDetector::isGapBefore(at, 0, n, i))
            gaps.append(i);
    QCOMPARE(gaps, (QList<qsizetype>{breakAt, breakAt + 1}));
    // Rollups: the nominal spacing (bucket width) counts.
    const std::vector<qint64> r = {0, 60000, 120000, 240000, 300000};
    const auto rat = [&r](qsizetype k) { return r[size_t(k)]; };
    QVERIFY(!GapDetector::isGapBefore(rat, 0, 5, 3, 60000));
    // Two points alone: no evidence of a gap; across stretches the coarser side judges.
    QVERIFY(!GapDetector::isGapBefore(rat, 2, 4, 3));
    QVERIFY(!GapDetector::isGapBetweenStretches(60000, 60000, 1000, 0));
    QVERIFY(GapDetector::isGapBetweenStretches(3600000, 60000, 1000, 0));
    QVERIFY(!GapDetector::isGapBetweenStretches(3600000, 0, 0, 0));
}

QTEST_GUILESS_MAIN(TestGapDetector)
#include "test_gap_detector.moc"
