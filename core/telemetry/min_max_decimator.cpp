#include "core/telemetry/min_max_decimator.h"

#include "core/telemetry/gap_detector.h"
#include "core/telemetry/telemetry_ring_buffer.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace fd {

namespace {

qint64 floorDiv(qint64 a, qint64 b)
{
    const qint64 q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// A cache hint only: never faults, no effect on results.
inline void prefetch(const void *p)
{
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(p);
#else
    Q_UNUSED(p);
#endif
}

} // namespace

void MinMaxDecimator::begin(const Params &params, DecimatedSeries *out)
{
    m_params = params;
    m_params.buckets = qMax(1, params.buckets);
    m_span = qMax<qint64>(1, params.toMs - params.fromMs);
    m_out = out;
    m_out->clear();
    m_inBucket = false;
    m_newSegment = true;
    m_havePrev = false;
    m_seq = 0;
}

qint64 MinMaxDecimator::bucketOf(qint64 tMs) const
{
    // (t - from) * buckets fits in 64 bits for any realistic range (centuries x 1e5 px).
    return floorDiv((tMs - m_params.fromMs) * m_params.buckets, m_span);
}

qint64 MinMaxDecimator::bucketEnd(qint64 bucket) const
{
    // Smallest t with bucketOf(t) > bucket: from + ceil((bucket + 1) * span / buckets).
    const qint64 num = (bucket + 1) * m_span;
    return m_params.fromMs - floorDiv(-num, m_params.buckets);
}

void MinMaxDecimator::startBucket(const TelemetryPoint &p)
{
    const Kept k{p, m_seq};
    m_first = m_min = m_max = m_last = k;
    m_inBucket = true;
    m_bucketEndMs = bucketEnd(bucketOf(p.tMs));
}

void MinMaxDecimator::closeBucket()
{
    if (!m_inBucket)
        return;
    m_inBucket = false;
    if (m_newSegment) {
        m_out->segmentStarts.push_back(qsizetype(m_out->points.size()));
        m_newSegment = false;
    }
    // In time (seq) order: first <= min, max <= last; only min and max may need a swap.
    // The same point kept twice (equal seq, adjacent in that order) is written once.
    const bool minFirst = m_min.seq <= m_max.seq;
    const Kept &a = minFirst ? m_min : m_max;
    const Kept &b = minFirst ? m_max : m_min;
    std::vector<TelemetryPoint> &out = m_out->points;
    out.push_back(m_first.point);
    quint64 lastSeq = m_first.seq;
    if (a.seq != lastSeq) {
        out.push_back(a.point);
        lastSeq = a.seq;
    }
    if (b.seq != lastSeq) {
        out.push_back(b.point);
        lastSeq = b.seq;
    }
    if (m_last.seq != lastSeq)
        out.push_back(m_last.point);
}

bool MinMaxDecimator::gapAt(const TelemetryRingBuffer &buffer, qsizetype i) const
{
    if (!m_havePrev)
        return false;
    const qint64 step = buffer.at(i).tMs - m_prevT;
    if (!m_local)
        return m_params.gapMs > 0 && step > m_params.gapMs;
    if (i == m_localFirst)
        return m_localFirstGap;
    if (step <= GapDetector::kMinGapMs)
        return false;
    return GapDetector::isGapBefore([&buffer](qsizetype k) { return buffer.at(k).tMs; }, 0, buffer.size(), i);
}

bool MinMaxDecimator::isContinuous(const TelemetrySummaryPyramid::Block &b) const
{
    if (!m_local)
        return b.isContinuous(m_params.gapMs);
    // The local rule never calls a step of at most kMinGapMs a gap.
    return !b.hasNaN() && qint64(b.maxStep) <= GapDetector::kMinGapMs;
}

inline void MinMaxDecimator::addPoint(const TelemetryPoint &p, bool gapBefore)
{
    ++m_seq;
    if (std::isnan(p.value)) {  // no value: a hole in the line
        closeBucket();
        m_newSegment = true;
        m_havePrev = false;
        return;
    }
    if (m_havePrev && gapBefore) {
        closeBucket();
        m_newSegment = true;
    }
    m_havePrev = true;
    m_prevT = p.tMs;
    if (!m_inBucket || p.tMs >= m_bucketEndMs) {
        closeBucket();
        startBucket(p);
        return;
    }
    const Kept k{p, m_seq};
    if (p.value < m_min.point.value)
        m_min = k;
    if (p.value > m_max.point.value)
        m_max = k;
    m_last = k;
}

void MinMaxDecimator::add(PointSpan points)
{
    const qint64 gapMs = m_params.gapMs;
    for (const TelemetryPoint &p : points)
        addPoint(p, gapMs > 0 && m_havePrev && p.tMs - m_prevT > gapMs);
}

void MinMaxDecimator::add(PointSpan points, std::span<const quint8> gapBefore)
{
    Q_ASSERT(gapBefore.size() == points.size());
    for (size_t i = 0; i < points.size(); ++i)
        addPoint(points[i], gapBefore[i] != 0);
}

void MinMaxDecimator::addLocal(const TelemetryRingBuffer &buffer, qsizetype from, qsizetype to, bool firstGap)
{
    m_local = true;
    m_localFirst = std::clamp<qsizetype>(from, 0, buffer.size());
    m_localFirstGap = firstGap;
    add(buffer, from, to);
    m_local = false;
}

bool MinMaxDecimator::addBlock(const TelemetryRingBuffer &buffer, int level, quint64 abs)
{
    using Pyramid = TelemetrySummaryPyramid;
    const Pyramid::Block &b = buffer.summaries().block(level, abs >> Pyramid::kShifts[size_t(level)]);
    if (!isContinuous(b))
        return false;
    // The bucket the first point lands in (it may start a new one) must hold the last.
    const qsizetype firstIndex = qsizetype(abs - buffer.absoluteIndex(0));
    const bool gap = gapAt(buffer, firstIndex);
    const bool startsBucket = !m_inBucket || b.firstT >= m_bucketEndMs || gap;
    const qint64 end = startsBucket ? bucketEnd(bucketOf(b.firstT)) : m_bucketEndMs;
    if (b.lastT >= end)
        return false;
    if (startsBucket)
        addPoint(buffer.at(firstIndex), gap);
    else
        ++m_seq;
    // Every point falls into the same bucket with no gap: only the extremes and the last
    // point matter (first occurrence wins; when the first point is already in, taking it
    // again changes nothing). The summary has all of them: no point is read.
    const quint64 seq = m_seq;  // of the first point
    if (b.min < m_min.point.value)
        m_min = Kept{{b.minT, b.min}, seq + b.minOffset};
    if (b.max > m_max.point.value)
        m_max = Kept{{b.maxT, b.max}, seq + b.maxOffset};
    m_seq = seq + Pyramid::blockSize(level) - 1;
    m_last = Kept{{b.lastT, b.lastValue}, m_seq};
    m_havePrev = true;
    m_prevT = b.lastT;
    return true;
}

void MinMaxDecimator::addRun(const TelemetryRingBuffer &buffer, qsizetype i, qsizetype n)
{
    // The points are usually not in the cache (a big buffer, read only around bucket
    // edges): ask for all their cache lines at once instead of one miss after the other.
    const std::array<PointSpan, 2> spans = buffer.spans(i, i + n);
    for (const PointSpan &span : spans) {
        const char *bytes = reinterpret_cast<const char *>(span.data());
        const size_t size = span.size_bytes();
        for (size_t k = 0; k < size; k += 64)
            prefetch(bytes + k);
        if (size > 0)
            prefetch(bytes + size - 1);
    }
    addPoint(buffer.at(i), gapAt(buffer, i));  // the step from the point before may be a gap
    if (n <= 1)
        return;
    quint64 seq = m_seq;
    qint64 bucketEndMs = m_bucketEndMs;
    for (const PointSpan &span : buffer.spans(i + 1, i + n)) {
        for (const TelemetryPoint &p : span) {
            ++seq;
            if (p.tMs >= bucketEndMs) {
                closeBucket();
                m_seq = seq;
                startBucket(p);
                bucketEndMs = m_bucketEndMs;
                continue;
            }
            if (p.value < m_min.point.value)
                m_min = Kept{p, seq};
            if (p.value > m_max.point.value)
                m_max = Kept{p, seq};
            m_last = Kept{p, seq};
        }
    }
    m_seq = seq;
    m_prevT = m_last.point.tMs;
}

void MinMaxDecimator::prefetchEdge(const TelemetryRingBuffer &buffer, quint64 abs, quint64 end)
{
    using Pyramid = TelemetrySummaryPyramid;
    if (abs >= end)
        return;
    const quint64 fine = Pyramid::blockSize(0);
    const quint64 blockStart = abs & ~(fine - 1);
    for (int level = 0; level < Pyramid::kLevels; ++level)
        prefetch(&buffer.summaries().block(level, abs >> Pyramid::kShifts[size_t(level)]));
    const quint64 base = buffer.absoluteIndex(0);
    const qsizetype i = qsizetype(qMax(blockStart, base) - base);
    const qsizetype n = qsizetype(qMin(blockStart + fine, end) - qMax(blockStart, base));
    for (const PointSpan &span : buffer.spans(i, i + n)) {
        const char *bytes = reinterpret_cast<const char *>(span.data());
        for (size_t k = 0; k < span.size_bytes(); k += 64)
            prefetch(bytes + k);
    }
}

void MinMaxDecimator::add(const TelemetryRingBuffer &buffer, qsizetype from, qsizetype to)
{
    using Pyramid = TelemetrySummaryPyramid;
    from = std::clamp<qsizetype>(from, 0, buffer.size());
    to = std::clamp<qsizetype>(to, from, buffer.size());
    const quint64 base = buffer.absoluteIndex(0);
    const quint64 end = base + quint64(to);
    const quint64 fine = Pyramid::blockSize(0);
    quint64 abs = base + quint64(from);
    const auto addRaw = [&](quint64 until) {
        for (; abs < until; ++abs) {
            const qsizetype i = qsizetype(abs - base);
            addPoint(buffer.at(i), gapAt(buffer, i));
        }
    };
    // Where the current bucket probably ends, if the points are evenly spaced: its edge
    // block and summaries are fetched into the cache while the bucket's middle is added.
    const qint64 rangeMs = to - from >= 2 ? buffer.at(to - 1).tMs - buffer.at(from).tMs : 0;
    const double pointsPerMs = rangeMs > 0 ? double(to - from - 1) / double(rangeMs) : 0.0;
    qint64 prefetchedEnd = m_inBucket ? m_bucketEndMs : 0;
    while (abs < end) {
        if (m_inBucket && m_bucketEndMs != prefetchedEnd && pointsPerMs > 0) {
            prefetchedEnd = m_bucketEndMs;
            const double ahead = double(m_bucketEndMs - m_prevT) * pointsPerMs;
            if (ahead >= 0 && ahead < double(end - abs))
                prefetchEdge(buffer, abs + quint64(ahead), end);
        }
        if ((abs & (fine - 1)) != 0) {  // up to the next block of the finest level
            addRaw(qMin(end, (abs | (fine - 1)) + 1));
            continue;
        }
        bool taken = false;
        for (int level = Pyramid::kLevels - 1; level >= 0 && !taken; --level) {
            const quint64 size = Pyramid::blockSize(level);
            if ((abs & (size - 1)) == 0 && abs + size <= end && addBlock(buffer, level, abs)) {
                abs += size;
                taken = true;
            }
        }
        if (taken)
            continue;
        // A finest block across a bucket edge: point by point, without the NaN and gap
        // checks when its summary says there is none inside.
        const Pyramid::Block &edge = buffer.summaries().block(0, abs >> Pyramid::kShifts[0]);
        if (abs + fine <= end && isContinuous(edge)) {
            addRun(buffer, qsizetype(abs - base), qsizetype(fine));
            abs += fine;
        } else {
            addRaw(qMin(end, abs + fine));
        }
    }
}

void MinMaxDecimator::finish()
{
    closeBucket();
    m_out = nullptr;
}

void MinMaxDecimator::decimate(PointSpan points, const Params &params, DecimatedSeries *out)
{
    MinMaxDecimator d;
    d.begin(params, out);
    d.add(points);
    d.finish();
}

} // namespace fd
