#pragma once

#include "core/domain/device.h"
#include "core/domain/telemetry_sample.h"

#include <QList>

namespace fd {

// What one writer transaction persists: the new state of changed devices (upsert, including
// latest metrics and reject counters) and raw telemetry rows.
//
// A batch may also delete devices (deletedDevices, DeviceDeleter): the deletion takes
// effect after every batch queued before it and before its own and later devices and
// samples, so rows of a device that reported before its deletion never outlive it, and a
// device that reports again after it comes back as new. StorageWriter::devicesDeleted()
// reports deletionId once committed.
struct StorageBatch
{
    QList<Device> devices;
    QList<TelemetrySample> samples;
    QList<DeviceKey> deletedDevices{};
    quint64 deletionId = 0;

    bool isEmpty() const { return devices.isEmpty() && samples.isEmpty() && deletedDevices.isEmpty(); }
};

} // namespace fd
