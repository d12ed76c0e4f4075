#pragma once

#include "core/domain/device.h"
#include "core/domain/telemetry_sample.h"

#include <QList>

namespace fd {

class Database;

// Read side of the cache: the inventory as last persisted, and raw telemetry queries.
// Uses the connection it is given (readers have their own connection, not the writer's).
class InventoryStore
{
public:
    explicit InventoryStore(Database &db);

    // Every cached device with attributes, latest metrics and reject counts, sorted by id.
    QList<Device> loadDevices(QString *error = nullptr) const;
    // Time of the newest device update in the cache (ms since epoch), 0 if empty.
    qint64 lastUpdatedMs() const;
    // Raw samples of one device in [fromMs, toMs], ascending by time.
    QList<TelemetrySample> samples(const QString &deviceId, qint64 fromMs, qint64 toMs) const;
    qint64 sampleCount() const;

private:
    Database &m_db;
};

} // namespace fd
