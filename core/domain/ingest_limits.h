#pragma once

#include <QCoreApplication>
#include <QString>

namespace fd {

// How much one source and one device may grow: any topic under the prefix names a device
// and any telemetry may name new metrics, so without limits a broken or hostile publisher
// fills memory and the cache. The defaults are far above any legitimate fleet; past a limit
// the new device or the new metric is rejected (RejectReason::DeviceLimit / MetricLimit) and
// counted, while known devices and metrics keep working. Lowering a limit below what is
// already known removes nothing.
struct IngestLimits
{
    Q_DECLARE_TR_FUNCTIONS(fd::IngestLimits)
public:
    static constexpr int kDefaultMaxDevicesPerSource = 1'000'000;
    static constexpr int kDefaultMaxMetricsPerDevice = 1'000;
    // Bounds of the settings. A device's metrics are counted in 16 bits in the inventory's
    // compact rows (DeviceRowStore), hence 65,535.
    static constexpr int kMaxDevicesPerSourceBound = 100'000'000;
    static constexpr int kMaxMetricsPerDeviceBound = 65'535;

    int maxDevicesPerSource = kDefaultMaxDevicesPerSource;
    int maxMetricsPerDevice = kDefaultMaxMetricsPerDevice;

    bool isValid(QString *problem = nullptr) const
    {
        QString why;
        if (maxDevicesPerSource < 1 || maxDevicesPerSource > kMaxDevicesPerSourceBound)
            why = tr("the maximum of devices per connection must be 1 to %1").arg(kMaxDevicesPerSourceBound);
        else if (maxMetricsPerDevice < 1 || maxMetricsPerDevice > kMaxMetricsPerDeviceBound)
            why = tr("the maximum of metrics per device must be 1 to %1").arg(kMaxMetricsPerDeviceBound);
        if (problem)
            *problem = why;
        return why.isEmpty();
    }

    friend bool operator==(const IngestLimits &, const IngestLimits &) = default;
};

} // namespace fd
