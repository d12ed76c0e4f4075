#pragma once

#include "core/domain/device_key.h"

#include <QString>
#include <QStringList>

namespace fd {

// One entry of a series drag (SeriesMime): a device, the metric when the drag source knows
// it (a metric row of the detail panel), and the metrics the device reports, the source's
// preferred one first (the inventory puts its Trend column's metric first; a hint for the
// drop target; may be empty).
struct DraggedSeries
{
    QString deviceId;     // the device's path in its source (protocol v1: its id)
    QString metric;       // empty: the drop target chooses
    QStringList metrics;  // what the device reports
    QString source = DeviceKey::defaultSource();

    DeviceKey device() const { return DeviceKey{source, deviceId}; }

    friend bool operator==(const DraggedSeries &, const DraggedSeries &) = default;
};

} // namespace fd
