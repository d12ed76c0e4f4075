#include "core/ota/rollout_runner.h"

#include "core/commands/command_record.h"
#include "core/commands/command_service.h"
#include "core/commands/mqtt_command_publisher.h"
#include "core/operations/operations_store.h"
#include "core/operations/operations_transaction.h"
#include "core/ota/artifact_store.h"
#include "core/ota/artifact_table.h"
#include "core/ota/ota_chunk_server.h"
#include "core/ota/ota_job_document.h"
#include "core/ota/rollout_table.h"
#include "core/transport/mqtt_client.h"

#include <QDateTime>
#include <QFileInfo>
#include <QLoggingCategory>

#include <algorithm>

namespace fd {

Q_LOGGING_CATEGORY(lcRolloutRunner, "fleetdeck.ota.runner")

namespace {

constexpr int kJobPublishTimeoutMs = 24 * 3600 * 1000;  // the command service's maximum
constexpr qint64 kMaxTickWaitMs = 60 * 1000;             // re-check at least every minute
constexpr int kMaxDropReasons = 32;

} // namespace

RolloutRunner::RolloutRunner(OperationsStore *store, Options options, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_options(std::move(options))
    , m_topics(m_options.profile.topicPrefix)
{
    m_options.chunkSize = std::clamp(m_options.chunkSize, 256, OtaJobDocument::kMaxChunkSize);
    m_options.settleQuietMs = std::max(0, m_options.settleQuietMs);
    m_options.settleMaxMs = std::max(m_options.settleQuietMs, m_options.settleMaxMs);
    if (m_options.actor.isEmpty())
        m_options.actor = rolloutSystemActor();

    m_settleQuiet.setSingleShot(true);
    m_settleMax.setSingleShot(true);
    connect(&m_settleQuiet, &QTimer::timeout, this, &RolloutRunner::finishReconcile);
    connect(&m_settleMax, &QTimer::timeout, this, &RolloutRunner::finishReconcile);
    m_tick.setSingleShot(true);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        if (m_tickQueued)
            return;
        m_tickQueued = true;
        post([this](qint64 nowMs) {
            m_tickQueued = false;
            return m_engine->tick(nowMs);
        });
    });
    m_changedTimer.setSingleShot(true);
    m_changedTimer.setTimerType(Qt::PreciseTimer);  // a coarse timer may fire 5 % early: > 4/s
    connect(&m_changedTimer, &QTimer::timeout, this, [this] {
        if (m_changedPending)
            emitChanged();
    });
    connect(m_store, &OperationsStore::committed, this, [this](quint64 jobId, qint64) { onStoreCommitted(jobId); });
    connect(m_store, &OperationsStore::failed, this, &RolloutRunner::onStoreFailed);
}

RolloutRunner::~RolloutRunner()
{
    stop();
}

qint64 RolloutRunner::now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// --- loading -------------------------------------------------------------------------------

void RolloutRunner::start()
{
    struct Loaded
    {
        Rollout rollout;
        QList<RolloutDevice> devices;
        FirmwareArtifact artifact;
    };
    auto result = std::make_shared<Loaded>();
    const qint64 id = m_options.rolloutId;
    OperationsJob job;
    job.name = QStringLiteral("load rollout %1").arg(id);
    job.run = [result, id](OperationsTransaction &tx, QString *error) {
        bool found = false;
        if (!RolloutTable::loadRollout(tx.handle(), id, &result->rollout, &result->devices, &found, error))
            return false;
        if (!found) {
            *error = tr("there is no rollout %1").arg(id);
            return false;
        }
        if (!ArtifactTable::read(tx.handle(), result->rollout.artifactId, &result->artifact, &found, error))
            return false;
        if (!found) {
            *error = tr("the artifact %1 of rollout %2 is not in the store").arg(result->rollout.artifactId).arg(id);
            return false;
        }
        return true;
    };
    QString error;
    m_loadJob = m_store->submit(std::move(job), &error);
    if (m_loadJob == 0) {
        fail(tr("cannot read rollout %1: %2").arg(id).arg(error));
        return;
    }
    // The result arrives with committed(m_loadJob).
    connect(m_store, &OperationsStore::committed, this, [this, result](quint64 jobId, qint64) {
        if (jobId == m_loadJob && !m_engine && !m_stopped)
            onLoaded(result->rollout, result->devices, result->artifact);
    });
}

