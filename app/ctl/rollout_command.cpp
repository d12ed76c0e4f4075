#include "app/ctl/rollout_command.h"

#include "app/ctl/operations_file.h"
#include "app/ctl/operations_job_runner.h"
#include "app/ctl/rollout_run_command.h"
#include "core/operations/operations_store.h"
#include "core/operations/operations_transaction.h"
#include "core/ota/artifact_table.h"
#include "core/ota/rollout_builder.h"
#include "core/ota/rollout_plan.h"
#include "core/ota/rollout_summary.h"
#include "core/ota/rollout_table.h"
#include "core/ota/rollout_target_filter.h"
#include "core/storage/database.h"
#include "core/storage/inventory_store.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

#include <memory>

namespace fd {
namespace {

constexpr int kOperationsSchemaWithRollouts = 3;

std::optional<int> parseInt(const QString &text, int low, int high)
{
    bool ok = false;
    const int v = text.trimmed().toInt(&ok);
    if (!ok || v < low || v > high)
        return std::nullopt;
    return v;
}

std::optional<qint64> parseIsoUtc(const QString &text)
{
    QDateTime t = QDateTime::fromString(text.trimmed(), Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(text.trimmed(), Qt::ISODate);
    if (!t.isValid())
        return std::nullopt;
    if (t.timeSpec() == Qt::LocalTime)
        t.setTimeSpec(Qt::UTC);  // no offset given: UTC, like every time in FleetDeck
    return t.toMSecsSinceEpoch();
}

QString isoOrDash(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate) : QStringLiteral("-");
}

// Reads one rollout (and its artifact's version) from the store beside the cache, read-only.
// Returns an exit code; 0 with *found set when it could read.
int readRollout(const QString &cachePath, const char *command, qint64 id, Rollout *rollout,
                QList<RolloutDevice> *devices, QString *version, bool *found, QTextStream &err)
{
    Database db;
    bool exists = false;
    int schemaVersion = 0;
    if (!OperationsFile::openReadOnly(cachePath, command, &db, &exists, &schemaVersion, err))
        return 2;
    *found = false;
    if (!exists || schemaVersion < kOperationsSchemaWithRollouts)
        return 0;
    QString error;
    if (!RolloutTable::loadRollout(db.handle(), id, rollout, devices, found, &error)) {
        err << "fleetdeckctl " << command << ": " << error << '\n';
        return 2;
    }
    if (*found) {
        FirmwareArtifact artifact;
        bool artifactFound = false;
        if (ArtifactTable::read(db.handle(), rollout->artifactId, &artifact, &artifactFound, &error) && artifactFound)
            *version = artifact.version;
    }
    return 0;
}

void printStatusText(QTextStream &out, const Rollout &r, const QList<RolloutDevice> &devices, const QString &version)
{
    const RolloutSummary s = RolloutSummary::of(devices);
    out << "rollout " << r.id << " (" << r.uid << "): " << r.name << '\n';
    out << "state: " << rolloutStateKey(r.state);
    if (!r.stateReason.isEmpty())
        out << " (" << r.stateReason << ')';
    out << '\n';
    out << "artifact: " << r.artifactId << " version " << (version.isEmpty() ? QStringLiteral("?") : version)
        << (r.plan.rollback ? " (rollback)" : "") << '\n';
    out << "created: " << isoOrDash(r.createdMs) << " by " << r.createdBy << ", started: " << isoOrDash(r.startedMs)
        << ", finished: " << isoOrDash(r.finishedMs) << '\n';
    out << "devices: " << s.total << ", updated " << s.count(OtaDeviceState::Updated) << ", in progress "
        << s.inProgress() << ", pending " << s.count(OtaDeviceState::Pending) << '\n';
    out << "waves:\n";
    for (const RolloutSummary::Wave &w : s.waves) {
        out << "  " << (w.index == r.currentWave && !isTerminal(r.state) ? "* " : "  ") << qSetFieldWidth(8)
            << Qt::left << w.name << qSetFieldWidth(0) << w.size << " devices:";
        for (OtaDeviceState st : kAllOtaDeviceStates) {
            if (w.counts[size_t(st)] > 0)
                out << ' ' << otaDeviceStateKey(st) << ' ' << w.counts[size_t(st)];
        }
        out << '\n';
    }
    if (!s.reasons.isEmpty()) {
        out << "reasons:\n";
        for (auto it = s.reasons.cbegin(); it != s.reasons.cend(); ++it)
            out << "  " << it.value() << " x " << it.key() << '\n';
    }
}

} // namespace

int RolloutCommand::run(const QStringList &arguments)
{
    QTextStream err(stderr);
    const QString verb = arguments.isEmpty() ? QString() : arguments.first();
    const QStringList rest = arguments.mid(1);
    if (verb == u"create")
        return create(rest);
    if (verb == u"status")
        return status(rest);
    if (verb == u"list")
        return list(rest);
    if (verb == u"run")
        return runRollout(rest);
    if (verb == u"--help" || verb == u"-h") {
        QTextStream(stdout) << "Usage: fleetdeckctl rollout create|status|list|run [OPTIONS]\n"
                               "Run 'fleetdeckctl rollout VERB --help' for a verb's options.\n";
        return 0;
    }
    err << "fleetdeckctl rollout: expected create, status, list or run" << (verb.isEmpty() ? "" : ", not '")
        << verb << (verb.isEmpty() ? "" : "'") << '\n';
    return 2;
}

int RolloutCommand::create(const QStringList &arguments)
{
    const char *const prefix = "fleetdeckctl rollout create: ";
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Create a firmware rollout (state scheduled) for the devices of the cache's inventory that match the "
        "targets and can take the artifact. Prints only the rollout id; exclusions and the plan go to stderr."));
    parser.addHelpOption();
    const QCommandLineOption dbOption = OperationsFile::cacheOption();
    const QCommandLineOption artifactOption(QStringLiteral("artifact"), QStringLiteral("Artifact id (fleetdeckctl artifact list)."), QStringLiteral("ID"));
    const QCommandLineOption targetOption(
        QStringLiteral("target"),
        QStringLiteral("Filter KEY=VALUE, KEY one of source, site, model, tag, firmware, online (true|false); "
                       "repeatable: different keys AND, the same key OR. None: every compatible device."),
        QStringLiteral("KEY=VALUE"));
    const QCommandLineOption canaryOption(QStringLiteral("canary"), QStringLiteral("Canary wave first: N devices or N% (rounded up)."), QStringLiteral("N|N%"));
    const QCommandLineOption wavesOption(
        QStringLiteral("waves"),
        QStringLiteral("Waves after the canary: N% is the cumulative share reached by the end of the wave, N a "
                       "device count; the last wave takes the rest. Default 100%."),
        QStringLiteral("LIST"));
    const QCommandLineOption abortPctOption(QStringLiteral("abort-failure-pct"), QStringLiteral("Abort when this % of finished devices failed."), QStringLiteral("P"));
    const QCommandLineOption minExecutedOption(QStringLiteral("min-executed"), QStringLiteral("Devices finished before the abort criterion applies (default 10)."), QStringLiteral("N"));
    const QCommandLineOption abortKindOption(QStringLiteral("abort-kind"), QStringLiteral("Failures counted: failed, rejected, timed_out or all (default)."), QStringLiteral("KIND"));
    const QCommandLineOption rateOption(QStringLiteral("rate-per-min"), QStringLiteral("Jobs sent per minute, 1-1000 (default unlimited)."), QStringLiteral("N"));
    const QCommandLineOption rateIncreaseOption(QStringLiteral("rate-increase"), QStringLiteral("Multiply the rate by FACTOR (1.1-5)..."), QStringLiteral("FACTOR"));
    const QCommandLineOption rateEveryOption(QStringLiteral("rate-increase-every"), QStringLiteral("...each time N devices updated."), QStringLiteral("N"));
    const QCommandLineOption thresholdOption(QStringLiteral("success-threshold"), QStringLiteral("Updated % a wave needs for the next (default 80); below it the rollout pauses."), QStringLiteral("PCT"));
    const QCommandLineOption pauseOption(QStringLiteral("pause-between-waves"), QStringLiteral("Wait for approval (resume) after each wave."));
    const QCommandLineOption timeoutOption(QStringLiteral("timeout-s"), QStringLiteral("Per device and attempt, 60-604800 s (default 1800)."), QStringLiteral("N"));
    const QCommandLineOption retriesOption(QStringLiteral("retries"), QStringLiteral("Retries of failed / timed out devices, 0-10 (default 0)."), QStringLiteral("N"));
    const QCommandLineOption startOption(QStringLiteral("start-at"), QStringLiteral("Start time (ISO 8601, UTC without an offset)."), QStringLiteral("ISO"));
    const QCommandLineOption windowOption(QStringLiteral("window"), QStringLiteral("Daily maintenance window in UTC; may wrap midnight."), QStringLiteral("HH:MM-HH:MM"));
    const QCommandLineOption nameOption(QStringLiteral("name"), QStringLiteral("Name shown in lists."), QStringLiteral("NAME"));
    const QCommandLineOption rollbackOption(QStringLiteral("rollback"), QStringLiteral("Explicit rollback rollout: devices on newer versions are targeted."));
    parser.addOptions({dbOption, artifactOption, targetOption, canaryOption, wavesOption, abortPctOption,
                       minExecutedOption, abortKindOption, rateOption, rateIncreaseOption, rateEveryOption,
                       thresholdOption, pauseOption, timeoutOption, retriesOption, startOption, windowOption,
                       nameOption, rollbackOption});
    QTextStream err(stderr);
    QTextStream out(stdout);
    if (!parser.parse(QStringList{QStringLiteral("fleetdeckctl rollout create")} + arguments)) {
        err << prefix << parser.errorText() << '\n';
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return 0;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err << prefix << "unexpected argument '" << parser.positionalArguments().first() << "'\n";
        return 2;
    }
    const QString cachePath = parser.value(dbOption);
    const QString artifactId = parser.value(artifactOption).trimmed();
    if (cachePath.isEmpty() || artifactId.isEmpty()) {
        err << prefix << "--db CACHE and --artifact ID are required\n";
        return 2;
    }
    if (!QFileInfo::exists(cachePath)) {
        err << prefix << cachePath << " does not exist\n";
        return 2;
    }

    // The plan from the flags.
    RolloutPlan plan;
    QString error;
    const auto bad = [&](const QString &what) {
        err << prefix << what << '\n';
        return 2;
    };
    if (parser.isSet(canaryOption)) {
        QString c = parser.value(canaryOption).trimmed();
        plan.canaryPercent = c.endsWith(QLatin1Char('%'));
        if (plan.canaryPercent)
            c.chop(1);
        const auto v = parseInt(c, 0, 100000);
        if (!v)
            return bad(QStringLiteral("--canary: a device count or a percentage, not '%1'").arg(parser.value(canaryOption)));
        plan.canary = *v;
    }
    if (parser.isSet(wavesOption)) {
        const auto waves = RolloutPlan::parseWaves(parser.value(wavesOption), &error);
        if (!waves)
            return bad(QStringLiteral("--waves: ") + error);
        plan.waves = *waves;
    }
    if (parser.isSet(abortPctOption) || parser.isSet(minExecutedOption) || parser.isSet(abortKindOption)) {
        if (!parser.isSet(abortPctOption))
            return bad(QStringLiteral("--min-executed and --abort-kind need --abort-failure-pct"));
        RolloutAbortCriterion c;
        const auto pct = parseInt(parser.value(abortPctOption), 1, 100);
        if (!pct)
            return bad(QStringLiteral("--abort-failure-pct: 1 to 100"));
        c.thresholdPct = *pct;
        if (parser.isSet(minExecutedOption)) {
            const auto min = parseInt(parser.value(minExecutedOption), 1, 1000000);
            if (!min)
                return bad(QStringLiteral("--min-executed: 1 to 1000000"));
            c.minExecuted = *min;
        }
        if (parser.isSet(abortKindOption)) {
            const auto kind = RolloutAbortCriterion::kindFromKey(parser.value(abortKindOption));
            if (!kind)
                return bad(QStringLiteral("--abort-kind: failed, rejected, timed_out or all"));
            c.kind = *kind;
        }
        plan.abortCriteria.append(c);
    }
    if (parser.isSet(rateOption)) {
        const auto v = parseInt(parser.value(rateOption), 1, 1000);
        if (!v)
            return bad(QStringLiteral("--rate-per-min: 1 to 1000"));
        plan.ratePerMinute = *v;
    }
    if (parser.isSet(rateIncreaseOption)) {
        bool ok = false;
        plan.rateIncreaseFactor = parser.value(rateIncreaseOption).toDouble(&ok);
        if (!ok)
            return bad(QStringLiteral("--rate-increase: a factor from 1.1 to 5"));
        plan.rateIncreaseEvery = 0;
    }
    if (parser.isSet(rateEveryOption)) {
        const auto v = parseInt(parser.value(rateEveryOption), 1, 1000000);
        if (!v)
            return bad(QStringLiteral("--rate-increase-every: 1 to 1000000 devices"));
        plan.rateIncreaseEvery = *v;
    }
    if (parser.isSet(thresholdOption)) {
        QString t = parser.value(thresholdOption).trimmed();
        if (t.endsWith(QLatin1Char('%')))
            t.chop(1);
        const auto v = parseInt(t, 0, 100);
        if (!v)
            return bad(QStringLiteral("--success-threshold: 0 to 100"));
        plan.successThresholdPct = *v;
    }
    if (parser.isSet(pauseOption))
        plan.afterWave = RolloutPlan::AfterWave::PauseForApproval;
    if (parser.isSet(timeoutOption)) {
        const auto v = parseInt(parser.value(timeoutOption), 60, 604800);
        if (!v)
            return bad(QStringLiteral("--timeout-s: 60 to 604800 seconds"));
        plan.deviceTimeoutS = *v;
    }
    if (parser.isSet(retriesOption)) {
        const auto v = parseInt(parser.value(retriesOption), 0, 10);
        if (!v)
            return bad(QStringLiteral("--retries: 0 to 10"));
        plan.retries = *v;
    }
    if (parser.isSet(startOption)) {
        const auto t = parseIsoUtc(parser.value(startOption));
        if (!t || *t < 0)
            return bad(QStringLiteral("--start-at: an ISO 8601 time such as 2026-12-01T02:00:00Z"));
        plan.startAtMs = *t;
    }
    if (parser.isSet(windowOption)) {
        const auto w = MaintenanceWindow::parse(parser.value(windowOption), &error);
        if (!w)
            return bad(QStringLiteral("--window: ") + error);
        plan.window = *w;
    }
    plan.rollback = parser.isSet(rollbackOption);
    const QString invalid = plan.validate();
    if (!invalid.isEmpty())
        return bad(invalid);

    RolloutTargetFilter filter;
    for (const QString &t : parser.values(targetOption)) {
        if (!filter.add(t, &error))
            return bad(QStringLiteral("--target: ") + error);
    }

    // Targets from the cache's inventory, read-only.
    QList<Device> inventory;
    {
        Database cache;
        const Database::OpenResult opened = cache.open(cachePath, /*readOnly=*/true);
        if (!opened.ok())
            return bad(opened.message);
        inventory = InventoryStore(cache).loadDevices(&error, InventoryStore::SparkplugState::AsStored);
        if (!error.isEmpty())
            return bad(error);
    }

    if (!QFileInfo::exists(OperationsStore::pathForCache(cachePath)))
        return bad(QStringLiteral("unknown artifact %1 (no operations store beside the cache; import it with "
                                  "fleetdeckctl artifact import)")
                       .arg(artifactId));
    // Everything after the artifact is read happens in the store's transaction, so the
    // rollout is made for the artifact row as it is.
    struct Outcome
    {
        QString refusal;
        RolloutBuilder::Result built;
        QString version;
    };
    const auto outcome = std::make_shared<Outcome>();
    const QString name = parser.value(nameOption);
    const QString actor = OperationsJobRunner::actor();
    OperationsJob job;
    job.name = QStringLiteral("create rollout");
    job.run = [outcome, artifactId, plan, filter, inventory, name, actor](OperationsTransaction &tx,
                                                                          QString *jobError) {
        FirmwareArtifact artifact;
        bool found = false;
        if (!ArtifactTable::read(tx.handle(), artifactId, &artifact, &found, jobError))
            return false;
        if (!found) {
            outcome->refusal = QStringLiteral("unknown artifact %1 (fleetdeckctl artifact list)").arg(artifactId);
            *jobError = outcome->refusal;
            return false;
        }
        outcome->version = artifact.version;
        if (!RolloutBuilder::build(artifact, inventory, filter, plan, name, actor, &outcome->built,
                                   &outcome->refusal)) {
            *jobError = outcome->refusal;
            return false;
        }
        return RolloutTable::insertRollout(tx, &outcome->built.rollout, &outcome->built.devices, jobError);
    };
    qint64 rolloutId = 0;
    const bool created = OperationsJobRunner::run(cachePath, job, &rolloutId, &error);

    const RolloutBuilder::Result &built = outcome->built;
    for (const RolloutTargetFilter::Excluded &x : built.excluded)
        err << "excluded " << x.device.source << '/' << x.device.key().path << ": " << x.reason << '\n';
    if (!created) {
        err << prefix << (outcome->refusal.isEmpty() ? error : outcome->refusal) << '\n';
        if (!built.summary.isEmpty())
            err << built.summary << '\n';
        return outcome->refusal.isEmpty() ? 3 : 2;
    }
    err << "rollout " << built.rollout.id << " (" << built.rollout.uid << ") \"" << built.rollout.name
        << "\": version " << outcome->version << ", state scheduled\n"
        << built.summary << '\n';
    out << built.rollout.id << '\n';
    return 0;
}

