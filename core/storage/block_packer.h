#pragma once

#include "core/storage/block_table.h"
#include "core/storage/legacy_telemetry_table.h"
#include "core/storage/rollup_writer.h"
#include "core/storage/sql_statement.h"
#include "core/storage/window_rewriter.h"

#include <QHash>
#include <QPair>
#include <QString>

namespace fd {

class Database;

// Moves staged points (telemetry_staging) into compressed blocks (telemetry_blocks), on the
// writer thread, in one transaction per pack(): read every staged row in append order, group
// the points by series and window, write them, keep the rollups, delete the staged rows.
// A kill at any moment leaves either the staged rows or the blocks, never neither or both.
//
// Per series and window: points all newer than what the series holds (the normal case) are
// appended as a new block and added to the rollups; a window that collects
// telemetry_layout::kMaxSmallBlocks small blocks gets them merged, and when a series moves
// on to a new window the previous one is merged into as few blocks as possible. Points
// that are not newer (a backfill, a replay, a clock going back) are merged into their
// window by WindowRewriter, later writes winning, rollups recomputed where a value changed.
// A staged row that does not decode (a damaged file) is dropped and counted, never retried.
class BlockPacker
{
public:
    struct Stats
    {
        qint64 stagedRows = 0;   // staging rows packed
        qint64 points = 0;       // points they held
        qint64 blocks = 0;       // blocks written (appends and rewrites)
        qint64 damagedRows = 0;  // staging rows that did not decode, dropped
    };

    BlockPacker(Database &db, LegacyTelemetryTable &legacy);

    bool prepare(QString *error);
    // Packs every staged row. False with error on a fault of the file; everything is then
    // rolled back (the rows stay staged) and the series state is forgotten.
    bool pack(Stats *stats, QString *error);
    // What is staged now (rows, points, the oldest row's append time is not kept: callers
    // time it themselves).
    bool stagedCount(qint64 *rows, qint64 *points, QString *error);
    // Forget what is cached about the blocks of every series (after a rollback, or after
    // someone else changed them: migration, retention, deletion).
    void forgetSeries() { m_series.clear(); }
    // A series the cache did not have until now: it has no blocks (spares a lookup).
    void noteNewSeries(qint64 deviceKey, qint64 metricKey)
    {
        SeriesState &state = m_series[SeriesId(deviceKey, metricKey)];
        state = {};
        state.known = true;
    }

private:
    struct SeriesState
    {
        bool known = false;      // loaded from the file
        bool hasPoints = false;
        qint64 newestMs = 0;     // newest point stored (blocks or v3 rows)
        qint64 windowMs = 0;     // window of the newest block
        int smallBlocks = 0;     // small blocks in that window
        int blocks = 0;          // blocks in that window
    };
    using SeriesId = QPair<qint64, qint64>;

    bool packSeries(const SeriesId &id, SeriesPoints &points, Stats *stats, QString *error);
    bool appendWindow(const SeriesId &id, SeriesState &state, qint64 windowMs, std::span<const SeriesPoint> run,
                      Stats *stats, QString *error);
    bool loadState(const SeriesId &id, SeriesState *state, QString *error);
    bool rollback();

    Database &m_db;
    LegacyTelemetryTable &m_legacy;
    BlockTable m_blocks;
    RollupWriter m_rollups;
    WindowRewriter m_rewriter;
    SqlStatement m_begin;
    SqlStatement m_commit;
    SqlStatement m_readStaging;
    SqlStatement m_deleteStaging;
    SqlStatement m_countStaging;
    QHash<SeriesId, SeriesState> m_series;
};

} // namespace fd
