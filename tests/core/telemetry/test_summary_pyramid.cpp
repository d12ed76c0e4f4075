// Tests of fd::TelemetrySummaryPyramid and MinMaxDecimator::add(buffer, from, to): for random
// ring buffers (wrapping and evicting, NaN, time gaps, same-time replacements, resizes) and
// random ranges, bucket counts and gap thresholds, decimating through the block summaries
// gives exactly what the brute-force decimator gives over the same points; block summaries
// match their points after setCapacity() and clear(); TelemetrySeriesData's result is the
// one of the plain point-by-point path.

#include "core/telemetry/gap_detector.h"
#include "core/telemetry/min_max_decimator.h"
#include "core/telemetry/telemetry_ring_buffer.h"
#include "core/telemetry/telemetry_series_data.h"
#include "core/telemetry/telemetry_summary_pyramid.h"

#include <QRandomGenerator>
#include <QTest>

#include <cmath>
#include <limits>
#include <vector>

using namespace fd;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using Pyramid = TelemetrySummaryPyramid;

std::vector<TelemetryPoint> pointsOf(const TelemetryRingBuffer &b, qsizetype from, qsizetype to)
{
    std::vector<TelemetryPoint> out;
    for (const PointSpan &s : b.spans(from, to))
        out.insert(out.end(), s.begin(), s.end());
    return out;
}

// Per-case rates, so some cases have long clean runs (whole blocks taken) and some are
// full of holes.
struct Rates
{
    int nanPerMille = 0;
    int gapPerMille = 0;
    int replacePerMille = 0;
    int stalePerMille = 0;
};

Rates randomRates(QRandomGenerator &rng)
{
    const int pick[] = {0, 0, 1, 5, 30};
    return Rates{pick[rng.bounded(5)], pick[rng.bounded(5)], pick[rng.bounded(5)] * 5, pick[rng.bounded(5)]};
}

// Appends n random points (random walk, ties, spikes, NaN, gaps, replacements, stale
// points) after the newest one.
void feed(TelemetryRingBuffer *b, QRandomGenerator &rng, qsizetype n, const Rates &r)
{
    qint64 t = b->isEmpty() ? 1'700'000'000'000LL + rng.bounded(100000) : b->last().tMs;
    double v = b->isEmpty() || std::isnan(b->last().value) ? 0 : b->last().value;
    const bool regular = rng.bounded(2) == 0;
    for (qsizetype i = 0; i < n; ++i) {
        const int roll = rng.bounded(1000);
        if (roll < r.replacePerMille && !b->isEmpty()) {
            t = b->last().tMs;  // same time: replaces the newest value
        } else if (roll < r.replacePerMille + r.stalePerMille && !b->isEmpty()) {
            b->append(b->last().tMs - 1 - rng.bounded(1000), 1.0);  // dropped
            continue;
        } else if (rng.bounded(1000) < r.gapPerMille) {
            t += rng.bounded(20000, 200000);
        } else {
            t += regular ? 1000 : rng.bounded(1, 2500);
        }
        const int kind = rng.bounded(1000);
        double value;
        if (kind < r.nanPerMille)
            value = kNaN;
        else if (kind > 990)
            value = rng.bounded(1000.0) - 500;  // spike
        else
            value = v = v + rng.bounded(2.0) - 1.0;
        if (kind % 7 == 0 && !std::isnan(value))
            value = std::round(value);  // ties for min / max
        b->append(t, value);
    }
}

