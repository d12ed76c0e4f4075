#pragma once

#include "core/commands/device_command.h"
#include "core/domain/connection_state.h"
#include "core/domain/mqtt_message.h"
#include "core/ota/firmware_artifact.h"
#include "core/ota/ota_status_message.h"
#include "core/ota/ota_topics.h"
#include "core/ota/rollout.h"
#include "core/ota/rollout_engine.h"
#include "core/ota/rollout_progress.h"
#include "core/ota/rollout_summary.h"
#include "core/transport/connection_profile.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <deque>
#include <functional>
#include <memory>
#include <optional>

namespace fd {

class CommandService;
class MqttClient;
class MqttCommandPublisher;
class OperationsStore;
class OtaChunkServer;
struct CommandRecord;

// Runs ONE rollout against one broker (docs/ota.md "Running a rollout"): its own MQTT
// connection (client id "fleetdeck-rollout-<uid>"), a CommandService for the retained job
// documents, an OtaChunkServer for the downloads, the device statuses, and the
// RolloutEngine, whose every decision is committed to the operations store (RolloutTable::
// applyChanges) BEFORE its job documents are published or cleared.
//
// - One decision in flight at a time: events (statuses, PUBACKs, ticks, operator actions)
//   arriving meanwhile wait in order; a device's successive progress-only statuses are
//   folded into one.
// - Reconciliation, on every (re)connect: nothing is published until the subscriptions to
//   {prefix}/+/ota/job and {prefix}/+/ota/status are acknowledged and the retained messages
//   have arrived (settle). A retained job document with a `dispatching` row's job id means it
//   was published (-> jobPublished); retained statuses are fed to the engine; only then are
//   the remaining `dispatching` rows published. So a kill between commit and publish
//   publishes once, a kill between publish and commit does not publish again. Retained job
//   documents of finished devices are cleared.
// - Broker outage: nothing is lost; publishes not acknowledged are redone through
//   reconciliation at the reconnect, the engine keeps ticking (timeouts).
//
// Lives on the thread that creates it (the GUI thread or fleetdeckctl's); the store's work
// runs on its worker.
class RolloutRunner : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        qint64 rolloutId = 0;
        QString cachePath;          // the artifact files live beside it (ArtifactStore::dirForCache)
        ConnectionProfile profile;  // its client id is replaced by "fleetdeck-rollout-<uid>"
        ConnectionSecrets secrets;
        QString actor;              // who runs it (operator actions in the audit log)
        // Start a scheduled rollout and resume a paused one once loaded (`rollout run`);
        // false: leave it as it is until start()/resume() (the GUI opening a rollout).
        bool autoStart = true;
        // Reconciliation: after the SUBACKs, wait until no retained OTA message arrived for
        // settleQuietMs, at most settleMaxMs.
        int settleQuietMs = 500;
        int settleMaxMs = 10000;
        int chunkSize = 16384;      // chunk_size of the job documents (256..65536)
        int changedIntervalMs = 250;  // changed() at most 4 times a second
    };

    struct Stats
    {
        quint64 statuses = 0;         // accepted status messages
        quint64 droppedStatuses = 0;  // garbage, foreign jobs, unknown devices
        quint64 jobsPublished = 0;    // job documents acknowledged by the broker
        quint64 jobsCleared = 0;
        quint64 reconciledPublished = 0;  // dispatching rows found published at reconciliation
        quint64 decisions = 0;        // committed decisions
        QHash<QString, quint64> dropReasons;  // why statuses were dropped
    };

    RolloutRunner(OperationsStore *store, Options options, QObject *parent = nullptr);
    ~RolloutRunner() override;

    // Loads the rollout and connects; loaded() or error() follows.
    void start();
    // Disconnects and stops; the rollout stays as committed (run it again to go on).
    void stop();

    bool isLoaded() const { return m_engine != nullptr; }
    Rollout rollout() const;
    QList<RolloutDevice> devices() const;
    RolloutSummary summary() const;
    FirmwareArtifact artifact() const { return m_artifact; }
    bool isConnected() const { return m_connected; }
    bool isReconciling() const { return m_reconciling; }
    // Nothing to commit, publish or clear: everything decided is done.
    bool isIdle() const;
    double devicesPerMinute() const;
    qint64 etaMs() const;  // -1: unknown
    quint64 servedBytes() const;
    Stats stats() const { return m_stats; }

