#include "core/ingest/fleet_session.h"

#include "core/ingest/ingest_pipeline.h"
#include "core/storage/inventory_store.h"
#include "core/storage/storage_writer.h"
#include "core/transport/mqtt_client.h"

#include <QLoggingCategory>
#include <QThread>

namespace fd {

Q_LOGGING_CATEGORY(lcSession, "fleetdeck.session")

struct FleetSession::Impl
{
    Options options;
    Database readDb;
    StorageWriter writer;
    bool writerStarted = false;
    QList<Device> cached;
    qint64 cacheAsOfMs = 0;

    QThread ingestThread;
    MqttClient *client = nullptr;       // lives on ingestThread
    IngestPipeline *pipeline = nullptr; // lives on ingestThread
    ConnectionState state = ConnectionState::Disconnected;
    bool shutDown = false;
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
    d->options = options;
    d->options.retention = options.retention.normalized();
    d->ingestThread.setObjectName(QStringLiteral("fleetdeck-ingest"));
    connect(&d->writer, &StorageWriter::writeFailed, this, &FleetSession::storageError);
    connect(&d->writer, &StorageWriter::pruned, this, &FleetSession::pruned);  // queued: writer thread
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

    const RetentionPolicy &retention = d->options.retention;
    d->writer.setRetention(retention);
    if (!d->writer.start(dbPath, &error)) {
        d->readDb.close();
        return {Database::OpenStatus::Unreadable, error, result.schemaVersion};
    }
    d->writerStarted = true;
    qCInfo(lcSession) << "cache" << dbPath << "holds" << d->cached.size() << "devices";
    return result;
}

QList<Device> FleetSession::cachedDevices() const
{
    return d->cached;
}

qint64 FleetSession::cacheAsOfMs() const
{
    return d->cacheAsOfMs;
}

void FleetSession::setLiveSamplesIntervalMs(int ms)
{
    d->options.liveSamplesIntervalMs = ms;
    if (IngestPipeline *pipeline = d->pipeline) {
        QMetaObject::invokeMethod(pipeline, [pipeline, ms] { pipeline->setLiveSamplesIntervalMs(ms); },
                                  Qt::QueuedConnection);
    }
}

QString FleetSession::databasePath() const
{
    return d->readDb.path();
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

ConnectionState FleetSession::connectionState() const
{
    return d->state;
}

void FleetSession::connectToBroker(const ConnectionProfile &profile, const ConnectionSecrets &secrets)
{
    if (d->shutDown)
        return;
    const TopicScheme topics(profile.topicPrefix);
    if (!d->pipeline) {
        d->pipeline = new IngestPipeline(topics, PayloadCodec(d->options.maxPayloadBytes),
                                         d->writerStarted ? &d->writer : nullptr);
        d->pipeline->setInitialDevices(d->cached);
        d->pipeline->setPublishIntervalMs(d->options.publishIntervalMs);
        d->pipeline->setLiveSamplesIntervalMs(d->options.liveSamplesIntervalMs);
        connect(d->pipeline, &IngestPipeline::samplesDecoded, this, &FleetSession::telemetryReceived);
        d->client = new MqttClient;
        connect(d->client, &MqttClient::messagesReceived, d->pipeline, &IngestPipeline::processBatch);
        connect(d->pipeline, &IngestPipeline::devicesUpdated, this, &FleetSession::devicesUpdated);
        connect(d->pipeline, &IngestPipeline::statsUpdated, this, &FleetSession::statsUpdated);
        connect(d->client, &MqttClient::stateChanged, this,
                [this](ConnectionState state, const QString &detail) {
                    if (d->shutDown)
                        return;  // shutdown() has reported the final state already
                    d->state = state;
                    emit connectionStateChanged(state, detail);
                });
        d->pipeline->moveToThread(&d->ingestThread);
        d->client->moveToThread(&d->ingestThread);
        connect(&d->ingestThread, &QThread::finished, d->pipeline, &QObject::deleteLater);
        connect(&d->ingestThread, &QThread::finished, d->client, &QObject::deleteLater);
        d->ingestThread.start();
    }

    MqttClient *client = d->client;
    IngestPipeline *pipeline = d->pipeline;
    const int qos = profile.qos;
    QMetaObject::invokeMethod(
        client,
        [client, pipeline, profile, secrets, topics, qos] {
            pipeline->setTopicScheme(topics);
            client->subscribe(topics.subscriptionFilter(), qos);
            client->connectToBroker(profile, secrets);
        },
        Qt::QueuedConnection);
}

void FleetSession::disconnectFromBroker()
{
    if (!d->client)
        return;
    MqttClient *client = d->client;
    QMetaObject::invokeMethod(client, [client] { client->disconnectFromBroker(); },
                              Qt::BlockingQueuedConnection);
}

void FleetSession::shutdown()
{
    if (d->shutDown)
        return;
    d->shutDown = true;
    if (d->ingestThread.isRunning()) {
        MqttClient *client = d->client;
        IngestPipeline *pipeline = d->pipeline;
        // Stop receiving, then hand the last changes to the UI and the writer.
        QMetaObject::invokeMethod(
            client,
            [client, pipeline] {
                // Delivers, synchronously, everything already received as a last batch.
                client->disconnectFromBroker();
                pipeline->flushNow();
            },
            Qt::BlockingQueuedConnection);
        d->ingestThread.quit();
        d->ingestThread.wait();
        d->client = nullptr;
        d->pipeline = nullptr;
    }
    if (d->state != ConnectionState::Disconnected) {
        d->state = ConnectionState::Disconnected;
        emit connectionStateChanged(d->state, QString());
    }
    if (d->writerStarted) {
        if (!d->writer.flush())
            qCWarning(lcSession) << "the cache writer did not finish in time; the last changes may be lost";
        d->writer.stop();
        d->writerStarted = false;
    }
    d->readDb.close();
}

} // namespace fd
