#include "app/ctl/rollout_run_command.h"

#include "app/ctl/connection_options.h"
#include "app/ctl/operations_file.h"
#include "core/operations/operations_store.h"
#include "core/ota/artifact_store.h"
#include "core/ota/artifact_table.h"
#include "core/ota/rollout_runner.h"
#include "core/ota/rollout_table.h"
#include "core/platform/termination_watcher.h"
#include "core/storage/database.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QTimer>
#include <QTextStream>

#include <cmath>

// `fleetdeckctl rollout run --db CACHE --broker URL ID` (docs/ota.md "Running a rollout"):
// runs the rollout's engine against the broker until it completes (exit 0), pauses with no
// device in progress (approval for the next wave, threshold missed: exit 3; running it again
// resumes, which approves), is aborted (4) or cancelled (5). Bad input: 2; anything else
// (store, artifact, broker refusing the subscriptions): 1. SIGINT/SIGTERM stop it cleanly
// (exit 128 + signal); everything decided is committed before it is acted on, so it can be
// run again after any stop, kill -9 included.

namespace fd {

namespace {

constexpr int kExitCompleted = 0;
constexpr int kExitFailure = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitPaused = 3;
constexpr int kExitAborted = 4;
constexpr int kExitCancelled = 5;

int exitCodeFor(RolloutState state)
{
    switch (state) {
    case RolloutState::Completed:
        return kExitCompleted;
    case RolloutState::Aborted:
        return kExitAborted;
    case RolloutState::Cancelled:
        return kExitCancelled;
    case RolloutState::Paused:
        return kExitPaused;
    default:
        return kExitFailure;
    }
}

QString defaultActor()
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("USERNAME");
    return user.isEmpty() ? QStringLiteral("fleetdeckctl") : user.left(64) + QStringLiteral("@fleetdeckctl");
}

QString duration(qint64 ms)
{
    if (ms < 0)
        return QStringLiteral("?");
    const qint64 s = (ms + 999) / 1000;
    if (s < 120)
        return QStringLiteral("%1 s").arg(s);
    if (s < 7200)
        return QStringLiteral("%1 min").arg((s + 59) / 60);
    return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

QString progressLine(const RolloutRunner &runner)
{
    const Rollout r = runner.rollout();
    const RolloutSummary s = runner.summary();
    QString line = QStringLiteral("rollout %1: %2").arg(r.id).arg(rolloutStateKey(r.state));
    if (r.state == RolloutState::Running || r.state == RolloutState::Paused || r.state == RolloutState::Aborting)
        line += u' ' + RolloutSummary::waveName(r.currentWave);
    line += QStringLiteral(", %1/%2 updated").arg(s.count(OtaDeviceState::Updated)).arg(s.total);
    const int failed = s.count(OtaDeviceState::Failed) + s.count(OtaDeviceState::Rejected)
                       + s.count(OtaDeviceState::TimedOut) + s.count(OtaDeviceState::RolledBack);
    if (failed > 0)
        line += QStringLiteral(", %1 failed").arg(failed);
    line += QStringLiteral(", %1 in progress").arg(s.inProgress());
    const double rate = runner.devicesPerMinute();
    if (rate > 0)
        line += QStringLiteral(", %1 devices/min, ETA %2").arg(rate, 0, 'f', 1).arg(duration(runner.etaMs()));
    if (!runner.isConnected())
        line += QStringLiteral("; broker not connected");
    else if (runner.isReconciling())
        line += QStringLiteral("; reading the broker's retained state");
    return line;
}

} // namespace

int runRollout(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Runs a rollout against a broker until it completes (exit 0), pauses for approval (3; run it again "
        "to approve and resume), is aborted (4) or cancelled (5). Bad input: 2; other failures: 1. Safe to "
        "stop and run again at any time."));
    parser.addHelpOption();
    parser.addOption(OperationsFile::cacheOption());
    const ConnectionOptions connection;
    connection.addTo(parser);
    const QCommandLineOption actorOption(QStringLiteral("actor"),
                                         QStringLiteral("Who runs it, for the audit log (default: $USER@fleetdeckctl)."),
                                         QStringLiteral("NAME"));
    const QCommandLineOption settleOption(
        QStringLiteral("settle-ms"),
        QStringLiteral("After (re)connecting, wait this long without a retained OTA message before publishing "
                       "(default 500)."),
        QStringLiteral("MS"), QStringLiteral("500"));
    const QCommandLineOption chunkOption(QStringLiteral("chunk-size"),
                                         QStringLiteral("Bytes per firmware chunk, 256..65536 (default 16384)."),
                                         QStringLiteral("BYTES"), QStringLiteral("16384"));
    parser.addOptions({actorOption, settleOption, chunkOption});
    parser.addPositionalArgument(QStringLiteral("ID"), QStringLiteral("The rollout id (fleetdeckctl rollout create)."));
    if (!parser.parse(QStringList{QStringLiteral("fleetdeckctl rollout run")} + args)) {
        err << "fleetdeckctl rollout run: " << parser.errorText() << '\n';
        return kExitBadInput;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return 0;
    }
    auto bad = [&err](const QString &message) {
        err << "fleetdeckctl rollout run: " << message << '\n';
        return kExitBadInput;
    };
    const QString cachePath = parser.value(OperationsFile::cacheOption());
    if (cachePath.isEmpty())
        return bad(QStringLiteral("--db CACHE is required"));
    const QStringList positional = parser.positionalArguments();
    bool ok = false;
    const qint64 id = positional.size() == 1 ? positional.first().toLongLong(&ok) : 0;
    if (!ok || id <= 0)
        return bad(QStringLiteral("expected one rollout id (a positive number)"));
    const int settleMs = parser.value(settleOption).toInt(&ok);
    if (!ok || settleMs < 0 || settleMs > 60000)
        return bad(QStringLiteral("--settle-ms must be 0..60000"));
    const int chunkSize = parser.value(chunkOption).toInt(&ok);
    if (!ok || chunkSize < 256 || chunkSize > 65536)
        return bad(QStringLiteral("--chunk-size must be 256..65536"));
    QList<ConnectionProfile> profiles;
    ConnectionSecrets secrets;
    QString error;
    if (!connection.read(parser, &profiles, &secrets, &error))
        return bad(error);
    if (profiles.size() != 1)
        return bad(QStringLiteral("give exactly one --broker (a rollout runs against one broker)"));

