#pragma once

#include "core/operations/audit_entry.h"
#include "core/operations/audit_filter.h"
#include "core/operations/operations_job.h"
#include "core/operations/operator_action.h"
#include "core/storage/database.h"

#include <QList>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>

namespace fd {

class OperationsWorker;

// The operations store: operator actions and their audit log in their own SQLite file
// beside the telemetry cache (pathForCache), with synchronous=FULL, so that damage to or
// loss of the cache never touches the operations history (separate file, connection and
// class; the cache's Database code is reused with operationsSchema()).
//
// One worker (OperationsWorker, a QObject on the QThread "fleetdeck-operations") owns the
// only connection and takes jobs in order from its queue of queued calls; each job runs in
// one transaction. Every call here returns at once: results come back as signals on the
// thread this object lives in (call it from that thread only):
//   open()        -> opened(result)
//   submit()      -> committed(id, rowId) only after COMMIT returned, or failed(id, reason)
//                    (the job returned false, SQLite failed, the commit failed: rolled back)
//   queryAudit()  -> auditRead(id, entries) or failed(id, reason); reads run on the worker
//                    after the jobs submitted before them (read-your-writes)
// The queue is bounded: with maxPendingJobs() jobs and reads waiting, submit() and
// queryAudit() return 0 at once with the reason in *error (nothing is queued).
// shutdown() (the destructor calls it) runs what is queued, closes the file, stops the
// thread and delivers the outstanding signals; for application exit only.
class OperationsStore : public QObject
{
    Q_OBJECT
public:
    static constexpr qsizetype kDefaultMaxPendingJobs = 1000;

    explicit OperationsStore(QObject *parent = nullptr);
    ~OperationsStore() override;

    // "<dir>/<basename>.operations.sqlite" for the cache "<dir>/<basename>.<suffix>"
    // (fleet.sqlite -> fleet.operations.sqlite).
    static QString pathForCache(const QString &cachePath);

    // Opens (creating or upgrading) the store on the worker; opened() reports the result.
    // Jobs submitted after open() run once it is done (and fail if it failed).
    void open(const QString &path);
    bool isOpen() const { return m_open; }  // as of the last opened() delivered
    QString path() const { return m_path; }

    void setMaxPendingJobs(qsizetype maximum);
    qsizetype maxPendingJobs() const { return m_maxPending; }
    qsizetype pendingJobs() const;

    // Queues a job; returns its id (> 0), or 0 with *error set when refused.
    quint64 submit(OperationsJob job, QString *error = nullptr);
    // The same, and done(ok, reason) is called on this object's thread once the job committed
    // or failed (after committed() / failed()), unless context was destroyed meanwhile. Not
    // called when the job is refused (0 returned, *error set).
    using JobDone = std::function<void(bool ok, const QString &reason)>;
    quint64 submit(OperationsJob job, QObject *context, JobDone done, QString *error = nullptr);
    // Appends one audit entry (committed() carries its id).
    quint64 recordAudit(AuditEntry entry, QString *error = nullptr);
    // Inserts an action and its audit entry ("<kind>.requested", object operator_action,
    // after = the action) in one transaction; committed() carries the action's id.
    quint64 recordAction(OperatorAction action, QString *error = nullptr);
    // Moves an action to state (with its result) and audits it ("<kind>.<state>", before
    // and after) in one transaction; fails if the action does not exist.
    quint64 updateAction(qint64 actionId, OperatorAction::State state, const QString &resultDetail,
                         const QString &actor, QString *error = nullptr);
    // Reads audit entries on the worker; auditRead() delivers them.
    quint64 queryAudit(AuditFilter filter, QString *error = nullptr);

    void shutdown();

signals:
    void opened(const fd::Database::OpenResult &result);
    void committed(quint64 jobId, qint64 rowId);
    void failed(quint64 jobId, const QString &reason);
    void auditRead(quint64 requestId, const QList<fd::AuditEntry> &entries);

private:
    quint64 reserve(const QString &what, QString *error);
    void finishJob(quint64 jobId, bool ok, const QString &reason);

    struct Completion
    {
        QPointer<QObject> context;
        JobDone done;
    };
    QHash<quint64, Completion> m_completions;

    QThread m_thread;
    OperationsWorker *m_worker = nullptr;  // lives on m_thread, deleted when it finishes
    std::shared_ptr<std::atomic<qsizetype>> m_pending;
    qsizetype m_maxPending = kDefaultMaxPendingJobs;
    quint64 m_nextId = 1;
    QString m_path;
    bool m_open = false;
    bool m_shutDown = false;
};

} // namespace fd
