#pragma once

#include "core/domain/series_point.h"
#include "core/storage/sql_statement.h"

#include <QList>
#include <QString>

#include <span>

namespace fd {

class Database;

// Keeps the per-minute and per-hour rollups (telemetry_1m, telemetry_1h, schema v2) in step
// with the raw points the writer packs, inside a transaction its caller holds. Only finite
// numbers are counted (an Int64 or a Bool as its numeric view; strings, NaN and infinities
// are not), and sums are clamped to the finite range: nothing a device sends can make a
// rollup row that SQLite refuses.
class RollupWriter
{
public:
    explicit RollupWriter(Database &db);
    bool prepare(QString *error);

    // Adds points (sorted by time, none of them stored before) to their buckets.
    bool add(qint64 deviceKey, qint64 metricKey, std::span<const SeriesPoint> points, QString *error);
    // Replaces the given minute buckets by the aggregate of their points in `points` (the
    // sorted raw content of the window they are in), then their hour buckets by the
    // aggregate of their minute rows: exact again after a stored point was replaced by a
    // later write of the same timestamp, which an incremental update cannot take out.
    bool recomputeMinutes(qint64 deviceKey, qint64 metricKey, const QList<qint64> &minuteBuckets,
                          std::span<const SeriesPoint> points, QString *error);

private:
    struct Aggregate
    {
        qint64 bucketMs = 0;
        double min = 0;
        double max = 0;
        double sum = 0;
        qint64 count = 0;
    };
    bool write(SqlStatement &st, qint64 deviceKey, qint64 metricKey, const Aggregate &agg, QString *error);
    bool aggregate(qint64 deviceKey, qint64 metricKey, std::span<const SeriesPoint> points, SqlStatement &minute,
                   SqlStatement &hour, QString *error);

    Database &m_db;
    SqlStatement m_upsertMinute;
    SqlStatement m_upsertHour;
    SqlStatement m_deleteMinute;
    SqlStatement m_deleteHour;
    SqlStatement m_recomputeHour;
};

} // namespace fd
