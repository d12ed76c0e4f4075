#include "core/telemetry/gap_detector.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace fd {

namespace {
constexpr qsizetype kIntervalSample = 256;
}

qint64 GapDetector::typicalIntervalMs(PointSpan points)
{
    return typicalIntervalMs(std::array<PointSpan, 2>{points, PointSpan()});
}

qint64 GapDetector::typicalIntervalMs(const std::array<PointSpan, 2> &points)
{
    // The last kIntervalSample points across both spans.
    std::vector<qint64> times;
    times.reserve(size_t(kIntervalSample));
    for (auto it = points.rbegin(); it != points.rend(); ++it) {
        for (auto p = it->rbegin(); p != it->rend() && qsizetype(times.size()) < kIntervalSample; ++p)
            times.push_back(p->tMs);
    }
    if (times.size() < 2)
        return 0;
    std::vector<qint64> steps;
    steps.reserve(times.size() - 1);
    for (size_t i = 1; i < times.size(); ++i)
        steps.push_back(times[i - 1] - times[i]);
    const auto mid = steps.begin() + qsizetype(steps.size() / 2);
    std::nth_element(steps.begin(), mid, steps.end());
    return *mid;
}

qint64 GapDetector::thresholdFor(qint64 intervalMs)
{
    return qMax(kMinGapMs, kIntervalFactor * intervalMs);
}

QList<GapDetector::Gap> GapDetector::findGaps(PointSpan points, qint64 thresholdMs)
{
    QList<Gap> gaps;
    bool havePrev = false;
    bool sawNan = false;
    qint64 prev = 0;
    for (const TelemetryPoint &p : points) {
        if (std::isnan(p.value)) {
            sawNan = true;
            continue;
        }
        if (havePrev && (sawNan || p.tMs - prev > thresholdMs))
            gaps.append(Gap{prev, p.tMs});
        havePrev = true;
        sawNan = false;
        prev = p.tMs;
    }
    return gaps;
}

} // namespace fd
