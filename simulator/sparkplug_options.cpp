#include "simulator/sparkplug_options.h"

#include <QCommandLineParser>

namespace fd::sim {

namespace {

bool fail(QString *error, const QString &reason)
{
    if (error)
        *error = reason;
    return false;
}

} // namespace

bool SparkplugOptions::isValidId(const QString &id)
{
    return !id.isEmpty() && id.size() <= 128 && !id.contains(u'/') && !id.contains(u'+') && !id.contains(u'#');
}

void SparkplugOptions::addTo(QCommandLineParser &parser)
{
    parser.addOptions({
        {QStringLiteral("sparkplug-nodes"),
         QStringLiteral("Sparkplug B 3.0 edge nodes gw-01.. (default 0: none), each with its own MQTT 5 connection."),
         QStringLiteral("N"), QStringLiteral("0")},
        {QStringLiteral("sparkplug-devices"),
         QStringLiteral("Devices behind each edge node (default 4, at most 100)."), QStringLiteral("M"),
         QStringLiteral("4")},
        {QStringLiteral("sparkplug-group"),
         QStringLiteral("Sparkplug group id of the edge nodes; also their site (default Plant-1)."),
         QStringLiteral("G"), QStringLiteral("Plant-1")},
        {QStringLiteral("sparkplug-interval-ms"),
         QStringLiteral("Period of each node's NDATA/DDATA in ms (default 1000)."), QStringLiteral("MS"),
         QStringLiteral("1000")},
        {QStringLiteral("sparkplug-primary-host"),
         QStringLiteral("Primary host application id: nodes publish their BIRTHs only while spBv1.0/STATE/ID "
                        "says online, and start a new session when it goes offline."),
         QStringLiteral("ID")},
        {QStringLiteral("sparkplug-fault"),
         QStringLiteral("Sparkplug fault KIND[:node=N;start=S;...] (repeatable, or comma separated), KIND one of "
                        "seq_gap, stale_ndeath, data_before_birth, alias_only, die_rebirth, or the set \"demo\"."),
         QStringLiteral("SPEC")},
    });
}

bool SparkplugOptions::read(const QCommandLineParser &parser, SparkplugOptions *out, QString *error)
{
    SparkplugOptions o;
    bool ok = false;
    o.nodes = parser.value(QStringLiteral("sparkplug-nodes")).toInt(&ok);
    if (!ok || o.nodes < 0 || o.nodes > kMaxNodes)
        return fail(error, QStringLiteral("--sparkplug-nodes must be between 0 and %1").arg(kMaxNodes));
    o.devicesPerNode = parser.value(QStringLiteral("sparkplug-devices")).toInt(&ok);
    if (!ok || o.devicesPerNode < 0 || o.devicesPerNode > kMaxDevicesPerNode)
        return fail(error, QStringLiteral("--sparkplug-devices must be between 0 and %1").arg(kMaxDevicesPerNode));
    o.group = parser.value(QStringLiteral("sparkplug-group"));
    if (!isValidId(o.group))
        return fail(error, QStringLiteral("--sparkplug-group must be a non-empty id without '/', '+' or '#'"));
    o.intervalMs = parser.value(QStringLiteral("sparkplug-interval-ms")).toInt(&ok);
    if (!ok || o.intervalMs < kMinIntervalMs || o.intervalMs > kMaxIntervalMs)
        return fail(error, QStringLiteral("--sparkplug-interval-ms must be between %1 and %2")
                               .arg(kMinIntervalMs)
                               .arg(kMaxIntervalMs));
    if (parser.isSet(QStringLiteral("sparkplug-primary-host"))) {
        o.primaryHost = parser.value(QStringLiteral("sparkplug-primary-host"));
        if (!isValidId(o.primaryHost))
            return fail(error, QStringLiteral("--sparkplug-primary-host must be a non-empty id without '/', '+' or '#'"));
    }
    for (const QString &text : parser.values(QStringLiteral("sparkplug-fault"))) {
        QString reason;
        if (!SparkplugFaultSpec::parse(text, &o.faults, &reason))
            return fail(error, QStringLiteral("--sparkplug-fault %1").arg(reason));
    }
    for (const SparkplugFaultSpec &f : std::as_const(o.faults)) {
        if (f.node > o.nodes) {
            return fail(error, QStringLiteral("--sparkplug-fault %1: there is no node %2 (--sparkplug-nodes %3)")
                                   .arg(f.toString())
                                   .arg(f.node)
                                   .arg(o.nodes));
        }
        if (f.kind == SparkplugFaultKind::AliasOnly && o.primaryHost.isEmpty()) {
            return fail(error, QStringLiteral("--sparkplug-fault %1 needs --sparkplug-primary-host: only a node with "
                                              "a primary host reacts to a host restart at all")
                                   .arg(f.toString()));
        }
    }
    *out = o;
    return true;
}

} // namespace fd::sim
