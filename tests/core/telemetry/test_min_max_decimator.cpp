// Property tests of fd::MinMaxDecimator against a brute-force reference: for random series
// (random steps, spikes, gaps, NaN) and random ranges and bucket counts, every bucket's
// first, last, min and max point is kept, nothing else is invented, the output is in time
// order, no bucket keeps more than four points, and segments break exactly at gaps.

#include "core/telemetry/min_max_decimator.h"

#include <QRandomGenerator>
#include <QTest>

#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <vector>

using namespace fd;

namespace {

struct Case
{
    std::vector<TelemetryPoint> points;
    MinMaxDecimator::Params params;
};

Case randomCase(QRandomGenerator &rng)
{
    Case c;
    const int n = rng.bounded(1, 3000);
    qint64 t = 1'700'000'000'000LL + rng.bounded(100000);
    double v = 0;
    for (int i = 0; i < n; ++i) {
        const int kind = rng.bounded(100);
        t += kind < 3 ? rng.bounded(20000, 90000) : rng.bounded(1, 1500);  // 3 % gaps
        if (kind == 50)
            v = std::numeric_limits<double>::quiet_NaN();
        else if (kind > 95)
            v = rng.bounded(1000.0) - 500;  // spike
        else
            v = (std::isnan(v) ? 0 : v) + rng.bounded(2.0) - 1.0;
        if (kind % 17 == 0 && !std::isnan(v))
            v = std::round(v);  // ties for min/max
        c.points.push_back({t, v});
    }
    const qint64 first = c.points.front().tMs;
    const qint64 last = c.points.back().tMs;
    const qint64 span = qMax<qint64>(1, last - first);
    c.params.fromMs = first + rng.bounded(span / 2 + 1) - span / 10;
    c.params.toMs = c.params.fromMs + 1 + rng.bounded(span + 1);
    c.params.buckets = rng.bounded(1, 400);
    c.params.gapMs = rng.bounded(2) ? 15000 : 0;
    return c;
}

qint64 floorDiv(qint64 a, qint64 b)
{
    return qint64(std::floor(double(a) / double(b)));
}

} // namespace

class TestMinMaxDecimator : public QObject
{
    Q_OBJECT

private slots:
    void emptyInput();
    void fewPointsPassThrough();
    void keepsExtremesOfEveryBucket();
    void propertyAgainstBruteForce();
    void splitSpansGiveTheSameResult();
    void gapsStartNewSegments();
    void nanBreaksTheLine();
    void outputIsBounded();
};

void TestMinMaxDecimator::emptyInput()
{
    DecimatedSeries out;
    MinMaxDecimator::decimate({}, {0, 1000, 10, 0}, &out);
    QVERIFY(out.points.empty());
    QCOMPARE(out.segmentCount(), 0);
}

void TestMinMaxDecimator::fewPointsPassThrough()
{
    const std::vector<TelemetryPoint> in = {{0, 1}, {100, 2}, {200, 3}};
    DecimatedSeries out;
    MinMaxDecimator::decimate(in, {0, 300, 300, 0}, &out);
    QCOMPARE(out.points, in);
    QCOMPARE(out.segmentCount(), 1);
}

void TestMinMaxDecimator::keepsExtremesOfEveryBucket()
{
    // One bucket of 10 points: first, min, max, last in time order.
    std::vector<TelemetryPoint> in;
    for (int i = 0; i < 10; ++i)
        in.push_back({i, double(i == 3 ? -5 : i == 6 ? 9 : 1)});
    DecimatedSeries out;
    MinMaxDecimator::decimate(in, {0, 10, 1, 0}, &out);
    const std::vector<TelemetryPoint> expected = {{0, 1}, {3, -5}, {6, 9}, {9, 1}};
    QCOMPARE(out.points, expected);
}

