#include "core/alerts/alert_rule_json.h"

#include "core/domain/json_names.h"
#include "core/domain/plain_text.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <cmath>

namespace fd {
namespace {

using Kind = AlertRuleKind;

// Reads an optional number field; false with *error when present but not a finite number.
bool number(const QJsonObject &o, const char *key, double *out, QString *error)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull())
        return true;
    if (!v.isDouble() || !std::isfinite(v.toDouble())) {
        *error = AlertRuleJson::tr("%1 must be a number").arg(QLatin1String(key));
        return false;
    }
    *out = v.toDouble();
    return true;
}

bool seconds(const QJsonObject &o, const char *key, qint64 *outMs, QString *error)
{
    double s = std::nan("");
    if (!number(o, key, &s, error))
        return false;
    if (std::isnan(s))
        return true;
    if (s < 0 || s * 1000.0 > double(AlertRule::kMaxDurationMs)) {
        *error = AlertRuleJson::tr("%1 must be between 0 and %2 seconds")
                     .arg(QLatin1String(key))
                     .arg(AlertRule::kMaxDurationMs / 1000);
        return false;
    }
    *outMs = qint64(std::llround(s * 1000.0));
    return true;
}

bool text(const QJsonObject &o, const char *key, QString *out, QString *error, int maxLength = 1024)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull())
        return true;
    if (!v.isString()) {
        *error = AlertRuleJson::tr("%1 must be a string").arg(QLatin1String(key));
        return false;
    }
    const QString s = jsonName(v.toString());
    if (s.size() > maxLength) {
        *error = AlertRuleJson::tr("%1 is longer than %2 characters").arg(QLatin1String(key)).arg(maxLength);
        return false;
    }
    *out = s;
    return true;
}

bool readScope(const QJsonValue &v, AlertScope *out, QString *error)
{
    if (v.isUndefined() || v.isNull()) {
        *out = AlertScope::all();
        return true;
    }
    if (v.isString() && v.toString() == QLatin1String("all")) {
        *out = AlertScope::all();
        return true;
    }
    if (!v.isObject()) {
        *error = AlertRuleJson::tr("scope must be an object such as {\"site\":\"Lyon-Nord\"}");
        return false;
    }
    const QJsonObject o = v.toObject();
    AlertScope s;
    int kinds = 0;
    for (AlertScope::Kind k : {AlertScope::Kind::Site, AlertScope::Kind::Model, AlertScope::Kind::Tag,
                               AlertScope::Kind::Device}) {
        const QString key = AlertScope::kindKey(k);
        if (!o.contains(key))
            continue;
        ++kinds;
        QString value;
        if (!text(o, key.toLatin1().constData(), &value, error, 256))
            return false;
        if (value.isEmpty()) {
            *error = AlertRuleJson::tr("scope %1 must not be empty").arg(key);
            return false;
        }
        s.kind = k;
        s.value = value;
    }
    if (kinds > 1) {
        *error = AlertRuleJson::tr("scope names more than one of site, model, tag, device");
        return false;
    }
    QString source;
    if (!text(o, "source", &source, error, 256))
        return false;
    if (o.contains(QLatin1String("source")) && source.isEmpty()) {
        *error = AlertRuleJson::tr("scope source must not be empty");
        return false;
    }
    if (kinds == 0) {
        if (!source.isEmpty()) {
            s.kind = AlertScope::Kind::Source;
            s.value = source;
        }
    } else if (!source.isEmpty()) {
        if (s.kind != AlertScope::Kind::Device) {
            *error = AlertRuleJson::tr("scope source can only be combined with device");
            return false;
        }
        s.source = source;
    }
    *out = s;
    return true;
}

// A rule keeps only the fields its kind uses (those toJson() writes). The others are read and
// type-checked like the rest but not kept: a file holding them imported the same as one
// without, and the rule was another after toJson() -> fromJson() (the operations store), so
// importing the same file again rewrote the rule, audited it and reset its alerts' state.
// Found by fuzzing (fuzz/fuzz_alert_rules).
void keepFieldsOfItsKind(AlertRule *r)
{
    const AlertRule unset;
    const bool threshold = r->kind == Kind::Above || r->kind == Kind::Below || r->kind == Kind::Occurrences
                           || r->kind == Kind::Rate || r->kind == Kind::CertificateExpiring;
    const bool clearThreshold = r->kind == Kind::Above || r->kind == Kind::Below || r->kind == Kind::Rate;
    if (!threshold)
        r->threshold = unset.threshold;
    if (!clearThreshold)
        r->clearThreshold = unset.clearThreshold;
    if (r->kind != Kind::Outside) {
        r->low = unset.low;
        r->high = unset.high;
        r->clearLow = unset.clearLow;
        r->clearHigh = unset.clearHigh;
    }
    if (r->kind != Kind::Occurrences) {
        r->conditionAbove = unset.conditionAbove;
        r->count = unset.count;
        r->windowMs = unset.windowMs;
    }
    if (r->kind != Kind::Rate)
        r->direction = unset.direction;
    if (r->kind != Kind::Stuck)
        r->tolerance = unset.tolerance;
}

