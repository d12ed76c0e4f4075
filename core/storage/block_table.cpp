#include "core/storage/block_table.h"

#include "core/compression/series_block_codec.h"
#include "core/storage/database.h"
#include "core/storage/storage_log.h"
#include "core/storage/telemetry_layout.h"

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace fd {

namespace {

constexpr const char kReadWindow[] =
    "SELECT id, count, first_ms, last_ms, data FROM telemetry_blocks"
    " WHERE device_key = ?1 AND metric_key = ?2 AND window_ms = ?3 AND count < ?4 ORDER BY id";

constexpr const char kInsert[] =
    "INSERT INTO telemetry_blocks(device_key, metric_key, window_ms, first_ms, last_ms, count, data)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)";

constexpr const char kLatest[] =
    "SELECT window_ms, max(last_ms), count(*), sum(count < ?3) FROM telemetry_blocks"
    " WHERE device_key = ?1 AND metric_key = ?2 AND window_ms ="
    " (SELECT max(window_ms) FROM telemetry_blocks WHERE device_key = ?1 AND metric_key = ?2)";

} // namespace

BlockTable::BlockTable(Database &db)
    : m_db(db)
{
}

bool BlockTable::prepare(QString *error)
{
    sqlite3 *db = m_db.handle();
    return m_readWindow.prepare(db, kReadWindow, error, true) && m_insert.prepare(db, kInsert, error, true)
           && m_delete.prepare(db, "DELETE FROM telemetry_blocks WHERE id = ?1", error, true)
           && m_latest.prepare(db, kLatest, error, true);
}

bool BlockTable::readWindow(qint64 deviceKey, qint64 metricKey, qint64 windowMs, bool onlySmall,
                            SeriesPoints *points, QList<Block> *blocks, QString *error)
{
    SqlStatement &st = m_readWindow;
    st.bindInt64(1, deviceKey);
    st.bindInt64(2, metricKey);
    st.bindInt64(3, windowMs);
    st.bindInt64(4, onlySmall ? telemetry_layout::kSmallBlockPoints : std::numeric_limits<qint64>::max());
    int rc;
    while ((rc = st.step()) == SQLITE_ROW) {
        Block b{st.columnInt64(0), int(st.columnInt64(1)), st.columnInt64(2), st.columnInt64(3)};
        QString why;
        if (!SeriesBlockCodec::decode(st.columnBlob(4), points, &why)) {
            // Its points are gone either way; listed, it is removed with the window it is
            // in rather than failing every later write of the series.
            qCWarning(lcStorage).noquote() << "dropping damaged telemetry block" << b.id << "of series" << deviceKey
                                           << metricKey << ":" << why;
        }
        blocks->append(b);
    }
    if (rc != SQLITE_DONE) {
        *error = st.errorMessage();
        st.reset();
        return false;
    }
    st.reset();
    return true;
}

bool BlockTable::insert(qint64 deviceKey, qint64 metricKey, qint64 windowMs, std::span<const SeriesPoint> points,
                        QString *error)
{
    for (size_t from = 0; from < points.size(); from += telemetry_layout::kMaxBlockPoints) {
        const auto chunk = points.subspan(from, qMin(points.size() - from, size_t(telemetry_layout::kMaxBlockPoints)));
        m_insert.bindInt64(1, deviceKey);
        m_insert.bindInt64(2, metricKey);
        m_insert.bindInt64(3, windowMs);
        m_insert.bindInt64(4, chunk.front().tsMs);
        m_insert.bindInt64(5, chunk.back().tsMs);
        m_insert.bindInt64(6, qint64(chunk.size()));
        m_insert.bindBlob(7, SeriesBlockCodec::encode(chunk));
        if (!m_insert.execute(error))
            return false;
    }
    return true;
}

bool BlockTable::remove(const QList<Block> &blocks, QString *error)
{
    for (const Block &b : blocks) {
        m_delete.bindInt64(1, b.id);
        if (!m_delete.execute(error))
            return false;
    }
    return true;
}

bool BlockTable::latestWindow(qint64 deviceKey, qint64 metricKey, LatestWindow *out, QString *error)
{
    SqlStatement &st = m_latest;
    st.bindInt64(1, deviceKey);
    st.bindInt64(2, metricKey);
    st.bindInt64(3, telemetry_layout::kSmallBlockPoints);
    const int rc = st.step();
    *out = {};
    if (rc == SQLITE_ROW && !st.columnIsNull(0)) {
        out->found = true;
        out->windowMs = st.columnInt64(0);
        out->newestMs = st.columnInt64(1);
        out->blocks = int(st.columnInt64(2));
        out->smallBlocks = int(st.columnInt64(3));
    }
    st.reset();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        *error = st.errorMessage();
        return false;
    }
    return true;
}

} // namespace fd
