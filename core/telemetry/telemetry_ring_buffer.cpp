#include "core/telemetry/telemetry_ring_buffer.h"

#include <algorithm>

namespace fd {

TelemetryRingBuffer::TelemetryRingBuffer(qsizetype capacity)
    : m_capacity(qMax<qsizetype>(1, capacity))
{
    m_summaries.reset(m_capacity);
}

void TelemetryRingBuffer::setCapacity(qsizetype capacity)
{
    capacity = qMax<qsizetype>(1, capacity);
    if (capacity == m_capacity)
        return;
    // Re-linearise: the newest min(size, capacity) points, oldest first.
    const qsizetype keep = qMin(m_size, capacity);
    std::vector<TelemetryPoint> points;
    points.reserve(size_t(keep));
    for (qsizetype i = m_size - keep; i < m_size; ++i)
        points.push_back(at(i));
    m_points = std::move(points);
    m_head = 0;
    m_size = keep;
    m_capacity = capacity;
    rebuildSummaries();
    ++m_revision;
}

void TelemetryRingBuffer::rebuildSummaries()
{
    m_firstAbs = 0;
    m_summaries.reset(m_capacity);
    for (qsizetype i = 0; i < m_size; ++i)
        m_summaries.append(quint64(i), at(i), i > 0, i > 0 ? at(i - 1).tMs : 0);
}

void TelemetryRingBuffer::clear()
{
    m_points.clear();
    m_points.shrink_to_fit();
    m_head = 0;
    m_size = 0;
    rebuildSummaries();
    ++m_revision;
}

qsizetype TelemetryRingBuffer::memoryBytes() const
{
    return qsizetype(m_points.capacity() * sizeof(TelemetryPoint)) + m_summaries.memoryBytes();
}

bool TelemetryRingBuffer::append(qint64 tMs, double value)
{
    if (m_size > 0) {
        TelemetryPoint &newest = m_points[physical(m_size - 1)];
        if (tMs < newest.tMs) {
            ++m_dropped;
            return false;
        }
        if (tMs == newest.tMs) {
            const double old = newest.value;
            newest.value = value;
            m_summaries.replaceNewest(m_firstAbs + quint64(m_size - 1), m_firstAbs, old,
                                      [this](quint64 abs) -> const TelemetryPoint & {
                                          return at(qsizetype(abs - m_firstAbs));
                                      });
            ++m_revision;
            return true;
        }
    }
    ++m_revision;
    m_summaries.append(m_firstAbs + quint64(m_size), {tMs, value}, m_size > 0,
                       m_size > 0 ? at(m_size - 1).tMs : 0);
    if (m_size < m_capacity) {
        if (qsizetype(m_points.size()) < m_capacity && m_head == 0) {
            // Still growing: storage is linear.
            if (m_points.size() == m_points.capacity())
                m_points.reserve(size_t(qMin(m_capacity, qMax<qsizetype>(64, m_size * 2))));
            m_points.push_back({tMs, value});
            ++m_size;
            return true;
        }
        m_points[physical(m_size)] = {tMs, value};
        ++m_size;
        return true;
    }
    // Full: overwrite the oldest.
    m_points[m_head] = {tMs, value};
    m_head = m_head + 1 == qsizetype(m_points.size()) ? 0 : m_head + 1;
    ++m_firstAbs;
    return true;
}

template<typename Before>
qsizetype TelemetryRingBuffer::partitionPoint(Before before) const
{
    qsizetype lo = 0;
    qsizetype hi = m_size;
    while (lo < hi) {
        const qsizetype mid = lo + (hi - lo) / 2;
        if (before(at(mid)))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

qsizetype TelemetryRingBuffer::lowerBound(qint64 tMs) const
{
    return partitionPoint([tMs](const TelemetryPoint &p) { return p.tMs < tMs; });
}

qsizetype TelemetryRingBuffer::upperBound(qint64 tMs) const
{
    return partitionPoint([tMs](const TelemetryPoint &p) { return p.tMs <= tMs; });
}

std::array<PointSpan, 2> TelemetryRingBuffer::spans(qsizetype from, qsizetype to) const
{
    from = std::clamp<qsizetype>(from, 0, m_size);
    to = std::clamp<qsizetype>(to, from, m_size);
    if (from == to)
        return {};
    const TelemetryPoint *data = m_points.data();
    const qsizetype n = qsizetype(m_points.size());
    const qsizetype a = physical(from);
    const qsizetype count = to - from;
    if (a + count <= n)
        return {PointSpan(data + a, size_t(count)), PointSpan()};
    const qsizetype firstPart = n - a;
    return {PointSpan(data + a, size_t(firstPart)), PointSpan(data, size_t(count - firstPart))};
}

std::array<PointSpan, 2> TelemetryRingBuffer::spansCovering(qint64 fromMs, qint64 toMs) const
{
    const auto [from, to] = rangeCovering(fromMs, toMs);
    return spans(from, to);
}

std::pair<qsizetype, qsizetype> TelemetryRingBuffer::rangeCovering(qint64 fromMs, qint64 toMs) const
{
    return {qMax<qsizetype>(0, lowerBound(fromMs) - 1), qMin(m_size, upperBound(toMs) + 1)};
}

} // namespace fd