    // What is there before anything is started: the rollout, its state, its firmware file.
    Rollout rollout;
    FirmwareArtifact artifact;
    {
        Database db;
        bool exists = false;
        int schemaVersion = 0;
        if (!OperationsFile::openReadOnly(cachePath, "rollout run", &db, &exists, &schemaVersion, err))
            return kExitFailure;
        if (!exists)
            return bad(QStringLiteral("there is no operations store beside %1 (no rollout was created)").arg(cachePath));
        QList<RolloutDevice> devices;
        bool found = false;
        if (!RolloutTable::loadRollout(db.handle(), id, &rollout, &devices, &found, &error)) {
            err << "fleetdeckctl rollout run: " << error << '\n';
            return kExitFailure;
        }
        if (!found)
            return bad(QStringLiteral("there is no rollout %1").arg(id));
        if (!ArtifactTable::read(db.handle(), rollout.artifactId, &artifact, &found, &error) || !found) {
            err << "fleetdeckctl rollout run: the artifact " << rollout.artifactId << " of rollout " << id
                << " cannot be read" << (error.isEmpty() ? QString() : QStringLiteral(": ") + error) << '\n';
            return kExitFailure;
        }
    }
    if (isTerminal(rollout.state)) {
        err << "fleetdeckctl rollout run: rollout " << id << " is already " << rolloutStateKey(rollout.state)
            << (rollout.stateReason.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(rollout.stateReason)) << '\n';
        return exitCodeFor(rollout.state);
    }
    const ArtifactStore artifacts(ArtifactStore::dirForCache(cachePath));
    if (!artifacts.verify(artifact.sha256, artifact.size, &error)) {
        err << "fleetdeckctl rollout run: the firmware file of artifact " << artifact.id << " is not usable: " << error
            << '\n';
        return kExitFailure;
    }

