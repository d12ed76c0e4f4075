#include "app/ctl/device_json.h"

#include <QDateTime>

namespace fd {

namespace {

QJsonValue isoOrNull(qint64 ms)
{
    return ms > 0 ? QJsonValue(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs))
                  : QJsonValue(QJsonValue::Null);
}

} // namespace

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
    // A Sparkplug node or device that announced no name is named by its id.
    o.insert(QLatin1StringView("name"), device.name.isEmpty() && device.sparkplug.isSparkplug() ? device.id : device.name);
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
    // Values are the last known ones since then (death, broker loss), or null: current.
    o.insert(QLatin1StringView("stale_since"), isoOrNull(device.staleSinceMs));
    if (const SparkplugSession &sp = device.sparkplug; sp.isSparkplug()) {
        QJsonObject s;
        s.insert(QLatin1StringView("bdseq"), sp.bdSeq >= 0 ? QJsonValue(double(sp.bdSeq)) : QJsonValue(QJsonValue::Null));
        s.insert(QLatin1StringView("births"), double(sp.births));
        s.insert(QLatin1StringView("deaths"), double(sp.deaths));
        s.insert(QLatin1StringView("last_birth"), isoOrNull(sp.lastBirthMs));
        s.insert(QLatin1StringView("last_death"), isoOrNull(sp.lastDeathMs));
        s.insert(QLatin1StringView("last_rebirth_cause"),
                 sp.lastRebirthCause.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(sp.lastRebirthCause));
        s.insert(QLatin1StringView("last_rebirth"), isoOrNull(sp.lastRebirthMs));
        o.insert(QLatin1StringView("sparkplug"), s);
    }
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
