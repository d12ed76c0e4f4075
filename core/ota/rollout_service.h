#pragma once

#include "core/ota/rollout.h"
#include "core/ota/rollout_builder.h"
#include "core/ota/rollout_snapshot.h"
#include "core/transport/connection_profile.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

struct sqlite3;

namespace fd {

class OperationsStore;
class RolloutRunner;

// The rollouts of the operations store for the GUI, and the runners that carry them out.
//
// - load() reads every rollout (rolloutsLoaded) and resumes the unfinished ones: a
//   RolloutRunner per rollout (RolloutRunner reconciles with the broker, then goes on exactly
//   where the store says it was). A runner needs the broker of its devices' source: the
//   window tells the service each source's connection (setSourceLink) as it connects; a
//   rollout whose source is not known yet waits (runnerMessage says so) and starts when it is.
// - create() inserts a rollout (RolloutBuilder) and, when asked, starts it.
// - start/pause/resume/abort/cancel go to the rollout's runner (the engine decides, the store
//   commits, then the runner acts); rolloutChanged reports every committed change.
// - watch(id): the device rows of that rollout follow (devicesChanged) for the page on screen;
//   devices(id) is current for the watched rollout and for any that has ended.
class RolloutService : public QObject
{
    Q_OBJECT
public:
    RolloutService(OperationsStore *store, const QString &cachePath, QString actor, QObject *parent = nullptr);
    ~RolloutService() override;

    // The broker of a source (FleetSession::sourceNameFor(profile)) for the runners.
    void setSourceLink(const QString &source, const ConnectionProfile &profile, const ConnectionSecrets &secrets);
    // Stops every runner (application exit); the rollouts stay as committed.
    void shutdown();

    void load();
    QList<RolloutSnapshot> rollouts() const;
    std::optional<RolloutSnapshot> rollout(qint64 id) const;
    int activeCount() const;

    // Inserts a rollout made by RolloutBuilder; created(requestId, id, error). start: start
    // it once committed.
    quint64 create(const Rollout &rollout, const QList<RolloutDevice> &devices, bool start);

    void start(qint64 id);
    void pause(qint64 id, const QString &reason);
    void resume(qint64 id);
    void abort(qint64 id, const QString &reason);
    void cancel(qint64 id);

    void watch(qint64 id);  // 0: none
    qint64 watched() const { return m_watched; }
    QList<RolloutDevice> devices(qint64 id) const;
    void readEvents(qint64 id);

    QString actor() const { return m_actor; }

signals:
    void rolloutsLoaded(const QList<fd::RolloutSnapshot> &rollouts);
    void rolloutChanged(const fd::RolloutSnapshot &snapshot);
    void devicesChanged(qint64 rolloutId, const QList<fd::RolloutDevice> &devices);
    void eventsRead(qint64 rolloutId, const QList<fd::RolloutEvent> &events);
    void created(quint64 requestId, qint64 rolloutId, const QString &error);
    // Something an operator should know about a rollout's runner: waiting for a connection,
    // broker unreachable, a store error ('' when it cleared).
    void runnerMessage(qint64 rolloutId, const QString &message);
    void actionFailed(qint64 rolloutId, const QString &error);

private:
    struct Entry;
    struct Link;
    Entry *entry(qint64 id) const;
    // Creates the rollout's runner when it is unfinished and its source's broker is known.
    void ensureRunner(Entry &e, bool autoStart);
    void onRunnerChanged(qint64 id);
    void onRunnerFinished(qint64 id);
    void submitRead(const QString &name, std::function<bool(sqlite3 *, QString *)> read,
                    std::function<void()> done);
    RolloutRunner *runnerFor(qint64 id, const char *action);

    OperationsStore *m_store;
    QString m_cachePath;
    QString m_actor;
    QHash<QString, std::shared_ptr<Link>> m_links;
    QHash<qint64, std::shared_ptr<Entry>> m_entries;
    QHash<QString, QString> m_versions;  // artifact id -> version
    qint64 m_watched = 0;
    quint64 m_nextRequest = 1;
    bool m_shutDown = false;
};

} // namespace fd
