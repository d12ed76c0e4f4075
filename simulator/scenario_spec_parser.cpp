#include "simulator/scenario_spec_parser.h"

namespace fd::sim {

namespace {

using Naming = ScenarioSpec::Naming;
using Param = ScenarioSpec::Param;
using ParamType = ScenarioSpec::ParamType;

// --scenario demo: what a demo fleet shows in its first two minutes (timings in seconds
// after the simulator started; picks are reproducible from --seed and never overlap). Every
// entry is optional: a fleet too small for one skips it with a note.
//   flapping       1 device,  from 10 s for 180 s: offline 5 s of every 15 s
//   stuck_sensor   1 device,  from 15 s for 300 s: humidity repeats one value
//   overheating    2 devices, from 20 s for 180 s: 55 °C after a 30 s climb, 30 s to cool down
//   silent         1 device,  from 25 s for 120 s: connected, no telemetry
//   battery_drain  2 devices, from 30 s for 240 s: 5 % after a 30 s fall, then swapped (95 %)
//   site_down      the smallest site with 3+ devices, from 60 s for 60 s
constexpr const char *kDemoSet[] = {
    "flapping:devices=1;start=10;duration=180;period=15;down=5;optional=1",
    "stuck_sensor:devices=1;start=15;duration=300;metric=humidity;optional=1",
    "overheating:devices=2;start=20;duration=180;peak=55;ramp=30;optional=1",
    "silent:devices=1;start=25;duration=120;optional=1",
    "battery_drain:devices=2;start=30;duration=240;level=5;ramp=30;optional=1",
    "site_down:start=60;duration=60;optional=1",
};

bool fail(QString *error, const QString &reason)
{
    if (error)
        *error = reason;
    return false;
}

std::optional<bool> parseFlag(const QString &value)
{
    const QString v = value.toLower();
    if (v == u"1" || v == u"true" || v == u"yes")
        return true;
    if (v == u"0" || v == u"false" || v == u"no")
        return false;
    return std::nullopt;
}

} // namespace

std::optional<ScenarioSpec> ScenarioSpecParser::parseOne(const QString &text, QString *error)
{
    const qsizetype colon = text.indexOf(u':');
    const QString kindText = (colon < 0 ? text : text.left(colon)).trimmed();
    const std::optional<ScenarioKind> kind = scenarioKindFromKey(kindText);
    if (!kind) {
        fail(error, QStringLiteral("unknown scenario kind '%1' (kinds: %2; sets: %3)")
                        .arg(kindText.left(80), scenarioKindKeys(), setNames().join(QStringLiteral(", "))));
        return std::nullopt;
    }
    ScenarioSpec spec;
    spec.kind = *kind;
    QList<Param> seen;
    const QString rest = colon < 0 ? QString() : text.mid(colon + 1);
    const QStringList pairs = rest.split(u';');
    for (const QString &rawPair : pairs) {
        const QString pair = rawPair.trimmed();
        if (pair.isEmpty()) {
            if (colon >= 0 && pairs.size() == 1) {
                fail(error, QStringLiteral("nothing after ':' (give key=value pairs or leave out the ':')"));
                return std::nullopt;
            }
            continue;  // "a=1;;b=2" or a trailing ';'
        }
        const qsizetype eq = pair.indexOf(u'=');
        const QString key = (eq < 0 ? pair : pair.left(eq)).trimmed();
        const QString value = eq < 0 ? QString() : pair.mid(eq + 1).trimmed();
        const std::optional<Param> param = ScenarioSpec::paramFromName(key, Naming::CommandLine);
        if (!param || !spec.accepts(*param)) {
            fail(error, QStringLiteral("'%1' is not a parameter of %2 (parameters: %3)")
                            .arg(key.left(80), kindText, spec.acceptedNames(Naming::CommandLine)));
            return std::nullopt;
        }
        if (*param != Param::Device && seen.contains(*param)) {
            fail(error, QStringLiteral("%1 is given twice").arg(key));
            return std::nullopt;
        }
        seen << *param;
        const ParamType type = ScenarioSpec::typeOf(*param);
        if (type == ParamType::Flag) {
            const std::optional<bool> flag = eq < 0 ? std::optional<bool>(true) : parseFlag(value);
            if (!flag) {
                fail(error, QStringLiteral("%1 must be 1 or 0 (got '%2')").arg(key, value.left(80)));
                return std::nullopt;
            }
            spec.setFlag(*param, *flag);
            continue;
        }
        if (eq < 0 || value.isEmpty()) {
            fail(error, QStringLiteral("%1 needs a value (%1=...)").arg(key));
            return std::nullopt;
        }
        if (type == ParamType::Text) {
            if (!spec.setText(*param, value, Naming::CommandLine, error))
                return std::nullopt;
            continue;
        }
        bool ok = false;
        const double number = value.toDouble(&ok);
        if (!ok) {
            fail(error, QStringLiteral("%1 must be a number (got '%2')").arg(key, value.left(80)));
            return std::nullopt;
        }
        if (!spec.setNumber(*param, number, Naming::CommandLine, error))
            return std::nullopt;
    }
    if (!spec.validate(Naming::CommandLine, error))
        return std::nullopt;
    return spec;
}

bool ScenarioSpecParser::parse(const QString &text, QList<ScenarioSpec> *out, QString *error)
{
    if (text.size() > kMaxTextChars)
        return fail(error, QStringLiteral("longer than %1 characters").arg(kMaxTextChars));
    QList<ScenarioSpec> specs;
    const QStringList items = text.split(u',');
    for (const QString &rawItem : items) {
        const QString item = rawItem.trimmed();
        if (item.isEmpty())
            return fail(error, QStringLiteral("'%1': empty scenario (two commas, or one at an end)").arg(text.left(200)));
        const QList<ScenarioSpec> set = namedSet(item);
        if (!set.isEmpty()) {
            specs += set;
        } else {
            QString why;
            const std::optional<ScenarioSpec> spec = parseOne(item, &why);
            if (!spec)
                return fail(error, QStringLiteral("'%1': %2").arg(item.left(200), why));
            specs << *spec;
        }
        if (out->size() + specs.size() > ScenarioSpec::kMaxScenarios)
            return fail(error, QStringLiteral("more than %1 scenarios").arg(ScenarioSpec::kMaxScenarios));
    }
    *out += specs;
    return true;
}

QStringList ScenarioSpecParser::setNames()
{
    return {QStringLiteral("demo")};
}

QList<ScenarioSpec> ScenarioSpecParser::namedSet(const QString &name)
{
    if (name != u"demo")
        return {};
    QList<ScenarioSpec> specs;
    for (const char *text : kDemoSet) {
        const std::optional<ScenarioSpec> spec = parseOne(QString::fromLatin1(text), nullptr);
        Q_ASSERT(spec);  // fixed text, covered by tests
        if (spec)
            specs << *spec;
    }
    return specs;
}

} // namespace fd::sim