// Every whole block held must summarise its points.
void verifySummaries(const TelemetryRingBuffer &b)
{
    const quint64 base = b.absoluteIndex(0);
    const quint64 end = base + quint64(b.size());
    for (int level = 0; level < Pyramid::kLevels; ++level) {
        const quint64 size = Pyramid::blockSize(level);
        for (quint64 start = (base + size - 1) / size * size; start + size <= end; start += size) {
            const Pyramid::Block &s = b.summaries().block(level, start / size);
            const qsizetype i = qsizetype(start - base);
            bool nan = false;
            qint64 maxStep = 0;
            quint64 minOff = 0;
            quint64 maxOff = 0;
            for (quint64 k = 0; k < size; ++k) {
                const TelemetryPoint &p = b.at(i + qsizetype(k));
                nan = nan || std::isnan(p.value);
                if (k > 0)
                    maxStep = qMax(maxStep, p.tMs - b.at(i + qsizetype(k) - 1).tMs);
                if (p.value < b.at(i + qsizetype(minOff)).value)
                    minOff = k;
                if (p.value > b.at(i + qsizetype(maxOff)).value)
                    maxOff = k;
            }
            QCOMPARE(s.hasNaN(), nan);
            QCOMPARE(s.firstT, b.at(i).tMs);
            QCOMPARE(s.lastT, b.at(i + qsizetype(size) - 1).tMs);
            if (nan)
                continue;
            QCOMPARE(qint64(s.maxStep), maxStep);
            QCOMPARE(quint64(s.minOffset), minOff);
            QCOMPARE(quint64(s.maxOffset), maxOff);
            QCOMPARE(s.min, b.at(i + qsizetype(minOff)).value);
            QCOMPARE(s.max, b.at(i + qsizetype(maxOff)).value);
            QCOMPARE(s.minT, b.at(i + qsizetype(minOff)).tMs);
            QCOMPARE(s.maxT, b.at(i + qsizetype(maxOff)).tMs);
            QCOMPARE(s.lastValue, b.at(i + qsizetype(size) - 1).value);
        }
    }
}

// TelemetrySeriesData::decimate() point by point: the live buffer copied into a vector, its
// gaps judged by GapDetector's local rule one point at a time (history: one stretch of
// raw rows or of rollups of nominalMs).
void referenceDecimate(const TelemetrySeriesData &data, const MinMaxDecimator::Params &params,
                       DecimatedSeries *out, qint64 nominalMs)
{
    const TelemetryRingBuffer &live = *data.live();
    const std::vector<TelemetryPoint> pts = pointsOf(live, 0, live.size());
    const auto lTime = [&pts](qsizetype k) { return pts[size_t(k)].tMs; };
    const std::vector<TelemetryPoint> &h = data.historyPoints();
    // With history, the live buffer counts from its newest stretch on (after its last gap).
    qsizetype begin = 0;
    for (qsizetype i = qsizetype(pts.size()) - 1; i > 0 && !h.empty(); --i) {
        if (GapDetector::isGapBefore(lTime, 0, qsizetype(pts.size()), i)) {
            begin = i;
            break;
        }
    }
    const qint64 liveStart = live.isEmpty() ? std::numeric_limits<qint64>::max() : pts[size_t(begin)].tMs;
    auto hEnd = std::lower_bound(h.begin(), h.end(), liveStart,
                                 [](const TelemetryPoint &p, qint64 t) { return p.tMs < t; });
    auto lo = std::lower_bound(h.begin(), hEnd, params.fromMs,
                               [](const TelemetryPoint &p, qint64 t) { return p.tMs < t; });
    auto hi = std::upper_bound(h.begin(), hEnd, params.toMs,
                               [](qint64 t, const TelemetryPoint &p) { return t < p.tMs; });
    if (lo != h.begin())
        --lo;
    if (hi != hEnd)
        ++hi;
    auto [from, to] = live.rangeCovering(params.fromMs, params.toMs);
    to = qMax(from, to);  // a reversed range covers nothing
    const PointSpan all(pts);
    MinMaxDecimator d;
    d.begin(params, out);
    if (params.gapMs >= 0) {
        d.add(lo < hi ? PointSpan(&*lo, size_t(hi - lo)) : PointSpan());
        from = qMax(from, begin);
        d.add(all.subspan(size_t(qMin(from, to)), size_t(qMax<qsizetype>(0, to - from))));
        d.finish();
        return;
    }
    if (!live.isEmpty() && from <= begin) {
        from = begin;
        to = qMax(to, begin + 1);
    }
    const bool withHistory = live.isEmpty() || from == begin;
    if (withHistory && lo < hi) {
        const auto hTime = [&h](qsizetype k) { return h[size_t(k)].tMs; };
        const qsizetype hn = hEnd - h.begin();
        std::vector<quint8> gaps;
        for (auto it = lo; it != hi; ++it) {
            const qsizetype i = it - h.begin();
            gaps.push_back(i > 0 && GapDetector::isGapBefore(hTime, 0, qsizetype(h.size()), i, nominalMs));
        }
        d.add(PointSpan(&*lo, size_t(hi - lo)), gaps);
        if (hi - h.begin() != hn) {  // the history reaches past the range: no live data
            d.finish();
            return;
        }
    }
    std::vector<quint8> gaps;
    for (qsizetype i = from; i < to; ++i) {
        bool gap = false;
        if (i > begin) {
            gap = GapDetector::isGapBefore(lTime, 0, qsizetype(pts.size()), i);
        } else if (withHistory && lo < hi) {
            const qsizetype last = (hi - h.begin()) - 1;
            gap = GapDetector::isGapBetweenStretches(
                pts[size_t(begin)].tMs - h[size_t(last)].tMs,
                GapDetector::spacingBefore([&h](qsizetype k) { return h[size_t(k)].tMs; }, 0, last),
                GapDetector::spacingAfter(lTime, begin, qsizetype(pts.size())), nominalMs);
        }
        gaps.push_back(gap);
    }
    d.add(all.subspan(size_t(from), size_t(to - from)), gaps);
    d.finish();
}

