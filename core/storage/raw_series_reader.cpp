#include "core/storage/raw_series_reader.h"

#include "core/compression/series_block_codec.h"
#include "core/storage/database.h"
#include "core/storage/staging_record_codec.h"
#include "core/storage/telemetry_layout.h"

#include <sqlite3.h>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace fd {

namespace {

constexpr const char kBlocks[] =
    "SELECT id, data FROM telemetry_blocks WHERE device_key = ?1 AND metric_key = ?2"
    " AND window_ms >= ?3 AND window_ms <= ?4 AND last_ms >= ?5 AND first_ms <= ?6 ORDER BY window_ms, id";

constexpr const char kStaging[] =
    "SELECT seq, data FROM telemetry_staging WHERE device_key = ?1 AND last_ms >= ?2 AND first_ms <= ?3"
    " ORDER BY seq";

constexpr const char kOldestBlock[] =
    "SELECT min(first_ms) FROM telemetry_blocks WHERE device_key = ?1 AND metric_key = ?2 AND window_ms ="
    " (SELECT min(window_ms) FROM telemetry_blocks WHERE device_key = ?1 AND metric_key = ?2)";

// One read snapshot for a whole read (SAVEPOINT: a transaction of its own, or nested in
// the caller's), so the migration dropping the v3 table between two statements of one read
// cannot fail it half way.
class ReadSnapshot
{
public:
    explicit ReadSnapshot(Database &db)
        : m_db(db)
    {
    }
    ~ReadSnapshot()
    {
        if (m_open)
            m_db.exec("RELEASE fd_raw_read");
    }
    bool begin(QString *error)
    {
        m_open = m_db.exec("SAVEPOINT fd_raw_read", error);
        return m_open;
    }

private:
    Database &m_db;
    bool m_open = false;
};

bool strictlyAscending(const SeriesPoints &points)
{
    return std::adjacent_find(points.begin(), points.end(), [](const SeriesPoint &a, const SeriesPoint &b) {
               return a.tsMs >= b.tsMs;
           }) == points.end();
}

void keepRange(SeriesPoints *points, qint64 fromMs, qint64 toMs)
{
    std::erase_if(*points, [fromMs, toMs](const SeriesPoint &p) { return p.tsMs < fromMs || p.tsMs > toMs; });
}

} // namespace

RawSeriesReader::RawSeriesReader(Database &db)
    : m_db(db)
{
}

