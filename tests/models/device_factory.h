#pragma once

#include "core/domain/device.h"

#include <QList>
#include <QString>

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

inline QList<Device> makeDevices(int count, int firstIndex = 0)
{
    QList<Device> result;
    result.reserve(count);
    for (int i = 0; i < count; ++i)
        result.append(makeDevice(firstIndex + i));
    return result;
}

} // namespace fd::test
