#include "core/ingest/ingest_sink.h"

namespace fd {

IngestSink::IngestSink(FleetState &state, IngestStats &totals)
    : m_state(state)
    , m_totals(totals)
{
}

void IngestSink::begin(const QString &source, SourceIngestStats *stats, qint64 receivedMs,
                       QList<TelemetrySample> *samples, const MqttMessage *message, QList<int> *indices)
{
    m_indices = indices;
    m_message = message;
    ++m_messageSerial;
    m_source = source;
    m_stats = stats;
    m_receivedMs = receivedMs;
    m_samples = samples;
    m_provisional.clear();
}

int IngestSink::device(QByteArrayView path)
{
    const int index = m_state.indexOf(m_source, path);
    if (index >= 0)
        return index;
    for (size_t i = 0; i < m_provisional.size(); ++i) {
        if (m_provisional[i].path == path)
            return kProvisional + int(i);
    }
    Provisional p;
    p.path = path.toByteArray();
    p.id = DeviceKey(m_source, QString::fromUtf8(path)).id();
    m_provisional.push_back(std::move(p));
    return kProvisional + int(m_provisional.size() - 1);
}

const QString &IngestSink::deviceId(int handle) const
{
    if (handle >= kProvisional)
        return m_provisional[size_t(handle - kProvisional)].id;
    return m_state.devices().at(handle).id;
}

int IngestSink::resolve(int handle)
{
    if (handle < kProvisional)
        return handle;
    Provisional &p = m_provisional[size_t(handle - kProvisional)];
    if (p.index >= 0)
        return p.index;
    if (m_state.deviceCount(m_source) >= m_maxDevicesPerSource) {
        rejectUnknown(p, RejectReason::DeviceLimit);
        keepSample(handle, RejectReason::DeviceLimit, QString());
        ++m_stats->rejected;
        ++m_totals.rejected;
        return -1;
    }
    p.index = m_state.ensureDevice(m_source, p.path);
    if (!m_stats->unknownDevices.isEmpty()) {
        // Rejected before it was ever accepted: those rejects are the device's now.
        const auto it = m_stats->unknownDevices.constFind(QString::fromUtf8(p.path));
        if (it != m_stats->unknownDevices.cend()) {
            m_state.addRejectsAt(p.index, it.value());
            m_stats->unknownDevices.erase(it);
        }
    }
    return p.index;
}

void IngestSink::rejectUnknown(const Provisional &device, RejectReason reason)
{
    QMap<QString, RejectCounts> &unknown = m_stats->unknownDevices;
    const QString path = QString::fromUtf8(device.path);
    auto it = unknown.find(path);
    if (it == unknown.end()) {
        if (unknown.size() >= SourceIngestStats::kMaxUnknownDevices) {
            // A flood of ever new ids: counted, but not remembered one by one.
            ++m_stats->unattributed[std::size_t(reason)];
            ++m_totals.unattributed[std::size_t(reason)];
            return;
        }
        it = unknown.insert(path, RejectCounts{});
    }
    ++it.value()[std::size_t(reason)];
}

void IngestSink::accepted()
{
    if (!m_message || m_countedSerial == m_messageSerial)
        return;  // a tick's or a connection change's event, or one more event of this message
    m_countedSerial = m_messageSerial;
    ++m_stats->accepted;
    ++m_totals.accepted;
}

void IngestSink::status(int handle, const DeviceStatus &status)
{
    const int index = resolve(handle);
    if (index < 0)
        return;
    m_state.applyStatusAt(index, status, m_receivedMs);
    accepted();
}

void IngestSink::death(int handle, qint64 tsMs)
{
    const int index = resolve(handle);
    if (index < 0)
        return;
    m_state.applyDeathAt(index, m_receivedMs, tsMs);
    accepted();
}

void IngestSink::session(int handle, const SparkplugSession &session)
{
    const int index = resolve(handle);
    if (index < 0)
        return;
    m_state.applySessionAt(index, session);
    accepted();
}

void IngestSink::metrics(int handle, TelemetrySample &&sample)
{
    if (m_maxFutureSkewMs >= 0 && sample.timestampMs > m_receivedMs + m_maxFutureSkewMs) {
        reject(handle, RejectReason::FutureTimestamp, QString());  // before it can create a device
        return;
    }
    const int index = resolve(handle);
    if (index < 0)
        return;
    const Device &d = m_state.devices().at(index);
    sample.source = d.source;  // shared strings, no copies
    sample.path = d.path;
    sample.deviceId = d.id;
    if (m_state.applyTelemetryAt(index, sample, m_receivedMs) > 0) {
        // New names over the device's metric limit were dropped: one reject per message.
        m_state.applyRejectAt(index, RejectReason::MetricLimit);
        keepSample(index, RejectReason::MetricLimit, QString());
        if (sample.metrics.isEmpty()) {  // none of it applied: a rejected message
            ++m_stats->rejected;
            ++m_totals.rejected;
            return;
        }
    }
    m_samples->append(std::move(sample));
    if (m_indices)
        m_indices->append(index);
    accepted();
}

void IngestSink::keepSample(int handle, RejectReason reason, const QString &detail)
{
    if (!m_message)
        return;
    RejectSample sample;
    sample.reason = reason;
    sample.source = m_source;
    if (handle >= kProvisional)
        sample.device = QString::fromUtf8(m_provisional[size_t(handle - kProvisional)].path);
    else if (handle >= 0)
        sample.device = m_state.devices().at(handle).path;
    sample.topic = m_message->topic.left(RejectSample::kTopicBytes);
    sample.receivedMs = m_message->receivedMs;
    sample.payloadBytes = m_message->payloadBytes();
    sample.preview = m_message->payload.left(RejectSample::kPreviewBytes);  // never more than that
    sample.detail = detail.left(RejectSample::kDetailChars);
    sample.serial = m_messageSerial;
    m_totals.recentRejects.add(std::move(sample));
}

void IngestSink::reject(int handle, RejectReason reason, const QString &detail)
{
    keepSample(handle, reason, detail);
    if (handle >= kProvisional && m_provisional[size_t(handle - kProvisional)].index < 0) {
        rejectUnknown(m_provisional[size_t(handle - kProvisional)], reason);
    } else if (handle >= 0) {
        m_state.applyRejectAt(resolve(handle), reason);  // known, or created earlier in this message
    } else {
        ++m_stats->unattributed[std::size_t(reason)];
        ++m_totals.unattributed[std::size_t(reason)];
    }
    ++m_stats->rejected;
    ++m_totals.rejected;
}

void IngestSink::commandResponse(QByteArrayView path, const QByteArray &payload)
{
    if (m_onResponse)
        m_onResponse(DeviceKey{m_source, QString::fromUtf8(path)}, payload);
    accepted();
}

void IngestSink::sendToDevice(QByteArrayView path, const QString &name, const QString &topic,
                              const QByteArray &payload, const QString &reason)
{
    if (m_onSend)
        m_onSend(DeviceKey{m_source, QString::fromUtf8(path)}, name, topic, payload, reason);
}

} // namespace fd
