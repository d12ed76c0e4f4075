#pragma once

#include "core/domain/telemetry_sample.h"
#include "core/telemetry/series_key.h"
#include "core/telemetry/telemetry_ring_buffer.h"

#include <QHash>
#include <QList>
#include <QSet>

#include <memory>

namespace fd {

// The live history in memory: one bounded TelemetryRingBuffer per (device, metric), fed
// with decoded sample batches. Older data lives in the SQLite cache. Memory is bounded by
// capacityPerSeries() x the number of series (16 bytes per point); series appear when
// their first sample arrives. Not thread-safe: LiveTelemetry wraps it for the app.
class TelemetryBuffers
{
public:
    static constexpr qsizetype kDefaultCapacity = 3600;  // 1 h at 1 Hz

    explicit TelemetryBuffers(qsizetype capacityPerSeries = kDefaultCapacity);

    qsizetype capacityPerSeries() const { return m_capacity; }
    // Applies to existing buffers too (dropping their oldest points when shrinking), each
    // one lazily when its next point arrives: re-sizing tens of thousands of buffers at
    // once stalled the GUI thread (a buffer only grows on append, so the bound holds).
    void setCapacityPerSeries(qsizetype capacity);

    // Appends every metric value of every sample; returns the series that changed.
    QSet<SeriesKey> append(const QList<TelemetrySample> &samples);
    void append(const SeriesKey &key, qint64 tMs, double value);

    // The buffer of key, or null if nothing arrived for it yet. The pointer stays valid
    // until clear() / remove().
    std::shared_ptr<const TelemetryRingBuffer> buffer(const SeriesKey &key) const;
    // The buffer of key, created (empty) if needed: a chart can hold it before data comes.
    std::shared_ptr<const TelemetryRingBuffer> ensureBuffer(const SeriesKey &key);

    QList<SeriesKey> keys() const { return m_buffers.keys(); }
    QStringList metricsOf(const DeviceKey &device) const;
    qsizetype seriesCount() const { return m_buffers.size(); }
    qsizetype pointCount() const;

    void clear();  // empties every buffer (charts keep their pointers)
    // Empties the buffers of one device (deleted: charts keep their pointers, and the same
    // buffers fill again if it comes back); returns its series.
    QList<SeriesKey> clearDevice(const DeviceKey &device);

private:
    TelemetryRingBuffer &bufferFor(const SeriesKey &key);

    qsizetype m_capacity;
    QHash<SeriesKey, std::shared_ptr<TelemetryRingBuffer>> m_buffers;
    QHash<DeviceKey, QStringList> m_metricsByDevice;
};

} // namespace fd
