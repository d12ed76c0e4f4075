#pragma once

#include "simulator/scenario_spec.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace fd::sim {

// One scenario applied to one device.
struct ScenarioAssignment
{
    int deviceIndex = 0;
    QString deviceId;
    QString site;        // the device's site
    int scenario = 0;    // position of the spec among the run's scenarios
    ScenarioSpec spec;

    bool activeAt(qint64 elapsedMs) const;  // start <= t < end
    // {"kind","scenario","start_s","end_s" (null: until exit), and the kind's parameters}
    QJsonObject toJson() const;
    bool operator==(const ScenarioAssignment &other) const = default;
};

// Which device runs which scenario (ScenarioPlanner's result): assignments in device order,
// then scenario order, and notes on scenarios that were skipped (optional, nothing fitted).
class ScenarioPlan
{
public:
    void add(ScenarioAssignment assignment);  // in device order (ScenarioPlanner sorts)
    void addNote(const QString &note) { m_notes << note; }

    bool isEmpty() const { return m_assignments.isEmpty(); }
    const QList<ScenarioAssignment> &assignments() const { return m_assignments; }
    QList<ScenarioAssignment> forDevice(int deviceIndex) const;
    const QStringList &notes() const { return m_notes; }

    // --print-scenarios: {"scenarios":[canonical specs],"assignments":[{"id","site",...}],"notes":[...]}
    QJsonObject toJson(const QList<ScenarioSpec> &specs) const;

private:
    QList<ScenarioAssignment> m_assignments;
    QHash<int, QList<qsizetype>> m_byDevice;
    QStringList m_notes;
};

} // namespace fd::sim
