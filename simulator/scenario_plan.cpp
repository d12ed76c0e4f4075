#include "simulator/scenario_plan.h"

#include <QJsonArray>

namespace fd::sim {

bool ScenarioAssignment::activeAt(qint64 elapsedMs) const
{
    const std::optional<qint64> end = spec.endMs();
    return elapsedMs >= spec.startMs() && (!end || elapsedMs < *end);
}

QJsonObject ScenarioAssignment::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("kind"), scenarioKindKey(spec.kind));
    o.insert(QStringLiteral("scenario"), scenario);
    o.insert(QStringLiteral("start_s"), spec.startS);
    o.insert(QStringLiteral("end_s"), spec.durationS ? QJsonValue(spec.startS + *spec.durationS) : QJsonValue());
    switch (spec.kind) {
    case ScenarioKind::Overheating:
        o.insert(QStringLiteral("peak_c"), spec.peakC);
        o.insert(QStringLiteral("ramp_s"), spec.rampS);
        break;
    case ScenarioKind::BatteryDrain:
        o.insert(QStringLiteral("level_pct"), spec.levelPct);
        o.insert(QStringLiteral("ramp_s"), spec.rampS);
        break;
    case ScenarioKind::StuckSensor:
        o.insert(QStringLiteral("metric"), spec.metric);
        break;
    case ScenarioKind::Flapping:
        o.insert(QStringLiteral("period_s"), spec.periodS);
        o.insert(QStringLiteral("down_s"), spec.downS);
        break;
    case ScenarioKind::SiteDown:
        o.insert(QStringLiteral("site"), site);
        break;
    case ScenarioKind::Silent:
        break;
    }
    return o;
}

void ScenarioPlan::add(ScenarioAssignment assignment)
{
    m_byDevice[assignment.deviceIndex].append(m_assignments.size());
    m_assignments.append(std::move(assignment));
}

QList<ScenarioAssignment> ScenarioPlan::forDevice(int deviceIndex) const
{
    QList<ScenarioAssignment> out;
    for (qsizetype i : m_byDevice.value(deviceIndex))
        out.append(m_assignments.at(i));
    return out;
}

QJsonObject ScenarioPlan::toJson(const QList<ScenarioSpec> &specs) const
{
    QJsonArray scenarios;
    for (const ScenarioSpec &spec : specs)
        scenarios.append(spec.toString());
    QJsonArray assignments;
    for (const ScenarioAssignment &a : m_assignments) {
        QJsonObject o = a.toJson();
        o.insert(QStringLiteral("id"), a.deviceId);
        o.insert(QStringLiteral("site"), a.site);
        assignments.append(o);
    }
    QJsonObject root;
    root.insert(QStringLiteral("scenarios"), scenarios);
    root.insert(QStringLiteral("assignments"), assignments);
    root.insert(QStringLiteral("notes"), QJsonArray::fromStringList(m_notes));
    return root;
}

} // namespace fd::sim
