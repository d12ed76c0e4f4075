#pragma once

#include "core/telemetry/telemetry_buffers.h"

#include <QObject>
#include <QReadWriteLock>
#include <QSet>

#include <memory>

namespace fd {

// The live telemetry of the whole fleet in memory: a core service the session owns, fed on
// the ingest thread (LiveSamplesConsumer), read by the Telemetry page and the inventory's
// Trend column on the GUI thread.
//
// Thread-safety: append() and ensureBuffer() take the write lock; a reader holds the read
// lock (QReadLocker on lock(); recursive) for as long as it reads a buffer's points (a
// chart redraw, a sparkline paint), so it never sees a half-written point. Memory: all buffers together
// hold about maxPoints() points (16 bytes each); when the number of series grows, each
// series gets a smaller share, never below kMinPointsPerSeries.
// seriesChanged() tells, at most once per publishChanges() (the consumer calls it ~30 times
// a second), which series got points; it is emitted on the ingest thread: connect queued.
class LiveTelemetry : public QObject
{
    Q_OBJECT
public:
    static constexpr qsizetype kDefaultMaxPoints = 4'000'000;  // ~64 MB
    static constexpr qsizetype kMinPointsPerSeries = 120;

    explicit LiveTelemetry(qsizetype maxPoints = kDefaultMaxPoints, QObject *parent = nullptr);

    QReadWriteLock &lock() const { return m_lock; }

    // Writer side (ingest thread).
    void append(const QList<TelemetrySample> &samples);
    void publishChanges();
    // The devices were deleted: their points go (their series stay, empty; the next
    // publishChanges() reports them so charts redraw).
    void clearDevices(const QList<DeviceKey> &devices);

    // Reader side (any thread; lock() while reading points).
    std::shared_ptr<const TelemetryRingBuffer> buffer(const SeriesKey &key) const;
    std::shared_ptr<const TelemetryRingBuffer> ensureBuffer(const SeriesKey &key);
    QStringList metricsOf(const DeviceKey &device) const;
    qsizetype seriesCount() const;
    qsizetype pointCount() const;
    qsizetype capacityPerSeries() const;
    qsizetype maxPoints() const { return m_maxPoints; }
    void clear();

signals:
    void seriesChanged(const QSet<fd::SeriesKey> &changed);

private:
    mutable QReadWriteLock m_lock{QReadWriteLock::Recursive};
    TelemetryBuffers m_buffers;
    qsizetype m_maxPoints;
    qsizetype m_budgetSeries = 0;
    QSet<SeriesKey> m_changed;  // since the last publishChanges(), ingest thread only
};

} // namespace fd
