#pragma once

#include "core/domain/device.h"
#include "core/domain/device_status.h"
#include "core/domain/telemetry_sample.h"

#include <QHash>
#include <QList>
#include <QSet>

namespace fd {

// The authoritative in-memory inventory, owned by the ingest thread. Applies decoded
// messages and remembers, separately for each consumer, which devices changed: the UI is
// told every ~100 ms, the cache every ~second.
class FleetState
{
public:
    enum Consumer { Ui = 0, Storage = 1 };

    void reset(const QList<Device> &devices);

    // Each returns the device's index; the device is created if unknown.
    int applyStatus(const DeviceStatus &status, qint64 receivedMs);
    int applyTelemetry(const TelemetrySample &sample, qint64 receivedMs);
    int applyReject(const QString &deviceId, RejectReason reason);

    const QList<Device> &devices() const { return m_devices; }
    int indexOf(const QString &deviceId) const;

    // Copies of every device changed since the consumer's last call, in index order.
    QList<Device> takeChanged(Consumer consumer);
    bool hasChanges(Consumer consumer) const { return !m_changed[consumer].isEmpty(); }

private:
    int ensure(const QString &deviceId);
    void markChanged(int index);

    QList<Device> m_devices;
    QHash<QString, int> m_index;
    QSet<int> m_changed[2];
};

} // namespace fd