int RolloutCommand::status(const QStringList &arguments)
{
    const char *const command = "rollout status";
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Print a rollout's state, its waves and device counts."));
    parser.addHelpOption();
    const QCommandLineOption dbOption = OperationsFile::cacheOption();
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("Print a JSON object (docs/ota.md)."));
    parser.addOptions({dbOption, jsonOption});
    parser.addPositionalArgument(QStringLiteral("ID"), QStringLiteral("The rollout id."));
    QTextStream err(stderr);
    QTextStream out(stdout);
    if (!parser.parse(QStringList{QStringLiteral("fleetdeckctl rollout status")} + arguments)) {
        err << "fleetdeckctl rollout status: " << parser.errorText() << '\n';
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return 0;
    }
    const QString cachePath = parser.value(dbOption);
    bool ok = false;
    const qint64 id = parser.positionalArguments().size() == 1 ? parser.positionalArguments().first().toLongLong(&ok) : 0;
    if (cachePath.isEmpty() || !ok || id <= 0) {
        err << "fleetdeckctl rollout status: --db CACHE and one rollout ID are required\n";
        return 2;
    }
    Rollout rollout;
    QList<RolloutDevice> devices;
    QString version;
    bool found = false;
    if (const int rc = readRollout(cachePath, command, id, &rollout, &devices, &version, &found, err); rc != 0)
        return rc;
    if (!found) {
        err << "fleetdeckctl rollout status: rollout " << id << " does not exist\n";
        return 1;
    }
    if (parser.isSet(jsonOption))
        out << QJsonDocument(RolloutSummary::statusJson(rollout, devices, version)).toJson(QJsonDocument::Indented);
    else
        printStatusText(out, rollout, devices, version);
    return 0;
}

