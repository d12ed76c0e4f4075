#pragma once

#include "core/domain/device.h"
#include "core/domain/telemetry_sample.h"

#include <QList>

namespace fd {

class Database;

// Read side of the cache: the inventory as last persisted, and raw telemetry queries.
// Uses the connection it is given (readers have their own connection, not the writer's).
// Errors are logged to fleetdeck.storage; the methods without an error parameter then
// return an empty result / 0.
class InventoryStore
{
public:
    explicit InventoryStore(Database &db);

    // How a Sparkplug B node or device stored online is loaded.
    //  - SessionsEnded: for a host application that starts (FleetSession, the GUI): no
    //    Sparkplug session survives a restart, so it opens offline with its values stale
    //    since it was last seen, until its next BIRTH.
    //  - AsStored: for a reader of a cache that a recorder keeps (fleetdeckctl devices): the
    //    recorder stores the current state while it runs and marks every node and device
    //    offline (stale from the loss) when it disconnects, so the stored state is the answer.
    enum class SparkplugState { SessionsEnded, AsStored };

    // Every cached device with attributes, latest metrics and reject counts, sorted by
    // (source, path).
    // Three queries in total, whatever the number of devices. Metrics are sorted by name.
    QList<Device> loadDevices(QString *error = nullptr, SparkplugState sparkplug = SparkplugState::SessionsEnded) const;
    // The cached devices a person may mean by name: those whose path is `name` or, when none
    // is, whose own id (last path segment) is; only of `source` unless it is empty. Sorted
    // by (source, path). Empty with *error set on failure.
    QList<DeviceKey> findDevices(const QString &name, const QString &source, QString *error = nullptr) const;
    // Time of the newest device update in the cache (ms since epoch), 0 if empty.
    qint64 lastUpdatedMs() const;
    // Raw samples of one device in [fromMs, toMs], ascending by time: the points of all its
    // metrics (RawSeriesReader) regrouped by timestamp, with their types, metrics in the
    // order of their keys (first recorded first). seq is not stored and is 0.
    QList<TelemetrySample> samples(const DeviceKey &device, qint64 fromMs, qint64 toMs) const;
    // Number of raw telemetry points (one metric value each) in blocks, staged and v3
    // rows. Sums every block's count: not for a GUI timer on a big cache.
    qint64 sampleCount() const;

private:
    // A one-value query (count, max); 0 and a logged warning on failure.
    qint64 queryInt64(const char *sql) const;

    Database &m_db;
};

} // namespace fd
