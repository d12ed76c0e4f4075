#pragma once

#include "core/telemetry/telemetry_point.h"
#include "core/telemetry/telemetry_summary_pyramid.h"

#include <array>
#include <utility>
#include <vector>

namespace fd {

// Bounded, time-ordered buffer of the newest points of one series. Appending is O(1); when
// full, the oldest point is overwritten. Storage grows on demand up to capacity, so a quiet
// series costs little. Points must arrive in time order: a point older than the newest is
// dropped (counted in droppedOutOfOrder(); the SQLite cache still has it), a point with the
// same time replaces the newest value. Not thread-safe: one owner thread.
//
// The buffer also keeps min/max summaries of aligned blocks of points
// (TelemetrySummaryPyramid, ~2.7 bytes per point), so MinMaxDecimator::add(buffer, from, to)
// costs about O(buckets x block size) instead of O(points).
class TelemetryRingBuffer
{
public:
    explicit TelemetryRingBuffer(qsizetype capacity = 3600);

    qsizetype capacity() const { return m_capacity; }
    // Drops the oldest points if the buffer holds more than the new capacity.
    void setCapacity(qsizetype capacity);
    qsizetype size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }
    void clear();
    // Bytes allocated for points and summaries.
    qsizetype memoryBytes() const;

    // Returns false when the point was dropped (older than the newest point).
    bool append(qint64 tMs, double value);
    quint64 droppedOutOfOrder() const { return m_dropped; }
    // Grows with every accepted append or replacement: lets a view tell cheaply if
    // something changed since it last looked.
    quint64 revision() const { return m_revision; }

    // Logical index: 0 is the oldest point.
    const TelemetryPoint &at(qsizetype i) const { return m_points[physical(i)]; }
    const TelemetryPoint &first() const { return at(0); }
    const TelemetryPoint &last() const { return at(m_size - 1); }

    // Absolute index of point i: the number of points appended before it since the
    // buffer was created, cleared or resized. Summary blocks are aligned to it.
    quint64 absoluteIndex(qsizetype i) const { return m_firstAbs + quint64(i); }
    const TelemetrySummaryPyramid &summaries() const { return m_summaries; }

    // Index of the first point with tMs >= t (size() if none).
    qsizetype lowerBound(qint64 tMs) const;
    // Index of the first point with tMs > t (size() if none).
    qsizetype upperBound(qint64 tMs) const;

    // The points [from, to) as at most two contiguous spans, oldest first (the second one
    // is empty when the range does not wrap).
    std::array<PointSpan, 2> spans(qsizetype from, qsizetype to) const;
    // The points in [fromMs, toMs] plus one point on each side (if there is one), so a line
    // drawn from them reaches the edges of the range.
    std::array<PointSpan, 2> spansCovering(qint64 fromMs, qint64 toMs) const;
    // The indexes [first, second) of the points spansCovering() returns.
    std::pair<qsizetype, qsizetype> rangeCovering(qint64 fromMs, qint64 toMs) const;

private:
    // The first logical index whose point is not `before` (points are in time order).
    template<typename Before>
    qsizetype partitionPoint(Before before) const;
    void rebuildSummaries();  // from the points held, absolute indexes restart at 0
    qsizetype physical(qsizetype i) const
    {
        const qsizetype p = m_head + i;
        return p < qsizetype(m_points.size()) ? p : p - qsizetype(m_points.size());
    }

    std::vector<TelemetryPoint> m_points;  // physical storage, size() <= m_capacity
    qsizetype m_capacity;
    qsizetype m_head = 0;  // physical index of the oldest point
    qsizetype m_size = 0;
    quint64 m_dropped = 0;
    quint64 m_revision = 0;
    quint64 m_firstAbs = 0;  // absolute index of the oldest point
    TelemetrySummaryPyramid m_summaries;
};

} // namespace fd