void RolloutRunner::onLoaded(Rollout rollout, QList<RolloutDevice> devices, FirmwareArtifact artifact)
{
    m_artifact = std::move(artifact);
    // The file must be there with the signed size (the devices check the SHA-256; fleetdeckctl
    // re-hashes it before it starts).
    const QFileInfo file(artifactPath());
    if (!file.isFile() || file.size() != m_artifact.size) {
        fail(tr("the firmware file of artifact %1 is missing or damaged (%2)").arg(m_artifact.id, artifactPath()));
        return;
    }
    const qsizetype docBytes = [&] {
        OtaJobDocument doc;
        doc.jobId = rollout.uid + QStringLiteral("-10");
        doc.version = m_artifact.version;
        doc.manifest = m_artifact.manifest;
        doc.signature = m_artifact.signature;
        doc.sha256 = m_artifact.sha256;
        doc.keyId = m_artifact.keyId;
        doc.size = m_artifact.size;
        doc.tsMs = now();
        return doc.toJson().size();
    }();
    if (docBytes > OtaJobDocument::kMaxDeviceBytes) {
        fail(tr("the job document of artifact %1 would be %2 bytes; devices take at most %3 (shorten the release "
                "notes and import the firmware again)")
                 .arg(m_artifact.id)
                 .arg(docBytes)
                 .arg(OtaJobDocument::kMaxDeviceBytes));
        return;
    }
    // Device ids are the protocol v1 ids; when two sources of a rollout share one, the row of
    // this connection's source wins (a runner serves one broker).
    for (const RolloutDevice &d : std::as_const(devices)) {
        const auto it = m_byDeviceId.constFind(d.deviceId);
        if (it == m_byDeviceId.cend() || d.key.source == m_options.profile.name)
            m_byDeviceId.insert(d.deviceId, d.key);
    }
    m_engine = std::make_unique<RolloutEngine>(std::move(rollout), std::move(devices));
    for (qsizetype i = 0; i < m_engine->devices().size(); ++i)
        m_rowIndex.insert(m_engine->devices().at(i).key, i);
    updateChunkJobs(m_engine->devices());
    m_progress.record(now(), RolloutSummary::of(m_engine->devices()).terminal());
    qCInfo(lcRolloutRunner).noquote() << "rollout" << m_engine->rollout().id << "loaded:" << m_engine->devices().size()
                                      << "devices, state" << rolloutStateKey(m_engine->rollout().state);
    emit loaded(m_engine->rollout());

    // Also for a finished rollout: reconciliation clears job documents left retained.
    connectBroker();
    if (m_options.autoStart) {
        const RolloutState state = m_engine->rollout().state;
        if (state == RolloutState::Scheduled || state == RolloutState::Running)
            startRollout();  // on a running rollout: continues (dispatching rows are ours to reconcile)
        else if (state == RolloutState::Paused)
            resumeRollout();
    }
    noteChanged();
    armTick();
}

QString RolloutRunner::artifactPath() const
{
    return ArtifactStore(ArtifactStore::dirForCache(m_options.cachePath)).pathFor(m_artifact.sha256);
}

// --- MQTT ----------------------------------------------------------------------------------

