#pragma once

#include "core/domain/device.h"
#include "core/domain/device_status.h"
#include "core/domain/telemetry_sample.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QList>

#include <vector>

namespace fd {

// The authoritative in-memory inventory, owned by the ingest thread. Applies decoded
// messages and remembers, separately for each consumer, which devices changed: the UI is
// told every ~100 ms, the cache every ~second.
//
// Hot path (IngestPipeline): ensureDevice(bytes of the id in the topic) finds the device
// without allocating; the decoded sample then shares the device's id string, and
// applyTelemetryAt() applies it by index.
class FleetState
{
public:
    enum Consumer { Ui = 0, Storage = 1 };

    void reset(const QList<Device> &devices);

    // Each returns the device's index; the device is created if unknown.
    int applyStatus(const DeviceStatus &status, qint64 receivedMs);
    int applyTelemetry(const TelemetrySample &sample, qint64 receivedMs);
    int applyReject(const QString &deviceId, RejectReason reason);

    // The index of the device with this id (valid ids are ASCII), created if unknown. No
    // allocation for a known device.
    int ensureDevice(QByteArrayView deviceId);
    // As above, for a device known by index (from ensureDevice()).
    void applyStatusAt(int index, const DeviceStatus &status, qint64 receivedMs);
    void applyTelemetryAt(int index, const TelemetrySample &sample, qint64 receivedMs);
    void applyRejectAt(int index, RejectReason reason);

    const QList<Device> &devices() const { return m_devices; }
    int indexOf(const QString &deviceId) const;
    int indexOf(QByteArrayView deviceId) const;

    // Telemetry messages missed by sequence number, over every device: a sample whose seq
    // is more than one above the previous sample's seq *seen in this session* adds the
    // difference. The first sample of a device after start-up sets the baseline (a device
    // that was talking before FleetDeck listened has not lost anything); a lower or equal
    // seq (device restart, QoS 1 duplicate) adds nothing.
    quint64 totalGaps() const { return m_totalGaps; }

    // Copies of every device changed since the consumer's last call, in index order.
    QList<Device> takeChanged(Consumer consumer);
    bool hasChanges(Consumer consumer) const { return !m_changed[consumer].isEmpty(); }

private:
    int ensure(const QString &deviceId);
    int append(const QString &deviceId, QByteArray key);
    void markChanged(int index);

    QList<Device> m_devices;
    QHash<QByteArray, int> m_index;  // by the id's bytes (looked up with fromRawData views)
    // Per device: bit 0 = changed for Ui, bit 1 = for Storage, bit 2 = a telemetry of it
    // was applied this session (gap counting).
    std::vector<quint8> m_flags;
    QList<int> m_changed[2];
    quint64 m_totalGaps = 0;
};

} // namespace fd
