#pragma once

#include "core/domain/alert.h"

#include <QList>
#include <QString>

namespace fd::test {

// Deterministic open alerts for model and page tests: alert i (id i) of rule "rule-<i % 3>"
// on device dev-<i> of source "broker-a" (site-a/b/c cycling), severity cycling through
// the five, first seen at base + i s, last seen 30 s later.
inline Alert makeAlert(qint64 id, qint64 baseMs = 1'700'000'000'000)
{
    Alert a;
    a.id = id;
    a.ruleId = 1 + id % 3;
    a.ruleName = QStringLiteral("rule-%1").arg(id % 3);
    a.severity = AlertSeverity(id % 5);
    a.ruleKind = AlertRuleKind::Above;
    a.device = DeviceKey(QStringLiteral("broker-a"), QStringLiteral("dev-%1").arg(id, 5, 10, QLatin1Char('0')));
    a.site = QStringLiteral("site-%1").arg(QChar(u'a' + int(id % 3)));
    a.metric = QStringLiteral("temperature");
    a.firstTsMs = baseMs + id * 1000;
    a.lastTsMs = a.firstTsMs + 30'000;
    a.count = quint32(1 + id % 4);
    a.lastValue = QStringLiteral("47.2");
    a.message = QStringLiteral("temperature 47.2 above 40 for 10 s");
    return a;
}

inline QList<Alert> makeAlerts(int count, qint64 firstId = 1)
{
    QList<Alert> result;
    result.reserve(count);
    for (int i = 0; i < count; ++i)
        result.append(makeAlert(firstId + i));
    return result;
}

} // namespace fd::test
