#include "core/ingest/ingest_pipeline.h"

#include "core/ingest/ingest_consumer.h"
#include "core/protocol/message_decoder.h"

#include <QDateTime>
#include <QLoggingCategory>

#include <algorithm>

namespace fd {

Q_LOGGING_CATEGORY(lcIngest, "fleetdeck.ingest")

IngestPipeline::IngestPipeline(QObject *parent)
    : QObject(parent)
    , m_sink(m_state, m_stats)
    , m_statsTimer(this)
    , m_decoderTimer(this)
{
    qRegisterMetaType<fd::MqttMessageBatch>();
    qRegisterMetaType<QList<fd::Device>>();
    qRegisterMetaType<fd::IngestStats>();
    setLimits(m_limits);
    m_statsTimer.setInterval(1000);
    connect(&m_statsTimer, &QTimer::timeout, this, &IngestPipeline::publishStats);
    m_decoderTimer.setSingleShot(true);
    m_decoderTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_decoderTimer, &QTimer::timeout, this, &IngestPipeline::onDecoderTimer);
    m_rateClock.start();
}

IngestPipeline::~IngestPipeline() = default;

void IngestPipeline::addConsumer(IngestConsumer *consumer)
{
    consumer->setParent(this);
    m_consumers.append(consumer);
    consumer->attach(m_state);
    qCDebug(lcIngest) << "consumer" << consumer->consumerName() << "registered, position"
                      << m_consumers.size();
}

void IngestPipeline::setInitialDevices(const QList<Device> &devices)
{
    m_state.reset(devices);
}

void IngestPipeline::setLimits(const IngestLimits &limits)
{
    m_limits = limits;
    m_state.setMaxMetricsPerDevice(limits.maxMetricsPerDevice);
    m_sink.setMaxDevicesPerSource(limits.maxDevicesPerSource);
}

void IngestPipeline::setDecoders(const QString &source, const DecoderList &decoders)
{
    m_decoders.insert(source, decoders);
    m_stats.sources[source];  // listed from now on, even before traffic
}

void IngestPipeline::removeSource(const QString &source)
{
    m_decoders.remove(source);
}

void IngestPipeline::deleteDevices(const QList<DeviceKey> &devices, quint64 deletionId)
{
    const QList<DeviceKey> removed = m_state.removeDevices(devices);
    qCInfo(lcIngest) << "deleted" << removed.size() << "of" << devices.size() << "devices (request" << deletionId
                     << ")";
    // Every requested key, not only those in the state: the cache or a model may still
    // hold one the state never had.
    for (IngestConsumer *consumer : std::as_const(m_consumers))
        consumer->devicesDeleted(devices, deletionId);
}

void IngestPipeline::setCommandResponseHandler(IngestSink::ResponseHandler handler)
{
    m_sink.setResponseHandler(std::move(handler));
}

void IngestPipeline::setSendHandler(IngestSink::SendHandler handler)
{
    m_sink.setSendHandler(std::move(handler));
}

void IngestPipeline::runDecoders(const QString &source, qint64 nowMs,
                                 const std::function<void(MessageDecoder &, DecodeSink &)> &fn)
{
    const DecoderList decoders = m_decoders.value(source);
    if (decoders.isEmpty())
        return;
    SourceIngestStats &sourceStats = m_stats.sources[source];
    IngestBatch out;
    out.source = source;
    out.state = &m_state;
    out.receivedMs = nowMs;
    for (const auto &decoder : decoders) {
        m_sink.begin(source, &sourceStats, nowMs, &out.samples, nullptr, &out.deviceIndices);
        fn(*decoder, m_sink);
    }
    for (IngestConsumer *consumer : std::as_const(m_consumers))
        consumer->consume(out);
}

void IngestPipeline::sourceLinkChanged(const QString &source, bool up, qint64 tsMs)
{
    runDecoders(source, tsMs, [up, tsMs](MessageDecoder &decoder, DecodeSink &sink) {
        decoder.connectionChanged(up, tsMs, sink);
    });
    armDecoderTimer();
}

void IngestPipeline::onDecoderTimer()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QStringList sources = m_decoders.keys();
    for (const QString &source : sources) {
        bool due = false;
        for (const auto &decoder : m_decoders.value(source)) {
            const qint64 deadline = decoder->nextDeadlineMs();
            due = due || (deadline > 0 && deadline <= now);
        }
        if (due) {
            runDecoders(source, now, [now](MessageDecoder &decoder, DecodeSink &sink) {
                const qint64 deadline = decoder.nextDeadlineMs();
                if (deadline > 0 && deadline <= now)
                    decoder.tick(now, sink);
            });
        }
    }
    armDecoderTimer();
}

void IngestPipeline::armDecoderTimer()
{
    qint64 earliest = 0;
    for (const DecoderList &decoders : std::as_const(m_decoders)) {
        for (const auto &decoder : decoders) {
            const qint64 deadline = decoder->nextDeadlineMs();
            if (deadline > 0 && (earliest == 0 || deadline < earliest))
                earliest = deadline;
        }
    }
    if (earliest == 0) {
        m_decoderTimer.stop();
        return;
    }
    const qint64 wait = std::clamp<qint64>(earliest - QDateTime::currentMSecsSinceEpoch(), 0, 60 * 60 * 1000);
    m_decoderTimer.start(int(wait));
}

