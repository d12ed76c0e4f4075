#include "app/ctl/record_command.h"

#include "app/ctl/connection_options.h"
#include "app/ctl/record_summary.h"
#include "core/alerts/alert_runtime.h"
#include "core/alerts/alert_service.h"
#include "core/operations/operations_store.h"
#include "core/ingest/fleet_session.h"
#include "core/platform/long_single_shot.h"
#include "core/platform/termination_watcher.h"
#include "core/settings/ingest_settings.h"
#include "core/settings/retention_settings.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSettings>
#include <QTextStream>
#include <QTimer>

#include <tuple>
#include <utility>

namespace fd {

namespace {
constexpr double kMaxDurationS = 10.0 * 366 * 24 * 3600;
} // namespace

int RecordCommand::run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Record a fleet into the FleetDeck cache without a UI (a data logger). Stops after "
                       "--duration or on SIGINT/SIGTERM with everything received committed."));
    parser.addHelpOption();
    const ConnectionOptions connection;
    connection.addTo(parser);
    const QCommandLineOption dbOption(QStringLiteral("db"), QStringLiteral("Cache database file (created if missing)."),
                                      QStringLiteral("FILE"));
    const QCommandLineOption durationOption(QStringLiteral("duration"),
                                            QStringLiteral("Stop after this many seconds (default: run until stopped)."),
                                            QStringLiteral("SECONDS"));
    // Defaults: what the GUI's Settings > Cache and Retention saved (else 7 / 90 / 730).
    QSettings settings(QStringLiteral("FleetDeck"), QStringLiteral("fleetdeck"));
    const RetentionPolicy saved = RetentionSettings(settings).load();
    const QCommandLineOption retentionOption(
        QStringLiteral("retention-days"),
        QStringLiteral("Keep raw telemetry this many days; 0 keeps it forever (default: the value saved in "
                       "FleetDeck's cache settings, now %1).").arg(saved.rawDays),
        QStringLiteral("DAYS"));
    const QCommandLineOption minuteRetentionOption(
        QStringLiteral("minute-rollup-retention-days"),
        QStringLiteral("Keep per-minute rollups this many days, at least as long as raw telemetry; 0 keeps them "
                       "forever (default: saved setting, now %1).").arg(saved.minuteDays),
        QStringLiteral("DAYS"));
    const QCommandLineOption hourRetentionOption(
        QStringLiteral("hour-rollup-retention-days"),
        QStringLiteral("Keep per-hour rollups this many days, at least as long as per-minute rollups; 0 keeps "
                       "them forever (default: saved setting, now %1).").arg(saved.hourDays),
        QStringLiteral("DAYS"));
    const IngestLimits savedLimits = IngestSettings(settings).load();
    const QCommandLineOption maxDevicesOption(
        QStringLiteral("max-devices-per-source"),
        QStringLiteral("At most N devices per broker; messages of further new devices are rejected (device_limit) "
                       "and counted, known devices keep working (default: FleetDeck's saved ingest limit, now %1).")
            .arg(savedLimits.maxDevicesPerSource),
        QStringLiteral("N"));
    const QCommandLineOption maxMetricsOption(
        QStringLiteral("max-metrics-per-device"),
        QStringLiteral("At most N distinct metrics per device; further new names are dropped and counted "
                       "(metric_limit), known metrics keep working (default: saved ingest limit, now %1).")
            .arg(savedLimits.maxMetricsPerDevice),
        QStringLiteral("N"));
    const QCommandLineOption statsJsonOption(
        QStringLiteral("stats-json"),
        QStringLiteral("At exit, write a machine-readable summary to FILE: received, accepted, rejected, gaps "
                       "(telemetry missed by sequence number), CPU seconds, peak RSS."),
        QStringLiteral("FILE"));
    const QCommandLineOption skewOption(
        QStringLiteral("max-clock-skew"),
        QStringLiteral("Reject telemetry stamped more than this many seconds after it was received (a device clock "
                       "far ahead; counted as future_timestamp, never clamped). Default 3600; -1 accepts any time."),
        QStringLiteral("SECONDS"));
    parser.addOptions({dbOption, durationOption, retentionOption, minuteRetentionOption, hourRetentionOption,
                       maxDevicesOption, maxMetricsOption, statsJsonOption, skewOption});
    parser.process(QStringList{QStringLiteral("fleetdeckctl record")} + arguments);

    QTextStream err(stderr);
    QList<ConnectionProfile> profiles;
    ConnectionSecrets secrets;
    QString error;
    if (!connection.read(parser, &profiles, &secrets, &error)) {
        err << "fleetdeckctl record: " << error << '\n';
        return 2;
    }
    for (const ConnectionProfile &profile : std::as_const(profiles)) {
        if (profile.broker.tls && !profile.verifyHostname)
            err << "fleetdeckctl record: warning: --no-verify-hostname: the certificate of " << profile.broker.toString()
                << " is not checked against its name (insecure: any server with a certificate of a trusted CA can "
                << "pose as this broker)\n";
    }
    const QString dbPath = parser.value(dbOption);
    if (dbPath.isEmpty()) {
        err << "fleetdeckctl record: --db FILE is required\n";
        return 2;
    }
    double durationS = 0;
    if (parser.isSet(durationOption)) {
        bool ok = false;
        durationS = parser.value(durationOption).toDouble(&ok);
        if (!ok || !(durationS > 0) || durationS > kMaxDurationS) {
            err << "fleetdeckctl record: --duration must be a positive number of seconds, at most " << qint64(kMaxDurationS)
                << " (ten years)\n";
            return 2;
        }
    }
    FleetSession::Options options;
    options.retention = saved;
    const std::pair<const QCommandLineOption *, int *> retentionFlags[] = {
        {&retentionOption, &options.retention.rawDays},
        {&minuteRetentionOption, &options.retention.minuteDays},
        {&hourRetentionOption, &options.retention.hourDays},
    };
    for (const auto &[option, days] : retentionFlags) {
        if (!parser.isSet(*option))
            continue;
        bool ok = false;
        *days = parser.value(*option).toInt(&ok);
        if (!ok || *days < 0 || *days > RetentionPolicy::kMaxDays) {
            err << "fleetdeckctl record: --" << option->names().constFirst() << " must be a number of days from 0 "
                << "(forever) to " << RetentionPolicy::kMaxDays << '\n';
            return 2;
        }
    }
    QString retentionProblem;
    if (!options.retention.isValid(&retentionProblem)) {
        err << "fleetdeckctl record: " << retentionProblem << " (a coarser level never expires before a finer "
            << "one: raise --minute-rollup-retention-days / --hour-rollup-retention-days too)\n";
        return 2;
    }
    if (parser.isSet(skewOption)) {
        bool ok = false;
        const qint64 seconds = parser.value(skewOption).toLongLong(&ok);
        if (!ok || seconds < -1 || seconds > 10LL * 366 * 24 * 3600) {
            err << "fleetdeckctl record: --max-clock-skew must be a number of seconds from 0 to ten years, or -1\n";
            return 2;
        }
        options.maxFutureSkewMs = seconds < 0 ? -1 : seconds * 1000;
    }
    options.limits = savedLimits;
    const std::tuple<const QCommandLineOption *, int *, int> limitFlags[] = {
        {&maxDevicesOption, &options.limits.maxDevicesPerSource, IngestLimits::kMaxDevicesPerSourceBound},
        {&maxMetricsOption, &options.limits.maxMetricsPerDevice, IngestLimits::kMaxMetricsPerDeviceBound},
    };
    for (const auto &[option, limit, bound] : limitFlags) {
        if (!parser.isSet(*option))
            continue;
        bool ok = false;
        *limit = parser.value(*option).toInt(&ok);
        if (!ok || *limit < 1 || *limit > bound) {
            err << "fleetdeckctl record: --" << option->names().constFirst() << " must be a number from 1 to " << bound
                << '\n';
            return 2;
        }
    }
    options.publishIntervalMs = 1000;  // nobody watches: keep the UI notifications rare

    FleetSession session(options);
    const Database::OpenResult opened = session.open(dbPath);
    if (!opened.ok()) {
        err << "fleetdeckctl record: " << opened.message << '\n';
        return 2;
    }

    // Alert rules (fleetdeckctl rules import) are evaluated on what is recorded; alerts and
    // rule states go to the operations store beside the cache.
    OperationsStore operations;
    const QString user = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
    AlertRuntime alerts(&session, &operations, user.isEmpty() ? QStringLiteral("fleetdeckctl") : user);
    QObject::connect(&operations, &OperationsStore::opened, [&err](const Database::OpenResult &r) {
        if (!r.ok())
            err << "fleetdeckctl record: operations store: " << r.message << "; alerts are not recorded" << Qt::endl;
    });
    QObject::connect(alerts.service(), &AlertService::loaded, [&err](bool ok, const QString &reason) {
        if (!ok)
            err << "fleetdeckctl record: cannot read the alert rules: " << reason << Qt::endl;
    });
    QObject::connect(alerts.service(), &AlertService::storageError,
                     [&err](const QString &message) { err << "fleetdeckctl record: " << message << Qt::endl; });
    operations.open(OperationsStore::pathForCache(dbPath));
    alerts.start();

    int exitCode = 0;
    IngestStats last;
    QObject::connect(&session, &FleetSession::statsUpdated, [&last](const IngestStats &s) { last = s; });
    // Each source reports its own state. A source that fails for good (bad configuration,
    // TLS refused) stops the recording: what it would have recorded is missing.
    QObject::connect(&session, &FleetSession::sourceStateChanged,
                     [&err, &exitCode, &profiles](const QString &source, ConnectionState state, const QString &detail) {
                         err << "fleetdeckctl record: ";
                         if (profiles.size() > 1)
                             err << source << ": ";
                         err << connectionStateKey(state);
                         if (!detail.isEmpty())
                             err << ": " << detail;
                         err << Qt::endl;
                         if (state == ConnectionState::Failed) {
                             exitCode = 3;
                             QCoreApplication::quit();
                         }
                     });
    QString lastStorageError;
    QObject::connect(&session, &FleetSession::storageError, [&err, &lastStorageError](const QString &message) {
        err << "fleetdeckctl record: cache write failed: " << message << Qt::endl;
        lastStorageError = message;
    });

    QObject::connect(&session, &FleetSession::cacheMigrationProgress,
                     [&err](qint64 moved, qint64 total, bool finished) {
                         if (finished)
                             err << "fleetdeckctl record: cache converted to compressed telemetry (" << moved
                                 << " rows)" << Qt::endl;
                         else
                             err << "fleetdeckctl record: compressing the cache's telemetry: " << moved << " of "
                                 << total << " rows" << Qt::endl;
                     });

    TerminationWatcher termination;
    QObject::connect(&termination, &TerminationWatcher::terminationRequested, [&err](int signalNumber) {
        err << "fleetdeckctl record: signal " << signalNumber << ", stopping" << Qt::endl;
        QCoreApplication::quit();
    });
    LongSingleShot stopAfter;  // any duration: a QTimer alone wraps after ~24.8 days
    if (durationS > 0) {
        QObject::connect(&stopAfter, &LongSingleShot::timeout, qApp, &QCoreApplication::quit);
        stopAfter.start(qint64(durationS * 1000));
    }

    for (const ConnectionProfile &profile : std::as_const(profiles))
        session.connectSource(profile, secrets);
    QCoreApplication::exec();
    session.shutdown();
    QCoreApplication::sendPostedEvents();  // the final stats from the ingest thread
    if (!alerts.finish())
        err << "fleetdeckctl record: the last alert changes were not committed in time" << Qt::endl;
    operations.shutdown();

    err << "fleetdeckctl record: received " << last.received << ", accepted " << last.accepted << ", rejected "
        << last.rejected << ", gaps " << last.gaps << ", dropped " << last.dropped << "; cache " << dbPath << Qt::endl;
    err << "fleetdeckctl record: alerts raised " << alerts.raised() << ", cleared " << alerts.cleared() << " ("
        << alerts.service()->rules().size() << " rules)" << Qt::endl;
    if (last.sources.size() > 1) {
        for (auto it = last.sources.cbegin(); it != last.sources.cend(); ++it)
            err << "fleetdeckctl record:   " << it.key() << ": received " << it->received << ", accepted "
                << it->accepted << ", rejected " << it->rejected << Qt::endl;
    }
    if (const quint64 unstorable = session.unstorableRejects(); unstorable > 0)
        err << "fleetdeckctl record: the cache refused " << unstorable << " messages or device states for what they "
            << "contain (counted as rejects, reason unstorable); everything else was saved" << Qt::endl;
    if (last.dropped > 0) {
        err << "fleetdeckctl record: " << last.dropped << " messages were dropped unread because ingest could not "
            << "keep up (the receive queue was full); they are not in " << dbPath << Qt::endl;
        if (exitCode == 0)
            exitCode = 5;
    }
    // Data received but not in the cache is a failed recording, whatever else went well.
    if (const quint64 unsaved = session.unsavedSamples(); unsaved > 0) {
        err << "fleetdeckctl record: " << unsaved << " telemetry messages were received but NOT saved to " << dbPath;
        if (!lastStorageError.isEmpty())
            err << " (last error: " << lastStorageError << ")";
        err << Qt::endl;
        if (exitCode == 0)
            exitCode = 5;
    }
    if (parser.isSet(statsJsonOption)) {
        const QString statsPath = parser.value(statsJsonOption);
        QString writeError;
        if (!RecordSummary::write(statsPath, last, &writeError)) {
            err << "fleetdeckctl record: cannot write " << statsPath << ": " << writeError << Qt::endl;
            if (exitCode == 0)
                exitCode = 4;
        }
    }
    return exitCode;
}

} // namespace fd