int RolloutCommand::list(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Print the rollouts, newest first."));
    parser.addHelpOption();
    const QCommandLineOption dbOption = OperationsFile::cacheOption();
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("Print a JSON array."));
    parser.addOptions({dbOption, jsonOption});
    QTextStream err(stderr);
    QTextStream out(stdout);
    if (!parser.parse(QStringList{QStringLiteral("fleetdeckctl rollout list")} + arguments)) {
        err << "fleetdeckctl rollout list: " << parser.errorText() << '\n';
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return 0;
    }
    const QString cachePath = parser.value(dbOption);
    if (cachePath.isEmpty()) {
        err << "fleetdeckctl rollout list: --db CACHE is required\n";
        return 2;
    }
    Database db;
    bool exists = false;
    int schemaVersion = 0;
    if (!OperationsFile::openReadOnly(cachePath, "rollout list", &db, &exists, &schemaVersion, err))
        return 2;
    QList<Rollout> rollouts;
    QList<RolloutSummary> summaries;
    QString error;
    if (exists && schemaVersion >= kOperationsSchemaWithRollouts) {
        if (!RolloutTable::listRollouts(db.handle(), &rollouts, &error)) {
            err << "fleetdeckctl rollout list: " << error << '\n';
            return 2;
        }
        for (const Rollout &r : rollouts) {
            Rollout again;
            QList<RolloutDevice> devices;
            bool found = false;
            if (!RolloutTable::loadRollout(db.handle(), r.id, &again, &devices, &found, &error)) {
                err << "fleetdeckctl rollout list: " << error << '\n';
                return 2;
            }
            summaries.append(RolloutSummary::of(devices));
        }
    }
    if (parser.isSet(jsonOption)) {
        QJsonArray array;
        for (qsizetype i = 0; i < rollouts.size(); ++i) {
            const Rollout &r = rollouts[i];
            array.append(QJsonObject{
                {QStringLiteral("id"), double(r.id)},
                {QStringLiteral("uid"), r.uid},
                {QStringLiteral("name"), r.name},
                {QStringLiteral("state"), rolloutStateKey(r.state)},
                {QStringLiteral("state_reason"), r.stateReason},
                {QStringLiteral("artifact"), r.artifactId},
                {QStringLiteral("current_wave"), r.currentWave},
                {QStringLiteral("total"), summaries[i].total},
                {QStringLiteral("counts"), RolloutSummary::countsJson(summaries[i].counts)},
                {QStringLiteral("created"), QDateTime::fromMSecsSinceEpoch(r.createdMs, Qt::UTC).toString(Qt::ISODateWithMs)},
                {QStringLiteral("created_by"), r.createdBy}});
        }
        out << QJsonDocument(array).toJson(QJsonDocument::Indented);
        return 0;
    }
    out << qSetFieldWidth(6) << Qt::left << "ID" << qSetFieldWidth(28) << "NAME" << qSetFieldWidth(11) << "STATE"
        << qSetFieldWidth(18) << "ARTIFACT" << qSetFieldWidth(9) << "DEVICES" << qSetFieldWidth(9) << "UPDATED"
        << qSetFieldWidth(0) << "CREATED (UTC)\n";
    for (qsizetype i = 0; i < rollouts.size(); ++i) {
        const Rollout &r = rollouts[i];
        out << qSetFieldWidth(6) << r.id << qSetFieldWidth(28) << r.name.left(27) << qSetFieldWidth(11)
            << rolloutStateKey(r.state) << qSetFieldWidth(18) << r.artifactId << qSetFieldWidth(9)
            << summaries[i].total << qSetFieldWidth(9) << summaries[i].count(OtaDeviceState::Updated)
            << qSetFieldWidth(0) << isoOrDash(r.createdMs) << '\n';
    }
    out << rollouts.size() << " rollouts\n";
    return 0;
}

} // namespace fd