public slots:
    // Operator actions (actor: Options::actor).
    void pauseRollout(const QString &reason);
    void resumeRollout();
    void abortRollout(const QString &reason);
    void cancelRollout();
    void startRollout();

signals:
    void loaded(const fd::Rollout &rollout);
    // The rollout or its devices changed (at most 4 times a second).
    void changed(const fd::Rollout &rollout, const fd::RolloutSummary &summary);
    // Completed, aborted or cancelled, and every job document published or cleared.
    void finished(fd::RolloutState state);
    // Paused with no device in progress and nothing left to do (approval needed, ...).
    void pausedIdle(const QString &reason);
    void brokerStateChanged(bool connected, const QString &detail);
    // Fatal: the rollout cannot go on (not found, store failure, artifact missing).
    void error(const QString &message);

private:
    using Event = std::function<RolloutDecision(qint64 nowMs)>;
    struct Publish
    {
        DeviceKey device;
        QString jobId;
        quint64 epoch = 0;  // in doubt after a failed publish: only after a later reconciliation
    };

    void onLoaded(Rollout rollout, QList<RolloutDevice> devices, FirmwareArtifact artifact);
    void connectBroker();
    void onMessages(const MqttMessageBatch &batch);
    void onStatus(const QString &deviceId, const QByteArray &payload);
    void onJobDocument(const QString &deviceId, const QByteArray &payload);
    void onClientState(ConnectionState state, const QString &detail);
    void onSubscribed(const QString &filter, bool ok);
    void finishReconcile();
    void onCommand(const CommandRecord &record);

    void post(Event event);
    void pump();
    void onStoreCommitted(quint64 jobId);
    void onStoreFailed(quint64 jobId, const QString &reason);
    void act(const RolloutDecision &decision);
    void updateChunkJobs(const QList<RolloutDevice> &rows);
    void flush();
    void armTick();
    void noteChanged();
    void emitChanged();
    void checkDone();
    void fail(const QString &message);
    const RolloutDevice *row(const DeviceKey &key) const;
    std::optional<DeviceKey> keyForDeviceId(const QString &deviceId) const;
    QString artifactPath() const;
    QByteArray jobDocument(const QString &jobId, qint64 nowMs) const;
    static qint64 now();

    OperationsStore *m_store;
    Options m_options;
    OtaTopics m_topics;
    std::unique_ptr<RolloutEngine> m_engine;
    FirmwareArtifact m_artifact;
    QHash<QString, DeviceKey> m_byDeviceId;
    QHash<DeviceKey, qsizetype> m_rowIndex;

    MqttClient *m_client = nullptr;
    MqttCommandPublisher *m_publisher = nullptr;
    CommandService *m_commands = nullptr;
    OtaChunkServer *m_chunks = nullptr;
    bool m_connected = false;
    bool m_reconciling = true;
    bool m_stopped = false;
    QSet<QString> m_subscribed;
    QTimer m_settleQuiet;
    QTimer m_settleMax;
    quint64 m_reconcileEpoch = 0;
    quint64 m_connectionGeneration = 0;
    QHash<QString, QString> m_seenJobs;  // device id -> job id of its retained job document

    std::deque<Event> m_events;
    quint64 m_loadJob = 0;
    quint64 m_inFlightJob = 0;
    std::optional<RolloutDecision> m_inFlight;
    bool m_tickQueued = false;
    // Per device, the newest queued status not yet given to the engine (progress folding).
    QHash<DeviceKey, std::shared_ptr<OtaStatus>> m_queuedStatus;

    QHash<DeviceKey, Publish> m_toPublish;
    QHash<CommandId, Publish> m_publishing;
    QSet<DeviceKey> m_toClear;
    QHash<CommandId, DeviceKey> m_clearing;

    QTimer m_tick;
    QTimer m_changedTimer;
    bool m_changedPending = false;
    bool m_finishedEmitted = false;
    bool m_pausedEmitted = false;
    RolloutProgress m_progress;
    Stats m_stats;
};

} // namespace fd
