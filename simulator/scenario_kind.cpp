#include "simulator/scenario_kind.h"

#include <QStringList>

namespace fd::sim {

QString scenarioKindKey(ScenarioKind kind)
{
    switch (kind) {
    case ScenarioKind::Overheating:
        return QStringLiteral("overheating");
    case ScenarioKind::BatteryDrain:
        return QStringLiteral("battery_drain");
    case ScenarioKind::StuckSensor:
        return QStringLiteral("stuck_sensor");
    case ScenarioKind::Flapping:
        return QStringLiteral("flapping");
    case ScenarioKind::Silent:
        return QStringLiteral("silent");
    case ScenarioKind::SiteDown:
        return QStringLiteral("site_down");
    }
    return QStringLiteral("unknown");
}

std::optional<ScenarioKind> scenarioKindFromKey(const QString &key)
{
    for (ScenarioKind kind : kAllScenarioKinds) {
        if (scenarioKindKey(kind) == key)
            return kind;
    }
    return std::nullopt;
}

QString scenarioKindKeys()
{
    QStringList keys;
    for (ScenarioKind kind : kAllScenarioKinds)
        keys << scenarioKindKey(kind);
    return keys.join(QStringLiteral(", "));
}

} // namespace fd::sim
