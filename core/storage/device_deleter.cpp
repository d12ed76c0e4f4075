#include "core/storage/device_deleter.h"

#include "core/storage/database.h"

#include <sqlite3.h>

namespace fd {

DeviceDeleter::DeviceDeleter(Database &db)
    : m_db(db)
    , m_legacy(db)
{
}

bool DeviceDeleter::prepare(QString *error)
{
    sqlite3 *db = m_db.handle();
    // Blocks and rollups by device_key are one range of their index or primary key: no scan
    // of other devices' rows. The staging table is scanned; it holds only the last seconds.
    return m_findKey.prepare(db, "SELECT id FROM device_keys WHERE source = ?1 AND path = ?2", error, true)
           && m_legacy.prepare(error)
           && m_countBlocks.prepare(db, "SELECT coalesce(sum(count), 0) FROM telemetry_blocks WHERE device_key = ?1",
                                    error, true)
           && m_deleteBlocks.prepare(db, "DELETE FROM telemetry_blocks WHERE device_key = ?1", error, true)
           && m_countStaged.prepare(db, "SELECT coalesce(sum(count), 0) FROM telemetry_staging WHERE device_key = ?1",
                                    error, true)
           && m_deleteStaged.prepare(db, "DELETE FROM telemetry_staging WHERE device_key = ?1", error, true)
           && m_deleteMinute.prepare(db, "DELETE FROM telemetry_1m WHERE device_key = ?1", error, true)
           && m_deleteHour.prepare(db, "DELETE FROM telemetry_1h WHERE device_key = ?1", error, true)
           && m_deleteDevice.prepare(db, "DELETE FROM devices WHERE source = ?1 AND path = ?2", error, true);
}

bool DeviceDeleter::deleteDevice(const DeviceKey &device, Counts *counts, QString *error)
{
    sqlite3 *db = m_db.handle();
    m_findKey.bindText(1, device.source);
    m_findKey.bindText(2, device.path);
    const int rc = m_findKey.step();
    const bool hasKey = rc == SQLITE_ROW;
    const qint64 key = hasKey ? m_findKey.columnInt64(0) : 0;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        if (error)
            *error = m_findKey.errorMessage();
        m_findKey.reset();
        return false;
    }
    m_findKey.reset();
    if (hasKey) {  // a device that never sent telemetry has no key
        for (SqlStatement *count : {&m_countBlocks, &m_countStaged}) {
            count->bindInt64(1, key);
            const int crc = count->step();
            if (crc == SQLITE_ROW)
                counts->rawRows += count->columnInt64(0);
            count->reset();
            if (crc != SQLITE_ROW) {
                if (error)
                    *error = count->errorMessage();
                return false;
            }
        }
        qint64 legacyRows = 0;
        QString legacyError;
        // The v3 table may have been dropped since (the migration finished): look again.
        if (m_legacy.exists() && !m_legacy.prepare(error ? error : &legacyError))
            return false;
        if (!m_legacy.deleteDevice(key, &legacyRows, error ? error : &legacyError))
            return false;
        counts->rawRows += legacyRows;
        for (SqlStatement *st : {&m_deleteBlocks, &m_deleteStaged, &m_deleteMinute, &m_deleteHour}) {
            st->bindInt64(1, key);
            if (!st->execute(error))
                return false;
            if (st == &m_deleteMinute || st == &m_deleteHour)
                counts->rollupRows += sqlite3_changes64(db);
        }
    }
    // Its latest values (device_metrics) and reject counts (device_rejects) cascade.
    m_deleteDevice.bindText(1, device.source);
    m_deleteDevice.bindText(2, device.path);
    if (!m_deleteDevice.execute(error))
        return false;
    counts->devices += sqlite3_changes64(db);
    return true;
}

} // namespace fd