void RolloutRunner::connectBroker()
{
    m_client = new MqttClient(this);
    m_publisher = new MqttCommandPublisher(m_client, this);
    CommandService::Options commandOptions;
    commandOptions.prefix = m_topics.prefix();
    commandOptions.maxOutstanding = 100000;
    commandOptions.historySize = 0;
    m_commands = new CommandService(m_publisher, commandOptions, this);
    m_chunks = new OtaChunkServer(m_publisher, m_topics, this);
    updateChunkJobs(m_engine->devices());
    connect(m_commands, &CommandService::commandUpdated, this, &RolloutRunner::onCommand);
    connect(m_client, &MqttClient::messagesReceived, this, &RolloutRunner::onMessages);
    connect(m_client, &MqttClient::stateChanged, this, &RolloutRunner::onClientState);
    connect(m_client, &MqttClient::subscribed, this, &RolloutRunner::onSubscribed);

    ConnectionProfile profile = m_options.profile;
    profile.clientId = QStringLiteral("fleetdeck-rollout-") + m_engine->rollout().uid;
    profile.sparkplug = false;
    // Retained job documents and statuses are re-read at every connect; no session state needed.
    profile.persistentSession = false;
    m_client->subscribe(m_topics.jobFilter(), 1);
    m_client->subscribe(m_topics.statusFilter(), 1);
    m_client->subscribe(m_topics.chunkRequestFilter(), 1);
    m_client->connectToBroker(profile, m_options.secrets);
}

void RolloutRunner::onClientState(ConnectionState state, const QString &detail)
{
    const bool connected = state == ConnectionState::Connected;
    if (connected != m_connected) {
        m_connected = connected;
        ++m_connectionGeneration;
        // Every (re)connect reconciles: the subscriptions are made again, and their retained
        // messages say what the broker has (a publish that failed with the connection may
        // have reached it).
        m_reconciling = true;
        m_subscribed.clear();
        m_settleQuiet.stop();
        m_settleMax.stop();
        if (connected)
            m_seenJobs.clear();
        emit brokerStateChanged(connected, detail);
        qCInfo(lcRolloutRunner).noquote() << "broker" << (connected ? "connected" : "not connected:") << detail;
    }
}

void RolloutRunner::onSubscribed(const QString &filter, bool ok)
{
    if (!ok) {
        fail(tr("the broker refused the subscription to %1").arg(filter));
        return;
    }
    if (!m_reconciling)
        return;
    m_subscribed.insert(filter);
    if (m_subscribed.contains(m_topics.jobFilter()) && m_subscribed.contains(m_topics.statusFilter())
        && m_subscribed.contains(m_topics.chunkRequestFilter()) && !m_settleMax.isActive()) {
        // The broker sends the retained messages of a subscription right after its SUBACK, but
        // they reach us through Paho's thread and the inbound queue, possibly after the SUBACK
        // callback, and thousands of them take a while. So: wait until they stopped coming
        // (settleQuietMs without one), but never longer than settleMaxMs (a device publishing
        // statuses all the time must not keep us from ever publishing).
        m_settleQuiet.start(m_options.settleQuietMs);
        m_settleMax.start(m_options.settleMaxMs);
    }
}

void RolloutRunner::finishReconcile()
{
    m_settleQuiet.stop();
    m_settleMax.stop();
    if (!m_reconciling || !m_connected || !m_engine)
        return;
    // Queued behind the retained statuses and jobPublished decisions posted meanwhile: runs
    // once they are committed, against the rows as they are then.
    const quint64 generation = m_connectionGeneration;
    post([this, generation](qint64) {
        if (generation != m_connectionGeneration || !m_connected)
            return RolloutDecision{};  // the connection it was for is gone; the next one reconciles
        m_reconciling = false;
        ++m_reconcileEpoch;
        const QString prefix = m_engine->rollout().uid + u'-';
        for (const RolloutDevice &d : m_engine->devices()) {
            if (d.state == OtaDeviceState::Dispatching && !m_toPublish.contains(d.key)) {
                bool publishing = false;
                for (const Publish &p : std::as_const(m_publishing))
                    publishing = publishing || p.device == d.key;
                if (!publishing)
                    m_toPublish.insert(d.key, {d.key, d.jobId, 0});
            }
            // A terminal device (or a finished rollout) whose job document is still retained:
            // the clear after its commit was lost (killed, broker down).
            const QString seen = m_seenJobs.value(d.deviceId);
            if (!seen.isEmpty() && seen.startsWith(prefix) && m_byDeviceId.value(d.deviceId) == d.key
                && (isTerminal(d.state) || isTerminal(m_engine->rollout().state)))
                m_toClear.insert(d.key);
        }
        qCInfo(lcRolloutRunner).noquote() << "reconciled:" << m_toPublish.size() << "job documents to publish,"
                                          << m_toClear.size() << "to clear";
        flush();
        return RolloutDecision{};
    });
}

