#pragma once

#include "simulator/scenario_spec.h"

#include <QList>
#include <QString>

#include <optional>

namespace fd::sim {

// Reads --scenario values: "kind[:key=value;key=value...]", several separated by commas,
// or the name of a scenario set ("demo"). Every error names the offending part.
class ScenarioSpecParser
{
public:
    static constexpr qsizetype kMaxTextChars = 64 * 1024;  // one --scenario value

    // Appends the scenarios of one --scenario value to out (at most ScenarioSpec::kMaxScenarios
    // in out altogether); false with the reason, out unchanged.
    static bool parse(const QString &text, QList<ScenarioSpec> *out, QString *error);
    // One "kind[:key=value;...]".
    static std::optional<ScenarioSpec> parseOne(const QString &text, QString *error);

    // The named sets: "demo" (see scenario_spec_parser.cpp for what it holds).
    static QStringList setNames();
    static QList<ScenarioSpec> namedSet(const QString &name);  // empty: no such set
};

} // namespace fd::sim
