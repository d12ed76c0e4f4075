#pragma once

#include "core/telemetry/decimated_series.h"
#include "core/telemetry/telemetry_point.h"
#include "core/telemetry/telemetry_summary_pyramid.h"

#include <span>

namespace fd {

class TelemetryRingBuffer;

// Min/max decimation for line charts: the range [fromMs, toMs] is cut into `buckets` equal
// time buckets (one per horizontal pixel, typically) and each bucket keeps at most four
// points in time order: its first, its minimum, its maximum and its last point. The drawn
// line then covers exactly the same vertical extent per pixel as the full data, at a cost
// of O(n) with no allocation beyond the output.
//
// Streaming: begin(), add() the points in time order in any number of spans (a ring
// buffer's two halves, history before live data), finish(). Points outside [from, to] get
// buckets of their own width too, so the one point on each side that makes the line reach
// the edges is kept as is. A NaN value, or a step in time longer than gapMs (> 0), ends the
// current bucket and starts a new segment: lines are not drawn across gaps.
//
// add(buffer, from, to) gives exactly the same result as adding the buffer's spans, but
// uses the buffer's block summaries (TelemetrySummaryPyramid): a block that lies inside one
// bucket with no gap and no NaN in it is taken whole, raw points are read only around bucket
// edges, gaps and NaN. That costs O(buckets x block size) instead of O(points).
//
// Gaps by GapDetector's local rule (TelemetrySeriesData): add(points, gapBefore) takes the
// caller's decision per point (history, judged once per stretch when it is set), and
// addLocal(buffer, ...) judges the buffer's own steps by that rule (a block is taken whole
// when no step in it exceeds GapDetector::kMinGapMs); params.gapMs does not apply to them.
class MinMaxDecimator
{
public:
    struct Params
    {
        qint64 fromMs = 0;
        qint64 toMs = 0;
        int buckets = 1000;
        qint64 gapMs = 0;  // 0: no gap detection; TelemetrySeriesData: < 0 picks it per part
    };

    void begin(const Params &params, DecimatedSeries *out);
    // Changes the gap threshold for the points added next (history and live data of one
    // series are sampled at different intervals).
    void setGapMs(qint64 gapMs) { m_params.gapMs = gapMs; }
    void add(PointSpan points);
    // The points [from, to) of buffer (indexes as in TelemetryRingBuffer::at()).
    void add(const TelemetryRingBuffer &buffer, qsizetype from, qsizetype to);
    // Local gap rule. gapBefore[i]: a gap lies between points[i - 1] (or the point added
    // before points[0]) and points[i]; same size as points.
    void add(PointSpan points, std::span<const quint8> gapBefore);
    // The points [from, to) of buffer, gaps by GapDetector::isGapBefore() among the
    // buffer's points; firstGap: a gap lies between the point added before and point from.
    void addLocal(const TelemetryRingBuffer &buffer, qsizetype from, qsizetype to, bool firstGap);
    void finish();

    // Convenience for one span.
    static void decimate(PointSpan points, const Params &params, DecimatedSeries *out);

private:
    struct Kept
    {
        TelemetryPoint point;
        quint64 seq = 0;
    };

    void addPoint(const TelemetryPoint &p, bool gapBefore);
    // Whether a gap lies before point i of buffer (fixed threshold or local rule).
    bool gapAt(const TelemetryRingBuffer &buffer, qsizetype i) const;
    // Whether no step inside the block can be a gap and it has no NaN.
    bool isContinuous(const TelemetrySummaryPyramid::Block &b) const;
    // Takes block `abs` (aligned) of the given level whole if the result is the same as
    // adding its points one by one; returns false (and adds nothing) otherwise.
    bool addBlock(const TelemetryRingBuffer &buffer, int level, quint64 abs);
    // The n points from index i on, known to hold no NaN and no gap after the first one:
    // addPoint() without those checks.
    void addRun(const TelemetryRingBuffer &buffer, qsizetype i, qsizetype n);
    // Cache hints only: the finest block holding absolute index abs (< end), its summaries.
    static void prefetchEdge(const TelemetryRingBuffer &buffer, quint64 abs, quint64 end);
    void startBucket(const TelemetryPoint &p);
    void closeBucket();
    qint64 bucketOf(qint64 tMs) const;
    qint64 bucketEnd(qint64 bucket) const;

    Params m_params;
    bool m_local = false;  // addLocal() running: gaps by the local rule
    qsizetype m_localFirst = 0;
    bool m_localFirstGap = false;
    DecimatedSeries *m_out = nullptr;
    qint64 m_span = 1;
    bool m_inBucket = false;
    bool m_newSegment = true;
    bool m_havePrev = false;
    qint64 m_prevT = 0;
    qint64 m_bucketEndMs = 0;
    quint64 m_seq = 0;
    Kept m_first;
    Kept m_min;
    Kept m_max;
    Kept m_last;
};

} // namespace fd
