#pragma once

#include "core/domain/series_point.h"
#include "core/domain/telemetry_bucket.h"

#include <QByteArray>

namespace fd {

// The CSV of `fleetdeckctl history` (RFC 4180, UTF-8, "\n" line ends), one row per point:
//
//   raw:     time,value                      2026-11-30T09:47:03.123Z,21.5
//   rollups: time,min,max,mean,count         2026-11-30T09:47:00.000Z,21.1,21.9,21.47,60
//
// time is ISO 8601 in UTC with milliseconds (a rollup row: the start of its bucket). A
// value is written as its type says: a double in its shortest round-trip form (-0 keeps
// its sign), an int64
// exactly, a bool as true/false, a string as a text cell (quoted as needed, guarded against
// formula injection); NaN is an empty cell.
class HistoryCsv
{
public:
    static QByteArray rawHeader();
    static QByteArray rollupHeader();
    static QByteArray rawRow(const SeriesPoint &point);
    static QByteArray rollupRow(const TelemetryBucket &bucket);
};

} // namespace fd
