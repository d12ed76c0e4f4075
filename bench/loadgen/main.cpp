// fleetdeck-loadgen: the benchmark load (docs/performance.md). Publishes protocol v1
// telemetry (or, with --sparkplug, Sparkplug B edge nodes) for --devices ids at a fixed
// --rate over --connections MQTT connections for --duration seconds, then prints (and
// optionally writes) what it achieved.
#include "bench/loadgen/load_connection.h"
#include "bench/loadgen/load_plan.h"
#include "bench/loadgen/loadgen_logging.h"
#include "bench/loadgen/loadgen_options.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <sys/resource.h>

#include <cmath>

using namespace fd::bench;

namespace {

double cpuSeconds()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    LoadgenOptions options;
    int exitCode = 0;
    if (!LoadgenOptions::parse(QCoreApplication::arguments(), &options, &exitCode))
        return exitCode;

    QTextStream err(stderr);
    const quint64 total = quint64(std::llround(options.rate * options.durationS));
    std::vector<LoadShare> shares = planLoad(options);
    std::vector<std::unique_ptr<LoadConnection>> connections;
    quint64 planned = 0, births = 0;
    for (std::size_t c = 0; c < shares.size(); ++c) {
        LoadConnection::Config config;
        config.host = options.host.toStdString();
        config.port = options.port;
        config.clientId = QString(options.clientIdPrefix + QString::number(c)).toStdString();
        // Share of the total in proportion to the devices, so every device gets the same rate.
        const double share = double(shares[c].devices) / double(options.devices);
        config.rate = options.rate * share;
        config.total = quint64(std::llround(double(total) * share));
        config.qos = options.qos;
        config.window = options.window;
        if (config.total < shares[c].births) {
            err << "fleetdeck-loadgen: --rate x --duration gives connection " << c << " " << config.total
                << " messages, fewer than its " << shares[c].births << " Sparkplug births (NBIRTH + DBIRTH)"
                << Qt::endl;
            return 2;
        }
        planned += config.total;
        births += shares[c].births;
        connections.push_back(std::make_unique<LoadConnection>(std::move(config), std::move(shares[c].source)));
    }
    for (auto &c : connections) {
        QString error;
        if (!c->connect(&error)) {
            err << "fleetdeck-loadgen: " << error << Qt::endl;
            return 3;
        }
    }

    const double cpu0 = cpuSeconds();
    const auto t0 = std::chrono::steady_clock::now() + std::chrono::milliseconds(20);
    // Bounded whatever happens: a stalled broker ends the run at twice the duration + 5 s.
    const auto hardStop = t0 + std::chrono::milliseconds(qint64(options.durationS * 2000) + 5000);
    for (auto &c : connections)
        c->start(t0, hardStop);
    for (auto &c : connections)
        c->join();
    const double publishSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (auto &c : connections)
        c->finish(std::chrono::milliseconds(10000));

    LoadConnection::Result sum;
    for (auto &c : connections) {
        const LoadConnection::Result r = c->result();
        sum.attempted += r.attempted;
        sum.confirmed += r.confirmed;
        sum.failed += r.failed;
        sum.windowWaits += r.windowWaits;
        sum.maxLagMs = std::max(sum.maxLagMs, r.maxLagMs);
    }
    QJsonObject o;
    o.insert(QStringLiteral("target_rate"), options.rate);
    o.insert(QStringLiteral("duration_s"), options.durationS);
    o.insert(QStringLiteral("devices"), options.devices);
    o.insert(QStringLiteral("first_device"), options.firstDevice);
    o.insert(QStringLiteral("connections"), options.connections);
    o.insert(QStringLiteral("qos"), options.qos);
    o.insert(QStringLiteral("planned"), double(planned));
    if (options.sparkplug) {
        o.insert(QStringLiteral("sparkplug"), QJsonObject{{QStringLiteral("group"), options.sparkplugGroup},
                                                          {QStringLiteral("nodes"), options.sparkplugNodes},
                                                          {QStringLiteral("births"), double(births)}});
    }
    o.insert(QStringLiteral("attempted"), double(sum.attempted));
    o.insert(QStringLiteral("confirmed"), double(sum.confirmed));
    o.insert(QStringLiteral("failed"), double(sum.failed));
    o.insert(QStringLiteral("window_waits"), double(sum.windowWaits));
    o.insert(QStringLiteral("max_lag_ms"), sum.maxLagMs);
    o.insert(QStringLiteral("publish_s"), publishSeconds);
    o.insert(QStringLiteral("achieved_rate"), publishSeconds > 0 ? double(sum.attempted) / publishSeconds : 0.0);
    o.insert(QStringLiteral("cpu_s"), cpuSeconds() - cpu0);
    const QByteArray json = QJsonDocument(o).toJson(QJsonDocument::Compact);
    err << "fleetdeck-loadgen: " << QString::fromUtf8(json) << Qt::endl;
    if (!options.statsJson.isEmpty()) {
        QFile f(options.statsJson);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(json + '\n') < 0) {
            err << "fleetdeck-loadgen: cannot write " << options.statsJson << ": " << f.errorString() << Qt::endl;
            return 4;
        }
    }
    return sum.attempted == planned && sum.failed == 0 ? 0 : 1;
}
