#pragma once

#include <QList>
#include <QtGlobal>

namespace fd {

// One value of a series' history as read from the cache: either one raw sample
// (widthMs == 0, count == 1, min == max == mean) or one rollup bucket [tMs, tMs + widthMs)
// aggregating count samples. NaN means "no value" (count == 0 for a bucket).
struct TelemetryBucket
{
    qint64 tMs = 0;
    qint64 widthMs = 0;
    double min = 0.0;
    double max = 0.0;
    double mean = 0.0;
    qint64 count = 0;

    bool isRaw() const { return widthMs == 0; }
    friend bool operator==(const TelemetryBucket &, const TelemetryBucket &) = default;
};

using TelemetryBuckets = QList<TelemetryBucket>;

} // namespace fd
