#pragma once

#include "core/domain/device_key.h"
#include "core/domain/metric_value.h"

#include <QString>

namespace fd {

// One telemetry message of one device, as a decoder normalised it (protocol v1, Sparkplug B).
struct TelemetrySample
{
    QString source = DeviceKey::defaultSource();  // the connection it arrived on
    QString path;            // the device's path in that source; empty: deviceId (protocol v1)
    QString deviceId;
    qint64 timestampMs = 0;   // device time ("ts"), ms since epoch
    quint64 seq = 0;
    MetricValues metrics;

    DeviceKey key() const { return DeviceKey{source, path.isEmpty() ? deviceId : path}; }
};

} // namespace fd
