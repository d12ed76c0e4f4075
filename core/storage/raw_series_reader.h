#pragma once

#include "core/domain/series_point.h"
#include "core/storage/sql_statement.h"

#include <QString>

namespace fd {

class Database;

// Reads one series' raw points from wherever they are in the cache (schema v4): compressed
// blocks, staged rows not packed yet and, while the migration runs, the v3 table. Of equal
// timestamps the later write wins (v3 rows < blocks < staged rows), as if all were one
// table. On any connection (a reader's own, read-only, or the writer's).
class RawSeriesReader
{
public:
    explicit RawSeriesReader(Database &db);

    // Points with fromMs <= ts <= toMs, ascending by time, appended to *out (cleared first).
    bool read(qint64 deviceKey, qint64 metricKey, qint64 fromMs, qint64 toMs, SeriesPoints *out, QString *error);
    // Only the staged points (not packed yet) in the range, ascending, later writes winning.
    bool readStaged(qint64 deviceKey, qint64 metricKey, qint64 fromMs, qint64 toMs, SeriesPoints *out,
                    QString *error);
    // Raw points in the whole cache (blocks + staged + v3 rows): sums of the blocks' and
    // staged rows' counts, a scan of the v3 table while it exists.
    bool countAll(qint64 *points, QString *error);
    // The oldest raw point of the series, wherever it is.
    bool oldestMs(qint64 deviceKey, qint64 metricKey, bool *found, qint64 *ms, QString *error);

private:
    bool prepare(QString *error);
    bool readBlocks(qint64 deviceKey, qint64 metricKey, qint64 fromMs, qint64 toMs, SeriesPoints *out,
                    QString *error);
    bool readLegacy(qint64 deviceKey, qint64 metricKey, qint64 fromMs, qint64 toMs, SeriesPoints *out,
                    QString *error);

    Database &m_db;
    qint64 m_schemaVersion = -1;  // of the prepared statements; the migration drops a table
    bool m_hasLegacy = false;
    SqlStatement m_schema;
    SqlStatement m_blocks;
    SqlStatement m_staging;
    SqlStatement m_legacy;
    SqlStatement m_oldestBlock;
    SqlStatement m_oldestLegacy;
};

} // namespace fd
