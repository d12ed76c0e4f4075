#include "core/ingest/fleet_state.h"

#include <algorithm>
#include <limits>

namespace fd {

namespace {

constexpr quint8 kSeqSeen = 4;

constexpr quint8 consumerBit(int consumer)
{
    return quint8(1u << consumer);
}

} // namespace

void FleetState::reset(const QList<Device> &devices)
{
    m_devices = devices;
    m_index.clear();
    m_index.reserve(devices.size());
    for (int i = 0; i < m_devices.size(); ++i)
        m_index.insert(m_devices.at(i).id.toUtf8(), i);
    m_flags.assign(std::size_t(m_devices.size()), 0);
    m_changed[Ui].clear();
    m_changed[Storage].clear();
    m_totalGaps = 0;
}

int FleetState::indexOf(QByteArrayView deviceId) const
{
    return m_index.value(QByteArray::fromRawData(deviceId.data(), deviceId.size()), -1);
}

int FleetState::indexOf(const QString &deviceId) const
{
    return m_index.value(deviceId.toUtf8(), -1);
}

int FleetState::append(const QString &deviceId, QByteArray key)
{
    Device d;
    d.id = deviceId;
    m_devices.append(std::move(d));
    m_flags.push_back(0);
    const int index = int(m_devices.size() - 1);
    m_index.insert(std::move(key), index);
    return index;
}

int FleetState::ensureDevice(QByteArrayView deviceId)
{
    const auto it = m_index.constFind(QByteArray::fromRawData(deviceId.data(), deviceId.size()));
    if (it != m_index.constEnd())
        return it.value();
    return append(QString::fromUtf8(deviceId), deviceId.toByteArray());
}

int FleetState::ensure(const QString &deviceId)
{
    QByteArray key = deviceId.toUtf8();
    const auto it = m_index.constFind(key);
    if (it != m_index.constEnd())
        return it.value();
    return append(deviceId, std::move(key));
}

void FleetState::markChanged(int index)
{
    quint8 &flags = m_flags[std::size_t(index)];
    for (int consumer : {Ui, Storage}) {
        if (!(flags & consumerBit(consumer))) {
            flags |= consumerBit(consumer);
            m_changed[consumer].append(index);
        }
    }
}

int FleetState::applyStatus(const DeviceStatus &status, qint64 receivedMs)
{
    const int index = ensure(status.deviceId);
    applyStatusAt(index, status, receivedMs);
    return index;
}

void FleetState::applyStatusAt(int index, const DeviceStatus &status, qint64 receivedMs)
{
    Device &d = m_devices[index];
    d.online = status.online;
    if (status.name)
        d.name = *status.name;
    if (status.model)
        d.model = *status.model;
    if (status.fwVersion)
        d.fwVersion = *status.fwVersion;
    if (status.site)
        d.site = *status.site;
    d.lastSeenMs = std::max(d.lastSeenMs, receivedMs);
    ++d.messageCount;
    markChanged(index);
}

int FleetState::applyTelemetry(const TelemetrySample &sample, qint64 receivedMs)
{
    const int index = ensure(sample.deviceId);
    applyTelemetryAt(index, sample, receivedMs);
    return index;
}

void FleetState::applyTelemetryAt(int index, const TelemetrySample &sample, qint64 receivedMs)
{
    Device &d = m_devices[index];
    // Telemetry means the device is talking to the broker now, whatever its retained
    // status said (its Last Will is published only after it drops).
    d.online = true;
    for (const MetricValue &m : sample.metrics)
        setMetric(d.metrics, m.name, m.value);
    d.lastTelemetryMs = std::max(d.lastTelemetryMs, sample.timestampMs);
    quint8 &flags = m_flags[std::size_t(index)];
    if (flags & kSeqSeen) {
        if (sample.seq > d.lastSeq + 1) {
            const quint64 missed = sample.seq - d.lastSeq - 1;
            m_totalGaps += missed;
            d.gapCount = quint32(std::min<quint64>(quint64(d.gapCount) + missed, std::numeric_limits<quint32>::max()));
        }
    } else {
        flags |= kSeqSeen;
    }
    d.lastSeq = sample.seq;
    d.lastSeenMs = std::max(d.lastSeenMs, receivedMs);
    ++d.messageCount;
    markChanged(index);
}

int FleetState::applyReject(const QString &deviceId, RejectReason reason)
{
    const int index = ensure(deviceId);
    applyRejectAt(index, reason);
    return index;
}

void FleetState::applyRejectAt(int index, RejectReason reason)
{
    ++m_devices[index].rejects[std::size_t(reason)];
    markChanged(index);
}

QList<Device> FleetState::takeChanged(Consumer consumer)
{
    QList<int> indices;
    indices.swap(m_changed[consumer]);
    std::sort(indices.begin(), indices.end());
    QList<Device> out;
    out.reserve(indices.size());
    for (int i : std::as_const(indices)) {
        m_flags[std::size_t(i)] &= quint8(~consumerBit(consumer));
        out.append(m_devices.at(i));
    }
    return out;
}

} // namespace fd
