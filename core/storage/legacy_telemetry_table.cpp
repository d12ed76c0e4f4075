#include "core/storage/legacy_telemetry_table.h"

#include "core/storage/database.h"
#include "core/storage/telemetry_layout.h"

#include <sqlite3.h>

namespace fd {

namespace {

// Deletes the oldest rows of one series below ?3, at most ?4 + 1 of them: the subquery
// finds the timestamp of the (?4 + 1)-th old row (NULL if there are fewer).
constexpr const char kPrune[] =
    "DELETE FROM telemetry WHERE device_key = ?1 AND metric_key = ?2 AND ts_ms < ?3"
    " AND ts_ms <= coalesce((SELECT ts_ms FROM telemetry"
    "   WHERE device_key = ?1 AND metric_key = ?2 AND ts_ms < ?3"
    "   ORDER BY ts_ms LIMIT 1 OFFSET ?4), ?3)";

} // namespace

LegacyTelemetryTable::LegacyTelemetryTable(Database &db)
    : m_db(db)
{
}

bool LegacyTelemetryTable::prepare(QString *error)
{
    SqlStatement probe;
    if (!probe.prepare(m_db.handle(), "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'telemetry'",
                       error))
        return false;
    const int rc = probe.step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        *error = probe.errorMessage();
        return false;
    }
    m_exists = rc == SQLITE_ROW;
    if (!m_exists)
        return true;
    sqlite3 *db = m_db.handle();
    return m_readWindow.prepare(db,
                                "SELECT ts_ms, value FROM telemetry WHERE device_key = ?1 AND metric_key = ?2"
                                " AND ts_ms >= ?3 AND ts_ms < ?4 ORDER BY ts_ms",
                                error, true)
           && m_deleteWindow.prepare(db,
                                     "DELETE FROM telemetry WHERE device_key = ?1 AND metric_key = ?2"
                                     " AND ts_ms >= ?3 AND ts_ms < ?4",
                                     error, true)
           && m_newest.prepare(db,
                               "SELECT ts_ms FROM telemetry WHERE device_key = ?1 AND metric_key = ?2"
                               " ORDER BY ts_ms DESC LIMIT 1",
                               error, true)
           && m_first.prepare(db,
                              "SELECT device_key, metric_key, ts_ms FROM telemetry"
                              " ORDER BY device_key, metric_key, ts_ms LIMIT 1",
                              error, true)
           && m_prune.prepare(db, kPrune, error, true)
           && m_deleteDevice.prepare(db, "DELETE FROM telemetry WHERE device_key = ?1", error, true);
}

bool LegacyTelemetryTable::readWindow(qint64 deviceKey, qint64 metricKey, qint64 windowMs, SeriesPoints *points,
                                      QString *error)
{
    if (!m_exists)
        return true;
    SqlStatement &st = m_readWindow;
    st.bindInt64(1, deviceKey);
    st.bindInt64(2, metricKey);
    st.bindInt64(3, windowMs);
    st.bindInt64(4, telemetry_layout::windowEnd(windowMs));
    int rc;
    while ((rc = st.step()) == SQLITE_ROW) {
        SeriesPoint p;
        p.tsMs = st.columnInt64(0);
        p.value = st.columnDouble(1);  // NULL reads back as NaN
        points->push_back(std::move(p));
    }
    st.reset();
    if (rc != SQLITE_DONE) {
        *error = st.errorMessage();
        return false;
    }
    return true;
}

bool LegacyTelemetryTable::deleteWindow(qint64 deviceKey, qint64 metricKey, qint64 windowMs, qint64 *deleted,
                                        QString *error)
{
    *deleted = 0;
    if (!m_exists)
        return true;
    m_deleteWindow.bindInt64(1, deviceKey);
    m_deleteWindow.bindInt64(2, metricKey);
    m_deleteWindow.bindInt64(3, windowMs);
    m_deleteWindow.bindInt64(4, telemetry_layout::windowEnd(windowMs));
    if (!m_deleteWindow.execute(error))
        return false;
    *deleted = sqlite3_changes64(m_db.handle());
    return true;
}

bool LegacyTelemetryTable::newestMs(qint64 deviceKey, qint64 metricKey, bool *found, qint64 *ms, QString *error)
{
    *found = false;
    if (!m_exists)
        return true;
    m_newest.bindInt64(1, deviceKey);
    m_newest.bindInt64(2, metricKey);
    const int rc = m_newest.step();
    if (rc == SQLITE_ROW) {
        *found = true;
        *ms = m_newest.columnInt64(0);
    }
    m_newest.reset();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        *error = m_newest.errorMessage();
        return false;
    }
    return true;
}

bool LegacyTelemetryTable::firstRow(bool *found, qint64 *deviceKey, qint64 *metricKey, qint64 *tsMs, QString *error)
{
    *found = false;
    if (!m_exists)
        return true;
    const int rc = m_first.step();
    if (rc == SQLITE_ROW) {
        *found = true;
        *deviceKey = m_first.columnInt64(0);
        *metricKey = m_first.columnInt64(1);
        *tsMs = m_first.columnInt64(2);
    }
    m_first.reset();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        *error = m_first.errorMessage();
        return false;
    }
    return true;
}

bool LegacyTelemetryTable::prune(qint64 deviceKey, qint64 metricKey, qint64 cutoffMs, qint64 maxRows,
                                 qint64 *deleted, QString *error)
{
    *deleted = 0;
    if (!m_exists)
        return true;
    m_prune.bindInt64(1, deviceKey);
    m_prune.bindInt64(2, metricKey);
    m_prune.bindInt64(3, cutoffMs);
    m_prune.bindInt64(4, qMax<qint64>(0, maxRows));
    if (!m_prune.execute(error))
        return false;
    *deleted = sqlite3_changes64(m_db.handle());
    return true;
}

bool LegacyTelemetryTable::deleteDevice(qint64 deviceKey, qint64 *deleted, QString *error)
{
    *deleted = 0;
    if (!m_exists)
        return true;
    m_deleteDevice.bindInt64(1, deviceKey);
    if (!m_deleteDevice.execute(error))
        return false;
    *deleted = sqlite3_changes64(m_db.handle());
    return true;
}

bool LegacyTelemetryTable::count(qint64 *rows, QString *error)
{
    *rows = 0;
    if (!m_exists)
        return true;
    SqlStatement st;
    if (!st.prepare(m_db.handle(), "SELECT count(*) FROM telemetry", error))
        return false;
    if (st.step() != SQLITE_ROW) {
        *error = st.errorMessage();
        return false;
    }
    *rows = st.columnInt64(0);
    return true;
}

bool LegacyTelemetryTable::drop(QString *error)
{
    if (!m_exists)
        return true;
    for (SqlStatement *st : {&m_readWindow, &m_deleteWindow, &m_newest, &m_first, &m_prune, &m_deleteDevice})
        st->finalize();
    if (!m_db.exec("DROP TABLE telemetry", error))
        return false;
    m_exists = false;
    return true;
}

} // namespace fd
