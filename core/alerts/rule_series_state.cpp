#include "core/alerts/rule_series_state.h"

#include "core/domain/alert_rule.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace fd {
namespace {

constexpr int kFormat = 1;
// Times are stored as JSON numbers (doubles): exact for any ms timestamp below 2^53.
constexpr double kMaxExactTime = 9007199254740991.0;

void putTime(QJsonObject &o, const char *key, qint64 t)
{
    if (t != RuleSeriesState::kNever)
        o.insert(QLatin1String(key), double(t));
}

bool takeTime(const QJsonObject &o, const char *key, qint64 *out)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined()) {
        *out = RuleSeriesState::kNever;
        return true;
    }
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    if (!std::isfinite(d) || std::fabs(d) > kMaxExactTime || d != std::floor(d))
        return false;
    *out = qint64(d);
    return true;
}

} // namespace

QByteArray RuleSeriesState::serialize() const
{
    QJsonObject o;
    o.insert(QLatin1String("v"), kFormat);
    putTime(o, "t", lastTs);
    putTime(o, "c", condSince);
    putTime(o, "k", clearSince);
    putTime(o, "n", lastReceiveMs);
    if (std::isfinite(reference))
        o.insert(QLatin1String("r"), reference);
    if (firing)
        o.insert(QLatin1String("f"), true);
    if (runSamples > 0)
        o.insert(QLatin1String("s"), int(runSamples));
    if (!occurrences.empty()) {
        QJsonArray a;
        for (qint64 t : occurrences)
            a.append(double(t));
        o.insert(QLatin1String("o"), a);
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

bool RuleSeriesState::deserialize(const QByteArray &data, RuleSeriesState *out)
{
    if (data.size() > 256 * 1024)
        return false;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(data, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return false;
    const QJsonObject o = doc.object();
    if (o.value(QLatin1String("v")).toInt() != kFormat)
        return false;
    RuleSeriesState s;
    if (!takeTime(o, "t", &s.lastTs) || !takeTime(o, "c", &s.condSince) || !takeTime(o, "k", &s.clearSince)
        || !takeTime(o, "n", &s.lastReceiveMs))
        return false;
    const QJsonValue r = o.value(QLatin1String("r"));
    if (!r.isUndefined()) {
        if (!r.isDouble() || !std::isfinite(r.toDouble()))
            return false;
        s.reference = r.toDouble();
    }
    const QJsonValue f = o.value(QLatin1String("f"));
    if (!f.isUndefined() && !f.isBool())
        return false;
    s.firing = f.toBool(false);
    const QJsonValue runs = o.value(QLatin1String("s"));
    if (!runs.isUndefined()) {
        if (!runs.isDouble() || runs.toDouble() < 0 || runs.toDouble() > 65535 || runs.toDouble() != double(runs.toInt()))
            return false;
        s.runSamples = quint16(runs.toInt());
    }
    const QJsonValue occ = o.value(QLatin1String("o"));
    if (!occ.isUndefined()) {
        if (!occ.isArray() || occ.toArray().size() > AlertRule::kMaxCount)
            return false;
        QJsonObject holder;
        for (const QJsonValue &v : occ.toArray()) {
            holder.insert(QLatin1String("x"), v);
            qint64 t = 0;
            if (!takeTime(holder, "x", &t) || t == kNever)
                return false;
            s.occurrences.push_back(t);
        }
    }
    *out = std::move(s);
    return true;
}

} // namespace fd