void RolloutRunner::onMessages(const MqttMessageBatch &batch)
{
    if (!m_engine)
        return;
    bool retainedOta = false;
    for (const MqttMessage &m : batch) {
        const OtaTopics::Parsed p = m_topics.parse(m.topic);
        if (m.discardedPayloadBytes > 0) {  // over the receive limit: not copied, never "empty"
            ++m_stats.droppedStatuses;
            ++m_stats.dropReasons[QStringLiteral("oversize message")];
            continue;
        }
        switch (p.kind) {
        case OtaTopics::Kind::ChunkRequest:
            m_chunks->handleRequest(QString::fromLatin1(p.deviceId), m.payload);
            break;
        case OtaTopics::Kind::Job:
            retainedOta = retainedOta || m.retained;
            onJobDocument(QString::fromLatin1(p.deviceId), m.payload);
            break;
        case OtaTopics::Kind::Status:
            retainedOta = retainedOta || m.retained;
            onStatus(QString::fromLatin1(p.deviceId), m.payload);
            break;
        case OtaTopics::Kind::Chunk:
        case OtaTopics::Kind::None:
            break;
        }
    }
    if (retainedOta && m_settleQuiet.isActive())
        m_settleQuiet.start(m_options.settleQuietMs);  // still coming
}

void RolloutRunner::onJobDocument(const QString &deviceId, const QByteArray &payload)
{
    // What the broker holds for the device: its retained document, or our own publish echoed.
    if (payload.isEmpty()) {
        m_seenJobs.remove(deviceId);
        return;
    }
    QString error;
    const std::optional<OtaJobDocument> doc = OtaJobDocument::parse(payload, &error);
    if (!doc) {
        qCDebug(lcRolloutRunner).noquote() << "unreadable job document for" << deviceId << "-" << error;
        return;
    }
    m_seenJobs.insert(deviceId, doc->jobId);
}

void RolloutRunner::onStatus(const QString &deviceId, const QByteArray &payload)
{
    auto drop = [this](const QString &reason) {
        ++m_stats.droppedStatuses;
        if (m_stats.dropReasons.size() < kMaxDropReasons || m_stats.dropReasons.contains(reason))
            ++m_stats.dropReasons[reason];
    };
    const std::optional<DeviceKey> key = keyForDeviceId(deviceId);
    if (!key)
        return drop(QStringLiteral("device not in this rollout"));
    QString error;
    std::optional<OtaStatus> status = OtaStatus::parse(payload, &error);
    if (!status) {
        qCDebug(lcRolloutRunner).noquote() << "bad status from" << deviceId << "-" << error;
        return drop(error);
    }
    if (!status->jobId.startsWith(m_engine->rollout().uid + u'-'))
        return drop(QStringLiteral("a job of another rollout"));
    ++m_stats.statuses;
    // Fold progress-only updates: while the previous status of this device waits in the
    // queue with the same job and state, the newer one replaces it.
    auto queued = m_queuedStatus.value(*key);
    if (queued && queued->jobId == status->jobId && queued->state == status->state) {
        *queued = std::move(*status);
        return;
    }
    auto slot = std::make_shared<OtaStatus>(std::move(*status));
    m_queuedStatus.insert(*key, slot);
    const DeviceKey device = *key;
    post([this, device, slot](qint64 nowMs) {
        if (m_queuedStatus.value(device) == slot)
            m_queuedStatus.remove(device);
        return m_engine->statusReceived(device, *slot, nowMs);
    });
}

std::optional<DeviceKey> RolloutRunner::keyForDeviceId(const QString &deviceId) const
{
    const auto it = m_byDeviceId.constFind(deviceId);
    if (it == m_byDeviceId.cend())
        return std::nullopt;
    return *it;
}