MinMaxDecimator::Params randomParams(QRandomGenerator &rng, const TelemetryRingBuffer &b)
{
    const qint64 first = b.isEmpty() ? 0 : b.first().tMs;
    const qint64 last = b.isEmpty() ? 1000 : b.last().tMs;
    const qint64 span = qMax<qint64>(1, last - first);
    MinMaxDecimator::Params p;
    switch (rng.bounded(6)) {  // the range
    case 0:  // everything, a bit more
        p.fromMs = first - rng.bounded(span / 10 + 1);
        p.toMs = last + rng.bounded(span / 10 + 1);
        break;
    case 1:  // beyond the data
        p.fromMs = rng.bounded(2) ? last + 1 + rng.bounded(span + 1) : first - 2 * span - 10;
        p.toMs = p.fromMs + 1 + rng.bounded(span + 1);
        break;
    case 2:  // empty or reversed range
        p.fromMs = first + rng.bounded(span + 1);
        p.toMs = p.fromMs - rng.bounded(2) * rng.bounded(span + 1);
        break;
    default:  // a random window
        p.fromMs = first - span / 8 + rng.bounded(span + 1);
        p.toMs = p.fromMs + 1 + rng.bounded(span / qint64(1 + rng.bounded(16)) + 1);
        break;
    }
    p.buckets = rng.bounded(3) == 0 ? rng.bounded(1, 12) : rng.bounded(1, 3001);
    if (rng.bounded(4) == 0) {
        // Bucket edges on the (whole-second) times of the points: ties at the edges.
        const qint64 perBucket = 1000 * qMax<qint64>(1, span / 1000 / p.buckets / qint64(1 + rng.bounded(8)));
        p.fromMs = first + 1000 * (rng.bounded(span / 1000 + 1) - span / 4000);
        p.toMs = p.fromMs + perBucket * p.buckets;
    }
    const int g = rng.bounded(4);
    p.gapMs = g == 0 ? 0 : g == 1 ? -1 : g == 2 ? rng.bounded(1000, 4000) : rng.bounded(20000, 150000);
    return p;
}

} // namespace

class TestSummaryPyramid : public QObject
{
    Q_OBJECT

private slots:
    void blockOfOneBucketIsTakenWhole();
    void propertyAgainstBruteForce();
    void summariesAfterSetCapacityAndClear();
    void seriesDataMatchesPointByPoint();
    void memoryOverheadIsSmall();
};

