#pragma once

#include "core/telemetry/telemetry_point.h"

#include <QList>

#include <array>

namespace fd {

// Finds where a series has no data: a step in time longer than a threshold between two
// consecutive points (device offline, nothing recorded), or a NaN value. Also tells whether
// a series is stale (its newest point is older than the threshold).
class GapDetector
{
public:
    struct Gap
    {
        qint64 fromMs = 0;  // time of the last point before the gap
        qint64 toMs = 0;    // time of the first point after it
        friend bool operator==(const Gap &, const Gap &) = default;
    };

    static constexpr qint64 kMinGapMs = 5000;
    static constexpr int kIntervalFactor = 5;

    // Median step between consecutive points of the last up to 256 points (0 if fewer
    // than two points).
    static qint64 typicalIntervalMs(PointSpan points);
    static qint64 typicalIntervalMs(const std::array<PointSpan, 2> &points);
    // The gap threshold for a series sampled every intervalMs:
    // max(kMinGapMs, kIntervalFactor x intervalMs).
    static qint64 thresholdFor(qint64 intervalMs);

    // Gaps longer than thresholdMs, in time order. A run of NaN values is one gap from the
    // last real point before it to the first one after it.
    static QList<Gap> findGaps(PointSpan points, qint64 thresholdMs);

    // True when nothing newer than thresholdMs arrived: lastMs + thresholdMs < nowMs.
    static bool isStale(qint64 lastMs, qint64 nowMs, qint64 thresholdMs)
    {
        return nowMs - lastMs > thresholdMs;
    }
};

} // namespace fd
