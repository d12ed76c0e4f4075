#include "core/storage/block_packer.h"

#include "core/storage/database.h"
#include "core/storage/staging_record_codec.h"
#include "core/storage/storage_log.h"
#include "core/storage/telemetry_layout.h"

#include <sqlite3.h>

#include <algorithm>

namespace fd {

BlockPacker::BlockPacker(Database &db, LegacyTelemetryTable &legacy)
    : m_db(db)
    , m_legacy(legacy)
    , m_blocks(db)
    , m_rollups(db)
    , m_rewriter(m_blocks, legacy, m_rollups)
{
}

bool BlockPacker::prepare(QString *error)
{
    sqlite3 *db = m_db.handle();
    return m_blocks.prepare(error) && m_rollups.prepare(error)
           && m_begin.prepare(db, "BEGIN IMMEDIATE", error, true) && m_commit.prepare(db, "COMMIT", error, true)
           && m_readStaging.prepare(db, "SELECT seq, device_key, data FROM telemetry_staging ORDER BY seq", error,
                                    true)
           && m_deleteStaging.prepare(db, "DELETE FROM telemetry_staging WHERE seq <= ?1", error, true)
           && m_countStaging.prepare(db, "SELECT count(*), coalesce(sum(count), 0) FROM telemetry_staging", error,
                                     true);
}

bool BlockPacker::stagedCount(qint64 *rows, qint64 *points, QString *error)
{
    const int rc = m_countStaging.step();
    if (rc == SQLITE_ROW) {
        *rows = m_countStaging.columnInt64(0);
        *points = m_countStaging.columnInt64(1);
    }
    m_countStaging.reset();
    if (rc != SQLITE_ROW) {
        *error = m_countStaging.errorMessage();
        return false;
    }
    return true;
}

bool BlockPacker::rollback()
{
    m_series.clear();
    m_db.rollbackIfOpen();
    return false;
}

bool BlockPacker::pack(Stats *stats, QString *error)
{
    *stats = {};
    if (!m_begin.execute(error))
        return rollback();
    QHash<SeriesId, SeriesPoints> bySeries;
    std::vector<StagedPoint> staged;
    qint64 lastSeq = -1;
    int rc;
    while ((rc = m_readStaging.step()) == SQLITE_ROW) {
        lastSeq = m_readStaging.columnInt64(0);
        const qint64 deviceKey = m_readStaging.columnInt64(1);
        staged.clear();
        QString why;
        ++stats->stagedRows;
        if (!StagingRecordCodec::decode(m_readStaging.columnBlob(2), &staged, &why)) {
            ++stats->damagedRows;
            qCWarning(lcStorage).noquote() << "dropping damaged staged telemetry row" << lastSeq << ":" << why;
            continue;
        }
        for (StagedPoint &sp : staged)
            bySeries[SeriesId(deviceKey, sp.metricKey)].push_back(std::move(sp.point));
        stats->points += qint64(staged.size());
    }
    m_readStaging.reset();
    if (rc != SQLITE_DONE) {
        *error = m_readStaging.errorMessage();
        return rollback();
    }
    if (lastSeq < 0) {  // nothing staged
        if (!m_commit.execute(error))
            return rollback();
        return true;
    }
    QList<SeriesId> order = bySeries.keys();
    std::sort(order.begin(), order.end());  // key order: neighbouring series share pages
    for (const SeriesId &id : std::as_const(order)) {
        if (!packSeries(id, bySeries[id], stats, error))
            return rollback();
    }
    m_deleteStaging.bindInt64(1, lastSeq);
    if (!m_deleteStaging.execute(error) || !m_commit.execute(error))
        return rollback();
    return true;
}

bool BlockPacker::packSeries(const SeriesId &id, SeriesPoints &points, Stats *stats, QString *error)
{
    sortAndDeduplicate(points);  // staging order is write order: the later write wins
    SeriesState &state = m_series[id];
    for (size_t from = 0; from < points.size();) {
        const qint64 window = telemetry_layout::windowOf(points[from].tsMs);
        size_t to = from + 1;
        while (to < points.size() && telemetry_layout::windowOf(points[to].tsMs) == window)
            ++to;
        const std::span<const SeriesPoint> run(points.data() + from, to - from);
        from = to;
        if (!state.known && !loadState(id, &state, error))
            return false;
        if (!state.hasPoints || (run.front().tsMs > state.newestMs && window >= state.windowMs)) {
            if (!appendWindow(id, state, window, run, stats, error))
                return false;
            continue;
        }
        int written = 0;
        const SeriesPoints newer(run.begin(), run.end());
        if (!m_rewriter.rewrite(id.first, id.second, window, newer, false, false, &written, error))
            return false;
        stats->blocks += written;
        state.known = false;  // block counts changed: read again when needed
    }
    return true;
}

bool BlockPacker::appendWindow(const SeriesId &id, SeriesState &state, qint64 windowMs,
                               std::span<const SeriesPoint> run, Stats *stats, QString *error)
{
    int written = 0;
    if (state.hasPoints && windowMs > state.windowMs && state.blocks > 1) {
        // The series moved on: its previous window is complete, merge it into few blocks.
        if (!m_rewriter.rewrite(id.first, id.second, state.windowMs, {}, true, false, &written, error))
            return false;
        stats->blocks += written;
    }
    if (!m_blocks.insert(id.first, id.second, windowMs, run, error) || !m_rollups.add(id.first, id.second, run, error))
        return false;
    const int chunks = int((run.size() + telemetry_layout::kMaxBlockPoints - 1) / telemetry_layout::kMaxBlockPoints);
    const bool lastIsSmall = run.size() % telemetry_layout::kMaxBlockPoints < size_t(telemetry_layout::kSmallBlockPoints)
                             && run.size() % telemetry_layout::kMaxBlockPoints != 0;
    stats->blocks += chunks;
    if (!state.hasPoints || windowMs != state.windowMs) {
        state.windowMs = windowMs;
        state.blocks = 0;
        state.smallBlocks = 0;
    }
    state.hasPoints = true;
    state.newestMs = run.back().tsMs;
    state.blocks += chunks;
    state.smallBlocks += lastIsSmall ? 1 : 0;
    if (state.smallBlocks >= telemetry_layout::kMaxSmallBlocks) {
        if (!m_rewriter.rewrite(id.first, id.second, windowMs, {}, true, true, &written, error))
            return false;
        stats->blocks += written;
        state.known = false;
    }
    return true;
}

bool BlockPacker::loadState(const SeriesId &id, SeriesState *state, QString *error)
{
    BlockTable::LatestWindow latest;
    bool legacyFound = false;
    qint64 legacyNewest = 0;
    if (!m_blocks.latestWindow(id.first, id.second, &latest, error)
        || !m_legacy.newestMs(id.first, id.second, &legacyFound, &legacyNewest, error))
        return false;
    *state = {};
    state->known = true;
    state->hasPoints = latest.found || legacyFound;
    state->windowMs = latest.found ? latest.windowMs : telemetry_layout::windowOf(legacyNewest);
    state->newestMs = latest.found ? latest.newestMs : legacyNewest;
    if (legacyFound)
        state->newestMs = qMax(state->newestMs, legacyNewest);
    state->blocks = latest.blocks;
    state->smallBlocks = latest.smallBlocks;
    return true;
}

} // namespace fd
