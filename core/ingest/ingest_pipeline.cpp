#include "core/ingest/ingest_pipeline.h"

#include "core/storage/storage_writer.h"

#include <QLoggingCategory>

#include <utility>

namespace fd {

Q_LOGGING_CATEGORY(lcIngest, "fleetdeck.ingest")

IngestPipeline::IngestPipeline(const TopicScheme &topics, const PayloadCodec &codec,
                               StorageWriter *writer, QObject *parent)
    : QObject(parent)
    , m_topics(topics)
    , m_codec(codec)
    , m_writer(writer)
    , m_publishTimer(this)
    , m_storageTimer(this)
    , m_statsTimer(this)
    , m_liveTimer(this)
{
    qRegisterMetaType<fd::MqttMessageBatch>();
    qRegisterMetaType<QList<fd::Device>>();
    qRegisterMetaType<fd::IngestStats>();

    // Single-shot timers armed only when something changed: an idle fleet costs nothing.
    m_publishTimer.setSingleShot(true);
    m_publishTimer.setInterval(100);
    connect(&m_publishTimer, &QTimer::timeout, this, &IngestPipeline::publishChanges);
    m_storageTimer.setSingleShot(true);
    m_storageTimer.setInterval(1000);
    connect(&m_storageTimer, &QTimer::timeout, this, &IngestPipeline::persistDevices);
    m_statsTimer.setInterval(1000);
    connect(&m_statsTimer, &QTimer::timeout, this, &IngestPipeline::publishStats);
    m_liveTimer.setSingleShot(true);
    connect(&m_liveTimer, &QTimer::timeout, this, &IngestPipeline::publishLiveSamples);
    m_rateClock.start();
}

void IngestPipeline::setLiveSamplesIntervalMs(int ms)
{
    m_liveEnabled = ms > 0;
    m_liveTimer.setInterval(qMax(0, ms));
    if (!m_liveEnabled)
        m_liveSamples.clear();
}

void IngestPipeline::publishLiveSamples()
{
    if (!m_liveSamples.isEmpty())
        emit samplesDecoded(std::exchange(m_liveSamples, {}));
}

void IngestPipeline::setInitialDevices(const QList<Device> &devices)
{
    m_state.reset(devices);
}

void IngestPipeline::setTopicScheme(const TopicScheme &topics)
{
    m_topics = topics;
}

void IngestPipeline::setPublishIntervalMs(int ms)
{
    m_publishTimer.setInterval(ms);
}

void IngestPipeline::setStorageDeviceIntervalMs(int ms)
{
    m_storageTimer.setInterval(ms);
}

void IngestPipeline::processBatch(const MqttMessageBatch &batch)
{
    if (batch.isEmpty())
        return;
    QList<TelemetrySample> samples;
    samples.reserve(batch.size());
    for (const MqttMessage &message : batch)
        processOne(message, samples);
    m_stats.received += quint64(batch.size());
    m_stats.gaps = m_state.totalGaps();
    m_stats.lastMessageMs = batch.constLast().receivedMs;

    if (m_liveEnabled && !samples.isEmpty()) {
        // Shares the list with the storage batch when nothing is pending (no copy).
        if (m_liveSamples.isEmpty())
            m_liveSamples = samples;
        else
            m_liveSamples.append(samples);
        if (!m_liveTimer.isActive())
            m_liveTimer.start();
    }
    if (m_writer && !samples.isEmpty()) {
        StorageBatch storage;
        storage.samples = std::move(samples);
        m_writer->submit(std::move(storage));
    }
    if (!m_publishTimer.isActive())
        m_publishTimer.start();
    if (m_writer && !m_storageTimer.isActive())
        m_storageTimer.start();
    if (!m_statsTimer.isActive()) {
        // Traffic resumes after an idle period: measure the rate from here.
        m_rateClock.restart();
        m_receivedAtLastRate = m_stats.received - quint64(batch.size());
        m_statsTimer.start();
    }
}

void IngestPipeline::processOne(const MqttMessage &message, QList<TelemetrySample> &samples)
{
    const TopicScheme::Parsed topic = m_topics.parse(message.topic);
    if (!topic.underPrefix || topic.kind == TopicScheme::Kind::Unknown) {
        rejectUnattributed(RejectReason::UnknownTopic);
        return;
    }
    if (!topic.deviceIdValid) {
        rejectUnattributed(RejectReason::BadDeviceId);
        return;
    }
    // Looked up by the bytes in the topic: no allocation for a known device, whose id
    // string the decoded message then shares.
    const int index = m_state.ensureDevice(topic.deviceId);
    const QString &deviceId = m_state.devices().at(index).id;

    if (topic.kind == TopicScheme::Kind::Status) {
        auto decoded = m_codec.decodeStatus(deviceId, message.payload);
        if (auto *err = std::get_if<DecodeError>(&decoded)) {
            qCDebug(lcIngest) << "rejected status of" << deviceId << err->detail;
            m_state.applyRejectAt(index, err->reason);
            ++m_stats.rejected;
            return;
        }
        m_state.applyStatusAt(index, std::get<DeviceStatus>(decoded), message.receivedMs);
        ++m_stats.accepted;
        return;
    }

    auto decoded = m_codec.decodeTelemetry(deviceId, message.payload);
    if (auto *err = std::get_if<DecodeError>(&decoded)) {
        qCDebug(lcIngest) << "rejected telemetry of" << deviceId << err->detail;
        m_state.applyRejectAt(index, err->reason);
        ++m_stats.rejected;
        return;
    }
    TelemetrySample &sample = std::get<TelemetrySample>(decoded);
    m_state.applyTelemetryAt(index, sample, message.receivedMs);
    samples.append(std::move(sample));
    ++m_stats.accepted;
}

void IngestPipeline::rejectUnattributed(RejectReason reason)
{
    ++m_stats.unattributed[std::size_t(reason)];
    ++m_stats.rejected;
}

void IngestPipeline::publishChanges()
{
    if (m_state.hasChanges(FleetState::Ui))
        emit devicesUpdated(m_state.takeChanged(FleetState::Ui));
}

void IngestPipeline::persistDevices()
{
    if (!m_writer || !m_state.hasChanges(FleetState::Storage))
        return;
    StorageBatch storage;
    storage.devices = m_state.takeChanged(FleetState::Storage);
    m_writer->submit(std::move(storage));
}

void IngestPipeline::publishStats()
{
    const qint64 elapsed = m_rateClock.restart();
    const quint64 delta = m_stats.received - m_receivedAtLastRate;
    m_receivedAtLastRate = m_stats.received;
    m_stats.messagesPerSecond = elapsed > 0 ? double(delta) * 1000.0 / double(elapsed) : 0.0;
    emit statsUpdated(m_stats);
    if (delta == 0)
        m_statsTimer.stop();  // idle: one last "0 msg/s" report, then quiet until traffic resumes
}

void IngestPipeline::flushNow()
{
    m_publishTimer.stop();
    m_storageTimer.stop();
    m_liveTimer.stop();
    publishChanges();
    publishLiveSamples();
    persistDevices();
    publishStats();
}

} // namespace fd