bool RawSeriesReader::prepare(QString *error)
{
    if (!m_schema.isValid() && !m_schema.prepare(m_db.handle(), "PRAGMA schema_version", error, true))
        return false;
    if (m_schema.step() != SQLITE_ROW) {
        *error = m_schema.errorMessage();
        m_schema.reset();
        return false;
    }
    const qint64 version = m_schema.columnInt64(0);
    m_schema.reset();
    if (version == m_schemaVersion)
        return true;
    sqlite3 *db = m_db.handle();
    SqlStatement probe;
    if (!probe.prepare(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'telemetry'", error))
        return false;
    const int rc = probe.step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        *error = probe.errorMessage();
        return false;
    }
    m_hasLegacy = rc == SQLITE_ROW;
    m_legacy.finalize();
    m_oldestLegacy.finalize();
    const bool ok = m_blocks.prepare(db, kBlocks, error, true) && m_staging.prepare(db, kStaging, error, true)
                    && m_oldestBlock.prepare(db, kOldestBlock, error, true)
                    && (!m_hasLegacy
                        || (m_legacy.prepare(db,
                                             "SELECT ts_ms, value FROM telemetry WHERE device_key = ?1"
                                             " AND metric_key = ?2 AND ts_ms >= ?3 AND ts_ms <= ?4 ORDER BY ts_ms",
                                             error, true)
                            && m_oldestLegacy.prepare(db,
                                                      "SELECT ts_ms FROM telemetry WHERE device_key = ?1"
                                                      " AND metric_key = ?2 ORDER BY ts_ms LIMIT 1",
                                                      error, true)));
    m_schemaVersion = ok ? version : -1;
    return ok;
}

bool RawSeriesReader::read(qint64 deviceKey, qint64 metricKey, qint64 fromMs, qint64 toMs, SeriesPoints *out,
                           QString *error)
{
    out->clear();
    if (fromMs > toMs)
        return true;
    ReadSnapshot snapshot(m_db);
    if (!snapshot.begin(error) || !prepare(error) || !readLegacy(deviceKey, metricKey, fromMs, toMs, out, error)
        || !readBlocks(deviceKey, metricKey, fromMs, toMs, out, error))
        return false;
    SeriesPoints staged;
    if (!readStaged(deviceKey, metricKey, fromMs, toMs, &staged, error))
        return false;
    const bool mixed = !staged.empty();
    out->insert(out->end(), std::make_move_iterator(staged.begin()), std::make_move_iterator(staged.end()));
    // Blocks cover disjoint stretches in the order written: usually already in order.
    if (mixed || !strictlyAscending(*out))
        sortAndDeduplicate(*out);
    keepRange(out, fromMs, toMs);
    return true;
}

bool RawSeriesReader::readBlocks(qint64 deviceKey, qint64 metricKey, qint64 fromMs, qint64 toMs, SeriesPoints *out,
                                 QString *error)
{
    SqlStatement &st = m_blocks;
    st.bindInt64(1, deviceKey);
    st.bindInt64(2, metricKey);
    st.bindInt64(3, telemetry_layout::windowOf(fromMs));
    st.bindInt64(4, toMs);
    st.bindInt64(5, fromMs);
    st.bindInt64(6, toMs);
    int rc;
    while ((rc = st.step()) == SQLITE_ROW) {
        QString why;
        if (!SeriesBlockCodec::decode(st.columnBlob(1), out, &why)) {
            *error = u"the telemetry block %1 in the cache is damaged (%2)"_s.arg(st.columnInt64(0)).arg(why);
            st.reset();
            return false;
        }
    }
    st.reset();
    if (rc != SQLITE_DONE) {
        *error = st.errorMessage();
        return false;
    }
    return true;
}

bool RawSeriesReader::readLegacy(qint64 deviceKey, qint64 metricKey, qint64 fromMs, qint64 toMs, SeriesPoints *out,
                                 QString *error)
{
    if (!m_hasLegacy)
        return true;
    SqlStatement &st = m_legacy;
    st.bindInt64(1, deviceKey);
    st.bindInt64(2, metricKey);
    st.bindInt64(3, fromMs);
    st.bindInt64(4, toMs);
    int rc;
    while ((rc = st.step()) == SQLITE_ROW) {
        SeriesPoint p;
        p.tsMs = st.columnInt64(0);
        p.value = st.columnDouble(1);
        out->push_back(std::move(p));
    }
    st.reset();
    if (rc != SQLITE_DONE) {
        *error = st.errorMessage();
        return false;
    }
    return true;
}

bool RawSeriesReader::readStaged(qint64 deviceKey, qint64 metricKey, qint64 fromMs, qint64 toMs, SeriesPoints *out,
                                 QString *error)
{
    out->clear();
    if (!prepare(error))
        return false;
    SqlStatement &st = m_staging;
    st.bindInt64(1, deviceKey);
    st.bindInt64(2, fromMs);
    st.bindInt64(3, toMs);
    std::vector<StagedPoint> row;
    int rc;
    while ((rc = st.step()) == SQLITE_ROW) {
        row.clear();
        QString why;
        if (!StagingRecordCodec::decode(st.columnBlob(1), &row, &why))
            continue;  // the writer drops it when it packs; nothing to read in it
        for (StagedPoint &sp : row) {
            if (sp.metricKey == metricKey && sp.point.tsMs >= fromMs && sp.point.tsMs <= toMs)
                out->push_back(std::move(sp.point));
        }
    }
    st.reset();
    if (rc != SQLITE_DONE) {
        *error = st.errorMessage();
        return false;
    }
    sortAndDeduplicate(*out);
    return true;
}

bool RawSeriesReader::countAll(qint64 *points, QString *error)
{
    *points = 0;
    ReadSnapshot snapshot(m_db);
    if (!snapshot.begin(error) || !prepare(error))
        return false;
    const char *sql = m_hasLegacy ? "SELECT (SELECT coalesce(sum(count), 0) FROM telemetry_blocks)"
                                    " + (SELECT coalesce(sum(count), 0) FROM telemetry_staging)"
                                    " + (SELECT count(*) FROM telemetry)"
                                  : "SELECT (SELECT coalesce(sum(count), 0) FROM telemetry_blocks)"
                                    " + (SELECT coalesce(sum(count), 0) FROM telemetry_staging)";
    SqlStatement st;
    if (!st.prepare(m_db.handle(), sql, error))
        return false;
    if (st.step() != SQLITE_ROW) {
        *error = st.errorMessage();
        return false;
    }
    *points = st.columnInt64(0);
    return true;
}

bool RawSeriesReader::oldestMs(qint64 deviceKey, qint64 metricKey, bool *found, qint64 *ms, QString *error)
{
    *found = false;
    ReadSnapshot snapshot(m_db);
    if (!snapshot.begin(error) || !prepare(error))
        return false;
    auto take = [&](SqlStatement &st) {
        st.bindInt64(1, deviceKey);
        st.bindInt64(2, metricKey);
        const int rc = st.step();
        if (rc == SQLITE_ROW && !st.columnIsNull(0)) {
            const qint64 t = st.columnInt64(0);
            *ms = *found ? qMin(*ms, t) : t;
            *found = true;
        }
        st.reset();
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            *error = st.errorMessage();
            return false;
        }
        return true;
    };
    if (!take(m_oldestBlock) || (m_hasLegacy && !take(m_oldestLegacy)))
        return false;
    SeriesPoints staged;
    if (!readStaged(deviceKey, metricKey, std::numeric_limits<qint64>::min(), std::numeric_limits<qint64>::max(),
                    &staged, error))
        return false;
    if (!staged.empty()) {
        *ms = *found ? qMin(*ms, staged.front().tsMs) : staged.front().tsMs;
        *found = true;
    }
    return true;
}

} // namespace fd