    OperationsStore store;
    RolloutRunner::Options options;
    options.rolloutId = id;
    options.cachePath = cachePath;
    options.profile = profiles.first();
    options.secrets = secrets;
    options.actor = parser.isSet(actorOption) ? parser.value(actorOption).left(64) : defaultActor();
    options.settleQuietMs = settleMs;
    options.settleMaxMs = std::max(10000, settleMs * 4);
    options.chunkSize = chunkSize;
    RolloutRunner runner(&store, options);

    int exitCode = kExitFailure;
    bool done = false;
    auto finish = [&](int code) {
        if (done)
            return;
        done = true;
        exitCode = code;
        QCoreApplication::exit(code);
    };
    QObject::connect(&store, &OperationsStore::opened, &runner, [&](const Database::OpenResult &result) {
        if (!result.ok()) {
            err << "fleetdeckctl rollout run: " << result.message << Qt::endl;
            finish(kExitFailure);
            return;
        }
        runner.start();
    });
    QObject::connect(&runner, &RolloutRunner::loaded, [&](const Rollout &r) {
        err << "fleetdeckctl rollout run: rollout " << r.id << " \"" << r.name.left(200) << "\" (" << artifact.version
            << "), " << runner.devices().size() << " devices, " << rolloutStateKey(r.state) << ", broker "
            << options.profile.broker.toString() << Qt::endl;
    });
    QObject::connect(&runner, &RolloutRunner::error, [&](const QString &message) {
        err << "fleetdeckctl rollout run: " << message << Qt::endl;
        finish(kExitFailure);
    });
    QObject::connect(&runner, &RolloutRunner::finished, [&](RolloutState state) {
        const Rollout r = runner.rollout();
        err << "fleetdeckctl rollout run: " << progressLine(runner) << Qt::endl;
        err << "fleetdeckctl rollout run: rollout " << r.id << ' ' << rolloutStateKey(state)
            << (r.stateReason.isEmpty() ? QString() : QStringLiteral(": ") + r.stateReason) << Qt::endl;
        finish(exitCodeFor(state));
    });
    QObject::connect(&runner, &RolloutRunner::pausedIdle, [&](const QString &reason) {
        err << "fleetdeckctl rollout run: " << progressLine(runner) << Qt::endl;
        err << "fleetdeckctl rollout run: rollout " << id << " is paused"
            << (reason.isEmpty() ? QString() : QStringLiteral(": ") + reason)
            << "; run it again to approve and resume" << Qt::endl;
        finish(kExitPaused);
    });
    QObject::connect(&runner, &RolloutRunner::brokerStateChanged, [&](bool connected, const QString &detail) {
        err << "fleetdeckctl rollout run: broker " << (connected ? QStringLiteral("connected") : QStringLiteral("not connected"))
            << (detail.isEmpty() || connected ? QString() : QStringLiteral(": ") + detail) << Qt::endl;
    });

    // Progress on stderr: at most one line a second, only when it says something new (or
    // every 30 s while nothing moves).
    QString lastLine;
    QElapsedTimer sinceLine;
    sinceLine.start();
    QTimer progress;
    progress.setInterval(1000);
    QObject::connect(&progress, &QTimer::timeout, [&] {
        if (!runner.isLoaded())
            return;
        const QString line = progressLine(runner);
        if (line == lastLine && sinceLine.elapsed() < 30000)
            return;
        lastLine = line;
        sinceLine.restart();
        err << "fleetdeckctl rollout run: " << line << Qt::endl;
    });
    progress.start();

    TerminationWatcher termination;
    QObject::connect(&termination, &TerminationWatcher::terminationRequested, [&](int signalNumber) {
        err << "fleetdeckctl rollout run: signal " << signalNumber
            << ", stopping (everything decided is committed; run it again to go on)" << Qt::endl;
        finish(128 + signalNumber);
    });

    store.open(OperationsStore::pathForCache(cachePath));
    QCoreApplication::exec();
    progress.stop();
    runner.stop();
    store.shutdown();  // runs what is queued: a decision in flight is committed (or not) before exit
    return exitCode;
}

} // namespace fd
