#pragma once

#include "core/storage/block_table.h"
#include "core/storage/rollup_writer.h"
#include "core/storage/sql_statement.h"
#include "core/storage/window_rewriter.h"

#include <QString>

namespace fd {

class Database;
class LegacyTelemetryTable;

// Converts the raw rows of a v3 cache (`telemetry`) into blocks, on the writer thread, a
// bounded step at a time between commits: each step() is one transaction that moves whole
// windows (one series, one aligned hour) and deletes their rows, so an interrupted
// migration resumes where it stopped and a reader sees every point exactly once in either
// place (RawSeriesReader reads both). The table is dropped when empty. Rollups stay as they
// are (they already hold these rows) unless a v3 row and a newer block share a timestamp.
class LegacyTelemetryMigrator
{
public:
    LegacyTelemetryMigrator(Database &db, LegacyTelemetryTable &legacy);
    bool prepare(QString *error);

    bool isFinished() const;
    // Rows left at the first step (0 before it).
    qint64 totalRows() const { return m_total; }
    qint64 movedRows() const { return m_moved; }
    // Moves windows until about maxRows rows were moved; *finished when the table is gone.
    // A fault of the file: rolled back, false with error (call again later).
    bool step(int maxRows, bool *finished, QString *error);

private:
    bool rollback();

    Database &m_db;
    LegacyTelemetryTable &m_legacy;
    BlockTable m_blocks;
    RollupWriter m_rollups;
    WindowRewriter m_rewriter;
    SqlStatement m_begin;
    SqlStatement m_commit;
    qint64 m_total = -1;
    qint64 m_moved = 0;
};

} // namespace fd
