#pragma once

#include "core/domain/telemetry_bucket.h"
#include "core/telemetry/decimated_series.h"
#include "core/telemetry/min_max_decimator.h"
#include "core/telemetry/series_stats.h"
#include "core/telemetry/telemetry_ring_buffer.h"

#include <QReadWriteLock>

#include <array>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace fd {

// Everything a chart knows about one series: history read from the cache (raw samples or
// rollup buckets) and the live ring buffer. Where both cover the same time, the live
// buffer wins (history is used only before the first live point). Rollup buckets are drawn
// as their min and max (at 1/4 and 3/4 of the bucket), so spikes survive.
//
// Gaps (decimate() with gapMs < 0, valueAt()): GapDetector's local rule, per stretch of
// one source: history is cut into stretches of one bucket width (raw rows, 1-minute,
// 1-hour rollups; a rollup's nominal spacing is its width), judged once in setHistory();
// the live buffer is one stretch judged by its own neighbouring steps; the step from
// history to live by the coarser side. The spacing of the live data alone never decides
// whether older, coarser points are connected.
//
// The live buffer may be written by another thread (LiveTelemetry, fed on the ingest
// thread): given its lock, every read below holds it for reading while it runs (history is
// owned by the caller's thread).
class TelemetrySeriesData
{
public:
    TelemetrySeriesData() = default;
    explicit TelemetrySeriesData(std::shared_ptr<const TelemetryRingBuffer> live,
                                 QReadWriteLock *liveLock = nullptr);

    void setLive(std::shared_ptr<const TelemetryRingBuffer> live);
    const std::shared_ptr<const TelemetryRingBuffer> &live() const { return m_live; }

    // Sorted by time. Replaces the previous history.
    void setHistory(TelemetryBuckets history);
    const TelemetryBuckets &history() const { return m_history; }
    const std::vector<TelemetryPoint> &historyPoints() const { return m_historyPoints; }
    // Per history point: 1 when a gap lies between it and the one before (local rule).
    const std::vector<quint8> &historyGaps() const { return m_historyGap; }
    void clearHistory();

    // Changes whenever history or live data change.
    quint64 revision() const;

    // Min/max decimation of [params.fromMs, params.toMs] (plus one point each side).
    void decimate(const MinMaxDecimator::Params &params, DecimatedSeries *out) const;
    // Samples (weighted by rollup counts) in [fromMs, toMs].
    SeriesStats stats(qint64 fromMs, qint64 toMs) const;
    // The rows in [fromMs, toMs] as buckets (live points become raw buckets): what an
    // export writes.
    TelemetryBuckets rows(qint64 fromMs, qint64 toMs) const;
    // The point whose value the line shows at tMs: the newest point at or before tMs,
    // unless tMs lies in a gap, before the first point or after the last one (nothing
    // then; NaN points neither). toleranceMs: how far from a point (a pixel or two) it
    // still counts; after the last point also up to its local spacing.
    std::optional<TelemetryPoint> valueAt(qint64 tMs, qint64 toleranceMs = 0) const;
    std::optional<TelemetryPoint> newest() const;
    // Median step between the newest points (live, else history).
    qint64 typicalIntervalMs() const;

private:
    // The first live point used: 0, or with history the start of the live buffer's
    // newest stretch (after its last gap); liveStartMs() is its time (max without any).
    qsizetype liveBegin() const;
    qint64 liveStartMs() const;
    // History points with t < liveStartMs(), covering [fromMs, toMs] plus one each side.
    PointSpan historySpan(qint64 fromMs, qint64 toMs) const;
    // History buckets with fromMs <= t <= toMs and t < liveStartMs(); live points in
    // [fromMs, toMs] (empty spans without live data).
    std::span<const TelemetryBucket> historyBuckets(qint64 fromMs, qint64 toMs) const;
    std::array<PointSpan, 2> liveSpans(qint64 fromMs, qint64 toMs) const;
    qsizetype historyLiveEnd() const;  // index of the first history point at/after live start
    // The step from history point h (the last before live data) to the first live point.
    bool isGapHistoryToLive(qsizetype h) const;
    bool isLiveGapBefore(qsizetype i) const;  // between live points i - 1 and i

    std::shared_ptr<const TelemetryRingBuffer> m_live;
    QReadWriteLock *m_liveLock = nullptr;
    TelemetryBuckets m_history;
    std::vector<TelemetryPoint> m_historyPoints;
    std::vector<quint8> m_historyGap;            // per history point
    std::vector<qsizetype> m_historyStretches;   // index where each stretch starts
    std::vector<qint64> m_historyNominal;        // per stretch: bucket width (0: raw)
    quint64 m_historyRevision = 0;
};

} // namespace fd