QJsonValue scopeToJson(const AlertScope &s)
{
    QJsonObject o;
    switch (s.kind) {
    case AlertScope::Kind::All: return QJsonObject();
    case AlertScope::Kind::Source: o.insert(QLatin1String("source"), s.value); break;
    case AlertScope::Kind::Device:
        o.insert(QLatin1String("device"), s.value);
        if (!s.source.isEmpty())
            o.insert(QLatin1String("source"), s.source);
        break;
    default: o.insert(AlertScope::kindKey(s.kind), s.value); break;
    }
    return o;
}

} // namespace

AlertRule AlertRuleJson::fromJson(const QJsonObject &o, QString *error)
{
    error->clear();
    AlertRule r;
    const QJsonValue nameValue = o.value(QLatin1String("name"));
    if (!nameValue.isString()) {
        *error = tr("name is required and must be a string");
        return r;
    }
    if (!text(o, "name", &r.name, error, AlertRule::kMaxNameLength) || !text(o, "description", &r.description, error, 4096)
        || !text(o, "metric", &r.metric, error, 128))
        return r;

    QString kind;
    if (!text(o, "kind", &kind, error, 32))
        return r;
    const auto k = AlertRule::kindFromKey(kind);
    if (!k) {
        *error = kind.isEmpty() ? tr("kind is required (above, below, outside, occurrences, rate, stuck, no_data, offline)")
                                : tr("unknown kind \"%1\"").arg(oneLineText(kind, 32));
        return r;
    }
    r.kind = *k;

    QString severity;
    if (!text(o, "severity", &severity, error, 32))
        return r;
    if (!severity.isEmpty()) {
        const auto s = alertSeverityFromKey(severity);
        if (!s) {
            *error = tr("unknown severity \"%1\" (CRITICAL, MAJOR, MINOR, WARNING, INDETERMINATE)")
                         .arg(oneLineText(severity, 32));
            return r;
        }
        r.severity = *s;
    }
    const QJsonValue enabled = o.value(QLatin1String("enabled"));
    if (!enabled.isUndefined() && !enabled.isNull()) {
        if (!enabled.isBool()) {
            *error = tr("enabled must be true or false");
            return r;
        }
        r.enabled = enabled.toBool();
    }
    if (!readScope(o.value(QLatin1String("scope")), &r.scope, error))
        return r;

    if (!number(o, "threshold", &r.threshold, error) || !number(o, "low", &r.low, error)
        || !number(o, "high", &r.high, error) || !number(o, "clear_low", &r.clearLow, error)
        || !number(o, "clear_high", &r.clearHigh, error) || !number(o, "tolerance", &r.tolerance, error)
        || !seconds(o, "for_s", &r.forMs, error) || !seconds(o, "clear_for_s", &r.clearForMs, error)
        || !seconds(o, "window_s", &r.windowMs, error))
        return r;
    switch (r.kind) {
    case Kind::Above:
        if (!number(o, "clear_below", &r.clearThreshold, error))
            return r;
        break;
    case Kind::Below:
        if (!number(o, "clear_above", &r.clearThreshold, error))
            return r;
        break;
    default:
        if (!number(o, "clear_threshold", &r.clearThreshold, error))
            return r;
        break;
    }
    QString condition;
    if (!text(o, "condition", &condition, error, 16))
        return r;
    if (!condition.isEmpty()) {
        if (condition != QLatin1String("above") && condition != QLatin1String("below")) {
            *error = tr("condition must be \"above\" or \"below\"");
            return r;
        }
        r.conditionAbove = condition == QLatin1String("above");
    }
    double count = std::nan("");
    if (!number(o, "count", &count, error))
        return r;
    if (!std::isnan(count)) {
        if (count != std::floor(count) || count < 1 || count > AlertRule::kMaxCount) {
            *error = tr("count must be a whole number between 1 and %1").arg(AlertRule::kMaxCount);
            return r;
        }
        r.count = int(count);
    }
    QString direction;
    if (!text(o, "direction", &direction, error, 16))
        return r;
    if (!direction.isEmpty()) {
        const auto d = AlertRule::directionFromKey(direction);
        if (!d) {
            *error = tr("direction must be \"rise\", \"fall\" or \"any\"");
            return r;
        }
        r.direction = *d;
    }
    keepFieldsOfItsKind(&r);
    *error = r.validate();
    return r;
}

