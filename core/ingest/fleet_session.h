#pragma once

#include "core/commands/command_record.h"
#include "core/commands/device_command.h"
#include "core/domain/device.h"
#include "core/domain/ingest_limits.h"
#include "core/domain/telemetry_sample.h"
#include "core/domain/ingest_stats.h"
#include "core/storage/database.h"
#include "core/storage/retention_policy.h"
#include "core/transport/connection_profile.h"
#include "core/transport/inbound_queue.h"
#include "core/domain/connection_state.h"

#include <QObject>
#include <QStringList>

#include <memory>

namespace fd {

class IngestConsumer;
class LiveTelemetry;

// Facade the UI and fleetdeckctl share: the cache, the ingest thread (decode pipeline and
// its consumers), one thread per source (connection to a broker) and the storage writer
// thread, wired together.
//
//   open(db)                   -> cached inventory available at once (cachedDevices())
//   connectSource(profile)     -> live data of that broker, as source profile.name:
//                                 devicesUpdated() / statsUpdated() on the caller's thread
//   disconnectSource(name)     -> returns at once; the source's thread winds down
//   shutdown()                 -> disconnect everything, publish the last changes, commit
//
// Any number of sources at once; a device is (source, path), so two brokers that both
// carry "dev-1" give two devices. A source that goes down never stalls the others.
class FleetSession : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        qsizetype maxPayloadBytes = 256 * 1024;
        // Per source: messages waiting for ingest, and their bytes (maxPayloadBytes above
        // applies instead of the one in here).
        InboundLimits inbound{};
        // Telemetry stamped more than this after its receive time is rejected as
        // future_timestamp (a device clock far ahead); negative: accept any time.
        qint64 maxFutureSkewMs = 60 * 60 * 1000;
        RetentionPolicy retention{};  // raw 7 d, minute rollups 90 d, hour rollups 730 d
        int publishIntervalMs = 100;
        bool liveTelemetry = false;     // feed the live ring buffers (liveTelemetry())
        IngestLimits limits{};          // devices per source, metrics per device
    };

    explicit FleetSession(const Options &options, QObject *parent = nullptr);
    explicit FleetSession(QObject *parent = nullptr);
    ~FleetSession() override;  // calls shutdown()

    // Opens (creating if needed) the cache and loads the inventory. On failure nothing is
    // changed on disk; the caller may move the file aside (Database::moveAside) and retry.
    Database::OpenResult open(const QString &dbPath);
    // The same without blocking the caller's thread: the integrity check, migrations and the
    // inventory load run on a worker thread; opened() reports the result (then
    // cachedDevices() is filled and the writer runs). Call once, instead of open().
    void openAsync(const QString &dbPath);
    QList<Device> cachedDevices() const;
    qint64 cacheAsOfMs() const;  // newest update in the cache, 0 if empty

    // Registers an extra consumer of ingest (takes ownership; before the first connect).
    void addConsumer(IngestConsumer *consumer);

    // Connects the source named profile.name (empty: "host:port") to its broker; an
    // existing source of that name is reconnected with the new profile.
    void connectSource(const ConnectionProfile &profile, const ConnectionSecrets &secrets = {});
    void disconnectSource(const QString &name);
    QStringList sources() const;  // connected or connecting, sorted
    ConnectionState sourceState(const QString &name) const;
    QString sourceDetail(const QString &name) const;
    // While the source is reconnecting: when the next attempt is due (ms since epoch; 0:
    // none scheduled) and the failure that made it retry (the full reason).
    qint64 sourceNextRetryMs(const QString &name) const;
    QString sourceLastError(const QString &name) const;
    // The next reconnect attempt of the source now (reconnecting or failed; else nothing).
    void retrySource(const QString &name);
    static QString sourceNameFor(const ConnectionProfile &profile);

    // One broker (older callers): connectSource().
    void connectToBroker(const ConnectionProfile &profile, const ConnectionSecrets &secrets = {});
    // The "best" state over the sources: Connected if any is, else the most hopeful one.
    ConnectionState connectionState() const;

    // Deletes devices from the live state, the cache (its latest values, rejects, raw
    // telemetry and rollups) and, through devicesRemoved(), the models. Done on the ingest
    // thread and through the cache's single writer, in order with ingest: what the devices
    // sent before is deleted with them, what they send after makes them new devices.
    // Returns the request's id (> 0), or 0 when shut down; devicesDeleted() reports it once
    // the cache has committed (at once without a cache).
    quint64 deleteDevices(const QList<DeviceKey> &devices);

    // Sends a command to a device over its source's connection (command.target.source),
    // tracked by that source's CommandService: commandUpdated() reports every state, a
    // refused command (unknown source, invalid, queue full) commandRefused().
    void submitCommand(const DeviceCommand &command);

    // The live ring buffers, fed by ingest when Options::liveTelemetry (else empty).
    LiveTelemetry *liveTelemetry() const;
    // The cache file given to open() (history reads open their own connection to it).
    QString databasePath() const;

    // The retention in force (normalized). setRetention() applies at once to the running
    // writer (before open(): from the start); when a level got shorter, a retention pass
    // starts now and pruned() reports it; returns whether it did.
    RetentionPolicy retention() const;
    bool setRetention(const RetentionPolicy &policy);

    // The ingest limits in force; setLimits() applies from the next message on (the ingest
    // thread gets them queued, ahead of any later batch). Invalid limits are ignored.
    IngestLimits limits() const;
    void setLimits(const IngestLimits &limits);

    // Sets every reject counter to zero (IngestPipeline::resetRejects: also the counts stored
    // in the cache) and forgets the kept reject samples; devicesUpdated() and statsUpdated()
    // follow.
    void resetRejectCounters();

    // Stops ingest and commits everything received so far. Idempotent. Blocks the caller
    // until the cache has committed (at most the writer's flush timeout).
    void shutdown();
    // The same without blocking the caller's thread: sources stop on their threads, the
    // pipeline flushes and the writer commits on the ingest thread; shutdownFinished()
    // reports the end (then shutdown() has nothing left to do).
    void shutdownAsync();
    bool isShutDown() const;

    // Telemetry samples received and decoded that will never be in the cache (the file
    // kept failing, or they came after the writer stopped): non-zero means data was lost.
    quint64 unsavedSamples() const;
    // Samples and device states the cache refused for their content (counted as rejects).
    quint64 unstorableRejects() const;

