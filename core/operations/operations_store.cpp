#include "core/operations/operations_store.h"

#include "core/operations/operations_log.h"
#include "core/operations/operations_transaction.h"
#include "core/operations/operations_worker.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace fd {

namespace {

QString actionJson(const OperatorAction &a)
{
    QJsonObject o{
        {u"id"_s, a.id},
        {u"ts_ms"_s, a.tsMs},
        {u"actor"_s, a.actor},
        {u"kind"_s, a.kind},
        {u"state"_s, OperatorAction::stateKey(a.state)},
        {u"updated_ms"_s, a.updatedMs},
    };
    if (!a.source.isNull())
        o.insert(u"source"_s, a.source);
    if (!a.devicePath.isNull())
        o.insert(u"device_path"_s, a.devicePath);
    if (!a.payloadJson.isNull()) {
        const QJsonDocument payload = QJsonDocument::fromJson(a.payloadJson.toUtf8());
        if (payload.isObject())
            o.insert(u"payload"_s, payload.object());
        else
            o.insert(u"payload"_s, a.payloadJson);
    }
    if (!a.resultDetail.isNull())
        o.insert(u"result_detail"_s, a.resultDetail);
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

} // namespace

OperationsStore::OperationsStore(QObject *parent)
    : QObject(parent)
    , m_pending(std::make_shared<std::atomic<qsizetype>>(0))
{
    qRegisterMetaType<fd::Database::OpenResult>();
    qRegisterMetaType<fd::AuditEntry>();
    qRegisterMetaType<QList<fd::AuditEntry>>();

    m_thread.setObjectName(u"fleetdeck-operations"_s);
    m_worker = new OperationsWorker(m_pending);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &OperationsWorker::opened, this, [this](const Database::OpenResult &result) {
        m_open = result.ok();
        emit opened(result);
    });
    connect(m_worker, &OperationsWorker::committed, this, [this](quint64 jobId, qint64 rowId) {
        emit committed(jobId, rowId);
        finishJob(jobId, true, QString());
    });
    connect(m_worker, &OperationsWorker::failed, this, [this](quint64 jobId, const QString &reason) {
        emit failed(jobId, reason);
        finishJob(jobId, false, reason);
    });
    connect(m_worker, &OperationsWorker::auditRead, this, &OperationsStore::auditRead);
    m_thread.start();
}

OperationsStore::~OperationsStore()
{
    shutdown();
}

QString OperationsStore::pathForCache(const QString &cachePath)
{
    const QString name = QFileInfo(cachePath).completeBaseName() + u".operations.sqlite"_s;
    const qsizetype slash = cachePath.lastIndexOf(u'/');
    return slash < 0 ? name : cachePath.left(slash + 1) + name;
}

void OperationsStore::open(const QString &path)
{
    if (m_shutDown)
        return;
    m_path = path;
    m_open = false;
    OperationsWorker *worker = m_worker;
    QMetaObject::invokeMethod(worker, [worker, path] { worker->open(path); }, Qt::QueuedConnection);
}

void OperationsStore::setMaxPendingJobs(qsizetype maximum)
{
    m_maxPending = qMax<qsizetype>(1, maximum);
}

qsizetype OperationsStore::pendingJobs() const
{
    return m_pending->load();
}

quint64 OperationsStore::reserve(const QString &what, QString *error)
{
    auto refuse = [&](const QString &reason) -> quint64 {
        qCWarning(lcOperations).noquote() << reason;
        if (error)
            *error = reason;
        return 0;
    };
    if (m_shutDown)
        return refuse(tr("\"%1\" was not queued: the operations store has been shut down.").arg(what));
    if (m_pending->fetch_add(1) >= m_maxPending) {
        m_pending->fetch_sub(1);
        return refuse(tr("\"%1\" was not queued: %2 operations are already waiting to be saved "
                         "(the limit is %2). Try again when the store has caught up.")
                          .arg(what)
                          .arg(m_maxPending));
    }
    return m_nextId++;
}

quint64 OperationsStore::submit(OperationsJob job, QString *error)
{
    const quint64 id = reserve(job.name, error);
    if (id == 0)
        return 0;
    OperationsWorker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker, id, job = std::move(job)] { worker->runJob(id, job); }, Qt::QueuedConnection);
    return id;
}

