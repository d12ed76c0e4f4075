#pragma once

#include "core/domain/metric_value.h"
#include "core/domain/series_point.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <vector>

namespace fd {

// One point of a staging row: which metric (its key in the cache) and the point.
struct StagedPoint
{
    qint64 metricKey = 0;
    SeriesPoint point;
};

// The blob of one telemetry_staging row (schema v4): one device's points of one commit, in
// the order they were received. Compact and cheap rather than small (the rows live only
// until BlockPacker packs them): per point the timestamp as a zig-zag varint delta to the
// previous one, the metric key as a varint, a type byte and the value (a double as its 8
// bytes, an integer as a zig-zag varint, a bool as one byte, a string as a varint length
// and its UTF-8 bytes).
class StagingRecordCodec
{
public:
    static constexpr int kMaxPoints = 1 << 20;  // per row; the decoder refuses more

    // Appends one encoded point to a record under construction (begin() first).
    static void begin(QByteArray *record);
    static void append(QByteArray *record, qint64 previousTsMs, qint64 metricKey, qint64 tsMs,
                       const MetricValue &value);
    // Writes the point count into a record built with begin()/append().
    static void finish(QByteArray *record, int count);

    // Appends the record's points to *out. False with a reason for anything malformed
    // (truncated, unknown version or type, counts past the end); *out is then unchanged.
    // Cost bounded by data.size().
    static bool decode(QByteArrayView data, std::vector<StagedPoint> *out, QString *error);
};

} // namespace fd
