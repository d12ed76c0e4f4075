#pragma once

#include "core/domain/device_key.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace fd {

// A Telemetry page view that can be saved under a name and restored: the charts (each a
// list of device/metric series), the time window and whether it follows live data.
// Serialised as compact JSON in QSettings.
struct TelemetryLayout
{
    struct Series
    {
        DeviceKey device;  // "source" + "device" (the path) in JSON; no source: "default"
        QString metric;
        bool visible = true;
        friend bool operator==(const Series &, const Series &) = default;
    };
    struct Chart
    {
        QList<Series> series;
        friend bool operator==(const Chart &, const Chart &) = default;
    };

    QList<Chart> charts;
    qint64 windowMs = 15LL * 60 * 1000;
    bool follow = true;
    qint64 fromMs = 0;  // when not following
    qint64 toMs = 0;

    QByteArray toJson() const;
    static TelemetryLayout fromJson(const QByteArray &json, bool *ok = nullptr);
    friend bool operator==(const TelemetryLayout &, const TelemetryLayout &) = default;
};

} // namespace fd
