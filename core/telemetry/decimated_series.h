#pragma once

#include "core/telemetry/telemetry_point.h"

#include <vector>

namespace fd {

// Output of MinMaxDecimator: points in time order, split into segments that are drawn as
// separate lines (a gap or a missing value lies between two segments).
struct DecimatedSeries
{
    std::vector<TelemetryPoint> points;
    std::vector<qsizetype> segmentStarts;  // index into points where each segment starts

    void clear()
    {
        points.clear();
        segmentStarts.clear();
    }
    qsizetype segmentCount() const { return qsizetype(segmentStarts.size()); }
    PointSpan segment(qsizetype i) const
    {
        const qsizetype begin = segmentStarts[size_t(i)];
        const qsizetype end = i + 1 < segmentCount() ? segmentStarts[size_t(i + 1)]
                                                     : qsizetype(points.size());
        return PointSpan(points.data() + begin, size_t(end - begin));
    }
};

} // namespace fd
