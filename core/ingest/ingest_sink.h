#pragma once

#include "core/ingest/fleet_state.h"
#include "core/domain/ingest_stats.h"
#include "core/domain/mqtt_message.h"
#include "core/protocol/decode_sink.h"

#include <QList>

#include <functional>
#include <limits>
#include <vector>

namespace fd {

// The pipeline's side of the decoder seam: applies the normalised events of one source's
// messages to the FleetState and counts them, collecting the accepted samples of the
// batch. One per pipeline, re-aimed at each message (begin()).
//
// Only an accepted event creates a device: device() hands out a provisional handle for a
// path the state does not know, which becomes a device at the first status, death or
// metrics event of the message. A reject of a provisional device is counted per source and
// path (SourceIngestStats::unknownDevices, bounded) and creates nothing, so garbage under
// the prefix leaves no device behind; those counts move onto the device if it is accepted
// later.
class IngestSink final : public DecodeSink
{
public:
    using ResponseHandler = std::function<void(const DeviceKey &device, const QByteArray &payload)>;
    // A message a decoder sends to a device on its own (DecodeSink::sendToDevice).
    using SendHandler = std::function<void(const DeviceKey &device, const QString &name, const QString &topic,
                                           const QByteArray &payload, const QString &reason)>;

    IngestSink(FleetState &state, IngestStats &totals);

    void setResponseHandler(ResponseHandler handler) { m_onResponse = std::move(handler); }
    void setSendHandler(SendHandler handler) { m_onSend = std::move(handler); }
    // Telemetry stamped later than its receive time plus this is rejected (future_timestamp),
    // not clamped: a far-future "ts" would never be pruned and would pin "last telemetry".
    // Negative: no check.
    void setMaxFutureSkewMs(qint64 ms) { m_maxFutureSkewMs = ms; }
    // Devices per source: a device new to a source that has maxDevicesPerSource is refused
    // (RejectReason::DeviceLimit, counted like the rejects of any unknown device). The metric
    // limit is the FleetState's (IngestPipeline::setLimits sets both).
    void setMaxDevicesPerSource(int maximum) { m_maxDevicesPerSource = qMax(1, maximum); }

    // Aims the sink at one message of a source, whose counters it updates (a message with
    // at least one accepted event counts once as accepted). Without a message (a decoder's
    // tick or a connection change) events change the state but count no message. With the message,
    // a reject keeps a sample of it (topic, size, the first RejectSample::kPreviewBytes of the
    // payload) in IngestStats::recentRejects: only rejected messages are copied, and only
    // that much of them.
    void begin(const QString &source, SourceIngestStats *stats, qint64 receivedMs,
               QList<TelemetrySample> *samples, const MqttMessage *message = nullptr,
               QList<int> *indices = nullptr);  // indices: each accepted sample's device index

    int device(QByteArrayView path) override;
    const QString &deviceId(int handle) const override;
    void status(int handle, const DeviceStatus &status) override;
    void death(int handle, qint64 tsMs) override;
    void session(int handle, const SparkplugSession &session) override;
    void metrics(int handle, TelemetrySample &&sample) override;
    void reject(int handle, RejectReason reason, const QString &detail) override;
    void commandResponse(QByteArrayView path, const QByteArray &payload) override;
    void sendToDevice(QByteArrayView path, const QString &name, const QString &topic, const QByteArray &payload,
                      const QString &reason) override;

private:
    // An unknown device named by the message being decoded (handle kProvisional + i).
    struct Provisional
    {
        QByteArray path;
        QString id;
        int index = -1;  // the device, once an accepted event created it
    };
    static constexpr int kProvisional = 1 << 30;

    void accepted();
    // The state index of handle, creating a provisional device; -1 if the source's device
    // limit refuses it (then counted: the caller only returns).
    int resolve(int handle);
    void rejectUnknown(const Provisional &device, RejectReason reason);
    // Keeps a sample of the current message for reason (IngestStats::recentRejects).
    void keepSample(int handle, RejectReason reason, const QString &detail);

    FleetState &m_state;
    IngestStats &m_totals;
    ResponseHandler m_onResponse;
    SendHandler m_onSend;
    quint64 m_countedSerial = 0;  // the message last counted as accepted
    QString m_source;
    SourceIngestStats *m_stats = nullptr;
    qint64 m_receivedMs = 0;
    qint64 m_maxFutureSkewMs = 60 * 60 * 1000;
    QList<TelemetrySample> *m_samples = nullptr;
    QList<int> *m_indices = nullptr;  // the device index of each sample (may be null)
    const MqttMessage *m_message = nullptr;
    quint64 m_messageSerial = 0;
    std::vector<Provisional> m_provisional;  // of the current message
    int m_maxDevicesPerSource = std::numeric_limits<int>::max();
};

} // namespace fd
