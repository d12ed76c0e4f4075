#include "bench/loadgen/loadgen_options.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

namespace fd::bench {

namespace {

bool readNumber(const QCommandLineParser &p, const QCommandLineOption &o, double min, double max, double *out,
                QString *error)
{
    if (!p.isSet(o))
        return true;
    bool ok = false;
    const double v = p.value(o).toDouble(&ok);
    if (!ok || v < min || v > max) {
        *error = QStringLiteral("--%1 must be a number in [%2, %3]").arg(o.names().constFirst()).arg(min).arg(max);
        return false;
    }
    *out = v;
    return true;
}

} // namespace

bool LoadgenOptions::parse(const QStringList &arguments, LoadgenOptions *out, int *exitCode)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "FleetDeck load generator: protocol v1 telemetry for many device ids at a fixed rate over several MQTT "
        "connections (benchmarks; see docs/performance.md). With --sparkplug: Sparkplug B edge nodes instead "
        "(NBIRTH, a DBIRTH per device, then DDATA by alias; the births count towards --rate)."));
    p.addHelpOption();
    const QCommandLineOption host(QStringLiteral("host"), QStringLiteral("Broker host (loopback)."), QStringLiteral("HOST"),
                                  out->host);
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("Broker port."), QStringLiteral("PORT"),
                                  QString::number(out->port));
    const QCommandLineOption prefix(QStringLiteral("prefix"), QStringLiteral("Topic prefix."), QStringLiteral("P"),
                                    out->prefix);
    const QCommandLineOption devices(QStringLiteral("devices"), QStringLiteral("Number of device ids."),
                                     QStringLiteral("N"));
    const QCommandLineOption first(QStringLiteral("first-device"), QStringLiteral("Number of the first id (dev-N)."),
                                   QStringLiteral("N"));
    const QCommandLineOption rate(QStringLiteral("rate"), QStringLiteral("Total messages per second."),
                                  QStringLiteral("MSGS"));
    const QCommandLineOption duration(QStringLiteral("duration"), QStringLiteral("Seconds of publishing."),
                                      QStringLiteral("S"));
    const QCommandLineOption connections(QStringLiteral("connections"), QStringLiteral("MQTT connections."),
                                         QStringLiteral("N"));
    const QCommandLineOption qos(QStringLiteral("qos"), QStringLiteral("0 or 1."), QStringLiteral("Q"));
    const QCommandLineOption window(QStringLiteral("window"),
                                    QStringLiteral("Max unconfirmed publishes per connection (default 200 at QoS 1, "
                                                   "2000 at QoS 0)."),
                                    QStringLiteral("N"));
    const QCommandLineOption clientId(QStringLiteral("client-id-prefix"), QStringLiteral("Client id prefix."),
                                      QStringLiteral("P"));
    const QCommandLineOption stats(QStringLiteral("stats-json"), QStringLiteral("Write a JSON summary to FILE."),
                                   QStringLiteral("FILE"));
    const QCommandLineOption sparkplug(QStringLiteral("sparkplug"),
                                       QStringLiteral("Publish Sparkplug B (spBv1.0/GROUP/...) instead of protocol v1."));
    const QCommandLineOption nodes(QStringLiteral("sparkplug-nodes"),
                                   QStringLiteral("Sparkplug edge nodes (node-1 .. node-N), the devices spread over "
                                                  "them and they over the connections (default 100)."),
                                   QStringLiteral("N"));
    const QCommandLineOption group(QStringLiteral("sparkplug-group"),
                                   QStringLiteral("Sparkplug group id (default bench)."), QStringLiteral("G"),
                                   out->sparkplugGroup);
    p.addOptions({host, port, prefix, devices, first, rate, duration, connections, qos, window, clientId, stats,
                  sparkplug, nodes, group});
    QTextStream err(stderr);
    if (!p.parse(arguments)) {
        err << "fleetdeck-loadgen: " << p.errorText() << '\n';
        *exitCode = 2;
        return false;
    }
    if (p.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << p.helpText();
        *exitCode = 0;
        return false;
    }
    QString error;
    double portV = out->port, devicesV = out->devices, firstV = out->firstDevice, connV = out->connections,
           qosV = out->qos, windowV = out->window, nodesV = out->sparkplugNodes;
    const bool ok = readNumber(p, port, 1, 65535, &portV, &error) && readNumber(p, devices, 1, 1e6, &devicesV, &error)
                    && readNumber(p, first, 0, 1e9, &firstV, &error) && readNumber(p, rate, 1, 1e7, &out->rate, &error)
                    && readNumber(p, duration, 0.1, 24 * 3600, &out->durationS, &error)
                    && readNumber(p, connections, 1, 256, &connV, &error) && readNumber(p, qos, 0, 1, &qosV, &error)
                    && readNumber(p, window, 0, 65000, &windowV, &error)
                    && readNumber(p, nodes, 1, 1e5, &nodesV, &error);
    if (!ok) {
        err << "fleetdeck-loadgen: " << error << '\n';
        *exitCode = 2;
        return false;
    }
    out->host = p.value(host);
    out->port = int(portV);
    out->prefix = p.value(prefix);
    out->devices = int(devicesV);
    out->firstDevice = int(firstV);
    out->sparkplug = p.isSet(sparkplug);
    out->sparkplugNodes = std::min(int(nodesV), out->devices);  // every node has a device
    out->sparkplugGroup = p.value(group);
    if (out->sparkplug && (out->sparkplugGroup.isEmpty() || out->sparkplugGroup.contains(u'/')
                           || out->sparkplugGroup.contains(u'+') || out->sparkplugGroup.contains(u'#'))) {
        err << "fleetdeck-loadgen: --sparkplug-group must be one topic level without wildcards\n";
        *exitCode = 2;
        return false;
    }
    // A Sparkplug node lives on one connection: no more connections than nodes.
    out->connections = std::min(int(connV), out->sparkplug ? out->sparkplugNodes : out->devices);
    out->qos = int(qosV);
    out->window = int(windowV) > 0 ? int(windowV) : (out->qos == 1 ? 200 : 2000);
    out->clientIdPrefix = p.isSet(clientId) ? p.value(clientId)
                                            : QStringLiteral("fdload-%1-").arg(QCoreApplication::applicationPid());
    out->statsJson = p.value(stats);
    return true;
}

} // namespace fd::bench
