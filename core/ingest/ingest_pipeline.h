#pragma once

#include "core/domain/device.h"
#include "core/domain/ingest_limits.h"
#include "core/domain/mqtt_message.h"
#include "core/ingest/fleet_state.h"
#include "core/ingest/ingest_sink.h"
#include "core/domain/ingest_stats.h"
#include "core/storage/storage_reject.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>
#include <vector>

namespace fd {

class IngestConsumer;
class MessageDecoder;

// The decode stage of every source, on the ingest thread ("fleetdeck-ingest"):
//   batch of one source -> its decoders (the first that claims a topic decodes it) ->
//   normalised events applied to the FleetState (IngestSink) -> one IngestBatch handed to
//   every registered consumer, in registration order.
// The pipeline knows no protocol, no storage and no model: decoders and consumers plug in.
// After each batch it emits batchProcessed(source): a source sends its next batch only
// then (one batch in flight per source), so a slow consumer makes batches larger, not the
// queue of posted events longer.
class IngestPipeline : public QObject
{
    Q_OBJECT
public:
    using DecoderList = QList<std::shared_ptr<MessageDecoder>>;

    explicit IngestPipeline(QObject *parent = nullptr);
    ~IngestPipeline() override;

    // Takes ownership (the consumer becomes a child, so it moves to the pipeline's thread
    // with it). Register before the first batch; attach() is called at once.
    void addConsumer(IngestConsumer *consumer);
    QList<IngestConsumer *> consumers() const { return m_consumers; }

    void setInitialDevices(const QList<Device> &devices);
    // Devices per source and metrics per device; applies to new devices and metrics from
    // the next message on (known ones are never removed).
    void setLimits(const IngestLimits &limits);
    IngestLimits limits() const { return m_limits; }
    // The decoders of a source, replacing any earlier ones (protocol v1 today; Sparkplug B
    // next). A batch of a source without decoders counts every message as unknown_topic.
    void setDecoders(const QString &source, const DecoderList &decoders);
    void removeSource(const QString &source);
    // Deletes the devices from the state, then tells every consumer (storage deletes them
    // from the cache and reports deletionId when committed). Between batches.
    void deleteDevices(const QList<DeviceKey> &devices, quint64 deletionId);

    // Called (on the ingest thread) for each device answer to a command.
    void setCommandResponseHandler(IngestSink::ResponseHandler handler);
    // Called (on the ingest thread) for each message a decoder sends to a device on its own.
    void setSendHandler(IngestSink::SendHandler handler);
    // See IngestSink::setMaxFutureSkewMs(). Before the first batch.
    void setMaxFutureSkewMs(qint64 ms) { m_sink.setMaxFutureSkewMs(ms); }

    const FleetState &state() const { return m_state; }
    IngestStats stats() const { return m_stats; }

public slots:
    void processBatch(const QString &source, const fd::MqttMessageBatch &batch);
    // The source's connection came up or went down at tsMs, in order with its batches
    // (SourceConnection::linkChanged): its decoders hear of it (MessageDecoder::
    // connectionChanged), and what they change reaches the consumers like a batch.
    void sourceLinkChanged(const QString &source, bool up, qint64 tsMs);
    // Every consumer hands over what it holds, and stats are published now (shutdown).
    void flushNow();
    // What the cache refused (StorageWriter::rejected): each counts as a reject of its
    // device, reason unstorable; a refused sample moves from accepted to rejected.
    void applyStorageRejects(const fd::StorageRejectList &rejects);
    // Diagnostics > Reset Counters: every reject count goes to zero (the devices' ones, also
    // in the cache, the unknown devices', the unattributed ones, the rejected totals) and the
    // kept samples go; received / accepted / dropped stay. Published at once.
    void resetRejects();
    // A source's running total of messages dropped before decoding (overload).
    void setDropped(const QString &source, quint64 total);

signals:
    void statsUpdated(const fd::IngestStats &stats);
    void batchProcessed(const QString &source);

private:
    void publishStats();
    void decodeOne(const DecoderList &decoders, const MqttMessage &message);
    // Runs fn(decoder, sink) for each decoder of source outside of any message, then hands
    // the result to the consumers (a batch without messages).
    void runDecoders(const QString &source, qint64 nowMs,
                     const std::function<void(MessageDecoder &, DecodeSink &)> &fn);
    void onDecoderTimer();
    void armDecoderTimer();

    FleetState m_state;
    IngestLimits m_limits;
    IngestStats m_stats;
    IngestSink m_sink;
    QHash<QString, DecoderList> m_decoders;
    QList<IngestConsumer *> m_consumers;
    QTimer m_statsTimer;
    QTimer m_decoderTimer;  // the earliest MessageDecoder::nextDeadlineMs() of any source
    QElapsedTimer m_rateClock;
    QHash<QString, quint64> m_receivedAtLastRate;  // per source ("" = total)
};

} // namespace fd
