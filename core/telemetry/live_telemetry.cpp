#include "core/telemetry/live_telemetry.h"

#include <algorithm>
#include <utility>

namespace fd {

LiveTelemetry::LiveTelemetry(qsizetype maxPoints, QObject *parent)
    : QObject(parent)
    , m_maxPoints(qMax<qsizetype>(kMinPointsPerSeries, maxPoints))
{
    qRegisterMetaType<QSet<fd::SeriesKey>>();
}

void LiveTelemetry::append(const QList<TelemetrySample> &samples)
{
    QWriteLocker locker(&m_lock);
    m_changed.unite(m_buffers.append(samples));
    // Memory bound: re-share the budget when the number of series grew by 10 %. Each buffer
    // takes its new capacity with its next point (no stall re-sizing them all at once).
    const qsizetype seriesCount = m_buffers.seriesCount();
    if (seriesCount > m_budgetSeries + m_budgetSeries / 10) {
        m_budgetSeries = seriesCount;
        m_buffers.setCapacityPerSeries(std::clamp<qsizetype>(
            m_maxPoints / seriesCount, kMinPointsPerSeries, TelemetryBuffers::kDefaultCapacity));
    }
}

void LiveTelemetry::clearDevices(const QList<DeviceKey> &devices)
{
    QWriteLocker locker(&m_lock);
    for (const DeviceKey &device : devices) {
        for (const SeriesKey &key : m_buffers.clearDevice(device))
            m_changed.insert(key);
    }
}

void LiveTelemetry::publishChanges()
{
    if (!m_changed.isEmpty())
        emit seriesChanged(std::exchange(m_changed, {}));
}

std::shared_ptr<const TelemetryRingBuffer> LiveTelemetry::buffer(const SeriesKey &key) const
{
    QReadLocker locker(&m_lock);
    return m_buffers.buffer(key);
}

std::shared_ptr<const TelemetryRingBuffer> LiveTelemetry::ensureBuffer(const SeriesKey &key)
{
    QWriteLocker locker(&m_lock);
    return m_buffers.ensureBuffer(key);
}

QStringList LiveTelemetry::metricsOf(const DeviceKey &device) const
{
    QReadLocker locker(&m_lock);
    return m_buffers.metricsOf(device);
}

qsizetype LiveTelemetry::seriesCount() const
{
    QReadLocker locker(&m_lock);
    return m_buffers.seriesCount();
}

qsizetype LiveTelemetry::pointCount() const
{
    QReadLocker locker(&m_lock);
    return m_buffers.pointCount();
}

qsizetype LiveTelemetry::capacityPerSeries() const
{
    QReadLocker locker(&m_lock);
    return m_buffers.capacityPerSeries();
}

void LiveTelemetry::clear()
{
    QWriteLocker locker(&m_lock);
    m_buffers.clear();
}

} // namespace fd
