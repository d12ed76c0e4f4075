#pragma once

#include "core/domain/device.h"
#include "core/domain/device_status.h"
#include "core/domain/telemetry_sample.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QList>

#include <limits>
#include <memory>
#include <vector>

namespace fd {

// The authoritative in-memory inventory of every source, owned by the ingest thread.
// Devices are identified by DeviceKey (source + path): two brokers that both carry "dev-1"
// give two devices. Applies decoded events and remembers, separately for each registered
// change tracker (one per consumer: the UI every ~100 ms, the cache every ~second, ...),
// which devices changed.
//
// Hot path (IngestPipeline): ensureDevice(source, bytes of the path in the topic) finds the
// device without allocating (the key is assembled in a reused buffer); the decoded sample
// then shares the device's id string, and applyTelemetryAt() applies it by index.
class FleetState
{
public:
    using Tracker = int;

    // A new, independent change tracker; every device changed from now on is reported to
    // it once per takeChanged(). Trackers survive reset().
    Tracker addChangeTracker();

    void reset(const QList<Device> &devices);

    // At most this many metrics per device (IngestLimits::maxMetricsPerDevice): a metric name
    // new to a device that has that many is refused by applyTelemetryAt(). Lowering it removes
    // no metric a device already has.
    void setMaxMetricsPerDevice(int maximum) { m_maxMetricsPerDevice = qMax(1, maximum); }
    int maxMetricsPerDevice() const { return m_maxMetricsPerDevice; }

    // Each returns the device's index; the device is created if unknown.
    int applyStatus(const DeviceKey &key, const DeviceStatus &status, qint64 receivedMs);
    int applyTelemetry(const TelemetrySample &sample, qint64 receivedMs);
    int applyReject(const DeviceKey &key, RejectReason reason);

    // The index of the device at path in source (valid paths are ASCII or UTF-8 without
    // control characters), created if unknown. No allocation for a known device.
    int ensureDevice(const QString &source, QByteArrayView path);
    int ensureDevice(const DeviceKey &key);
    // As above, for a device known by index (from ensureDevice()).
    void applyStatusAt(int index, const DeviceStatus &status, qint64 receivedMs);
    // Applies sample's values; metric names over the device's limit are refused and taken out
    // of sample (what stays is what storage and live charts get). Returns how many were
    // refused; when that is all of them, nothing is applied (the message is not the
    // device's: no last-seen, no counters).
    int applyTelemetryAt(int index, TelemetrySample &sample, qint64 receivedMs);
    void applyRejectAt(int index, RejectReason reason);
    // Adds rejects counted before the device existed (IngestSink: rejects of an unknown device).
    void addRejectsAt(int index, const RejectCounts &counts);
    // Sets every device's reject counts to zero (those that had some are changed); returns
    // how many devices had some.
    int clearRejects();
    // The device went away at staleSinceMs (Sparkplug death, broker loss): offline, its
    // values STALE from then on (Device::staleSinceMs) until its next status or telemetry.
    void applyDeathAt(int index, qint64 receivedMs, qint64 staleSinceMs);
    // Replaces the device's Sparkplug session facts (no message of its own: not counted).
    // Birth and death counts are this run's (the decoder's) on top of what the device had
    // when the state was reset from the cache.
    void applySessionAt(int index, const SparkplugSession &session);

    // Deletes the devices (those it holds; the others are ignored) and returns their keys.
    // Every later index shifts down, so handles of a message must not span it (the pipeline
    // calls it between batches); change trackers forget them. O(devices), not per device.
    // A device that reports again is a new device.
    QList<DeviceKey> removeDevices(const QList<DeviceKey> &keys);

    const QList<Device> &devices() const { return m_devices; }
    int indexOf(const DeviceKey &key) const;
    int indexOf(const QString &source, QByteArrayView path) const;
    // Devices per source (for limits and the status bar).
    int deviceCount(const QString &source) const { return m_perSource.value(source); }

    // Telemetry messages missed by sequence number, over every device: a sample whose seq
    // is more than one above the previous sample's seq *seen in this session* adds the
    // difference. The first sample of a device after start-up sets the baseline (a device
    // that was talking before FleetDeck listened has not lost anything); a lower or equal
    // seq (device restart, QoS 1 duplicate) adds nothing, and so does a jump of more than
    // kMaxCountedGap (no fleet loses that many messages of one device while FleetDeck
    // listens: it is a device that restarted with another counter, or a hostile one; the
    // new seq becomes the baseline).
    static constexpr quint64 kMaxCountedGap = 10'000'000;
    quint64 totalGaps() const { return m_totalGaps; }

    // Copies of every device changed since the tracker's last call, in index order.
    QList<Device> takeChanged(Tracker tracker);
    bool hasChanges(Tracker tracker) const;

    // Devices with more than this many metrics get an index name -> position, so a metric is
    // found in O(1) whatever the device reports; below it a scan of the few names is faster.
    static constexpr qsizetype kLinearMetrics = 16;

private:
    struct ChangeTracker
    {
        std::vector<bool> dirty;  // per device
        QList<int> changed;       // indices, each once
    };

    const QByteArray &lookupKey(const QString &source, QByteArrayView path) const;
    int append(const DeviceKey &key, QByteArray lookup);
    void markChanged(int index);
    // Position of name in the device's metrics, -1 if it has none of that name.
    qsizetype metricPosition(int index, const QString &name);
    void metricAppended(int index);

    QList<Device> m_devices;
    QHash<QByteArray, int> m_index;        // "source\x1Fpath" in UTF-8
    mutable QByteArray m_lookup;           // reused buffer for lookups
    std::vector<bool> m_seqSeen;           // per device: a telemetry was applied this session
    // Per device: name -> position in Device::metrics, only for devices with more than
    // kLinearMetrics metrics (built when a device passes that number).
    std::vector<std::unique_ptr<QHash<QString, qsizetype>>> m_metricIndex;
    std::vector<ChangeTracker> m_trackers;
    QHash<QString, int> m_perSource;
    quint64 m_totalGaps = 0;
    // Birth and death counts of Sparkplug devices loaded from the cache (reset()).
    QHash<DeviceKey, QPair<quint32, quint32>> m_sessionBase;
    int m_maxMetricsPerDevice = std::numeric_limits<int>::max();
};

} // namespace fd
