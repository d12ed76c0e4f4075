#include "simulator/sparkplug_fault_spec.h"

#include <cmath>

namespace fd::sim {

namespace {

using Kind = SparkplugFaultKind;

struct KindInfo
{
    Kind kind;
    const char *key;
    QStringList keys;  // accepted parameters besides "node"
};

const QList<KindInfo> &kinds()
{
    static const QList<KindInfo> list{
        {Kind::SeqGap, "seq_gap", {QStringLiteral("start"), QStringLiteral("period")}},
        {Kind::StaleNdeath, "stale_ndeath", {QStringLiteral("start"), QStringLiteral("period")}},
        {Kind::DataBeforeBirth, "data_before_birth", {QStringLiteral("duration")}},
        {Kind::AliasOnly, "alias_only", {QStringLiteral("start")}},
        {Kind::DieRebirth, "die_rebirth", {QStringLiteral("start"), QStringLiteral("period"), QStringLiteral("down")}},
    };
    return list;
}

const KindInfo &info(Kind kind)
{
    for (const KindInfo &i : kinds()) {
        if (i.kind == kind)
            return i;
    }
    return kinds().constFirst();
}

// The demo's gateway trouble (fleetdeck --demo, with the "demo" scenario set): gateway 2 dies
// at 45 s and is back ~8 s later with a new bdSeq; gateway 1 loses a message at 75 s, so the
// host asks it for a rebirth.
constexpr const char *kDemoSet[] = {
    "die_rebirth:node=2;start=45;down=8",
    "seq_gap:node=1;start=75",
};

bool fail(QString *error, const QString &reason)
{
    if (error)
        *error = reason;
    return false;
}

QString number(double v)
{
    return QString::number(v, 'g', 12);
}

std::optional<SparkplugFaultSpec> parseOne(const QString &text, QString *error)
{
    const qsizetype colon = text.indexOf(u':');
    const QString key = (colon < 0 ? text : text.left(colon)).trimmed();
    const std::optional<Kind> kind = SparkplugFaultSpec::kindFromKey(key);
    if (!kind) {
        fail(error, QStringLiteral("'%1': unknown fault (one of %2)")
                        .arg(key.left(64), SparkplugFaultSpec::kindKeys().join(QStringLiteral(", "))));
        return std::nullopt;
    }
    SparkplugFaultSpec spec;
    spec.kind = *kind;
    spec.startS = *kind == Kind::AliasOnly ? 0 : 5;
    const QStringList accepted = QStringList{QStringLiteral("node")} + info(*kind).keys;
    const QStringList pairs = colon < 0 ? QStringList() : text.mid(colon + 1).split(u';', Qt::SkipEmptyParts);
    for (const QString &pair : pairs) {
        const qsizetype eq = pair.indexOf(u'=');
        const QString name = pair.left(eq).trimmed();
        const QString value = eq < 0 ? QString() : pair.mid(eq + 1).trimmed();
        if (!accepted.contains(name)) {
            fail(error, QStringLiteral("'%1': '%2' is not a key of %3 (%4)")
                            .arg(text.left(128), name.left(64), key, accepted.join(QStringLiteral(", "))));
            return std::nullopt;
        }
        bool ok = false;
        const double v = value.toDouble(&ok);
        if (!ok || !std::isfinite(v)) {
            fail(error, QStringLiteral("'%1': %2 must be a number (got '%3')").arg(text.left(128), name, value.left(64)));
            return std::nullopt;
        }
        if (name == u"node") {
            if (v < 1 || v != std::floor(v) || v > 100000) {
                fail(error, QStringLiteral("'%1': node must be a node number from 1").arg(text.left(128)));
                return std::nullopt;
            }
            spec.node = int(v);
        } else if (v < 0 || v > SparkplugFaultSpec::kMaxSeconds) {
            fail(error, QStringLiteral("'%1': %2 must be between 0 and %3 seconds")
                            .arg(text.left(128), name, number(SparkplugFaultSpec::kMaxSeconds)));
            return std::nullopt;
        } else if (name == u"start") {
            spec.startS = v;
        } else if (name == u"period") {
            spec.periodS = v;
        } else if (name == u"down") {
            spec.downS = v;
        } else if (name == u"duration") {
            spec.durationS = v;
        }
    }
    if (spec.kind == Kind::DieRebirth && spec.downS < 0.5) {
        fail(error, QStringLiteral("'%1': down must be at least 0.5 seconds").arg(text.left(128)));
        return std::nullopt;
    }
    if (spec.periodS && (*spec.periodS < 0.5 || (spec.kind == Kind::DieRebirth && *spec.periodS <= spec.downS + 0.5))) {
        fail(error, QStringLiteral("'%1': period must be at least 0.5 seconds (die_rebirth: longer than down + 0.5)")
                        .arg(text.left(128)));
        return std::nullopt;
    }
    return spec;
}

} // namespace

QString SparkplugFaultSpec::kindKey(SparkplugFaultKind kind)
{
    return QString::fromLatin1(info(kind).key);
}

std::optional<SparkplugFaultKind> SparkplugFaultSpec::kindFromKey(const QString &key)
{
    for (const KindInfo &i : kinds()) {
        if (key == QLatin1String(i.key))
            return i.kind;
    }
    return std::nullopt;
}

QStringList SparkplugFaultSpec::kindKeys()
{
    QStringList keys;
    for (const KindInfo &i : kinds())
        keys << QString::fromLatin1(i.key);
    return keys;
}

bool SparkplugFaultSpec::parse(const QString &text, QList<SparkplugFaultSpec> *out, QString *error)
{
    QList<SparkplugFaultSpec> specs;
    for (const QString &part : text.split(u',', Qt::SkipEmptyParts)) {
        const QString entry = part.trimmed();
        if (entry.isEmpty())
            continue;
        if (entry == u"demo") {
            for (const char *demo : kDemoSet) {
                const std::optional<SparkplugFaultSpec> spec = parseOne(QString::fromLatin1(demo), error);
                if (!spec)
                    return false;  // fixed text, covered by tests
                specs << *spec;
            }
            continue;
        }
        const std::optional<SparkplugFaultSpec> spec = parseOne(entry, error);
        if (!spec)
            return false;
        specs << *spec;
    }
    if (specs.isEmpty())
        return fail(error, QStringLiteral("'%1': no fault given").arg(text.left(128)));
    if (out->size() + specs.size() > kMaxFaults)
        return fail(error, QStringLiteral("more than %1 faults").arg(kMaxFaults));
    *out += specs;
    return true;
}

QString SparkplugFaultSpec::toString() const
{
    QStringList parts{QStringLiteral("node=%1").arg(node)};
    const QStringList &keys = info(kind).keys;
    if (keys.contains(QLatin1String("start")))
        parts << QStringLiteral("start=") + number(startS);
    if (keys.contains(QLatin1String("period")) && periodS)
        parts << QStringLiteral("period=") + number(*periodS);
    if (keys.contains(QLatin1String("down")))
        parts << QStringLiteral("down=") + number(downS);
    if (keys.contains(QLatin1String("duration")))
        parts << QStringLiteral("duration=") + number(durationS);
    return kindKey(kind) + u':' + parts.join(u';');
}

} // namespace fd::sim
