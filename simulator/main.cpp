// fleetdeck-sim: a fleet of simulated devices speaking FleetDeck protocol v1 over a real
// MQTT broker. See --help.
#include "simulator/factory_fleet.h"
#include "simulator/fleet_runner.h"
#include "simulator/shard_supervisor.h"
#include "core/platform/termination_watcher.h"
#include "simulator/scenario_planner.h"
#include "simulator/sim_options.h"
#include "simulator/manifest_writer.h"
#include "simulator/ota_report_writer.h"
#include "simulator/ota_state_file.h"
#include "simulator/sparkplug_fleet.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QTimer>

#include <algorithm>
#include <memory>

#include <cstdio>

#ifdef Q_OS_UNIX
#include <sys/resource.h>
#endif

namespace {

// Every device is a socket: lift the soft descriptor limit to the hard one.
void raiseFileLimit(int devices)
{
#ifdef Q_OS_UNIX
    rlimit lim{};
    if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
        lim.rlim_cur = lim.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &lim);
    }
    if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && rlim_t(devices) + 64 > lim.rlim_cur) {
        std::fprintf(stderr, "fleetdeck-sim: warning: %d devices need more than the %llu open files allowed "
                             "(ulimit -n)\n", devices, static_cast<unsigned long long>(lim.rlim_cur));
    }
#else
    Q_UNUSED(devices);
#endif
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("fleetdeck-sim"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLEETDECK_VERSION));

    fd::sim::SimOptions options;
    int exitCode = 0;
    if (!fd::sim::SimOptions::parse(QCoreApplication::arguments(), &options, &exitCode))
        return exitCode;

    // Scenarios are planned over the whole fleet (a shard process too: it keeps its slice).
    fd::sim::ScenarioPlan plan;
    QString planError;
    if (!fd::sim::ScenarioPlanner::plan(options.scenarios, options.seed, options.planFirst(), options.planCount(), &plan,
                                        &planError)) {
        std::fprintf(stderr, "fleetdeck-sim: %s\n", qPrintable(planError));
        return 2;
    }
    if (options.factoryListOnly) {
        QString listError;
        if (!fd::sim::FactoryFleet::writeList(options, &listError)) {
            std::fprintf(stderr, "fleetdeck-sim: %s\n", qPrintable(listError));
            return 1;
        }
        return 0;
    }
    if (options.printScenarios) {
        std::fputs(QJsonDocument(plan.toJson(options.scenarios)).toJson(QJsonDocument::Indented).constData(), stdout);
        return 0;
    }
    if (options.shardLabel.isEmpty()) {
        for (const QString &note : plan.notes())
            std::fprintf(stderr, "fleetdeck-sim: %s\n", qPrintable(note));
    }

    // --ota-state: the parts a killed sharded run left go into the file before anyone reads it.
    if (!options.ota.statePath.isEmpty() && options.ota.statePartPath.isEmpty()) {
        QString stateError;
        if (!fd::sim::OtaStateFile::consolidate(options.ota.statePath, &stateError)) {
            std::fprintf(stderr, "fleetdeck-sim: %s\n", qPrintable(stateError));
            return 1;
        }
    }

    fd::TerminationWatcher signalWatcher;
    QString error;
    // The parts of this run: the protocol v1 fleet (in this process or as shards) and the
    // Sparkplug edge nodes (always here). Exit once every part has stopped; the Sparkplug
    // nodes join the manifest the v1 part wrote.
    std::unique_ptr<fd::sim::ShardSupervisor> supervisor;
    std::unique_ptr<fd::sim::FleetRunner> runner;
    std::unique_ptr<fd::sim::SparkplugFleet> sparkplug;
    std::unique_ptr<fd::sim::FactoryFleet> factory;
    bool v1Running = options.devices > 0;
    int v1Exit = 0;
    auto finish = [&] {
        int code = v1Exit;
        if (options.devices == 0 && !options.ota.reportPath.isEmpty()) {
            QString reportError;  // no protocol v1 device, no OTA agent: an empty report
            if (!fd::sim::OtaReportWriter::write(options.ota.reportPath, {}, &reportError)) {
                std::fprintf(stderr, "%s: %s\n", qPrintable(options.tag()), qPrintable(reportError));
                code = std::max(code, 1);
            }
        }
        if (factory)
            factory->stop();
        if (sparkplug) {
            sparkplug->stop();
            if (!options.manifestPath.isEmpty()) {
                QString manifestError;
                const bool ok = (options.devices > 0
                                 || fd::sim::ManifestWriter::write(options.manifestPath, options, {}, &manifestError))
                    && fd::sim::ManifestWriter::addSection(options.manifestPath, QStringLiteral("sparkplug"),
                                                            sparkplug->manifest(), &manifestError);
                if (!ok) {
                    std::fprintf(stderr, "%s: %s\n", qPrintable(options.tag()), qPrintable(manifestError));
                    code = std::max(code, 1);
                }
            }
        }
        QCoreApplication::exit(code);
    };
    auto v1Finished = [&](int code) {
        v1Exit = code;
        v1Running = false;
        finish();
    };
    auto stopAll = [&] {
        if (factory)
            factory->stop();
        if (sparkplug)
            sparkplug->stop();
        if (supervisor)
            supervisor->stop();
        if (runner)
            runner->stop();
        if (!v1Running && !runner && !supervisor)
            finish();
    };
    QObject::connect(&signalWatcher, &fd::TerminationWatcher::terminationRequested, &app, [&](int sig) {
        std::fprintf(stderr, "%s: signal %d received\n", qPrintable(options.tag()), sig);
        stopAll();
    });

    if (options.sparkplug.enabled()) {
        sparkplug = std::make_unique<fd::sim::SparkplugFleet>(options);
        if (!sparkplug->start(&error)) {
            std::fprintf(stderr, "%s: %s\n", qPrintable(options.tag()), qPrintable(error));
            return 1;
        }
    }
    if (options.factory.enabled() && options.shardLabel.isEmpty()) {
        factory = std::make_unique<fd::sim::FactoryFleet>(options);
        if (!factory->start(&error)) {
            std::fprintf(stderr, "%s: %s\n", qPrintable(options.tag()), qPrintable(error));
            return 1;
        }
    }
    if ((sparkplug || factory) && options.durationSeconds > 0 && options.devices == 0)
        QTimer::singleShot(qint64(options.durationSeconds * 1000.0), &app, [&] { stopAll(); });
    if (options.devicesPerProcess > 0 && options.devices > options.devicesPerProcess) {
        supervisor = std::make_unique<fd::sim::ShardSupervisor>(options, QCoreApplication::applicationFilePath());
        QObject::connect(supervisor.get(), &fd::sim::ShardSupervisor::finished, &app, v1Finished, Qt::QueuedConnection);
        if (!supervisor->start(&error)) {
            std::fprintf(stderr, "fleetdeck-sim: %s\n", qPrintable(error));
            return 1;
        }
    } else if (options.devices > 0) {
        raiseFileLimit(options.devices + options.sparkplug.nodes);
        runner = std::make_unique<fd::sim::FleetRunner>(options, plan);
        QObject::connect(runner.get(), &fd::sim::FleetRunner::finished, &app, v1Finished, Qt::QueuedConnection);
        if (!runner->start(&error)) {
            std::fprintf(stderr, "%s: %s\n", qPrintable(options.tag()), qPrintable(error));
            return 1;
        }
    } else {
        raiseFileLimit(options.sparkplug.nodes);
    }
    const int code = app.exec();
    runner.reset();  // before the application object
    supervisor.reset();
    sparkplug.reset();
    factory.reset();
    return code;
}
