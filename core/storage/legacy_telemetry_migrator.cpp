#include "core/storage/legacy_telemetry_migrator.h"

#include "core/storage/database.h"
#include "core/storage/legacy_telemetry_table.h"
#include "core/storage/storage_log.h"
#include "core/storage/telemetry_layout.h"

#include <sqlite3.h>

namespace fd {

LegacyTelemetryMigrator::LegacyTelemetryMigrator(Database &db, LegacyTelemetryTable &legacy)
    : m_db(db)
    , m_legacy(legacy)
    , m_blocks(db)
    , m_rollups(db)
    , m_rewriter(m_blocks, legacy, m_rollups)
{
}

bool LegacyTelemetryMigrator::prepare(QString *error)
{
    sqlite3 *db = m_db.handle();
    return m_blocks.prepare(error) && m_rollups.prepare(error) && m_begin.prepare(db, "BEGIN IMMEDIATE", error, true)
           && m_commit.prepare(db, "COMMIT", error, true);
}

bool LegacyTelemetryMigrator::isFinished() const
{
    return !m_legacy.exists();
}

bool LegacyTelemetryMigrator::rollback()
{
    m_db.rollbackIfOpen();
    QString error;
    if (!m_legacy.prepare(&error))  // a rolled back DROP TABLE: the table is back
        qCWarning(lcStorage).noquote() << "cannot look at the v3 telemetry table:" << error;
    return false;
}

bool LegacyTelemetryMigrator::step(int maxRows, bool *finished, QString *error)
{
    *finished = isFinished();
    if (*finished)
        return true;
    if (m_total < 0 && !m_legacy.count(&m_total, error))
        return false;
    if (!m_begin.execute(error))
        return rollback();
    qint64 moved = 0;
    while (moved < maxRows) {
        bool found = false;
        qint64 deviceKey = 0;
        qint64 metricKey = 0;
        qint64 tsMs = 0;
        if (!m_legacy.firstRow(&found, &deviceKey, &metricKey, &tsMs, error))
            return rollback();
        if (!found) {
            if (!m_legacy.drop(error))
                return rollback();
            *finished = true;
            break;
        }
        int written = 0;
        qint64 rows = 0;
        if (!m_rewriter.rewrite(deviceKey, metricKey, telemetry_layout::windowOf(tsMs), {}, true, false, &written,
                                error, &rows))
            return rollback();
        if (rows == 0) {  // cannot happen (the first row is in that window); never loop on it
            *error = QStringLiteral("the v3 telemetry row at %1 of series %2/%3 did not move").arg(tsMs).arg(deviceKey).arg(metricKey);
            return rollback();
        }
        moved += rows;
    }
    if (!m_commit.execute(error))
        return rollback();
    m_moved += moved;
    if (*finished)
        qCInfo(lcStorage) << "the v3 raw telemetry is converted to blocks:" << m_moved << "rows";
    return true;
}

} // namespace fd