const RolloutDevice *RolloutRunner::row(const DeviceKey &key) const
{
    const auto it = m_rowIndex.constFind(key);
    if (it == m_rowIndex.cend() || *it >= m_engine->devices().size())
        return nullptr;
    return &m_engine->devices().at(*it);
}

// --- decisions -----------------------------------------------------------------------------

void RolloutRunner::post(Event event)
{
    if (m_stopped || !m_engine)
        return;
    m_events.push_back(std::move(event));
    pump();
}

void RolloutRunner::pump()
{
    while (!m_stopped && !m_inFlight && !m_events.empty()) {
        Event event = std::move(m_events.front());
        m_events.pop_front();
        RolloutDecision decision = event(now());
        if (decision.changes.isEmpty()) {
            act(decision);
            continue;
        }
        const RolloutChanges changes = decision.changes;
        OperationsJob job;
        job.name = QStringLiteral("rollout %1 decision").arg(m_engine->rollout().id);
        job.run = [changes](OperationsTransaction &tx, QString *error) {
            return RolloutTable::applyChanges(tx, changes, error);
        };
        QString error;
        const quint64 id = m_store->submit(std::move(job), &error);
        if (id == 0) {
            fail(tr("the operations store refused a rollout change: %1").arg(error));
            return;
        }
        m_inFlightJob = id;
        m_inFlight = std::move(decision);
    }
    armTick();
    checkDone();
}

void RolloutRunner::onStoreCommitted(quint64 jobId)
{
    if (!m_inFlight || jobId != m_inFlightJob)
        return;
    const RolloutDecision decision = std::move(*m_inFlight);
    m_inFlight.reset();
    m_inFlightJob = 0;
    ++m_stats.decisions;
    // The engine's rows move only now; then (and only then) the job documents go out.
    m_engine->committed(decision.changes);
    updateChunkJobs(decision.changes.devices);
    if (!decision.changes.devices.isEmpty())
        m_progress.record(now(), RolloutSummary::of(m_engine->devices()).terminal());
    act(decision);
    noteChanged();
    pump();
}

void RolloutRunner::onStoreFailed(quint64 jobId, const QString &reason)
{
    if (jobId == m_loadJob && !m_engine) {
        fail(tr("cannot load rollout %1: %2").arg(m_options.rolloutId).arg(reason));
        return;
    }
    if (!m_inFlight || jobId != m_inFlightJob)
        return;
    // Not committed: the engine did not move and nothing was published. Going on would act on
    // decisions the store does not have; stop, the next run resumes from what is committed.
    m_inFlight.reset();
    fail(tr("the operations store could not commit a rollout change: %1").arg(reason));
}

void RolloutRunner::act(const RolloutDecision &decision)
{
    for (const OtaJobOrder &order : decision.publishJobs)
        m_toPublish.insert(order.device, {order.device, order.jobId, 0});
    for (const DeviceKey &key : decision.clearJobs) {
        m_toPublish.remove(key);
        m_toClear.insert(key);
    }
    flush();
}

void RolloutRunner::updateChunkJobs(const QList<RolloutDevice> &rows)
{
    if (!m_chunks)
        return;
    for (const RolloutDevice &d : rows) {
        if (m_byDeviceId.value(d.deviceId) != d.key)
            continue;
        if (isInProgress(d.state) && !d.jobId.isEmpty())
            m_chunks->setJob(d.deviceId, {d.jobId, artifactPath(), m_artifact.size, m_options.chunkSize});
        else
            m_chunks->removeJob(d.deviceId);
    }
}

QByteArray RolloutRunner::jobDocument(const QString &jobId, qint64 nowMs) const
{
    OtaJobDocument doc;
    doc.jobId = jobId;
    doc.rollout = m_engine->rollout().id;
    doc.version = m_artifact.version;
    doc.size = m_artifact.size;
    doc.sha256 = m_artifact.sha256;
    doc.manifest = m_artifact.manifest;
    doc.signature = m_artifact.signature;
    doc.keyId = m_artifact.keyId;
    doc.chunkSize = m_options.chunkSize;
    doc.rollback = m_engine->rollout().plan.rollback;
    doc.timeoutS = m_engine->rollout().plan.deviceTimeoutS;
    doc.tsMs = nowMs;
    return doc.toJson();
}

