#include "core/ota/rollout_service.h"

#include "core/operations/operations_store.h"
#include "core/operations/operations_transaction.h"
#include "core/ota/artifact_table.h"
#include "core/ota/rollout_runner.h"
#include "core/ota/rollout_table.h"

#include <QLoggingCategory>

namespace fd {

Q_LOGGING_CATEGORY(lcRolloutService, "fleetdeck.ota.service")

struct RolloutService::Entry
{
    RolloutSnapshot snapshot;
    QString source;                         // of its devices ('' when it has none)
    QList<RolloutDevice> devices;           // known rows (kept fresh only while watched)
    std::unique_ptr<RolloutRunner> runner;  // unfinished rollouts whose broker is known
    bool startWhenRunning = false;          // created with "start": start once loaded
};

struct RolloutService::Link
{
    ConnectionProfile profile;
    ConnectionSecrets secrets;
};

namespace {

struct LoadResult
{
    QList<Rollout> rollouts;
    QHash<qint64, QList<RolloutDevice>> devices;
    QList<FirmwareArtifact> artifacts;
};

} // namespace

RolloutService::RolloutService(OperationsStore *store, const QString &cachePath, QString actor, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_cachePath(cachePath)
    , m_actor(std::move(actor))
{
    qRegisterMetaType<fd::RolloutSnapshot>();
    qRegisterMetaType<QList<fd::RolloutSnapshot>>();
    qRegisterMetaType<QList<fd::RolloutDevice>>();
    qRegisterMetaType<QList<fd::RolloutEvent>>();
}

RolloutService::~RolloutService()
{
    shutdown();
}

void RolloutService::shutdown()
{
    m_shutDown = true;
    for (const std::shared_ptr<Entry> &e : std::as_const(m_entries)) {
        if (e->runner) {
            e->runner->disconnect(this);
            e->runner->stop();
            e->runner.reset();
        }
    }
}

RolloutService::Entry *RolloutService::entry(qint64 id) const
{
    const auto it = m_entries.constFind(id);
    return it == m_entries.constEnd() ? nullptr : it->get();
}

void RolloutService::submitRead(const QString &name, std::function<bool(sqlite3 *, QString *)> read,
                                std::function<void()> done)
{
    OperationsJob job;
    job.name = name;
    job.run = [read = std::move(read)](OperationsTransaction &t, QString *error) { return read(t.handle(), error); };
    QString error;
    const quint64 id = m_store->submit(std::move(job), this, [name, done](bool ok, const QString &reason) {
        if (ok)
            done();
        else
            qCWarning(lcRolloutService).noquote() << name << "failed:" << reason;
    }, &error);
    if (id == 0)
        qCWarning(lcRolloutService).noquote() << name << "refused:" << error;
}

void RolloutService::load()
{
    auto result = std::make_shared<LoadResult>();
    submitRead(
        QStringLiteral("read rollouts"),
        [result](sqlite3 *db, QString *error) {
            if (!RolloutTable::listRollouts(db, &result->rollouts, error)
                || !ArtifactTable::list(db, &result->artifacts, error))
                return false;
            for (const Rollout &r : std::as_const(result->rollouts)) {
                Rollout row;
                QList<RolloutDevice> devices;
                bool found = false;
                if (!RolloutTable::loadRollout(db, r.id, &row, &devices, &found, error))
                    return false;
                result->devices.insert(r.id, devices);
            }
            return true;
        },
        [this, result] {
            if (m_shutDown)
                return;
            for (const FirmwareArtifact &a : std::as_const(result->artifacts))
                m_versions.insert(a.id, a.version);
            QList<RolloutSnapshot> all;
            for (const Rollout &r : std::as_const(result->rollouts)) {
                std::shared_ptr<Entry> &e = m_entries[r.id];
                if (!e)
                    e = std::make_shared<Entry>();
                const QList<RolloutDevice> devices = result->devices.value(r.id);
                if (!e->runner) {
                    e->snapshot = RolloutSnapshot::from(r, devices, m_versions.value(r.artifactId));
                    e->devices = devices;
                }
                e->source = devices.isEmpty() ? QString() : devices.constFirst().key.source;
                all.append(e->snapshot);
                ensureRunner(*e, false);
            }
            emit rolloutsLoaded(all);
            if (m_watched != 0)
                watch(m_watched);
        });
}

QList<RolloutSnapshot> RolloutService::rollouts() const
{
    QList<RolloutSnapshot> all;
    for (const std::shared_ptr<Entry> &e : m_entries)
        all.append(e->snapshot);
    std::sort(all.begin(), all.end(),
              [](const RolloutSnapshot &a, const RolloutSnapshot &b) { return a.rollout.id > b.rollout.id; });
    return all;
}

std::optional<RolloutSnapshot> RolloutService::rollout(qint64 id) const
{
    if (const Entry *e = entry(id))
        return e->snapshot;
    return std::nullopt;
}

int RolloutService::activeCount() const
{
    int n = 0;
    for (const std::shared_ptr<Entry> &e : m_entries)
        n += e->snapshot.isActive() ? 1 : 0;
    return n;
}

void RolloutService::setSourceLink(const QString &source, const ConnectionProfile &profile,
                                   const ConnectionSecrets &secrets)
{
    auto link = std::make_shared<Link>();
    link->profile = profile;
    link->secrets = secrets;
    m_links.insert(source, link);
    for (const std::shared_ptr<Entry> &e : std::as_const(m_entries)) {
        if (e->source == source)
            ensureRunner(*e, e->startWhenRunning);
    }
}

void RolloutService::ensureRunner(Entry &e, bool autoStart)
{
    if (m_shutDown || e.runner || !e.snapshot.isActive() || e.source.isEmpty())
        return;
    const std::shared_ptr<Link> link = m_links.value(e.source);
    const qint64 id = e.snapshot.rollout.id;
    if (!link) {
        emit runnerMessage(id, tr("Waiting for a connection to %1: the rollout goes on once FleetDeck is connected "
                                  "to that broker.")
                                   .arg(e.source));
        return;
    }
    RolloutRunner::Options options;
    options.rolloutId = id;
    options.cachePath = m_cachePath;
    options.profile = link->profile;
    options.secrets = link->secrets;
    options.actor = m_actor;
    options.autoStart = autoStart;
    e.runner = std::make_unique<RolloutRunner>(m_store, options);
    RolloutRunner *runner = e.runner.get();
    connect(runner, &RolloutRunner::changed, this, [this, id] { onRunnerChanged(id); });
    connect(runner, &RolloutRunner::loaded, this, [this, id] { onRunnerChanged(id); });
    connect(runner, &RolloutRunner::finished, this, [this, id] { onRunnerFinished(id); });
    connect(runner, &RolloutRunner::brokerStateChanged, this, [this, id](bool connected, const QString &detail) {
        emit runnerMessage(id, connected ? QString() : tr("Broker not reachable: %1").arg(detail));
    });
    connect(runner, &RolloutRunner::error, this, [this, id](const QString &message) {
        emit runnerMessage(id, message);
    });
    emit runnerMessage(id, QString());
    runner->start();
}

void RolloutService::onRunnerChanged(qint64 id)
{
    Entry *e = entry(id);
    if (!e || !e->runner || !e->runner->isLoaded())
        return;
    RolloutRunner *runner = e->runner.get();
    e->snapshot.rollout = runner->rollout();
    e->snapshot.summary = runner->summary();
    e->snapshot.version = runner->artifact().version;
    e->snapshot.ratePerMinute = runner->devicesPerMinute();
    e->snapshot.etaMs = runner->etaMs();
    // The rows follow a watched rollout; any rollout's rows are current once it has ended, so
    // devices(id) never disagrees with a terminal snapshot (onRunnerFinished comes later).
    const bool ended = isTerminal(e->snapshot.rollout.state);
    if (m_watched == id || ended)
        e->devices = runner->devices();
    emit rolloutChanged(e->snapshot);
    if (m_watched == id)
        emit devicesChanged(id, e->devices);
}

void RolloutService::onRunnerFinished(qint64 id)
{
    Entry *e = entry(id);
    if (!e || !e->runner)
        return;
    onRunnerChanged(id);
    e->devices = e->runner->devices();
    // Not from inside the runner's own signal: it is deleted once control is back here.
    RolloutRunner *runner = e->runner.release();
    runner->disconnect(this);
    runner->stop();
    runner->deleteLater();
}

quint64 RolloutService::create(const Rollout &row, const QList<RolloutDevice> &rows, bool start)
{
    const quint64 request = m_nextRequest++;
    auto rollout = std::make_shared<Rollout>(row);
    auto devices = std::make_shared<QList<RolloutDevice>>(rows);
    if (rollout->createdBy.isEmpty())
        rollout->createdBy = m_actor;
    OperationsJob job;
    job.name = QStringLiteral("create rollout %1").arg(rollout->name);
    job.run = [rollout, devices](OperationsTransaction &t, QString *error) {
        if (!RolloutTable::insertRollout(t, rollout.get(), devices.get(), error))
            return false;
        t.setResultId(rollout->id);
        return true;
    };
    QString error;
    const quint64 jobId = m_store->submit(
        std::move(job), this, [this, request, rollout, devices, start](bool ok, const QString &reason) {
            if (!ok) {
                emit created(request, 0, reason);
                return;
            }
            auto e = std::make_shared<Entry>();
            e->snapshot = RolloutSnapshot::from(*rollout, *devices, m_versions.value(rollout->artifactId));
            e->devices = *devices;
            e->source = devices->isEmpty() ? QString() : devices->constFirst().key.source;
            e->startWhenRunning = start;
            m_entries.insert(rollout->id, e);
            emit rolloutChanged(e->snapshot);
            emit created(request, rollout->id, QString());
            ensureRunner(*e, start);
        },
        &error);
    if (jobId == 0) {
        QMetaObject::invokeMethod(this, [this, request, error] { emit created(request, 0, error); },
                                  Qt::QueuedConnection);
    }
    return request;
}

RolloutRunner *RolloutService::runnerFor(qint64 id, const char *action)
{
    Entry *e = entry(id);
    if (!e) {
        emit actionFailed(id, tr("No rollout %1.").arg(id));
        return nullptr;
    }
    if (!e->runner) {
        emit actionFailed(id, e->snapshot.isActive()
                                  ? tr("Cannot %1 the rollout: FleetDeck is not connected to %2.")
                                        .arg(tr(action), e->source)
                                  : tr("The rollout has finished (%1).").arg(rolloutStateKey(e->snapshot.rollout.state)));
        return nullptr;
    }
    return e->runner.get();
}

void RolloutService::start(qint64 id)
{
    if (Entry *e = entry(id))
        e->startWhenRunning = true;
    if (RolloutRunner *r = runnerFor(id, QT_TR_NOOP("start")))
        r->startRollout();
}

void RolloutService::pause(qint64 id, const QString &reason)
{
    if (RolloutRunner *r = runnerFor(id, QT_TR_NOOP("pause")))
        r->pauseRollout(reason);
}

void RolloutService::resume(qint64 id)
{
    if (RolloutRunner *r = runnerFor(id, QT_TR_NOOP("resume")))
        r->resumeRollout();
}

void RolloutService::abort(qint64 id, const QString &reason)
{
    if (RolloutRunner *r = runnerFor(id, QT_TR_NOOP("abort")))
        r->abortRollout(reason);
}

void RolloutService::cancel(qint64 id)
{
    if (RolloutRunner *r = runnerFor(id, QT_TR_NOOP("cancel")))
        r->cancelRollout();
}

void RolloutService::watch(qint64 id)
{
    m_watched = id;
    Entry *e = entry(id);
    if (!e)
        return;
    if (e->runner && e->runner->isLoaded())
        e->devices = e->runner->devices();
    emit devicesChanged(id, e->devices);
}

QList<RolloutDevice> RolloutService::devices(qint64 id) const
{
    const Entry *e = entry(id);
    return e ? e->devices : QList<RolloutDevice>();
}

void RolloutService::readEvents(qint64 id)
{
    auto events = std::make_shared<QList<RolloutEvent>>();
    submitRead(
        QStringLiteral("read the timeline of rollout %1").arg(id),
        [id, events](sqlite3 *db, QString *error) { return RolloutTable::events(db, id, events.get(), error); },
        [this, id, events] { emit eventsRead(id, *events); });
}

} // namespace fd
