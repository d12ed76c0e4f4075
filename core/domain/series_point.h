#pragma once

#include "core/domain/metric_value.h"

#include <QString>

#include <vector>

namespace fd {

// One typed point of a series' history, as stored in the cache (SeriesBlockCodec,
// core/compression, packs a series' points into blocks).
//
// Which fields matter follows the type: Double `value`; Int64 `integer` (`value` is
// double(integer)); Bool `integer` 0 or 1 (`value` 0 or 1); String `text` (`value` NaN).
struct SeriesPoint
{
    qint64 tsMs = 0;
    MetricType type = MetricType::Double;  // core/domain/metric_value.h
    double value = 0.0;  // Double: the value; Int64: double(integer); Bool: 0/1; String: NaN
    qint64 integer = 0;  // Int64 / Bool (0/1)
    QString text;        // String

    static SeriesPoint fromMetric(qint64 tsMs, const MetricValue &m);
    MetricValue toMetric(const QString &name) const;
    // Same type and value: doubles bit for bit (so -0.0 differs from 0.0) except that every
    // NaN equals every NaN; Int64 and Bool by `integer`, String by `text`. Not the timestamp.
    bool sameValue(const SeriesPoint &o) const;
};

using SeriesPoints = std::vector<SeriesPoint>;

// Sorts by tsMs (stable) and keeps, of equal timestamps, the LAST one (last write wins).
void sortAndDeduplicate(SeriesPoints &points);

} // namespace fd