quint64 OperationsStore::submit(OperationsJob job, QObject *context, JobDone done, QString *error)
{
    const quint64 id = submit(std::move(job), error);
    if (id != 0 && done)
        m_completions.insert(id, Completion{context, std::move(done)});
    return id;
}

void OperationsStore::finishJob(quint64 jobId, bool ok, const QString &reason)
{
    const auto it = m_completions.find(jobId);
    if (it == m_completions.end())
        return;
    const Completion completion = std::move(*it);
    m_completions.erase(it);
    if (completion.context)
        completion.done(ok, reason);
}

quint64 OperationsStore::recordAudit(AuditEntry entry, QString *error)
{
    OperationsJob job;
    job.name = tr("record audit entry %1").arg(entry.action);
    job.run = [entry = std::move(entry)](OperationsTransaction &tx, QString *jobError) {
        const qint64 id = tx.insertAudit(entry, jobError);
        tx.setResultId(id);
        return id > 0;
    };
    return submit(std::move(job), error);
}

quint64 OperationsStore::recordAction(OperatorAction action, QString *error)
{
    OperationsJob job;
    job.name = tr("record operator action %1").arg(action.kind);
    job.run = [action = std::move(action)](OperationsTransaction &tx, QString *jobError) mutable {
        const qint64 id = tx.insertAction(action, jobError);
        if (id <= 0)
            return false;
        action.id = id;
        if (action.tsMs <= 0)
            action.tsMs = tx.nowMs();
        if (action.updatedMs <= 0)
            action.updatedMs = action.tsMs;
        AuditEntry audit;
        audit.tsMs = action.tsMs;
        audit.actor = action.actor;
        audit.action = action.kind + u'.' + OperatorAction::stateKey(action.state);
        audit.source = action.source;
        audit.devicePath = action.devicePath;
        audit.objectKind = u"operator_action"_s;
        audit.objectId = QString::number(id);
        audit.afterJson = actionJson(action);
        if (tx.insertAudit(audit, jobError) <= 0)
            return false;
        tx.setResultId(id);
        return true;
    };
    return submit(std::move(job), error);
}

quint64 OperationsStore::updateAction(qint64 actionId, OperatorAction::State state,
                                      const QString &resultDetail, const QString &actor, QString *error)
{
    OperationsJob job;
    job.name = tr("set operator action %1 to %2").arg(actionId).arg(OperatorAction::stateKey(state));
    job.run = [=](OperationsTransaction &tx, QString *jobError) {
        OperatorAction before;
        if (!tx.updateAction(actionId, state, resultDetail, &before, jobError))
            return false;
        OperatorAction after = before;
        after.state = state;
        after.resultDetail = resultDetail;
        after.updatedMs = tx.nowMs();
        AuditEntry audit;
        audit.actor = actor;
        audit.action = before.kind + u'.' + OperatorAction::stateKey(state);
        audit.source = before.source;
        audit.devicePath = before.devicePath;
        audit.objectKind = u"operator_action"_s;
        audit.objectId = QString::number(actionId);
        audit.beforeJson = actionJson(before);
        audit.afterJson = actionJson(after);
        audit.detail = resultDetail;
        if (tx.insertAudit(audit, jobError) <= 0)
            return false;
        tx.setResultId(actionId);
        return true;
    };
    return submit(std::move(job), error);
}

quint64 OperationsStore::queryAudit(AuditFilter filter, QString *error)
{
    const quint64 id = reserve(tr("read the audit log"), error);
    if (id == 0)
        return 0;
    OperationsWorker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker, id, filter = std::move(filter)] { worker->readAudit(id, filter); },
        Qt::QueuedConnection);
    return id;
}

void OperationsStore::shutdown()
{
    if (m_shutDown)
        return;
    m_shutDown = true;
    // Queued behind every job already submitted: they all run (and commit) first.
    OperationsWorker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker,
        [worker] {
            worker->close();
            QThread::currentThread()->quit();
        },
        Qt::QueuedConnection);
    m_thread.wait();
    m_worker = nullptr;
    m_open = false;
    // Deliver the results the worker posted before it stopped.
    QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
}

} // namespace fd
