#include "core/ingest/fleet_session.h"

#include "core/ingest/cache_loader.h"
#include "core/ingest/ingest_pipeline.h"
#include "core/ingest/inventory_consumer.h"
#include "core/ingest/live_samples_consumer.h"
#include "core/ingest/source_connection.h"
#include "core/ingest/storage_consumer.h"
#include "core/protocol/protocol_v1_decoder.h"
#include "core/protocol/sparkplug/sparkplug_decoder.h"
#include "core/protocol/sparkplug/sparkplug_host_state.h"
#include "core/storage/background_integrity_check.h"
#include "core/storage/inventory_store.h"
#include "core/storage/storage_writer.h"
#include "core/telemetry/live_telemetry.h"
#include "core/transport/mqtt_client.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QMap>
#include <QMutex>
#include <QPointer>
#include <QSysInfo>
#include <QSet>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <memory>

namespace fd {

Q_LOGGING_CATEGORY(lcSession, "fleetdeck.session")

namespace {

struct Source
{
    QThread *thread = nullptr;
    SourceConnection *connection = nullptr;  // lives on thread
    // Which connection of this name (a name disconnected and connected again gets a new one):
    // the late last word of an earlier one is ignored by it, even once that one is deleted.
    quint64 serial = 0;
    ConnectionState state = ConnectionState::Disconnected;
    QString detail;
    qint64 nextRetryMs = 0;
    QString lastError;
};

// Higher is "better" for the aggregate state of several sources.
int rank(ConnectionState state)
{
    switch (state) {
    case ConnectionState::Connected: return 4;
    case ConnectionState::Connecting: return 3;
    case ConnectionState::Reconnecting: return 2;
    case ConnectionState::Failed: return 1;
    case ConnectionState::Disconnected: return 0;
    }
    return 0;
}

} // namespace

struct FleetSession::Impl
{
    Options options;
    Database readDb;
    StorageWriter writer;
    bool writerStarted = false;
    BackgroundIntegrityCheck integrity;  // for caches too big to check whole at open
    QList<Device> cached;
    qint64 cacheAsOfMs = 0;

    QThread ingestThread;
    IngestPipeline *pipeline = nullptr;  // lives on ingestThread
    QList<IngestConsumer *> extraConsumers;
    std::unique_ptr<LiveTelemetry> live;
    QMap<QString, Source> sources;
    // The same connections, for the ingest thread (command answers): guarded.
    QMutex routingLock;
    QHash<QString, QPointer<SourceConnection>> routing;

