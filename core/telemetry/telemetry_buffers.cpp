#include "core/telemetry/telemetry_buffers.h"

namespace fd {

TelemetryBuffers::TelemetryBuffers(qsizetype capacityPerSeries)
    : m_capacity(qMax<qsizetype>(1, capacityPerSeries))
{
}

void TelemetryBuffers::setCapacityPerSeries(qsizetype capacity)
{
    m_capacity = qMax<qsizetype>(1, capacity);
}

TelemetryRingBuffer &TelemetryBuffers::bufferFor(const SeriesKey &key)
{
    auto it = m_buffers.find(key);
    if (it == m_buffers.end()) {
        it = m_buffers.insert(key, std::make_shared<TelemetryRingBuffer>(m_capacity));
        m_metricsByDevice[key.device].append(key.metric);
    }
    TelemetryRingBuffer &buffer = *it.value();
    if (buffer.capacity() != m_capacity)  // setCapacityPerSeries() since the last point
        buffer.setCapacity(m_capacity);
    return buffer;
}

QSet<SeriesKey> TelemetryBuffers::append(const QList<TelemetrySample> &samples)
{
    QSet<SeriesKey> changed;
    SeriesKey key;
    for (const TelemetrySample &sample : samples) {
        key.device = sample.key();
        for (const MetricValue &metric : sample.metrics) {
            if (!metric.isNumeric())
                continue;  // strings are shown as the latest value, never charted
            key.metric = metric.name;
            if (bufferFor(key).append(sample.timestampMs, metric.value))
                changed.insert(key);
        }
    }
    return changed;
}

void TelemetryBuffers::append(const SeriesKey &key, qint64 tMs, double value)
{
    bufferFor(key).append(tMs, value);
}

std::shared_ptr<const TelemetryRingBuffer> TelemetryBuffers::buffer(const SeriesKey &key) const
{
    return m_buffers.value(key);
}

std::shared_ptr<const TelemetryRingBuffer> TelemetryBuffers::ensureBuffer(const SeriesKey &key)
{
    bufferFor(key);
    return m_buffers.value(key);
}

QStringList TelemetryBuffers::metricsOf(const DeviceKey &device) const
{
    return m_metricsByDevice.value(device);
}

qsizetype TelemetryBuffers::pointCount() const
{
    qsizetype n = 0;
    for (const auto &buffer : m_buffers)
        n += buffer->size();
    return n;
}

QList<SeriesKey> TelemetryBuffers::clearDevice(const DeviceKey &device)
{
    QList<SeriesKey> cleared;
    for (const QString &metric : m_metricsByDevice.value(device)) {
        const SeriesKey key{device, metric};
        if (const auto it = m_buffers.constFind(key); it != m_buffers.cend()) {
            it.value()->clear();
            cleared.append(key);
        }
    }
    return cleared;
}

void TelemetryBuffers::clear()
{
    for (const auto &buffer : std::as_const(m_buffers))
        buffer->clear();
}

} // namespace fd
