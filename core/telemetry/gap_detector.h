#pragma once

#include "core/telemetry/telemetry_point.h"

#include <QList>

#include <algorithm>
#include <array>

namespace fd {

// Finds where a series has no data: a step in time longer than a threshold between two
// consecutive points (device offline, nothing recorded), or a NaN value. Also tells whether
// a series is stale (its newest point is older than the threshold).
//
// The local rule (what charts use): a series is a sequence of stretches, each from one
// source (history rows, rollups of one width, the live buffer). A step between two points
// is a gap when it is longer than thresholdFor(spacing), where spacing is the larger of
// the median of up to kLocalSteps steps just before it and just after it (within the
// stretch; across a stretch boundary: the end of one and the start of the other) and of
// the stretch's nominal spacing (a rollup's bucket width). So 1-minute history next to
// 1-second live data is one line, a break much longer than the points around it is a gap,
// and a lone point between two breaks stays alone. With no neighbouring step at all there
// is no evidence of a gap.
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

    static constexpr int kLocalSteps = 5;

    // step > thresholdFor(spacing).
    static bool isGap(qint64 stepMs, qint64 spacingMs) { return stepMs > thresholdFor(spacingMs); }

    // Median of the steps between consecutive points first..last (at most kLocalSteps of
    // them, from first on); 0 when there is none. timeAt(i) is the time of point i.
    template<typename TimeAt>
    static qint64 medianStep(TimeAt timeAt, qsizetype first, qsizetype last)
    {
        std::array<qint64, kLocalSteps> steps{};
        int n = 0;
        for (qsizetype j = first + 1; j <= last && n < kLocalSteps; ++j)
            steps[size_t(n++)] = timeAt(j) - timeAt(j - 1);
        if (n == 0)
            return 0;
        const auto mid = steps.begin() + (n - 1) / 2;
        std::nth_element(steps.begin(), mid, steps.begin() + n);
        return *mid;
    }
    // Local spacing just before point i (steps ending at i, not before begin) and from
    // point i on (steps starting at i, points before end).
    template<typename TimeAt>
    static qint64 spacingBefore(TimeAt timeAt, qsizetype begin, qsizetype i)
    {
        return medianStep(timeAt, qMax(begin, i - kLocalSteps), i);
    }
    template<typename TimeAt>
    static qint64 spacingAfter(TimeAt timeAt, qsizetype i, qsizetype end)
    {
        return medianStep(timeAt, i, qMin(end - 1, i + kLocalSteps));
    }

    // The local rule for the step from point i - 1 to point i of a stretch [begin, end)
    // (begin < i < end), sampled at nominalMs (0: unknown, raw points).
    template<typename TimeAt>
    static bool isGapBefore(TimeAt timeAt, qsizetype begin, qsizetype end, qsizetype i, qint64 nominalMs = 0)
    {
        const qint64 step = timeAt(i) - timeAt(i - 1);
        if (step <= kMinGapMs)
            return false;
        if (i - 1 <= begin && i + 1 >= end && nominalMs <= 0)
            return false;  // two points alone: no evidence either way
        const qint64 spacing = qMax(spacingBefore(timeAt, begin, i - 1), spacingAfter(timeAt, i, end));
        return isGap(step, qMax(spacing, nominalMs));
    }

    // The step from the last point of one stretch to the first of the next: judged by the
    // coarser of the two (spacing at the end of the first, at the start of the second,
    // nominal spacings). All zero: no evidence, no gap.
    static bool isGapBetweenStretches(qint64 stepMs, qint64 spacingEndMs, qint64 spacingStartMs,
                                      qint64 nominalMs)
    {
        const qint64 spacing = qMax(qMax(spacingEndMs, spacingStartMs), nominalMs);
        return spacing > 0 ? isGap(stepMs, spacing) : false;
    }

    // True when nothing newer than thresholdMs arrived: lastMs + thresholdMs < nowMs.
    static bool isStale(qint64 lastMs, qint64 nowMs, qint64 thresholdMs)
    {
        return nowMs - lastMs > thresholdMs;
    }
};

} // namespace fd