signals:
    void opened(const fd::Database::OpenResult &result);
    void devicesUpdated(const QList<fd::Device> &changed);
    // The devices left the live state (deleteDevices()): models drop them. Delivered after
    // every devicesUpdated() that still had them.
    void devicesRemoved(const QList<fd::DeviceKey> &devices);
    // The deletion requestId is committed to the cache (committed), or was given up when
    // the writer stopped after a failure (storageError() said why).
    void devicesDeleted(quint64 requestId, const QList<fd::DeviceKey> &devices, bool committed);
    void statsUpdated(const fd::IngestStats &stats);
    void sourceStateChanged(const QString &source, fd::ConnectionState state, const QString &detail);
    // A reconnect of the source is scheduled at atMs (ms since epoch) after `reason`;
    // emitted before the sourceStateChanged(Reconnecting) it belongs to.
    void sourceRetryScheduled(const QString &source, qint64 atMs, const QString &reason);
    // The aggregate over every source (connectionState()), for one-broker callers.
    void connectionStateChanged(fd::ConnectionState state, const QString &detail);
    void commandUpdated(const fd::CommandRecord &record);
    void commandRefused(const fd::DeviceCommand &command, const QString &reason);
    void storageError(const QString &message);
    // A retention pass (at start, hourly or after setRetention()) deleted this many raw
    // telemetry rows (0 included).
    void pruned(qint64 rawRowsDeleted);
    // A cache of an older FleetDeck is converted to compressed telemetry in the background
    // (StorageWriter::migrationProgress): moved of total raw rows so far.
    void cacheMigrationProgress(qint64 moved, qint64 total, bool finished);
    // shutdownAsync() is done: everything received is committed (committed == true) or the
    // writer did not finish in time (false, logged).
    void shutdownFinished(bool committed);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
    void ensurePipeline();
    Database::OpenResult startWriter(const QString &dbPath, const Database::OpenResult &opened);
    void stopSource(const QString &name, bool wait);
    void onSourceState(quint64 serial, const QString &source, ConnectionState state, const QString &detail);
    void finishShutdown();
    void finishDeletion(quint64 requestId, bool committed);
};

} // namespace fd