    // Runs fn(connection) on the thread of the source's connection, if it is still there
    // (from any thread: the ingest thread routes answers and decoder messages this way).
    template <typename F>
    void postToSource(const QString &source, F fn)
    {
        QPointer<SourceConnection> connection;
        {
            const QMutexLocker locker(&routingLock);
            connection = routing.value(source);
        }
        if (SourceConnection *c = connection.data())
            QMetaObject::invokeMethod(c, [c, fn] { fn(c); }, Qt::QueuedConnection);
    }
    ConnectionState aggregate = ConnectionState::Disconnected;
    bool shutDown = false;
    bool shuttingDown = false;   // shutdownAsync() under way
    QList<QPointer<QThread>> stoppingThreads;  // sources let go, maybe still stopping
    quint64 sourceSerial = 0;  // Source::serial of the last connection made
    QPointer<QThread> openThread;              // openAsync() under way
    quint64 lastDeletionId = 0;
    QHash<quint64, QList<DeviceKey>> deletions;  // requested, not yet committed
};

FleetSession::FleetSession(QObject *parent)
    : FleetSession(Options{}, parent)
{
}

FleetSession::FleetSession(const Options &options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Impl>())
{
    qRegisterMetaType<QList<fd::Device>>();
    qRegisterMetaType<fd::IngestStats>();
    qRegisterMetaType<fd::ConnectionState>();
    qRegisterMetaType<fd::MqttMessageBatch>();
    qRegisterMetaType<QList<fd::TelemetrySample>>();
    qRegisterMetaType<fd::CommandRecord>();
    qRegisterMetaType<fd::DeviceCommand>();
    qRegisterMetaType<QList<fd::DeviceKey>>();
    d->options = options;
    d->options.retention = options.retention.normalized();
    if (!options.limits.isValid())
        d->options.limits = IngestLimits{};
    d->live = std::make_unique<LiveTelemetry>();
    d->ingestThread.setObjectName(QStringLiteral("fleetdeck-ingest"));
    connect(&d->writer, &StorageWriter::writeFailed, this, &FleetSession::storageError);
    connect(&d->writer, &StorageWriter::pruned, this, &FleetSession::pruned);  // queued: writer thread
    connect(&d->writer, &StorageWriter::migrationProgress, this, &FleetSession::cacheMigrationProgress);  // idem
    connect(&d->integrity, &BackgroundIntegrityCheck::finished, this, [this](bool ok, const QString &message) {
        if (!ok)
            emit storageError(message);
    });
    connect(&d->writer, &StorageWriter::devicesDeleted, this, &FleetSession::finishDeletion);  // idem
}

FleetSession::~FleetSession()
{
    shutdown();
}

Database::OpenResult FleetSession::open(const QString &dbPath)
{
    Database::OpenResult result = d->readDb.open(dbPath);
    if (!result.ok())
        return result;

    QString error;
    d->cached = InventoryStore(d->readDb).loadDevices(&error);
    if (!error.isEmpty()) {
        d->readDb.close();
        return {Database::OpenStatus::Unreadable, error, result.schemaVersion};
    }
    d->cacheAsOfMs = InventoryStore(d->readDb).lastUpdatedMs();
    return startWriter(dbPath, result);
}

Database::OpenResult FleetSession::startWriter(const QString &dbPath, const Database::OpenResult &opened)
{
    QString error;
    d->writer.setRetention(d->options.retention);
    if (!d->writer.start(dbPath, &error)) {
        d->readDb.close();
        d->cached.clear();
        return {Database::OpenStatus::Unreadable, error, opened.schemaVersion};
    }
    d->writerStarted = true;
    qCInfo(lcSession) << "cache" << dbPath << "holds" << d->cached.size() << "devices";
    if (opened.integrityCheckDeferred)
        d->integrity.start(dbPath);
    return opened;
}

void FleetSession::openAsync(const QString &dbPath)
{
    qRegisterMetaType<fd::CacheLoader::Loaded>();
    qRegisterMetaType<fd::Database::OpenResult>();
    auto *thread = new QThread;
    thread->setObjectName(QStringLiteral("fleetdeck-open"));
    auto *loader = new CacheLoader;
    loader->moveToThread(thread);
    connect(thread, &QThread::finished, loader, &QObject::deleteLater);
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    connect(loader, &CacheLoader::loaded, this, [this, thread, dbPath](const CacheLoader::Loaded &loaded) {
        thread->quit();
        if (d->shutDown || d->shuttingDown)
            return;  // quit while the cache was opening: nothing to start
        Database::OpenResult result = loaded.result;
        if (result.ok()) {
            d->cached = loaded.devices;
            d->cacheAsOfMs = loaded.asOfMs;
            result = startWriter(dbPath, result);
        }
        emit opened(result);
    });
    d->openThread = thread;
    thread->start();
    Database *db = &d->readDb;
    QMetaObject::invokeMethod(loader, [loader, dbPath, db] { loader->load(dbPath, db); }, Qt::QueuedConnection);
}

QList<Device> FleetSession::cachedDevices() const
{
    return d->cached;
}

qint64 FleetSession::cacheAsOfMs() const
{
    return d->cacheAsOfMs;
}

void FleetSession::addConsumer(IngestConsumer *consumer)
{
    Q_ASSERT(!d->pipeline);  // consumers are registered before ingest starts
    d->extraConsumers.append(consumer);
}

LiveTelemetry *FleetSession::liveTelemetry() const
{
    return d->live.get();
}

QString FleetSession::databasePath() const
{
    return d->readDb.path();
}

quint64 FleetSession::unsavedSamples() const
{
    return d->writer.lostSamples();
}

quint64 FleetSession::unstorableRejects() const
{
    return d->writer.rejectedUnits();
}

RetentionPolicy FleetSession::retention() const
{
    return d->options.retention;
}

bool FleetSession::setRetention(const RetentionPolicy &policy)
{
    const RetentionPolicy before = d->options.retention;
    const RetentionPolicy after = policy.normalized();
    d->options.retention = after;
    d->writer.setRetention(after);
    if (!d->writerStarted || !after.isShorterThan(before))
        return false;  // the writer prunes at start anyway
    qCInfo(lcSession) << "retention shortened to" << after.rawDays << "/" << after.minuteDays << "/"
                      << after.hourDays << "days (0: forever); pruning now";
    d->writer.pruneNow();
    return true;
}

IngestLimits FleetSession::limits() const
{
    return d->options.limits;
}

void FleetSession::setLimits(const IngestLimits &limits)
{
    if (!limits.isValid() || limits == d->options.limits)
        return;
    d->options.limits = limits;
    qCInfo(lcSession) << "ingest limits:" << limits.maxDevicesPerSource << "devices per source,"
                      << limits.maxMetricsPerDevice << "metrics per device";
    if (IngestPipeline *pipeline = d->pipeline)
        QMetaObject::invokeMethod(pipeline, [pipeline, limits] { pipeline->setLimits(limits); },
                                  Qt::QueuedConnection);
}

void FleetSession::resetRejectCounters()
{
    if (isShutDown())
        return;
    ensurePipeline();
    IngestPipeline *pipeline = d->pipeline;
    QMetaObject::invokeMethod(pipeline, [pipeline] { pipeline->resetRejects(); }, Qt::QueuedConnection);
}

void FleetSession::ensurePipeline()
{
    if (d->pipeline)
        return;
    auto *pipeline = new IngestPipeline;
    pipeline->setInitialDevices(d->cached);
    pipeline->setMaxFutureSkewMs(d->options.maxFutureSkewMs);
    pipeline->setLimits(d->options.limits);
    // Registration order is call order: storage first (nothing is shown that is not on its
    // way to disk), then the inventory, live telemetry, then the extra consumers.
    if (d->writerStarted)
        pipeline->addConsumer(new StorageConsumer(&d->writer));
    auto *inventory = new InventoryConsumer;
    inventory->setIntervalMs(d->options.publishIntervalMs);
    pipeline->addConsumer(inventory);
    if (d->options.liveTelemetry)
        pipeline->addConsumer(new LiveSamplesConsumer(d->live.get()));
    for (IngestConsumer *consumer : std::as_const(d->extraConsumers))
        pipeline->addConsumer(consumer);
    d->extraConsumers.clear();

    connect(inventory, &InventoryConsumer::devicesUpdated, this, &FleetSession::devicesUpdated);
    connect(inventory, &InventoryConsumer::devicesRemoved, this, &FleetSession::devicesRemoved);
    connect(pipeline, &IngestPipeline::statsUpdated, this, &FleetSession::statsUpdated);
    // What the cache refuses is counted against its device (queued: writer -> ingest thread).
    connect(&d->writer, &StorageWriter::rejected, pipeline, &IngestPipeline::applyStorageRejects);
    // A device's answer goes from the ingest thread straight to its source's thread.
    Impl *impl = d.get();
    pipeline->setCommandResponseHandler([impl](const DeviceKey &device, const QByteArray &payload) {
        const QString path = device.path;
        impl->postToSource(device.source, [path, payload](SourceConnection *c) { c->deliverResponse(path, payload); });
    });
    // A message a decoder sends on its own (Sparkplug rebirth request) goes through the
    // source's command service, tracked and logged like any command.
    pipeline->setSendHandler([impl](const DeviceKey &device, const QString &name, const QString &topic,
                                    const QByteArray &payload, const QString &reason) {
        DeviceCommand command;
        command.target = device;
        command.name = name;
        command.rawTopic = topic;
        command.rawPayload = payload;
        command.expectsAnswer = false;
        command.qos = 0;  // Sparkplug: NCMD / DCMD are QoS 0
        command.params.insert(QStringLiteral("reason"), reason);
        impl->postToSource(device.source, [command](SourceConnection *c) { c->submitCommand(command); });
    });
    pipeline->moveToThread(&d->ingestThread);
    connect(&d->ingestThread, &QThread::finished, pipeline, &QObject::deleteLater);
    d->pipeline = pipeline;
    d->ingestThread.start();
}

QString FleetSession::sourceNameFor(const ConnectionProfile &profile)
{
    if (!profile.name.trimmed().isEmpty())
        return profile.name.trimmed();
    return profile.broker.host + u':' + QString::number(profile.broker.port);
}

void FleetSession::connectSource(const ConnectionProfile &profileIn, const ConnectionSecrets &secrets)
{
    if (d->shutDown || d->shuttingDown)
        return;
    ensurePipeline();
    ConnectionProfile profile = profileIn;
    profile.name = sourceNameFor(profileIn);
    if (profile.sparkplug && profile.sparkplugHostId.isEmpty())
        profile.sparkplugHostId = SparkplugHostState::defaultHostId(QSysInfo::machineHostName());
    const QString name = profile.name;

    // The source's decoders reach the ingest thread before any batch of it can.
    IngestPipeline::DecoderList decoders{
        std::make_shared<ProtocolV1Decoder>(TopicScheme(profile.topicPrefix), d->options.maxPayloadBytes)};
    if (profile.sparkplug) {  // Sparkplug B host application (docs/protocol.md)
        SparkplugDecoder::Options sparkplug;
        sparkplug.hostId = profile.sparkplugHostId;
        sparkplug.reorderTimeoutMs = profile.sparkplugReorderTimeoutMs;
        sparkplug.maxPayloadBytes = d->options.maxPayloadBytes;
        decoders.append(std::make_shared<SparkplugDecoder>(sparkplug));
    }
    QStringList subscriptions;
    for (const auto &decoder : std::as_const(decoders))
        subscriptions += decoder->subscriptions();
    IngestPipeline *pipeline = d->pipeline;
    QMetaObject::invokeMethod(
        pipeline, [pipeline, name, decoders] { pipeline->setDecoders(name, decoders); },
        Qt::QueuedConnection);

    Source &source = d->sources[name];
    if (!source.connection) {
        source.thread = new QThread;
        source.thread->setObjectName(QStringLiteral("fleetdeck-src-") + name.left(32));
        source.connection = new SourceConnection(name);
        InboundLimits limits = d->options.inbound;
        limits.maxPayloadBytes = d->options.maxPayloadBytes;  // bigger ones are not even copied
        source.connection->setInboundLimits(limits);
        source.connection->moveToThread(source.thread);
        connect(source.connection, &SourceConnection::batchReady, pipeline, &IngestPipeline::processBatch);
        connect(source.connection, &SourceConnection::messagesDropped, pipeline, &IngestPipeline::setDropped);
        connect(source.connection, &SourceConnection::linkChanged, pipeline, &IngestPipeline::sourceLinkChanged);
        connect(pipeline, &IngestPipeline::batchProcessed, source.connection, &SourceConnection::batchConsumed);
        source.serial = ++d->sourceSerial;
        const quint64 serial = source.serial;
        connect(source.connection, &SourceConnection::stateChanged, this,
                [this, serial](const QString &changed, ConnectionState state, const QString &detail) {
                    onSourceState(serial, changed, state, detail);
                });
        connect(source.connection, &SourceConnection::retryScheduled, this,
                [this, serial](const QString &retrying, qint64 atMs, const QString &reason) {
                    if (d->shutDown || d->shuttingDown)
                        return;
                    const auto it = d->sources.find(retrying);
                    if (it == d->sources.end() || it->serial != serial)
                        return;
                    it->nextRetryMs = atMs;
                    it->lastError = reason;
                    emit sourceRetryScheduled(retrying, atMs, reason);
                });
        connect(source.connection, &SourceConnection::commandUpdated, this, &FleetSession::commandUpdated);
        connect(source.connection, &SourceConnection::commandRefused, this, &FleetSession::commandRefused);
        {
            const QMutexLocker locker(&d->routingLock);
            d->routing.insert(name, source.connection);
        }
        connect(source.thread, &QThread::finished, source.connection, &QObject::deleteLater);
        connect(source.thread, &QThread::finished, source.thread, &QObject::deleteLater);
        source.thread->start();
    }
    SourceConnection *connection = source.connection;
    QMetaObject::invokeMethod(
        connection, [connection, profile, secrets, subscriptions] { connection->start(profile, secrets, subscriptions); },
        Qt::QueuedConnection);
}

void FleetSession::onSourceState(quint64 serial, const QString &name, ConnectionState state, const QString &detail)
{
    if (d->shutDown || d->shuttingDown)
        return;  // shutdown() has reported the final state already
    auto it = d->sources.find(name);
    if (it == d->sources.end())
        return;  // a source stopped meanwhile
    // The late last word of a connection this name had before (disconnect, then connect at
    // once): not sender(), which is null once that connection is deleted.
    if (it->serial != serial)
        return;
    it->state = state;
    it->detail = detail;
    if (state != ConnectionState::Reconnecting)
        it->nextRetryMs = 0;
    if (state == ConnectionState::Connected)
        it->lastError.clear();
    else if (state == ConnectionState::Failed)
        it->lastError = detail;
    emit sourceStateChanged(name, state, detail);
    const ConnectionState before = d->aggregate;
    d->aggregate = connectionState();
    if (d->aggregate != before || d->sources.size() == 1)
        emit connectionStateChanged(d->aggregate, d->sources.size() == 1 ? detail : QString());
}

void FleetSession::stopSource(const QString &name, bool wait)
{
    const auto it = d->sources.constFind(name);
    if (it == d->sources.cend())
        return;
    const Source source = it.value();
    d->sources.remove(name);
    {
        const QMutexLocker locker(&d->routingLock);
        d->routing.remove(name);
    }
    SourceConnection *connection = source.connection;
    // The pipeline forgets the source's decoders only after its last batch.
    IngestPipeline *pipeline = d->pipeline;
    auto forget = [pipeline, name] {
        QMetaObject::invokeMethod(pipeline, [pipeline, name] { pipeline->removeSource(name); },
                                  Qt::QueuedConnection);
    };
    if (wait) {
        QMetaObject::invokeMethod(connection, [connection] { connection->stop(); },
                                  Qt::BlockingQueuedConnection);
        forget();
        source.thread->quit();
        source.thread->wait();
    } else {
        QThread *thread = source.thread;
        d->stoppingThreads.append(thread);  // shutdown waits for it before the pipeline goes
        QMetaObject::invokeMethod(
            connection,
            [connection, thread, forget] {
                connection->stop();
                forget();
                thread->quit();
            },
            Qt::QueuedConnection);
    }
    emit sourceStateChanged(name, ConnectionState::Disconnected, QString());
    const ConnectionState before = d->aggregate;
    d->aggregate = connectionState();
    if (d->aggregate != before)
        emit connectionStateChanged(d->aggregate, QString());
}

quint64 FleetSession::deleteDevices(const QList<DeviceKey> &devices)
{
    if (devices.isEmpty() || d->shutDown || d->shuttingDown)
        return 0;
    ensurePipeline();
    const quint64 id = ++d->lastDeletionId;
    d->deletions.insert(id, devices);
    const QSet<DeviceKey> doomed(devices.cbegin(), devices.cend());
    d->cached.removeIf([&doomed](const Device &device) { return doomed.contains(device.key()); });
    qCInfo(lcSession) << "deleting" << devices.size() << "devices (request" << id << ")";
    IngestPipeline *pipeline = d->pipeline;
    QMetaObject::invokeMethod(
        pipeline,
        [this, pipeline, devices, id] {
            pipeline->deleteDevices(devices, id);  // the storage consumer queues the deletion
            const QList<IngestConsumer *> consumers = pipeline->consumers();
            const bool viaWriter = std::any_of(consumers.cbegin(), consumers.cend(), [](IngestConsumer *c) {
                return qobject_cast<StorageConsumer *>(c) != nullptr;
            });
            if (!viaWriter)  // no cache: done once the state and the models have let go
                QMetaObject::invokeMethod(this, [this, id] { finishDeletion(id, true); }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
    return id;
}

void FleetSession::finishDeletion(quint64 requestId, bool committed)
{
    const auto it = d->deletions.constFind(requestId);
    if (it == d->deletions.cend())
        return;
    const QList<DeviceKey> devices = it.value();
    d->deletions.erase(it);
    if (committed)
        qCInfo(lcSession) << "deletion" << requestId << "committed:" << devices.size() << "devices";
    else
        qCWarning(lcSession) << "deletion" << requestId << "was not saved to the cache";
    emit devicesDeleted(requestId, devices, committed);
}

void FleetSession::submitCommand(const DeviceCommand &command)
{
    const auto it = d->sources.constFind(command.target.source);
    if (it == d->sources.cend() || d->shutDown || d->shuttingDown) {
        emit commandRefused(command, tr("not connected to %1").arg(command.target.source));
        return;
    }
    SourceConnection *connection = it->connection;
    QMetaObject::invokeMethod(connection, [connection, command] { connection->submitCommand(command); },
                              Qt::QueuedConnection);
}

void FleetSession::disconnectSource(const QString &name)
{
    stopSource(name, false);
}

QStringList FleetSession::sources() const
{
    return d->sources.keys();
}

ConnectionState FleetSession::sourceState(const QString &name) const
{
    return d->sources.value(name).state;
}

QString FleetSession::sourceDetail(const QString &name) const
{
    return d->sources.value(name).detail;
}

qint64 FleetSession::sourceNextRetryMs(const QString &name) const
{
    return d->sources.value(name).nextRetryMs;
}

QString FleetSession::sourceLastError(const QString &name) const
{
    return d->sources.value(name).lastError;
}

void FleetSession::retrySource(const QString &name)
{
    const auto it = d->sources.constFind(name);
    if (it == d->sources.cend() || !it->connection)
        return;
    SourceConnection *connection = it->connection;
    QMetaObject::invokeMethod(connection, [connection] { connection->retryNow(); }, Qt::QueuedConnection);
}

void FleetSession::connectToBroker(const ConnectionProfile &profile, const ConnectionSecrets &secrets)
{
    connectSource(profile, secrets);
}

ConnectionState FleetSession::connectionState() const
{
    ConnectionState best = ConnectionState::Disconnected;
    for (const Source &s : std::as_const(d->sources)) {
        if (rank(s.state) > rank(best))
            best = s.state;
    }
    return best;
}

void FleetSession::shutdown()
{
    if (d->shutDown)
        return;
    if (d->shuttingDown) {
        // shutdownAsync() is under way: let it finish here.
        while (d->shuttingDown)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        return;
    }
    for (const QString &name : d->sources.keys())
        stopSource(name, true);
    // Sources disconnected earlier may still be stopping: their last batch and their
    // removeSource() must reach the pipeline before it flushes and goes.
    for (const QPointer<QThread> &thread : std::as_const(d->stoppingThreads)) {
        if (thread)
            thread->wait();
    }
    d->shutDown = true;
    if (d->ingestThread.isRunning()) {
        // Every source's last batch is queued ahead of this: consumers hand over the rest.
        IngestPipeline *pipeline = d->pipeline;
        QMetaObject::invokeMethod(pipeline, [pipeline] { pipeline->flushNow(); },
                                  Qt::BlockingQueuedConnection);
    }
    if (d->writerStarted && !d->writer.flush())
        qCWarning(lcSession) << "the cache writer did not finish in time; the last changes may be lost";
    finishShutdown();
}

void FleetSession::shutdownAsync()
{
    if (d->shutDown || d->shuttingDown) {
        if (d->shutDown)
            QMetaObject::invokeMethod(this, [this] { emit shutdownFinished(true); }, Qt::QueuedConnection);
        return;
    }
    d->shuttingDown = true;
    // 1. Every source stops on its own thread and queues its last batch to the ingest thread.
    // 2. After the last of them, on the ingest thread: consumers flush, the writer commits.
    // 3. Back on this thread: threads are joined (idle by then) and the files closed.
    ensurePipeline();
    IngestPipeline *pipeline = d->pipeline;
    StorageWriter *writer = d->writerStarted ? &d->writer : nullptr;
    auto committed = std::make_shared<bool>(true);
    auto onIngest = [this, pipeline, writer, committed] {
        pipeline->flushNow();
        *committed = !writer || writer->flush();
        QMetaObject::invokeMethod(
            this, [this, committed] {
                if (!*committed)
                    qCWarning(lcSession) << "the cache writer did not finish in time; the last changes may be lost";
                finishShutdown();
                emit shutdownFinished(*committed);
            },
            Qt::QueuedConnection);
    };
    const QStringList names = d->sources.keys();
    // Sources disconnected before and still stopping count too: their last batch must
    // reach the pipeline before it flushes.
    QList<QThread *> lingering;
    for (const QPointer<QThread> &thread : std::as_const(d->stoppingThreads)) {
        if (thread && !thread->isFinished())
            lingering.append(thread);
    }
    auto remaining = std::make_shared<std::atomic<int>>(int(names.size() + lingering.size()));
    if (*remaining == 0) {
        QMetaObject::invokeMethod(pipeline, onIngest, Qt::QueuedConnection);
        return;
    }
    for (QThread *thread : std::as_const(lingering)) {
        auto once = std::make_shared<std::atomic_bool>(false);
        auto done = [pipeline, remaining, onIngest, once] {
            if (!once->exchange(true) && --*remaining == 0)
                QMetaObject::invokeMethod(pipeline, onIngest, Qt::QueuedConnection);
        };
        connect(thread, &QThread::finished, pipeline, done, Qt::QueuedConnection);
        if (thread->isFinished())
            QMetaObject::invokeMethod(pipeline, done, Qt::QueuedConnection);
    }
    for (const QString &name : names) {
        const Source source = d->sources.take(name);
        {
            const QMutexLocker locker(&d->routingLock);
            d->routing.remove(name);
        }
        d->stoppingThreads.append(source.thread);
        SourceConnection *connection = source.connection;
        QMetaObject::invokeMethod(
            connection,
            [connection, pipeline, remaining, onIngest] {
                connection->stop();
                if (--*remaining == 0)
                    QMetaObject::invokeMethod(pipeline, onIngest, Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
        emit sourceStateChanged(name, ConnectionState::Disconnected, QString());
    }
}

bool FleetSession::isShutDown() const
{
    return d->shutDown;
}

void FleetSession::finishShutdown()
{
    d->shutDown = true;
    d->shuttingDown = false;
    d->integrity.cancel();
    if (d->openThread) {
        // Quit while the cache was still opening: the loader uses the read connection.
        d->openThread->quit();
        d->openThread->wait();
    }
    for (const QPointer<QThread> &thread : std::as_const(d->stoppingThreads)) {
        if (thread) {
            thread->quit();
            thread->wait();
        }
    }
    d->stoppingThreads.clear();
    if (d->ingestThread.isRunning()) {
        d->ingestThread.quit();
        d->ingestThread.wait();
        d->pipeline = nullptr;
    }
    if (d->aggregate != ConnectionState::Disconnected) {
        d->aggregate = ConnectionState::Disconnected;
        emit connectionStateChanged(d->aggregate, QString());
    }
    if (d->writerStarted) {
        d->writer.stop();
        d->writerStarted = false;
    }
    d->readDb.close();
}

} // namespace fd
