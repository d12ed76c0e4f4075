#include "simulator/scenario_spec.h"

#include "simulator/fleet_generator.h"

#include <QLocale>
#include <QRegularExpression>

#include <cmath>

namespace fd::sim {

namespace {

using Param = ScenarioSpec::Param;

struct ParamInfo
{
    Param param;
    const char *cliName;
    const char *fileName;
    ScenarioSpec::ParamType type;
};

constexpr ParamInfo kParams[] = {
    {Param::Devices, "devices", "devices", ScenarioSpec::ParamType::Integer},
    {Param::Device, "device", "device", ScenarioSpec::ParamType::Text},
    {Param::Site, "site", "site", ScenarioSpec::ParamType::Text},
    {Param::Start, "start", "start_s", ScenarioSpec::ParamType::Number},
    {Param::Duration, "duration", "duration_s", ScenarioSpec::ParamType::Number},
    {Param::Metric, "metric", "metric", ScenarioSpec::ParamType::Text},
    {Param::Peak, "peak", "peak_c", ScenarioSpec::ParamType::Number},
    {Param::Level, "level", "level_pct", ScenarioSpec::ParamType::Number},
    {Param::Ramp, "ramp", "ramp_s", ScenarioSpec::ParamType::Number},
    {Param::Period, "period", "period_s", ScenarioSpec::ParamType::Number},
    {Param::Down, "down", "down_s", ScenarioSpec::ParamType::Number},
    {Param::Optional, "optional", "optional", ScenarioSpec::ParamType::Flag},
};

const ParamInfo &info(Param param)
{
    for (const ParamInfo &p : kParams) {
        if (p.param == param)
            return p;
    }
    Q_UNREACHABLE();
}

QString number(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

bool fail(QString *error, const QString &reason)
{
    if (error)
        *error = reason;
    return false;
}

} // namespace

const QStringList &ScenarioSpec::metrics()
{
    static const QStringList names = {QStringLiteral("temperature"), QStringLiteral("humidity"),
                                      QStringLiteral("battery"), QStringLiteral("rssi"), QStringLiteral("cpu_load")};
    return names;
}

ScenarioSpec::ParamType ScenarioSpec::typeOf(Param param)
{
    return info(param).type;
}

QString ScenarioSpec::name(Param param, Naming naming)
{
    const ParamInfo &p = info(param);
    return QString::fromLatin1(naming == Naming::File ? p.fileName : p.cliName);
}

std::optional<ScenarioSpec::Param> ScenarioSpec::paramFromName(const QString &name, Naming naming)
{
    for (const ParamInfo &p : kParams) {
        if (name == QLatin1StringView(naming == Naming::File ? p.fileName : p.cliName))
            return p.param;
    }
    return std::nullopt;
}

bool ScenarioSpec::accepts(Param param) const
{
    switch (param) {
    case Param::Start:
    case Param::Duration:
    case Param::Optional:
    case Param::Site:
        return true;
    case Param::Devices:
    case Param::Device:
        return kind != ScenarioKind::SiteDown;
    case Param::Metric:
        return kind == ScenarioKind::StuckSensor;
    case Param::Peak:
        return kind == ScenarioKind::Overheating;
    case Param::Level:
        return kind == ScenarioKind::BatteryDrain;
    case Param::Ramp:
        return kind == ScenarioKind::Overheating || kind == ScenarioKind::BatteryDrain;
    case Param::Period:
    case Param::Down:
        return kind == ScenarioKind::Flapping;
    }
    return false;
}

QString ScenarioSpec::acceptedNames(Naming naming) const
{
    QStringList names;
    for (const ParamInfo &p : kParams) {
        if (accepts(p.param))
            names << name(p.param, naming);
    }
    return names.join(QStringLiteral(", "));
}

bool ScenarioSpec::setNumber(Param param, double value, Naming naming, QString *error)
{
    const QString key = name(param, naming);
    if (!std::isfinite(value))
        return fail(error, QStringLiteral("%1 must be a finite number").arg(key));
    switch (param) {
    case Param::Devices:
        if (value != std::floor(value) || value < 1 || value > 99999)
            return fail(error, QStringLiteral("%1 must be a whole number from 1 to 99999 (got %2)").arg(key, number(value)));
        devices = int(value);
        devicesGiven = true;
        return true;
    case Param::Start:
        startS = value;
        return true;
    case Param::Duration:
        durationS = value;
        return true;
    case Param::Peak:
        peakC = value;
        return true;
    case Param::Level:
        levelPct = value;
        return true;
    case Param::Ramp:
        rampS = value;
        return true;
    case Param::Period:
        periodS = value;
        return true;
    case Param::Down:
        downS = value;
        return true;
    case Param::Device:
    case Param::Site:
    case Param::Metric:
    case Param::Optional:
        break;
    }
    return fail(error, QStringLiteral("%1 is not a number").arg(key));
}

bool ScenarioSpec::setText(Param param, const QString &value, Naming naming, QString *error)
{
    const QString key = name(param, naming);
    switch (param) {
    case Param::Device: {
        static const QRegularExpression idRe(QStringLiteral("^dev-[0-9]{5}$"));
        if (!idRe.match(value).hasMatch() || value == u"dev-00000") {
            return fail(error, QStringLiteral("%1 '%2' is not a simulated device id (dev-00001 .. dev-99999)")
                                   .arg(key, value.left(80)));
        }
        if (deviceIds.contains(value))
            return fail(error, QStringLiteral("%1 %2 is named twice").arg(key, value));
        if (deviceIds.size() >= kMaxDeviceIds)
            return fail(error, QStringLiteral("more than %1 devices named with %2").arg(kMaxDeviceIds).arg(key));
        deviceIds << value;
        return true;
    }
    case Param::Site:
        if (!FleetGenerator::sites().contains(value)) {
            return fail(error, QStringLiteral("%1 '%2' is not a site of the simulated fleet (%3)")
                                   .arg(key, value.left(80), FleetGenerator::sites().join(QStringLiteral(", "))));
        }
        site = value;
        return true;
    case Param::Metric:
        if (!metrics().contains(value)) {
            return fail(error, QStringLiteral("%1 '%2' is not a simulated metric (%3)")
                                   .arg(key, value.left(80), metrics().join(QStringLiteral(", "))));
        }
        metric = value;
        return true;
    case Param::Devices:
    case Param::Start:
    case Param::Duration:
    case Param::Peak:
    case Param::Level:
    case Param::Ramp:
    case Param::Period:
    case Param::Down:
    case Param::Optional:
        break;
    }
    return fail(error, QStringLiteral("%1 is not a text parameter").arg(key));
}

void ScenarioSpec::setFlag(Param param, bool value)
{
    if (param == Param::Optional)
        optional = value;
}

bool ScenarioSpec::validate(Naming naming, QString *error) const
{
    auto key = [naming](Param p) { return name(p, naming); };
    if (devicesGiven && !deviceIds.isEmpty())
        return fail(error, QStringLiteral("give either %1 or %2, not both").arg(key(Param::Devices), key(Param::Device)));
    if (!site.isEmpty() && !deviceIds.isEmpty()) {
        return fail(error, QStringLiteral("%1 picks devices of a site, %2 names them: give one of them")
                               .arg(key(Param::Site), key(Param::Device)));
    }
    if (startS < 0 || startS > kMaxSeconds)
        return fail(error, QStringLiteral("%1 must be from 0 to %2 seconds").arg(key(Param::Start), number(kMaxSeconds)));
    if (durationS && (*durationS <= 0 || *durationS > kMaxSeconds)) {
        return fail(error, QStringLiteral("%1 must be more than 0 and at most %2 seconds (leave it out: until exit)")
                               .arg(key(Param::Duration), number(kMaxSeconds)));
    }
    if (kind == ScenarioKind::Overheating && (peakC < -50 || peakC > 150))
        return fail(error, QStringLiteral("%1 must be from -50 to 150 (°C)").arg(key(Param::Peak)));
    if (kind == ScenarioKind::BatteryDrain && (levelPct < 0 || levelPct > 100))
        return fail(error, QStringLiteral("%1 must be from 0 to 100 (%)").arg(key(Param::Level)));
    if (accepts(Param::Ramp) && (rampS < 0 || rampS > 3600))
        return fail(error, QStringLiteral("%1 must be from 0 to 3600 seconds").arg(key(Param::Ramp)));
    if (kind == ScenarioKind::Flapping) {
        if (periodS < 1 || periodS > 3600)
            return fail(error, QStringLiteral("%1 must be from 1 to 3600 seconds").arg(key(Param::Period)));
        if (downS < 0.5 || downS > periodS - 0.5) {
            return fail(error, QStringLiteral("%1 must be at least 0.5 seconds and at least 0.5 seconds shorter than "
                                              "%2 (%3)")
                                   .arg(key(Param::Down), key(Param::Period), number(periodS)));
        }
    }
    return true;
}

QString ScenarioSpec::toString() const
{
    QStringList parts;
    if (devicesGiven)
        parts << QStringLiteral("devices=%1").arg(devices);
    for (const QString &id : deviceIds)
        parts << QStringLiteral("device=%1").arg(id);
    if (!site.isEmpty())
        parts << QStringLiteral("site=%1").arg(site);
    parts << QStringLiteral("start=%1").arg(number(startS));
    if (durationS)
        parts << QStringLiteral("duration=%1").arg(number(*durationS));
    switch (kind) {
    case ScenarioKind::Overheating:
        parts << QStringLiteral("peak=%1").arg(number(peakC)) << QStringLiteral("ramp=%1").arg(number(rampS));
        break;
    case ScenarioKind::BatteryDrain:
        parts << QStringLiteral("level=%1").arg(number(levelPct)) << QStringLiteral("ramp=%1").arg(number(rampS));
        break;
    case ScenarioKind::StuckSensor:
        parts << QStringLiteral("metric=%1").arg(metric);
        break;
    case ScenarioKind::Flapping:
        parts << QStringLiteral("period=%1").arg(number(periodS)) << QStringLiteral("down=%1").arg(number(downS));
        break;
    case ScenarioKind::Silent:
    case ScenarioKind::SiteDown:
        break;
    }
    if (optional)
        parts << QStringLiteral("optional=1");
    return scenarioKindKey(kind) + u':' + parts.join(u';');
}

qint64 ScenarioSpec::startMs() const
{
    return qint64(std::llround(startS * 1000.0));
}

std::optional<qint64> ScenarioSpec::endMs() const
{
    if (!durationS)
        return std::nullopt;
    return qint64(std::llround((startS + *durationS) * 1000.0));
}

} // namespace fd::sim
