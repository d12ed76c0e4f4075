#pragma once

#include "core/domain/device_key.h"
#include "core/storage/legacy_telemetry_table.h"
#include "core/storage/sql_statement.h"

#include <QString>

namespace fd {

class Database;

// Deletes devices from the cache, inside a transaction its caller holds: the device row
// (its latest metric values and reject counts go with it: ON DELETE CASCADE, schema v3),
// its raw telemetry (blocks, staged rows and, while the migration runs, v3 rows) and its
// per-minute and per-hour rollups. Used by the cache's single
// writer (BatchCommitter, between the batches queued before and after the deletion) and by
// `fleetdeckctl devices --delete` on its own connection.
//
// The integer keys stay (device_keys, series): they name series and hold no data, and a
// writer running elsewhere on the same cache (a recorder) keeps them cached, so removing
// them under it would leave its later rows without a key. A device that reports again
// reuses its key and starts without history.
class DeviceDeleter
{
public:
    struct Counts
    {
        qint64 devices = 0;     // device rows deleted (0: the device was not in the cache)
        qint64 rawRows = 0;     // raw telemetry points
        qint64 rollupRows = 0;  // telemetry_1m + telemetry_1h rows
        Counts &operator+=(const Counts &o)
        {
            devices += o.devices;
            rawRows += o.rawRows;
            rollupRows += o.rollupRows;
            return *this;
        }
    };

    explicit DeviceDeleter(Database &db);

    bool prepare(QString *error);
    // Deletes one device; a device the cache does not hold is no error (counts stay 0).
    bool deleteDevice(const DeviceKey &device, Counts *counts, QString *error);

private:
    Database &m_db;
    LegacyTelemetryTable m_legacy;
    SqlStatement m_findKey;
    SqlStatement m_countBlocks;
    SqlStatement m_deleteBlocks;
    SqlStatement m_countStaged;
    SqlStatement m_deleteStaged;
    SqlStatement m_deleteMinute;
    SqlStatement m_deleteHour;
    SqlStatement m_deleteDevice;
};

} // namespace fd
