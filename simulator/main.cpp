// fleetdeck-sim: a fleet of simulated devices speaking FleetDeck protocol v1 over a real
// MQTT broker. See --help.
#include "simulator/fleet_runner.h"
#include "simulator/shard_supervisor.h"
#include "core/platform/termination_watcher.h"
#include "simulator/scenario_planner.h"
#include "simulator/sim_options.h"

#include <QCoreApplication>
#include <QJsonDocument>

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
    if (options.printScenarios) {
        std::fputs(QJsonDocument(plan.toJson(options.scenarios)).toJson(QJsonDocument::Indented).constData(), stdout);
        return 0;
    }
    if (options.shardLabel.isEmpty()) {
        for (const QString &note : plan.notes())
            std::fprintf(stderr, "fleetdeck-sim: %s\n", qPrintable(note));
    }

    fd::TerminationWatcher signalWatcher;
    QString error;
    if (options.devicesPerProcess > 0 && options.devices > options.devicesPerProcess) {
        fd::sim::ShardSupervisor supervisor(options, QCoreApplication::applicationFilePath());
        QObject::connect(&signalWatcher, &fd::TerminationWatcher::terminationRequested, &supervisor,
                         [&supervisor](int) { supervisor.stop(); });
        QObject::connect(&supervisor, &fd::sim::ShardSupervisor::finished, &app,
                         [](int code) { QCoreApplication::exit(code); }, Qt::QueuedConnection);
        if (!supervisor.start(&error)) {
            std::fprintf(stderr, "fleetdeck-sim: %s\n", qPrintable(error));
            return 1;
        }
        return app.exec();
    }

    raiseFileLimit(options.devices);
    fd::sim::FleetRunner runner(options, plan);
    QObject::connect(&signalWatcher, &fd::TerminationWatcher::terminationRequested, &runner, [&runner, &options](int sig) {
        std::fprintf(stderr, "%s: signal %d received\n", qPrintable(options.tag()), sig);
        runner.stop();
    });
    QObject::connect(&runner, &fd::sim::FleetRunner::finished, &app, [](int code) { QCoreApplication::exit(code); },
                     Qt::QueuedConnection);
    if (!runner.start(&error)) {
        std::fprintf(stderr, "%s: %s\n", qPrintable(options.tag()), qPrintable(error));
        return 1;
    }
    return app.exec();
}