void TestSummaryPyramid::blockOfOneBucketIsTakenWhole()
{
    // 3 x 4096 points into one bucket: first, min, max, last with ties (first wins).
    TelemetryRingBuffer b(20000);
    for (int i = 0; i < 3 * 4096; ++i)
        b.append(i, i == 5000 || i == 7000 ? -3.0 : i == 9000 || i == 9001 ? 8.0 : 1.0);
    DecimatedSeries out;
    MinMaxDecimator d;
    d.begin({0, 3 * 4096, 1, 0}, &out);
    d.add(b, 0, b.size());
    d.finish();
    const std::vector<TelemetryPoint> expected = {{0, 1}, {5000, -3}, {9000, 8}, {3 * 4096 - 1, 1}};
    QCOMPARE(out.points, expected);
    QCOMPARE(out.segmentStarts, std::vector<qsizetype>{0});
}

void TestSummaryPyramid::propertyAgainstBruteForce()
{
    QRandomGenerator rng(20261127);
    int wrapped = 0;
    for (int round = 0; round < 400; ++round) {
        const int sizeClass = rng.bounded(3);
        const qsizetype capacity = sizeClass == 0   ? rng.bounded(1, 300)
                                   : sizeClass == 1 ? rng.bounded(300, 6000)
                                                    : rng.bounded(6000, 20000);
        TelemetryRingBuffer b(capacity);
        const Rates rates = randomRates(rng);
        feed(&b, rng, rng.bounded(qMin<qsizetype>(60000, 3 * capacity + 100)), rates);
        if (b.absoluteIndex(0) > 0)
            ++wrapped;
        const QByteArray where = "round " + QByteArray::number(round) + ", capacity "
                                 + QByteArray::number(capacity) + ", size " + QByteArray::number(b.size());
        for (int query = 0; query < 4; ++query) {
            const MinMaxDecimator::Params params = randomParams(rng, b);
            auto [from, to] = b.rangeCovering(params.fromMs, params.toMs);
            to = qMax(from, to);  // a reversed range covers nothing
            if (query == 3 && b.size() > 0) {  // any index range
                from = rng.bounded(b.size() + 1);
                to = from + rng.bounded(b.size() - from + 1);
            }
            const std::vector<TelemetryPoint> pts = pointsOf(b, from, to);
            DecimatedSeries expected;
            DecimatedSeries actual;
            MinMaxDecimator::decimate(pts, params, &expected);
            MinMaxDecimator d;
            d.begin(params, &actual);
            d.add(b, from, to);
            d.finish();
            QVERIFY2(actual.points == expected.points, where.constData());
            QVERIFY2(actual.segmentStarts == expected.segmentStarts, where.constData());

            // The local gap rule: the buffer's fast path against the rule point by point.
            {
                const std::vector<TelemetryPoint> whole = pointsOf(b, 0, b.size());
                const auto timeAt = [&whole](qsizetype k) { return whole[size_t(k)].tMs; };
                std::vector<quint8> gaps;
                for (qsizetype i = from; i < to; ++i)
                    gaps.push_back(i > from && GapDetector::isGapBefore(timeAt, 0, qsizetype(whole.size()), i));
                DecimatedSeries localExpected;
                DecimatedSeries localActual;
                d.begin(params, &localExpected);
                d.add(PointSpan(pts), gaps);
                d.finish();
                d.begin(params, &localActual);
                d.addLocal(b, from, to, false);
                d.finish();
                QVERIFY2(localActual.points == localExpected.points, where.constData());
                QVERIFY2(localActual.segmentStarts == localExpected.segmentStarts, where.constData());
            }

            // History first, then the buffer in two parts with their own gap thresholds.
            std::vector<TelemetryPoint> history;
            const qint64 t0 = pts.empty() ? 0 : pts.front().tMs;
            for (int i = rng.bounded(50); i > 0; --i)
                history.push_back({t0 - i * 60000, rng.bounded(2) ? kNaN : double(i % 5)});
            const qsizetype split = from + rng.bounded(to - from + 1);
            const qint64 gap2 = rng.bounded(3) * 3000;
            const PointSpan all(pts);
            d.begin(params, &expected);
            d.add(history);
            d.setGapMs(gap2);
            d.add(all.subspan(0, size_t(split - from)));
            d.setGapMs(params.gapMs);
            d.add(all.subspan(size_t(split - from)));
            d.finish();
            d.begin(params, &actual);
            d.add(history);
            d.setGapMs(gap2);
            d.add(b, from, split);
            d.setGapMs(params.gapMs);
            d.add(b, split, to);
            d.finish();
            QVERIFY2(actual.points == expected.points, where.constData());
            QVERIFY2(actual.segmentStarts == expected.segmentStarts, where.constData());
        }
    }
    QVERIFY(wrapped > 50);
}

