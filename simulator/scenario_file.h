#pragma once

#include "simulator/scenario_spec.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace fd::sim {

// Reads a --scenario-file:
//   {"scenarios": [{"kind": "overheating", "devices": 2, "start_s": 10, "duration_s": 120},
//                  {"kind": "stuck_sensor", "device": "dev-00003", "metric": "rssi"}, ...]}
// Keys per entry: kind (required), devices, device (an id or an array of ids), site, start_s,
// duration_s (null or absent: until exit), metric, peak_c, level_pct, ramp_s, period_s,
// down_s, optional (true/false), comment (ignored). Anything else is an error, so a typo
// does not silently run the default. The file is untrusted input: at most kMaxBytes, at most
// ScenarioSpec::kMaxScenarios entries, a regular file; every error names the entry and key.
class ScenarioFile
{
public:
    static constexpr qint64 kMaxBytes = 1024 * 1024;

    static std::optional<QList<ScenarioSpec>> load(const QString &path, QString *error);
    static std::optional<QList<ScenarioSpec>> parse(const QByteArray &json, QString *error);
};

} // namespace fd::sim
