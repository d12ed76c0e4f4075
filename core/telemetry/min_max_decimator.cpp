#include "core/telemetry/min_max_decimator.h"

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
    std::array<Kept, 4> kept = {m_first, m_min, m_max, m_last};
    std::sort(kept.begin(), kept.end(), [](const Kept &a, const Kept &b) { return a.seq < b.seq; });
    if (m_newSegment) {
        m_out->segmentStarts.push_back(qsizetype(m_out->points.size()));
        m_newSegment = false;
    }
    quint64 lastSeq = ~quint64(0);
    for (const Kept &k : kept) {
        if (k.seq == lastSeq)
            continue;
        lastSeq = k.seq;
        m_out->points.push_back(k.point);
    }
}

void MinMaxDecimator::add(PointSpan points)
{
    const qint64 gapMs = m_params.gapMs;
    for (const TelemetryPoint &p : points) {
        ++m_seq;
        if (std::isnan(p.value)) {  // no value: a hole in the line
            closeBucket();
            m_newSegment = true;
            m_havePrev = false;
            continue;
        }
        if (m_havePrev && gapMs > 0 && p.tMs - m_prevT > gapMs) {
            closeBucket();
            m_newSegment = true;
        }
        m_havePrev = true;
        m_prevT = p.tMs;
        if (!m_inBucket || p.tMs >= m_bucketEndMs) {
            closeBucket();
            startBucket(p);
            continue;
        }
        const Kept k{p, m_seq};
        if (p.value < m_min.point.value)
            m_min = k;
        if (p.value > m_max.point.value)
            m_max = k;
        m_last = k;
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
