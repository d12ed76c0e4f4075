#include "core/storage/device_deleter.h"

#include "core/storage/database.h"

#include <sqlite3.h>

namespace fd {

DeviceDeleter::DeviceDeleter(Database &db)
    : m_db(db)
{
}

bool DeviceDeleter::prepare(QString *error)
{
    sqlite3 *db = m_db.handle();
    // Each DELETE by device_key is one range of the table's primary key
    // (device_key, metric_key, ts_ms / bucket_ms): no scan of other devices' rows.
    return m_findKey.prepare(db, "SELECT id FROM device_keys WHERE source = ?1 AND path = ?2", error, true)
           && m_deleteRaw.prepare(db, "DELETE FROM telemetry WHERE device_key = ?1", error, true)
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
    if (hasKey) {  // a device that never sent numeric telemetry has no key
        for (SqlStatement *st : {&m_deleteRaw, &m_deleteMinute, &m_deleteHour}) {
            st->bindInt64(1, key);
            if (!st->execute(error))
                return false;
            (st == &m_deleteRaw ? counts->rawRows : counts->rollupRows) += sqlite3_changes64(db);
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
