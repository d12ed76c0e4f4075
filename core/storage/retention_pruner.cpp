#include "core/storage/retention_pruner.h"

#include "core/compression/series_block_codec.h"
#include "core/storage/database.h"
#include "core/storage/legacy_telemetry_table.h"
#include "core/storage/storage_log.h"
#include "core/storage/telemetry_layout.h"

#include <sqlite3.h>

#include <array>

namespace fd {

namespace {

constexpr int kSeriesPerQuery = 256;

// Blocks of a series holding points before the cutoff, oldest first.
constexpr const char kOldBlocks[] =
    "SELECT id, count, last_ms, data FROM telemetry_blocks WHERE device_key = ?1 AND metric_key = ?2"
    " AND window_ms <= ?3 AND first_ms < ?4 ORDER BY window_ms, id LIMIT ?5";

constexpr const char kPruneMinute[] =
    "DELETE FROM telemetry_1m WHERE device_key = ?1 AND metric_key = ?2 AND bucket_ms < ?3"
    " AND bucket_ms <= coalesce((SELECT bucket_ms FROM telemetry_1m"
    "   WHERE device_key = ?1 AND metric_key = ?2 AND bucket_ms < ?3"
    "   ORDER BY bucket_ms LIMIT 1 OFFSET ?4), ?3)";

constexpr const char kPruneHour[] =
    "DELETE FROM telemetry_1h WHERE device_key = ?1 AND metric_key = ?2 AND bucket_ms < ?3"
    " AND bucket_ms <= coalesce((SELECT bucket_ms FROM telemetry_1h"
    "   WHERE device_key = ?1 AND metric_key = ?2 AND bucket_ms < ?3"
    "   ORDER BY bucket_ms LIMIT 1 OFFSET ?4), ?3)";

} // namespace

RetentionPruner::RetentionPruner(Database &db, LegacyTelemetryTable &legacy)
    : m_db(db)
    , m_legacy(legacy)
{
}

bool RetentionPruner::prepare(QString *error)
{
    sqlite3 *db = m_db.handle();
    return m_begin.prepare(db, "BEGIN IMMEDIATE", error, true) && m_commit.prepare(db, "COMMIT", error, true)
           && m_nextSeries.prepare(db,
                                   "SELECT device_key, metric_key FROM series WHERE (device_key, metric_key) > (?1, ?2)"
                                   " ORDER BY device_key, metric_key LIMIT ?3",
                                   error, true)
           && m_oldBlocks.prepare(db, kOldBlocks, error, true)
           && m_deleteBlock.prepare(db, "DELETE FROM telemetry_blocks WHERE id = ?1", error, true)
           && m_updateBlock.prepare(db,
                                    "UPDATE telemetry_blocks SET first_ms = ?2, count = ?3, data = ?4 WHERE id = ?1",
                                    error, true)
           && m_pruneMinute.prepare(db, kPruneMinute, error, true) && m_pruneHour.prepare(db, kPruneHour, error, true);
}

bool RetentionPruner::fail()
{
    m_db.rollbackIfOpen();
    return false;
}

bool RetentionPruner::pruneBlocks(qint64 deviceKey, qint64 metricKey, qint64 cutoffMs, qint64 budget,
                                  qint64 *deleted, bool *more, QString *error)
{
    *deleted = 0;
    *more = false;
    struct Old
    {
        qint64 id;
        qint64 count;
        qint64 lastMs;
        QByteArray data;
    };
    QList<Old> old;
    const qint64 limit = qMax<qint64>(1, budget / telemetry_layout::kSmallBlockPoints + 1);
    SqlStatement &st = m_oldBlocks;
    st.bindInt64(1, deviceKey);
    st.bindInt64(2, metricKey);
    st.bindInt64(3, telemetry_layout::windowOf(cutoffMs));
    st.bindInt64(4, cutoffMs);
    st.bindInt64(5, limit);
    int rc;
    while ((rc = st.step()) == SQLITE_ROW) {
        const qint64 lastMs = st.columnInt64(2);
        old.append(Old{st.columnInt64(0), st.columnInt64(1), lastMs,
                       lastMs < cutoffMs ? QByteArray() : st.columnBlob(3).toByteArray()});
    }
    st.reset();
    if (rc != SQLITE_DONE) {
        *error = st.errorMessage();
        return false;
    }
    *more = old.size() >= limit;
    for (const Old &b : std::as_const(old)) {
        if (b.lastMs < cutoffMs) {
            m_deleteBlock.bindInt64(1, b.id);
            if (!m_deleteBlock.execute(error))
                return false;
            *deleted += b.count;
            continue;
        }
        // Straddles the cutoff: keep the newer points.
        SeriesPoints points;
        QString why;
        if (!SeriesBlockCodec::decode(b.data, &points, &why)) {
            qCWarning(lcStorage).noquote() << "dropping damaged telemetry block" << b.id << ":" << why;
            points.clear();
        }
        const auto before = qint64(points.size());
        std::erase_if(points, [cutoffMs](const SeriesPoint &p) { return p.tsMs < cutoffMs; });
        if (points.empty()) {
            m_deleteBlock.bindInt64(1, b.id);
            if (!m_deleteBlock.execute(error))
                return false;
        } else {
            m_updateBlock.bindInt64(1, b.id);
            m_updateBlock.bindInt64(2, points.front().tsMs);
            m_updateBlock.bindInt64(3, qint64(points.size()));
            m_updateBlock.bindBlob(4, SeriesBlockCodec::encode(points));
            if (!m_updateBlock.execute(error))
                return false;
        }
        *deleted += before - qint64(points.size());
    }
    return true;
}

bool RetentionPruner::step(const Cutoffs &cutoffs, Cursor *cursor, int maxRows, qint64 *deleted,
                           qint64 *rollupsDeleted, bool *finished, QString *error)
{
    *deleted = 0;
    *rollupsDeleted = 0;
    *finished = false;
    maxRows = qMax(1, maxRows);
    if (!m_begin.execute(error))
        return fail();
    QList<QPair<qint64, qint64>> series;
    m_nextSeries.bindInt64(1, cursor->deviceKey);
    m_nextSeries.bindInt64(2, cursor->metricKey);
    m_nextSeries.bindInt64(3, kSeriesPerQuery);
    int rc;
    while ((rc = m_nextSeries.step()) == SQLITE_ROW)
        series.append(qMakePair(m_nextSeries.columnInt64(0), m_nextSeries.columnInt64(1)));
    m_nextSeries.reset();
    if (rc != SQLITE_DONE) {
        *error = m_nextSeries.errorMessage();
        return fail();
    }

    Cursor position = *cursor;
    bool budgetLeft = true;
    auto undo = [&] {
        *deleted = *rollupsDeleted = 0;
        return fail();
    };
    for (const auto &s : std::as_const(series)) {
        if (cutoffs.rawMs != Cutoffs::kKeepAll) {
            qint64 n = 0;
            bool more = false;
            const qint64 budget = maxRows - *deleted - *rollupsDeleted;
            if (!pruneBlocks(s.first, s.second, cutoffs.rawMs, budget, &n, &more, error))
                return undo();
            *deleted += n;
            qint64 legacy = 0;
            if (!m_legacy.prune(s.first, s.second, cutoffs.rawMs, budget - 1, &legacy, error))
                return undo();
            *deleted += legacy;
            if (more || legacy >= budget) {
                budgetLeft = false;
                break;
            }
        }
        const std::array<std::pair<SqlStatement *, qint64>, 2> rollups = {{
            {&m_pruneMinute, cutoffs.minuteMs},
            {&m_pruneHour, cutoffs.hourMs},
        }};
        for (const auto &[statement, cutoff] : rollups) {
            if (cutoff == Cutoffs::kKeepAll)
                continue;
            const qint64 budget = qMax<qint64>(1, maxRows - *deleted - *rollupsDeleted);
            statement->bindInt64(1, s.first);
            statement->bindInt64(2, s.second);
            statement->bindInt64(3, cutoff);
            statement->bindInt64(4, budget - 1);
            if (!statement->execute(error))
                return undo();
            const qint64 n = sqlite3_changes64(m_db.handle());
            *rollupsDeleted += n;
            if (n >= budget) {
                budgetLeft = false;
                break;
            }
        }
        if (!budgetLeft)
            break;
        position = Cursor{s.first, s.second};
    }
    if (!m_commit.execute(error))
        return undo();
    *cursor = position;
    *finished = budgetLeft && series.size() < kSeriesPerQuery;
    return true;
}

} // namespace fd
