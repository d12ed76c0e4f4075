#pragma once

#include <QtGlobal>

#include <span>

namespace fd {

// One value of one time series: time in ms since epoch (UTC) and the value. NaN values
// stand for "no value" (stored as NULL) and break a line like a gap does.
struct TelemetryPoint
{
    qint64 tMs = 0;
    double value = 0.0;

    friend bool operator==(const TelemetryPoint &, const TelemetryPoint &) = default;
};

using PointSpan = std::span<const TelemetryPoint>;

} // namespace fd