void TestMinMaxDecimator::propertyAgainstBruteForce()
{
    QRandomGenerator rng(20261126);
    for (int round = 0; round < 300; ++round) {
        const Case c = randomCase(rng);
        DecimatedSeries out;
        MinMaxDecimator::decimate(c.points, c.params, &out);
        const auto &p = c.params;
        const qint64 span = qMax<qint64>(1, p.toMs - p.fromMs);

        // Reference: split into runs (segments) at gaps / NaN, then buckets inside runs.
        struct Bucket
        {
            std::vector<TelemetryPoint> pts;
        };
        std::vector<Bucket> buckets;
        std::vector<size_t> segmentOfBucket;
        size_t segment = 0;
        bool newSegment = true;
        bool havePrev = false;
        qint64 prevT = 0;
        qint64 currentBucket = std::numeric_limits<qint64>::min();
        for (const TelemetryPoint &pt : c.points) {
            if (std::isnan(pt.value)) {
                newSegment = true;
                havePrev = false;
                currentBucket = std::numeric_limits<qint64>::min();
                continue;
            }
            const bool gap = havePrev && p.gapMs > 0 && pt.tMs - prevT > p.gapMs;
            const qint64 b = floorDiv((pt.tMs - p.fromMs) * p.buckets, span);
            if (gap)
                newSegment = true;
            if (gap || b != currentBucket || buckets.empty()) {
                if (newSegment && !buckets.empty())
                    ++segment;
                if (buckets.empty())
                    segment = 0;
                newSegment = false;
                buckets.push_back({});
                segmentOfBucket.push_back(segment);
                currentBucket = b;
            }
            buckets.back().pts.push_back(pt);
            havePrev = true;
            prevT = pt.tMs;
        }

        // Every bucket's first, last, a min and a max are in the output, in order, and the
        // output has nothing else.
        std::vector<TelemetryPoint> expected;
        for (const Bucket &b : buckets) {
            size_t iMin = 0, iMax = 0;
            for (size_t i = 0; i < b.pts.size(); ++i) {
                if (b.pts[i].value < b.pts[iMin].value)
                    iMin = i;
                if (b.pts[i].value > b.pts[iMax].value)
                    iMax = i;
            }
            std::set<size_t> keep = {0, iMin, iMax, b.pts.size() - 1};
            QVERIFY(keep.size() <= 4);
            for (size_t i : keep)
                expected.push_back(b.pts[i]);
        }
        if (out.points != expected) {
            qWarning() << "round" << round << "n" << c.points.size() << "buckets" << p.buckets
                       << "out" << out.points.size() << "expected" << expected.size();
            QFAIL("decimated points differ from the brute-force reference");
        }
        // Segments: as many as the reference found, starting at the right points.
        const size_t segments = buckets.empty() ? 0 : segmentOfBucket.back() + 1;
        QCOMPARE(size_t(out.segmentCount()), segments);
        std::vector<TelemetryPoint> segmentFirst;  // first point of each reference segment
        for (size_t b = 0; b < buckets.size(); ++b)
            if (b == 0 || segmentOfBucket[b] != segmentOfBucket[b - 1])
                segmentFirst.push_back(buckets[b].pts.front());
        for (qsizetype s = 0; s < out.segmentCount(); ++s) {
            const PointSpan seg = out.segment(s);
            QVERIFY(!seg.empty());
            QCOMPARE(seg.front(), segmentFirst[size_t(s)]);
            for (size_t i = 1; i < seg.size(); ++i)
                QVERIFY(seg[i - 1].tMs < seg[i].tMs);
        }
    }
}

void TestMinMaxDecimator::splitSpansGiveTheSameResult()
{
    QRandomGenerator rng(7);
    for (int round = 0; round < 50; ++round) {
        const Case c = randomCase(rng);
        DecimatedSeries whole;
        MinMaxDecimator::decimate(c.points, c.params, &whole);
        DecimatedSeries parts;
        MinMaxDecimator d;
        d.begin(c.params, &parts);
        const PointSpan all(c.points);
        const size_t cut1 = size_t(rng.bounded(int(c.points.size()) + 1));
        const size_t cut2 = cut1 + size_t(rng.bounded(int(c.points.size() - cut1) + 1));
        d.add(all.subspan(0, cut1));
        d.add(all.subspan(cut1, cut2 - cut1));
        d.add(all.subspan(cut2));
        d.finish();
        QCOMPARE(parts.points, whole.points);
        QCOMPARE(parts.segmentStarts, whole.segmentStarts);
    }
}

void TestMinMaxDecimator::gapsStartNewSegments()
{
    std::vector<TelemetryPoint> in;
    for (int i = 0; i < 10; ++i)
        in.push_back({i * 1000, double(i)});
    for (int i = 0; i < 10; ++i)
        in.push_back({60000 + i * 1000, double(i)});
    DecimatedSeries out;
    MinMaxDecimator::decimate(in, {0, 70000, 1000, 5000}, &out);
    QCOMPARE(out.segmentCount(), 2);
    QCOMPARE(out.segment(0).size(), size_t(10));
    QCOMPARE(out.segment(1).front().tMs, 60000);
    // Without gap detection: one line.
    MinMaxDecimator::decimate(in, {0, 70000, 1000, 0}, &out);
    QCOMPARE(out.segmentCount(), 1);
}

void TestMinMaxDecimator::nanBreaksTheLine()
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<TelemetryPoint> in = {{0, 1}, {1, 2}, {2, nan}, {3, 4}, {4, nan}, {5, nan}, {6, 7}};
    DecimatedSeries out;
    MinMaxDecimator::decimate(in, {0, 7, 7, 0}, &out);
    QCOMPARE(out.segmentCount(), 3);
    QCOMPARE(out.points.size(), size_t(4));
    for (const TelemetryPoint &p : out.points)
        QVERIFY(!std::isnan(p.value));
}

void TestMinMaxDecimator::outputIsBounded()
{
    std::vector<TelemetryPoint> in;
    QRandomGenerator rng(3);
    for (int i = 0; i < 1'000'000; ++i)
        in.push_back({i, rng.generateDouble()});
    DecimatedSeries out;
    MinMaxDecimator::decimate(in, {0, 1'000'000, 1500, 0}, &out);
    QVERIFY(out.points.size() <= 4 * 1500);
    QVERIFY(out.points.size() >= 2 * 1500);
    QCOMPARE(out.points.front(), in.front());
    QCOMPARE(out.points.back(), in.back());
}

QTEST_GUILESS_MAIN(TestMinMaxDecimator)
#include "test_min_max_decimator.moc"
