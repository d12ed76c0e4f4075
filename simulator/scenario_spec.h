#pragma once

#include "simulator/scenario_kind.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace fd::sim {

// One fault scenario as asked for (--scenario kind:key=value;... or one entry of a
// --scenario-file), before devices are picked (ScenarioPlanner). Holds the parameters, which
// apply to which kind, their names on the command line and in the file, their ranges and the
// canonical command-line form (toString(), which parses back to an equal spec: shard
// processes get their scenarios that way).
struct ScenarioSpec
{
    enum class Param { Devices, Device, Site, Start, Duration, Metric, Peak, Level, Ramp, Period, Down, Optional };
    enum class ParamType { Integer, Number, Text, Flag };
    enum class Naming { CommandLine, File };  // "start" or "start_s" in messages

    ScenarioKind kind = ScenarioKind::Overheating;
    int devices = 1;                // how many devices to pick (not with device=; site_down: the site's)
    QStringList deviceIds;          // device=dev-00003 (repeatable): exactly these, may overlap others
    QString site;                   // site_down: the site (empty: a small one is picked); others: pick there
    double startS = 0;              // seconds after the simulator started
    std::optional<double> durationS;  // none: until the simulator exits
    QString metric = QStringLiteral("humidity");  // stuck_sensor
    double peakC = 55;              // overheating: the temperature it climbs to
    double levelPct = 5;            // battery_drain: the level it falls to
    double rampS = 30;              // overheating (climb and cool-down), battery_drain (fall)
    double periodS = 15;            // flapping: one offline + online cycle
    double downS = 5;               // flapping: offline part of each cycle
    bool optional = false;          // no device fits: skip with a note instead of failing
    bool devicesGiven = false;      // devices=N was given (not just the default 1)

    static constexpr int kMaxScenarios = 100;   // per run, all sources together
    static constexpr int kMaxDeviceIds = 1000;  // device= per scenario
    static constexpr double kMaxSeconds = 366.0 * 86400.0;

    static const QStringList &metrics();  // names stuck_sensor can freeze
    static ParamType typeOf(Param param);
    static QString name(Param param, Naming naming);  // "start" / "start_s"
    static std::optional<Param> paramFromName(const QString &name, Naming naming);

    bool accepts(Param param) const;           // does the parameter apply to this kind
    QString acceptedNames(Naming naming) const;  // for error messages: "devices, device, site, ..."

    // Setters used by both parsers; false with a reason naming the parameter.
    bool setNumber(Param param, double value, Naming naming, QString *error);
    bool setText(Param param, const QString &value, Naming naming, QString *error);  // Device appends
    void setFlag(Param param, bool value);

    // Ranges and combinations; false with a reason naming the parameter.
    bool validate(Naming naming, QString *error) const;
    // The canonical command-line form: "overheating:devices=2;start=20;duration=180;peak=55;ramp=30".
    QString toString() const;

    qint64 startMs() const;
    std::optional<qint64> endMs() const;  // none: until exit

    bool operator==(const ScenarioSpec &other) const = default;
};

} // namespace fd::sim
