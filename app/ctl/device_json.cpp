#include "app/ctl/device_json.h"

#include <QDateTime>

namespace fd {

QJsonObject DeviceJson::toJson(const Device &device)
{
    QJsonObject metrics;
    for (const MetricValue &m : device.metrics) {
        switch (m.type) {
        case MetricType::Int64: metrics.insert(m.name, m.integer); break;
        case MetricType::Bool: metrics.insert(m.name, m.integer != 0); break;
        case MetricType::String: metrics.insert(m.name, m.text); break;
        case MetricType::Double: metrics.insert(m.name, m.value); break;
        }
    }

    const DeviceKey key = device.key();
    QJsonObject o;
    o.insert(QLatin1StringView("id"), device.id);
    o.insert(QLatin1StringView("source"), key.source);
    o.insert(QLatin1StringView("path"), QJsonArray::fromStringList(key.segments()));
    o.insert(QLatin1StringView("name"), device.name);
    o.insert(QLatin1StringView("site"), device.site);
    o.insert(QLatin1StringView("model"), device.model);
    o.insert(QLatin1StringView("fw_version"), device.fwVersion);
    o.insert(QLatin1StringView("tags"), QJsonArray::fromStringList(device.tags));  // [] when none
    o.insert(QLatin1StringView("online"), device.online);
    o.insert(QLatin1StringView("last_seen"),
             device.lastSeenMs > 0
                 ? QJsonValue(QDateTime::fromMSecsSinceEpoch(device.lastSeenMs, Qt::UTC)
                                  .toString(Qt::ISODateWithMs))
                 : QJsonValue(QJsonValue::Null));
    // The newest sample time of the device (rejected samples never count), or null.
    o.insert(QLatin1StringView("last_telemetry"),
             device.lastTelemetryMs > 0
                 ? QJsonValue(QDateTime::fromMSecsSinceEpoch(device.lastTelemetryMs, Qt::UTC)
                                  .toString(Qt::ISODateWithMs))
                 : QJsonValue(QJsonValue::Null));
    o.insert(QLatin1StringView("metrics"), metrics);
    o.insert(QLatin1StringView("rejected"), double(device.rejectedCount()));
    return o;
}

QJsonArray DeviceJson::toJson(const QList<Device> &devices)
{
    QJsonArray array;
    for (const Device &d : devices)
        array.append(toJson(d));
    return array;
}

} // namespace fd
