#pragma once

#include "core/domain/device.h"

#include <QList>
#include <QString>

#include <memory>

namespace fd::test {

// Deterministic devices for model tests: dev-00000 ... with sites/models cycling.
inline Device makeDevice(int i, qint64 lastSeenMs = 1'700'000'000'000)
{
    Device d;
    d.id = QStringLiteral("dev-%1").arg(i, 5, 10, QLatin1Char('0'));
    d.name = QStringLiteral("Sensor %1").arg(i);
    d.site = QStringLiteral("site-%1").arg(QChar(u'a' + i % 3));
    d.model = i % 2 ? QStringLiteral("TH-200") : QStringLiteral("GW-10");
    d.fwVersion = QStringLiteral("1.%1.0").arg(i % 4);
    d.online = i % 5 != 0;
    d.lastSeenMs = lastSeenMs + i * 1000;
    d.messageCount = quint64(i) * 10;
    if (i % 7 != 0) {  // every 7th device has no metrics yet
        setMetric(d.metrics, QStringLiteral("temperature"), 20.0 + (i % 11) * 0.5);
        setMetric(d.metrics, QStringLiteral("battery"), 100 - i % 90);
        setMetric(d.metrics, QStringLiteral("rssi"), -50 - i % 40);
    }
    d.rejects[size_t(RejectReason::BadJson)] = quint32(i % 3);
    return d;
}

// A Sparkplug B edge node ("group/node") or device ("group/node/device") of source, born
// once (bdSeq, one birth) with writable metrics "setpoint" (Double, alias 1) and "mode"
// (String) and a read-only "temperature" (Float), and those values.
inline Device makeSparkplugDevice(const QString &source, const QString &path, qint64 bornMs = 1'700'000'000'000)
{
    Device d;
    d.source = source;
    d.path = path;
    d.id = DeviceKey{source, path}.id();
    d.name = d.id;
    d.online = true;
    d.lastSeenMs = bornMs;
    d.lastTelemetryMs = bornMs;
    d.messageCount = 3;
    setMetric(d.metrics, QStringLiteral("temperature"), 21.5);
    setMetric(d.metrics, QStringLiteral("setpoint"), 20.0);
    d.metrics.append(MetricValue::ofString(QStringLiteral("mode"), QStringLiteral("auto")));
    d.sparkplug.bdSeq = 3;
    d.sparkplug.births = 1;
    d.sparkplug.lastBirthMs = bornMs;
    auto metrics = std::make_shared<SparkplugMetricDefinitions>();
    metrics->insert(QStringLiteral("temperature"), SparkplugMetricDefinition{0, false, 9, false});    // Float
    metrics->insert(QStringLiteral("setpoint"), SparkplugMetricDefinition{1, true, 10, true});        // Double
    metrics->insert(QStringLiteral("mode"), SparkplugMetricDefinition{2, true, 12, true});            // String
    d.sparkplug.metrics = std::move(metrics);
    return d;
}

// d after its death at deadMs (NDEATH/DDEATH): offline, STALE since then, one death more.
inline Device died(Device d, qint64 deadMs)
{
    d.online = false;
    d.staleSinceMs = deadMs;
    d.sparkplug.deaths += 1;
    d.sparkplug.lastDeathMs = deadMs;
    return d;
}

inline QList<Device> makeDevices(int count, int firstIndex = 0)
{
    QList<Device> result;
    result.reserve(count);
    for (int i = 0; i < count; ++i)
        result.append(makeDevice(firstIndex + i));
    return result;
}

} // namespace fd::test
