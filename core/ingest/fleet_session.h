#pragma once

#include "core/domain/device.h"
#include "core/domain/telemetry_sample.h"
#include "core/ingest/ingest_stats.h"
#include "core/storage/database.h"
#include "core/storage/retention_policy.h"
#include "core/transport/connection_profile.h"
#include "core/transport/connection_state.h"

#include <QObject>

#include <memory>

namespace fd {

// Facade the UI and fleetdeckctl share: the cache, the ingest thread (MQTT client + decode
// pipeline) and the storage writer thread, wired together.
//
//   open(db)            -> cached inventory available at once (cachedDevices())
//   connectToBroker()   -> live data: devicesUpdated() / statsUpdated() on the caller's thread
//   shutdown()          -> disconnect, publish the last changes, commit everything
class FleetSession : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        qsizetype maxPayloadBytes = 256 * 1024;
        RetentionPolicy retention;  // raw 7 d, minute rollups 90 d, hour rollups 730 d
        int publishIntervalMs = 100;
        int liveSamplesIntervalMs = 0;  // > 0: telemetryReceived() at most this often
    };

    explicit FleetSession(const Options &options, QObject *parent = nullptr);
    explicit FleetSession(QObject *parent = nullptr);
    ~FleetSession() override;  // calls shutdown()

    // Opens (creating if needed) the cache and loads the inventory. On failure nothing is
    // changed on disk; the caller may move the file aside (Database::moveAside) and retry.
    Database::OpenResult open(const QString &dbPath);
    QList<Device> cachedDevices() const;
    qint64 cacheAsOfMs() const;  // newest update in the cache, 0 if empty

    void connectToBroker(const ConnectionProfile &profile, const ConnectionSecrets &secrets = {});
    void disconnectFromBroker();
    ConnectionState connectionState() const;
    // Turns on telemetryReceived() (coalesced to at most one per ms; 0 turns it off).
    void setLiveSamplesIntervalMs(int ms);
    // The cache file given to open() (history reads open their own connection to it).
    QString databasePath() const;

    // The retention in force (normalized). setRetention() applies at once to the running
    // writer (before open(): from the start); when a level got shorter, a retention pass
    // starts now and pruned() reports it; returns whether it did.
    RetentionPolicy retention() const;
    bool setRetention(const RetentionPolicy &policy);

    // Stops ingest and commits everything received so far. Idempotent.
    void shutdown();

signals:
    void devicesUpdated(const QList<fd::Device> &changed);
    void statsUpdated(const fd::IngestStats &stats);
    // Decoded telemetry for live charts, coalesced (Options::liveSamplesIntervalMs).
    void telemetryReceived(const QList<fd::TelemetrySample> &samples);
    void connectionStateChanged(fd::ConnectionState state, const QString &detail);
    void storageError(const QString &message);
    // A retention pass (at start, hourly or after setRetention()) deleted this many raw
    // telemetry rows (0 included).
    void pruned(qint64 rawRowsDeleted);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace fd
