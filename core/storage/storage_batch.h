#pragma once

#include "core/domain/device.h"
#include "core/domain/telemetry_sample.h"

#include <QList>

namespace fd {

// What one writer transaction persists: the new state of changed devices (upsert, including
// latest metrics and reject counters) and raw telemetry rows.
struct StorageBatch
{
    QList<Device> devices;
    QList<TelemetrySample> samples;

    bool isEmpty() const { return devices.isEmpty() && samples.isEmpty(); }
};

} // namespace fd
