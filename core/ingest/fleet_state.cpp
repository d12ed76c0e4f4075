#include "core/ingest/fleet_state.h"

#include <algorithm>

namespace fd {

void FleetState::reset(const QList<Device> &devices)
{
    m_devices = devices;
    m_index.clear();
    m_index.reserve(devices.size());
    for (int i = 0; i < m_devices.size(); ++i)
        m_index.insert(m_devices.at(i).id, i);
    m_changed[Ui].clear();
    m_changed[Storage].clear();
}

int FleetState::indexOf(const QString &deviceId) const
{
    return m_index.value(deviceId, -1);
}

int FleetState::ensure(const QString &deviceId)
{
    const auto it = m_index.constFind(deviceId);
    if (it != m_index.constEnd())
        return it.value();
    Device d;
    d.id = deviceId;
    m_devices.append(std::move(d));
    const int index = int(m_devices.size() - 1);
    m_index.insert(deviceId, index);
    return index;
}

void FleetState::markChanged(int index)
{
    m_changed[Ui].insert(index);
    m_changed[Storage].insert(index);
}

int FleetState::applyStatus(const DeviceStatus &status, qint64 receivedMs)
{
    const int index = ensure(status.deviceId);
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
    return index;
}

int FleetState::applyTelemetry(const TelemetrySample &sample, qint64 receivedMs)
{
    const int index = ensure(sample.deviceId);
    Device &d = m_devices[index];
    // Telemetry means the device is talking to the broker now, whatever its retained
    // status said (its Last Will is published only after it drops).
    d.online = true;
    for (const MetricValue &m : sample.metrics)
        setMetric(d.metrics, m.name, m.value);
    d.lastTelemetryMs = std::max(d.lastTelemetryMs, sample.timestampMs);
    d.lastSeq = sample.seq;
    d.lastSeenMs = std::max(d.lastSeenMs, receivedMs);
    ++d.messageCount;
    markChanged(index);
    return index;
}

int FleetState::applyReject(const QString &deviceId, RejectReason reason)
{
    const int index = ensure(deviceId);
    ++m_devices[index].rejects[std::size_t(reason)];
    markChanged(index);
    return index;
}

QList<Device> FleetState::takeChanged(Consumer consumer)
{
    QList<int> indices(m_changed[consumer].cbegin(), m_changed[consumer].cend());
    m_changed[consumer].clear();
    std::sort(indices.begin(), indices.end());
    QList<Device> out;
    out.reserve(indices.size());
    for (int i : indices)
        out.append(m_devices.at(i));
    return out;
}

} // namespace fd