void TestSummaryPyramid::summariesAfterSetCapacityAndClear()
{
    QRandomGenerator rng(7);
    for (int round = 0; round < 40; ++round) {
        TelemetryRingBuffer b(rng.bounded(1, 12000));
        const Rates rates = randomRates(rng);
        for (int step = 0; step < 6; ++step) {
            feed(&b, rng, rng.bounded(15000), rates);
            verifySummaries(b);
            switch (rng.bounded(4)) {
            case 0:
                b.setCapacity(rng.bounded(1, 12000));
                break;
            case 1:
                b.setCapacity(b.capacity() + rng.bounded(5000));
                break;
            case 2:
                if (rng.bounded(3) == 0)
                    b.clear();
                break;
            default:
                break;
            }
            verifySummaries(b);
            const MinMaxDecimator::Params params = randomParams(rng, b);
            DecimatedSeries expected;
            DecimatedSeries actual;
            MinMaxDecimator::decimate(pointsOf(b, 0, b.size()), params, &expected);
            MinMaxDecimator d;
            d.begin(params, &actual);
            d.add(b, 0, b.size());
            d.finish();
            QCOMPARE(actual.points, expected.points);
            QCOMPARE(actual.segmentStarts, expected.segmentStarts);
        }
    }
}

void TestSummaryPyramid::seriesDataMatchesPointByPoint()
{
    QRandomGenerator rng(99);
    for (int round = 0; round < 60; ++round) {
        auto live = std::make_shared<TelemetryRingBuffer>(rng.bounded(100, 20000));
        if (rng.bounded(2)) {  // a backfill first: one point a minute, then live data
            const qint64 t0 = 1'700'000'000'000LL - 400 * 60000LL;
            for (int i = rng.bounded(400); i > 0; --i)
                live->append(t0 + (400 - i) * 60000LL + rng.bounded(3000), rng.bounded(10.0));
        }
        feed(live.get(), rng, rng.bounded(40000), randomRates(rng));
        TelemetrySeriesData data(live);
        TelemetryBuckets history;
        const qint64 liveStart = live->isEmpty() ? 1'700'000'000'000LL : live->first().tMs;
        const bool rollups = rng.bounded(2);
        for (int i = rng.bounded(300); i > 0; --i) {
            const double v = rng.bounded(100.0);
            history.append(rollups ? TelemetryBucket{liveStart - i * 60000LL, 60000, v - 1, v + 1, v, 60}
                                   : TelemetryBucket{liveStart - i * 5000LL, 0, v, v, v, 1});
        }
        data.setHistory(history);
        for (int query = 0; query < 5; ++query) {
            MinMaxDecimator::Params params = randomParams(rng, *live);
            if (query == 0)
                params.fromMs -= 400 * 60000LL;  // into the history
            DecimatedSeries expected;
            DecimatedSeries actual;
            referenceDecimate(data, params, &expected, rollups ? 60000 : 0);
            data.decimate(params, &actual);
            QCOMPARE(actual.points, expected.points);
            QCOMPARE(actual.segmentStarts, expected.segmentStarts);
        }
    }
}

void TestSummaryPyramid::memoryOverheadIsSmall()
{
    TelemetryRingBuffer b(100000);
    for (int i = 0; i < 250000; ++i)
        b.append(i * 1000, std::sin(i * 0.01));
    const double pointBytes = double(b.capacity()) * sizeof(TelemetryPoint);
    const double summaryBytes = double(b.summaries().memoryBytes());
    QVERIFY2(summaryBytes < 0.2 * pointBytes, QByteArray::number(summaryBytes / b.capacity()).constData());
    QCOMPARE(b.memoryBytes(), qsizetype(pointBytes + summaryBytes));
    verifySummaries(b);
}

QTEST_GUILESS_MAIN(TestSummaryPyramid)
#include "test_summary_pyramid.moc"
