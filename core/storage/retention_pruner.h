#pragma once

#include "core/storage/sql_statement.h"

#include <QString>

#include <limits>

namespace fd {

class Database;
class LegacyTelemetryTable;

// Retention of the cache's telemetry, one bounded transaction at a time (StorageWriter runs
// the steps between commits): per series, raw blocks that end before the raw cutoff are
// deleted, a block that straddles it keeps only its newer points, v3 rows (while the
// migration runs) and rollup rows before their cutoffs are deleted.
class RetentionPruner
{
public:
    // Position of a retention pass: the last (device_key, metric_key) series fully pruned.
    struct Cursor
    {
        qint64 deviceKey = -1;
        qint64 metricKey = -1;
    };

    // Points older than these times (ms since epoch) are deleted; kKeepAll keeps a level.
    struct Cutoffs
    {
        static constexpr qint64 kKeepAll = std::numeric_limits<qint64>::min();
        qint64 rawMs = kKeepAll;
        qint64 minuteMs = kKeepAll;
        qint64 hourMs = kKeepAll;
        bool keepsAll() const { return rawMs == kKeepAll && minuteMs == kKeepAll && hourMs == kKeepAll; }
    };

    RetentionPruner(Database &db, LegacyTelemetryTable &legacy);
    bool prepare(QString *error);

    // One step in its own transaction: prunes the series after cursor until about maxRows
    // raw points and rollup rows were deleted, and advances cursor. *finished when every
    // series has been visited.
    bool step(const Cutoffs &cutoffs, Cursor *cursor, int maxRows, qint64 *deleted, qint64 *rollupsDeleted,
              bool *finished, QString *error);

private:
    bool pruneBlocks(qint64 deviceKey, qint64 metricKey, qint64 cutoffMs, qint64 budget, qint64 *deleted,
                     bool *more, QString *error);
    bool fail();

    Database &m_db;
    LegacyTelemetryTable &m_legacy;
    SqlStatement m_begin;
    SqlStatement m_commit;
    SqlStatement m_nextSeries;
    SqlStatement m_oldBlocks;
    SqlStatement m_deleteBlock;
    SqlStatement m_updateBlock;
    SqlStatement m_pruneMinute;
    SqlStatement m_pruneHour;
};

} // namespace fd