void IngestPipeline::decodeOne(const DecoderList &decoders, const MqttMessage &message)
{
    for (const auto &decoder : decoders) {
        if (decoder->claims(message.topic)) {
            decoder->decode(message, m_sink);
            return;
        }
    }
    m_sink.reject(-1, RejectReason::UnknownTopic, QString());
}

void IngestPipeline::processBatch(const QString &source, const MqttMessageBatch &batch)
{
    if (batch.isEmpty()) {
        emit batchProcessed(source);
        return;
    }
    SourceIngestStats &sourceStats = m_stats.sources[source];
    const DecoderList decoders = m_decoders.value(source);
    IngestBatch out;
    out.source = source;
    out.state = &m_state;
    out.receivedMs = batch.constLast().receivedMs;
    out.samples.reserve(batch.size());
    out.deviceIndices.reserve(batch.size());
    for (const MqttMessage &message : batch) {
        m_sink.begin(source, &sourceStats, message.receivedMs, &out.samples, &message, &out.deviceIndices);
        decodeOne(decoders, message);
    }
    const quint64 n = quint64(batch.size());
    m_stats.received += n;
    sourceStats.received += n;
    m_stats.gaps = m_state.totalGaps();
    m_stats.lastMessageMs = out.receivedMs;
    sourceStats.lastMessageMs = out.receivedMs;

    for (IngestConsumer *consumer : std::as_const(m_consumers))
        consumer->consume(out);
    armDecoderTimer();

    if (!m_statsTimer.isActive()) {
        // Traffic resumes after an idle period: measure the rate from here.
        m_rateClock.restart();
        m_receivedAtLastRate.insert(QString(), m_stats.received - n);
        for (auto it = m_stats.sources.cbegin(); it != m_stats.sources.cend(); ++it)
            m_receivedAtLastRate.insert(it.key(), it.value().received - (it.key() == source ? n : 0));
        m_statsTimer.start();
    }
    emit batchProcessed(source);
}

void IngestPipeline::resetRejects()
{
    const int devices = m_state.clearRejects();
    m_stats.rejected = 0;
    m_stats.unattributed = RejectCounts{};
    m_stats.recentRejects.clear();
    for (SourceIngestStats &source : m_stats.sources) {
        source.rejected = 0;
        source.unattributed = RejectCounts{};
        source.unknownDevices.clear();
    }
    qCInfo(lcIngest) << "reject counters reset," << devices << "device(s) had rejects";
    flushNow();  // the devices' zeros to the cache and the models, the stats to the window
}

void IngestPipeline::publishStats()
{
    const qint64 elapsed = m_rateClock.restart();
    auto rate = [this, elapsed](const QString &key, quint64 received) {
        const quint64 delta = received - m_receivedAtLastRate.value(key, received);
        m_receivedAtLastRate.insert(key, received);
        return elapsed > 0 ? double(delta) * 1000.0 / double(elapsed) : 0.0;
    };
    m_stats.messagesPerSecond = rate(QString(), m_stats.received);
    for (auto it = m_stats.sources.begin(); it != m_stats.sources.end(); ++it)
        it.value().messagesPerSecond = rate(it.key(), it.value().received);
    emit statsUpdated(m_stats);
    if (m_stats.messagesPerSecond == 0)
        m_statsTimer.stop();  // idle: one last "0 msg/s" report, then quiet until traffic resumes
}

void IngestPipeline::applyStorageRejects(const StorageRejectList &rejects)
{
    for (const StorageReject &reject : rejects) {
        // A device deleted since its sample was queued stays deleted.
        if (const int index = m_state.indexOf(reject.device); index >= 0)
            m_state.applyRejectAt(index, RejectReason::Unstorable);
        if (reject.deviceState)
            continue;  // not a message of its own: the samples were counted as they came
        SourceIngestStats &source = m_stats.sources[reject.device.source];
        for (quint64 *accepted : {&m_stats.accepted, &source.accepted}) {
            if (*accepted > 0)
                --*accepted;
        }
        ++m_stats.rejected;
        ++source.rejected;
    }
    if (!m_statsTimer.isActive())
        publishStats();
}

void IngestPipeline::setDropped(const QString &source, quint64 total)
{
    m_stats.sources[source].dropped = total;
    quint64 sum = 0;
    for (const SourceIngestStats &s : std::as_const(m_stats.sources))
        sum += s.dropped;
    m_stats.dropped = sum;
    if (!m_statsTimer.isActive())
        publishStats();
}

void IngestPipeline::flushNow()
{
    for (IngestConsumer *consumer : std::as_const(m_consumers))
        consumer->flush();
    m_statsTimer.stop();
    publishStats();
}

} // namespace fd