// Publishes what is decided and not yet published, when that is safe: connected and
// reconciled. Called after every act() and reconciliation.
void RolloutRunner::flush()
{
    if (!m_connected || m_reconciling || m_stopped || !m_commands)
        return;
    const qint64 nowMs = now();
    for (auto it = m_toPublish.begin(); it != m_toPublish.end();) {
        const Publish p = *it;
        const RolloutDevice *d = row(p.device);
        if (!d || d->state != OtaDeviceState::Dispatching || d->jobId != p.jobId) {
            it = m_toPublish.erase(it);  // superseded (published meanwhile, cancelled, ...)
            continue;
        }
        if (p.epoch >= m_reconcileEpoch) {  // in doubt: wait for the next reconciliation
            ++it;
            continue;
        }
        it = m_toPublish.erase(it);
        if (m_seenJobs.value(d->deviceId) == p.jobId) {
            // The broker has it already (retained, or our publish echoed): it was published.
            ++m_stats.reconciledPublished;
            const DeviceKey device = p.device;
            const QString jobId = p.jobId;
            post([this, device, jobId](qint64 t) { return m_engine->jobPublished(device, jobId, t); });
            continue;
        }
        DeviceCommand c;
        c.target = p.device;
        c.name = QStringLiteral("ota.job");
        c.rawTopic = m_topics.jobTopic(d->deviceId);
        c.rawPayload = jobDocument(p.jobId, nowMs);
        c.retain = true;
        c.qos = 1;
        c.expectsAnswer = false;
        c.timeoutMs = kJobPublishTimeoutMs;
        QString why;
        const CommandId id = m_commands->submit(c, &why);
        if (id == 0) {
            fail(tr("cannot publish the job document of %1: %2").arg(d->deviceId, why));
            return;
        }
        m_publishing.insert(id, p);
    }
    for (auto it = m_toClear.begin(); it != m_toClear.end();) {
        const DeviceKey key = *it;
        it = m_toClear.erase(it);
        const RolloutDevice *d = row(key);
        if (!d)
            continue;
        DeviceCommand c;
        c.target = key;
        c.name = QStringLiteral("ota.clear");
        c.rawTopic = m_topics.jobTopic(d->deviceId);
        c.retain = true;  // an empty retained payload clears the retained job document
        c.qos = 1;
        c.expectsAnswer = false;
        c.timeoutMs = kJobPublishTimeoutMs;
        QString why;
        const CommandId id = m_commands->submit(c, &why);
        if (id == 0) {
            fail(tr("cannot clear the job document of %1: %2").arg(d->deviceId, why));
            return;
        }
        m_clearing.insert(id, key);
    }
    checkDone();
}

void RolloutRunner::onCommand(const CommandRecord &record)
{
    if (!record.isFinished())
        return;
    if (const auto it = m_publishing.constFind(record.id); it != m_publishing.cend()) {
        Publish p = *it;
        m_publishing.erase(it);
        if (record.state == CommandState::Acknowledged) {
            ++m_stats.jobsPublished;
            post([this, p](qint64 t) { return m_engine->jobPublished(p.device, p.jobId, t); });
        } else {
            // It may or may not have reached the broker: decided by the next reconciliation.
            qCInfo(lcRolloutRunner).noquote() << "job document" << p.jobId << "for" << p.device.path
                                              << "not acknowledged:" << record.reason;
            p.epoch = m_reconcileEpoch;
            m_toPublish.insert(p.device, p);
        }
        checkDone();
        return;
    }
    if (const auto it = m_clearing.constFind(record.id); it != m_clearing.cend()) {
        const DeviceKey key = *it;
        m_clearing.erase(it);
        if (record.state == CommandState::Acknowledged)
            ++m_stats.jobsCleared;
        else
            m_toClear.insert(key);  // clearing twice is harmless; flushed when connected
        flush();
        checkDone();
    }
}