AlertRuleJson::ParseResult AlertRuleJson::parse(const QByteArray &document)
{
    ParseResult result;
    if (document.size() > kMaxFileBytes) {
        result.errors << tr("the file is larger than %1 MiB").arg(kMaxFileBytes / (1024 * 1024));
        return result;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(document, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        result.errors << tr("not valid JSON: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset);
        return result;
    }
    QJsonArray rules;
    if (doc.isObject() && doc.object().value(QLatin1String("rules")).isArray())
        rules = doc.object().value(QLatin1String("rules")).toArray();
    else if (doc.isArray())
        rules = doc.array();
    else {
        result.errors << tr("expected an object {\"rules\": [...]}");
        return result;
    }
    if (rules.size() > kMaxRules) {
        result.errors << tr("more than %1 rules").arg(kMaxRules);
        return result;
    }
    QSet<QString> names;
    for (qsizetype i = 0; i < rules.size(); ++i) {
        const QJsonValue v = rules.at(i);
        if (!v.isObject()) {
            result.errors << tr("rule %1: not an object").arg(i + 1);
            continue;
        }
        QString error;
        AlertRule rule = fromJson(v.toObject(), &error);
        // One line per error (fleetdeckctl prints one per line): a name with a line break
        // (refused, but quoted here) shows it as '?'.
        const QString label = rule.name.isEmpty()
                                  ? tr("rule %1").arg(i + 1)
                                  : tr("rule %1 (%2)").arg(i + 1).arg(oneLineText(rule.name, AlertRule::kMaxNameLength));
        if (!error.isEmpty()) {
            result.errors << label + QStringLiteral(": ") + error;
            continue;
        }
        if (names.contains(rule.name)) {
            result.errors << label + QStringLiteral(": ") + tr("the name is used by another rule in the file");
            continue;
        }
        names.insert(rule.name);
        result.rules.append(std::move(rule));
    }
    if (!result.ok())
        result.rules.clear();
    return result;
}

QJsonObject AlertRuleJson::toJson(const AlertRule &r)
{
    QJsonObject o;
    o.insert(QLatin1String("name"), r.name);
    if (!r.description.isEmpty())
        o.insert(QLatin1String("description"), r.description);
    o.insert(QLatin1String("severity"), alertSeverityKey(r.severity));
    if (!r.enabled)
        o.insert(QLatin1String("enabled"), false);
    if (r.scope.kind != AlertScope::Kind::All)
        o.insert(QLatin1String("scope"), scopeToJson(r.scope));
    if (!r.metric.isEmpty())
        o.insert(QLatin1String("metric"), r.metric);
    o.insert(QLatin1String("kind"), AlertRule::kindKey(r.kind));
    const auto put = [&o](const char *key, double v) {
        if (!std::isnan(v))
            o.insert(QLatin1String(key), v);
    };
    switch (r.kind) {
    case Kind::Above:
        put("threshold", r.threshold);
        put("clear_below", r.clearThreshold);
        break;
    case Kind::Below:
        put("threshold", r.threshold);
        put("clear_above", r.clearThreshold);
        break;
    case Kind::Outside:
        put("low", r.low);
        put("high", r.high);
        put("clear_low", r.clearLow);
        put("clear_high", r.clearHigh);
        break;
    case Kind::Occurrences:
        o.insert(QLatin1String("condition"), r.conditionAbove ? QStringLiteral("above") : QStringLiteral("below"));
        put("threshold", r.threshold);
        o.insert(QLatin1String("count"), r.count);
        o.insert(QLatin1String("window_s"), double(r.windowMs) / 1000.0);
        break;
    case Kind::Rate:
        put("threshold", r.threshold);
        put("clear_threshold", r.clearThreshold);
        if (r.direction != AlertRule::Direction::Any)
            o.insert(QLatin1String("direction"), AlertRule::directionKey(r.direction));
        break;
    case Kind::Stuck:
        if (r.tolerance != 0)
            o.insert(QLatin1String("tolerance"), r.tolerance);
        break;
    case Kind::CertificateExpiring:
        put("threshold", r.threshold);  // days before expiry
        break;
    case Kind::NoData:
    case Kind::Offline:
        break;
    }
    if (r.forMs > 0 || r.kind == Kind::Above || r.kind == Kind::Below || r.kind == Kind::Outside)
        o.insert(QLatin1String("for_s"), double(r.forMs) / 1000.0);
    if (r.clearForMs > 0)
        o.insert(QLatin1String("clear_for_s"), double(r.clearForMs) / 1000.0);
    return o;
}

QByteArray AlertRuleJson::serialize(const QList<AlertRule> &rules)
{
    QJsonArray a;
    for (const AlertRule &r : rules)
        a.append(toJson(r));
    QJsonObject root;
    root.insert(QLatin1String("rules"), a);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

} // namespace fd
