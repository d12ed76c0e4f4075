#include "core/ingest/fleet_state.h"

#include <algorithm>
#include <limits>

namespace fd {

FleetState::Tracker FleetState::addChangeTracker()
{
    ChangeTracker tracker;
    tracker.dirty.assign(std::size_t(m_devices.size()), false);
    m_trackers.push_back(std::move(tracker));
    return Tracker(m_trackers.size() - 1);
}

void FleetState::reset(const QList<Device> &devices)
{
    m_devices = devices;
    m_index.clear();
    m_index.reserve(devices.size());
    m_perSource.clear();
    m_sessionBase.clear();
    for (int i = 0; i < m_devices.size(); ++i) {
        Device &d = m_devices[i];
        if (d.path.isEmpty())
            d.path = d.id;
        m_index.insert(lookupKey(d.source, d.path.toUtf8()), i);
        ++m_perSource[d.source];
        if (d.sparkplug.births > 0 || d.sparkplug.deaths > 0)
            m_sessionBase.insert(d.key(), {d.sparkplug.births, d.sparkplug.deaths});
    }
    m_seqSeen.assign(std::size_t(m_devices.size()), false);
    m_metricIndex.clear();
    m_metricIndex.resize(std::size_t(m_devices.size()));
    for (ChangeTracker &t : m_trackers) {
        t.dirty.assign(std::size_t(m_devices.size()), false);
        t.changed.clear();
    }
    m_totalGaps = 0;
}

const QByteArray &FleetState::lookupKey(const QString &source, QByteArrayView path) const
{
    m_lookup.clear();
    bool ascii = true;
    for (QChar c : source)
        ascii = ascii && c.unicode() < 0x80;
    if (ascii) {  // profile names are mostly ASCII: no conversion buffer
        for (QChar c : source)
            m_lookup.append(char(c.unicode()));
    } else {
        m_lookup.append(source.toUtf8());
    }
    m_lookup.append('\x1f').append(path);
    return m_lookup;
}

int FleetState::indexOf(const QString &source, QByteArrayView path) const
{
    return m_index.value(lookupKey(source, path), -1);
}

int FleetState::indexOf(const DeviceKey &key) const
{
    return indexOf(key.source, key.path.toUtf8());
}

int FleetState::append(const DeviceKey &key, QByteArray lookup)
{
    Device d;
    d.source = key.source;
    d.id = key.id();
    d.path = d.id == key.path ? d.id : key.path;  // protocol v1: one shared buffer
    m_devices.append(std::move(d));
    m_seqSeen.push_back(false);
    m_metricIndex.emplace_back();
    for (ChangeTracker &t : m_trackers)
        t.dirty.push_back(false);
    const int index = int(m_devices.size() - 1);
    m_index.insert(std::move(lookup), index);
    ++m_perSource[key.source];
    return index;
}

int FleetState::ensureDevice(const QString &source, QByteArrayView path)
{
    const QByteArray &lookup = lookupKey(source, path);
    const auto it = m_index.constFind(lookup);
    if (it != m_index.constEnd())
        return it.value();
    return append(DeviceKey{source, QString::fromUtf8(path)}, QByteArray(lookup.constData(), lookup.size()));
}

int FleetState::ensureDevice(const DeviceKey &key)
{
    return ensureDevice(key.source, key.path.toUtf8());
}

QList<DeviceKey> FleetState::removeDevices(const QList<DeviceKey> &keys)
{
    std::vector<int> doomed;
    for (const DeviceKey &key : keys) {
        const int index = indexOf(key);
        if (index >= 0)
            doomed.push_back(index);
    }
    if (doomed.empty())
        return {};
    std::sort(doomed.begin(), doomed.end());
    doomed.erase(std::unique(doomed.begin(), doomed.end()), doomed.end());

    // One pass: the new index of every device (-1: deleted), then everything compacted.
    const int count = int(m_devices.size());
    std::vector<int> moved(std::size_t(count), -1);
    QList<DeviceKey> removed;
    removed.reserve(qsizetype(doomed.size()));
    int next = 0;
    for (int i = 0, d = 0; i < count; ++i) {
        if (d < int(doomed.size()) && doomed[std::size_t(d)] == i) {
            ++d;
            const Device &device = m_devices.at(i);
            removed.append(device.key());
            if (--m_perSource[device.source] <= 0)
                m_perSource.remove(device.source);
            continue;
        }
        moved[std::size_t(i)] = next++;
    }
    auto compact = [&moved, count](auto &items) {
        for (int i = 0; i < count; ++i) {
            const int to = moved[std::size_t(i)];
            if (to >= 0 && to != i)
                items[to] = std::move(items[i]);
        }
    };
    compact(m_devices);
    m_devices.resize(next);
    for (int i = 0; i < count; ++i) {  // vector<bool> has no move of elements
        const int to = moved[std::size_t(i)];
        if (to >= 0 && to != i) {
            m_seqSeen[std::size_t(to)] = m_seqSeen[std::size_t(i)];
            for (ChangeTracker &t : m_trackers)
                t.dirty[std::size_t(to)] = t.dirty[std::size_t(i)];
        }
    }
    m_seqSeen.resize(std::size_t(next));
    compact(m_metricIndex);
    m_metricIndex.resize(std::size_t(next));
    for (ChangeTracker &t : m_trackers) {
        t.dirty.resize(std::size_t(next));
        QList<int> changed;
        changed.reserve(t.changed.size());
        for (int index : std::as_const(t.changed)) {
            if (moved[std::size_t(index)] >= 0)
                changed.append(moved[std::size_t(index)]);
        }
        t.changed = std::move(changed);
    }
    for (auto it = m_index.begin(); it != m_index.end();) {
        const int to = moved[std::size_t(it.value())];
        if (to < 0) {
            it = m_index.erase(it);
        } else {
            it.value() = to;
            ++it;
        }
    }
    return removed;
}

void FleetState::markChanged(int index)
{
    for (ChangeTracker &t : m_trackers) {
        if (!t.dirty[std::size_t(index)]) {
            t.dirty[std::size_t(index)] = true;
            t.changed.append(index);
        }
    }
}

int FleetState::applyStatus(const DeviceKey &key, const DeviceStatus &status, qint64 receivedMs)
{
    const int index = ensureDevice(key);
    applyStatusAt(index, status, receivedMs);
    return index;
}

void FleetState::applyStatusAt(int index, const DeviceStatus &status, qint64 receivedMs)
{
    Device &d = m_devices[index];
    d.online = status.online;
    if (status.online)
        d.staleSinceMs = 0;
    if (status.name)
        d.name = *status.name;
    if (status.model)
        d.model = *status.model;
    if (status.fwVersion)
        d.fwVersion = *status.fwVersion;
    if (status.site)
        d.site = *status.site;
    if (status.certSerial)
        d.certSerial = *status.certSerial;
    if (status.tags && d.tags != *status.tags)  // an equal list keeps the shared one it has
        d.tags = *status.tags;
    d.lastSeenMs = std::max(d.lastSeenMs, receivedMs);
    ++d.messageCount;
    markChanged(index);
}

void FleetState::applyDeathAt(int index, qint64 receivedMs, qint64 staleSinceMs)
{
    Device &d = m_devices[index];
    if (!d.online && d.staleSinceMs != 0)
        return;  // dead already (a node's death repeated for it, a loss after its death)
    d.online = false;
    d.staleSinceMs = staleSinceMs > 0 ? staleSinceMs : receivedMs;
    markChanged(index);
}

void FleetState::applySessionAt(int index, const SparkplugSession &sessionIn)
{
    Device &d = m_devices[index];
    SparkplugSession session = sessionIn;
    if (!m_sessionBase.isEmpty()) {
        // The decoder counts births and deaths from this run's start; the cache had counted
        // before (FleetState::reset): the device's totals go on from there.
        const auto base = m_sessionBase.constFind(d.key());
        if (base != m_sessionBase.cend()) {
            session.births += base->first;
            session.deaths += base->second;
        }
    }
    if (d.sparkplug == session)
        return;
    d.sparkplug = std::move(session);
    markChanged(index);
}

int FleetState::applyTelemetry(const TelemetrySample &sample, qint64 receivedMs)
{
    const int index = ensureDevice(sample.key());
    TelemetrySample applied = sample;
    applyTelemetryAt(index, applied, receivedMs);
    return index;
}

int FleetState::applyTelemetryAt(int index, TelemetrySample &sample, qint64 receivedMs)
{
    Device &d = m_devices[index];
    const MetricValues &in = std::as_const(sample.metrics);  // no detach unless something is refused
    MetricValues kept;
    int refused = 0;
    for (qsizetype i = 0; i < in.size(); ++i) {
        const MetricValue &m = in.at(i);
        const qsizetype at = metricPosition(index, m.name);
        if (at < 0 && d.metrics.size() >= m_maxMetricsPerDevice) {
            if (refused++ == 0)
                kept = in.first(i);
            continue;
        }
        if (refused > 0)
            kept.append(m);
        if (at < 0) {
            d.metrics.append(m);
            metricAppended(index);
        } else if (!d.metrics.at(at).sameValue(m)) {
            d.metrics[at] = m;
        }
    }
    if (refused > 0) {
        sample.metrics = std::move(kept);
        if (sample.metrics.isEmpty())
            return refused;  // nothing of it was applied
    }
    // Telemetry means the device is talking to the broker now, whatever its retained
    // status said (its Last Will is published only after it drops).
    d.online = true;
    d.staleSinceMs = 0;
    d.lastTelemetryMs = std::max(d.lastTelemetryMs, sample.timestampMs);
    if (m_seqSeen[std::size_t(index)]) {
        if (sample.seq > d.lastSeq + 1 && sample.seq - d.lastSeq - 1 <= kMaxCountedGap) {
            const quint64 missed = sample.seq - d.lastSeq - 1;
            m_totalGaps += missed;
            d.gapCount = quint32(std::min<quint64>(quint64(d.gapCount) + missed, std::numeric_limits<quint32>::max()));
        }
    } else {
        m_seqSeen[std::size_t(index)] = true;
    }
    d.lastSeq = sample.seq;
    d.lastSeenMs = std::max(d.lastSeenMs, receivedMs);
    ++d.messageCount;
    markChanged(index);
    return refused;
}

qsizetype FleetState::metricPosition(int index, const QString &name)
{
    const MetricValues &metrics = m_devices.at(index).metrics;
    std::unique_ptr<QHash<QString, qsizetype>> &byName = m_metricIndex[std::size_t(index)];
    if (!byName && metrics.size() > kLinearMetrics) {  // e.g. a device loaded from the cache
        byName = std::make_unique<QHash<QString, qsizetype>>();
        byName->reserve(metrics.size());
        for (qsizetype i = 0; i < metrics.size(); ++i)
            byName->insert(metrics.at(i).name, i);
    }
    if (byName)
        return byName->value(name, -1);
    for (qsizetype i = 0; i < metrics.size(); ++i) {
        if (metrics.at(i).name == name)
            return i;
    }
    return -1;
}

void FleetState::metricAppended(int index)
{
    const MetricValues &metrics = m_devices.at(index).metrics;
    std::unique_ptr<QHash<QString, qsizetype>> &byName = m_metricIndex[std::size_t(index)];
    if (byName)
        byName->insert(metrics.constLast().name, metrics.size() - 1);
    // else: built by the next metricPosition() once there are more than kLinearMetrics
}

int FleetState::applyReject(const DeviceKey &key, RejectReason reason)
{
    const int index = ensureDevice(key);
    applyRejectAt(index, reason);
    return index;
}

void FleetState::applyRejectAt(int index, RejectReason reason)
{
    ++m_devices[index].rejects[std::size_t(reason)];
    markChanged(index);
}

void FleetState::addRejectsAt(int index, const RejectCounts &counts)
{
    RejectCounts &rejects = m_devices[index].rejects;
    for (std::size_t i = 0; i < rejects.size(); ++i)
        rejects[i] += counts[i];
    markChanged(index);
}

int FleetState::clearRejects()
{
    int cleared = 0;
    for (int i = 0; i < int(m_devices.size()); ++i) {
        RejectCounts &rejects = m_devices[i].rejects;
        if (totalRejects(rejects) == 0)
            continue;
        rejects = RejectCounts{};
        markChanged(i);
        ++cleared;
    }
    return cleared;
}

bool FleetState::hasChanges(Tracker tracker) const
{
    return !m_trackers[std::size_t(tracker)].changed.isEmpty();
}

QList<Device> FleetState::takeChanged(Tracker tracker)
{
    ChangeTracker &t = m_trackers[std::size_t(tracker)];
    QList<int> indices;
    indices.swap(t.changed);
    std::sort(indices.begin(), indices.end());
    QList<Device> out;
    out.reserve(indices.size());
    for (int i : std::as_const(indices)) {
        t.dirty[std::size_t(i)] = false;
        out.append(m_devices.at(i));
    }
    return out;
}

} // namespace fd