// --- timers, progress, end ------------------------------------------------------------------

void RolloutRunner::armTick()
{
    if (!m_engine || m_stopped) {
        m_tick.stop();
        return;
    }
    const qint64 deadline = m_engine->nextDeadlineMs();
    if (deadline <= 0) {
        m_tick.stop();
        return;
    }
    const qint64 wait = std::clamp<qint64>(deadline - now(), 0, kMaxTickWaitMs);
    m_tick.start(int(wait));
}

void RolloutRunner::noteChanged()
{
    if (m_changedTimer.isActive()) {
        m_changedPending = true;
        return;
    }
    emitChanged();
}

void RolloutRunner::emitChanged()
{
    m_changedPending = false;
    m_changedTimer.start(std::max(1, m_options.changedIntervalMs));
    emit changed(m_engine->rollout(), RolloutSummary::of(m_engine->devices()));
}

bool RolloutRunner::isIdle() const
{
    return m_engine && !m_inFlight && m_events.empty() && m_toPublish.isEmpty() && m_publishing.isEmpty()
           && m_toClear.isEmpty() && m_clearing.isEmpty();
}

void RolloutRunner::checkDone()
{
    if (!m_engine || m_stopped || !isIdle() || m_reconciling)
        return;
    const RolloutState state = m_engine->rollout().state;
    if (isTerminal(state)) {
        if (!m_finishedEmitted) {
            m_finishedEmitted = true;
            if (m_changedPending)
                emitChanged();
            emit finished(state);
        }
        return;
    }
    if (state == RolloutState::Paused) {
        if (!m_pausedEmitted && RolloutSummary::of(m_engine->devices()).inProgress() == 0) {
            m_pausedEmitted = true;
            if (m_changedPending)
                emitChanged();
            emit pausedIdle(m_engine->rollout().stateReason);
        }
        return;
    }
    m_pausedEmitted = false;
}

void RolloutRunner::fail(const QString &message)
{
    qCWarning(lcRolloutRunner).noquote() << message;
    stop();
    emit error(message);
}

void RolloutRunner::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    m_tick.stop();
    m_settleQuiet.stop();
    m_settleMax.stop();
    m_changedTimer.stop();
    m_events.clear();
    if (m_client)
        m_client->disconnectFromBroker();
}

// --- operator actions -----------------------------------------------------------------------

void RolloutRunner::startRollout()
{
    post([this](qint64 t) { return m_engine->start(t, m_options.actor); });
}

void RolloutRunner::pauseRollout(const QString &reason)
{
    post([this, reason](qint64 t) { return m_engine->pause(t, m_options.actor, reason); });
}

void RolloutRunner::resumeRollout()
{
    m_pausedEmitted = false;
    post([this](qint64 t) { return m_engine->resume(t, m_options.actor); });
}

void RolloutRunner::abortRollout(const QString &reason)
{
    post([this, reason](qint64 t) { return m_engine->abort(t, m_options.actor, reason); });
}

void RolloutRunner::cancelRollout()
{
    post([this](qint64 t) { return m_engine->cancel(t, m_options.actor); });
}

// --- read access ----------------------------------------------------------------------------

Rollout RolloutRunner::rollout() const
{
    return m_engine ? m_engine->rollout() : Rollout{};
}

QList<RolloutDevice> RolloutRunner::devices() const
{
    return m_engine ? m_engine->devices() : QList<RolloutDevice>{};
}

RolloutSummary RolloutRunner::summary() const
{
    return RolloutSummary::of(devices());
}

double RolloutRunner::devicesPerMinute() const
{
    return m_progress.devicesPerMinute(now());
}

qint64 RolloutRunner::etaMs() const
{
    if (!m_engine)
        return -1;
    const RolloutSummary s = RolloutSummary::of(m_engine->devices());
    return m_progress.etaMs(now(), s.total - s.terminal());
}

quint64 RolloutRunner::servedBytes() const
{
    return m_chunks ? m_chunks->servedBytes() : 0;
}

} // namespace fd
