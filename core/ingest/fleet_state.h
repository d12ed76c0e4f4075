#pragma once

#include "core/domain/device.h"
#include "core/domain/device_status.h"
#include "core/domain/telemetry_sample.h"

#include <QHash>
#include <QList>
#include <QSet>

namespace fd {

// The authoritative in-memory inventory, owned by the ingest thread. Applies decoded
// messages and remembers which devices changed since takeChanged().
class FleetState
{
public:
    void reset(const QList<Device> &devices);

    // Each returns the device's index; the device is created if unknown.
    int applyStatus(const DeviceStatus &status, qint64 receivedMs);
    int applyTelemetry(const TelemetrySample &sample, qint64 receivedMs);
    int applyReject(const QString &deviceId, RejectReason reason);

    const QList<Device> &devices() const { return m_devices; }
    int indexOf(const QString &deviceId) const;

    // Copies of every device changed since the last call, in index order.
    QList<Device> takeChanged();
    bool hasChanges() const { return !m_changed.isEmpty(); }

private:
    int ensure(const QString &deviceId);

    QList<Device> m_devices;
    QHash<QString, int> m_index;
    QSet<int> m_changed;
};

} // namespace fd
