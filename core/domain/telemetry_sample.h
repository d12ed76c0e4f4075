#pragma once

#include "core/domain/metric_value.h"

#include <QString>

namespace fd {

// One telemetry message of one device as decoded from protocol v1.
struct TelemetrySample
{
    QString deviceId;
    qint64 timestampMs = 0;   // device time ("ts"), ms since epoch
    quint64 seq = 0;
    MetricValues metrics;
};

} // namespace fd
