#include "core/operations/operations_worker.h"

#include "core/operations/audit_query.h"
#include "core/operations/operations_log.h"
#include "core/operations/operations_schema.h"
#include "core/operations/operations_transaction.h"

#include <QCoreApplication>
#include <QDateTime>

#include <sqlite3.h>

#include <exception>

namespace fd {

OperationsWorker::OperationsWorker(std::shared_ptr<std::atomic<qsizetype>> pending)
    : m_pending(std::move(pending))
    , m_notOpenReason(QCoreApplication::translate("fd::OperationsStore", "it has not been opened"))
{
}

void OperationsWorker::open(const QString &path)
{
    m_path = path;
    const Database::OpenResult result = m_db.open(path, operationsSchema());
    if (result.ok()) {
        m_notOpenReason.clear();
        qCInfo(lcOperations).noquote() << "opened" << path << "(schema" << result.schemaVersion << ")";
    } else {
        m_notOpenReason = result.message;  // Database has logged it
    }
    emit opened(result);
}

void OperationsWorker::runJob(quint64 id, const OperationsJob &job)
{
    if (!m_db.isOpen()) {
        fail(id, QCoreApplication::translate("fd::OperationsStore",
                                             "\"%1\" was not saved: the operations store is not open (%2).")
                     .arg(job.name, m_notOpenReason));
        return;
    }
    sqlite3 *db = m_db.handle();
    auto reason = [&](const QString &error) {
        return QCoreApplication::translate("fd::OperationsStore",
                                           "\"%1\" was not saved to the operations store %2: %3")
            .arg(job.name, m_path, error);
    };
    QString error;
    if (!m_db.exec("BEGIN IMMEDIATE", &error)) {
        fail(id, reason(error));
        return;
    }
    OperationsTransaction transaction(m_db, QDateTime::currentMSecsSinceEpoch());
    bool ok = false;
    try {
        ok = job.run && job.run(transaction, &error);
    } catch (const std::exception &e) {
        error = QString::fromUtf8(e.what());
        ok = false;
    }
    if (ok && !m_db.exec("COMMIT", &error))
        ok = false;  // disk full, I/O error, deferred constraint: nothing was committed
    if (!ok) {
        if (!sqlite3_get_autocommit(db))
            m_db.exec("ROLLBACK");
        if (error.isEmpty())
            error = QCoreApplication::translate("fd::OperationsStore", "the job reported no reason");
        fail(id, reason(error));
        return;
    }
    m_pending->fetch_sub(1);
    qCDebug(lcOperations).noquote() << "committed job" << id << job.name;
    emit committed(id, transaction.resultId());
}

void OperationsWorker::readAudit(quint64 id, const AuditFilter &filter)
{
    if (!m_db.isOpen()) {
        fail(id, QCoreApplication::translate("fd::OperationsStore",
                                             "The audit log cannot be read: the operations store is not open (%1).")
                     .arg(m_notOpenReason));
        return;
    }
    QString error;
    QList<AuditEntry> entries = AuditQuery(m_db).read(filter, &error);
    if (!error.isEmpty()) {
        fail(id, QCoreApplication::translate("fd::OperationsStore",
                                             "The audit log of %1 cannot be read: %2")
                     .arg(m_path, error));
        return;
    }
    m_pending->fetch_sub(1);
    emit auditRead(id, entries);
}

void OperationsWorker::close()
{
    if (m_db.isOpen())
        qCInfo(lcOperations).noquote() << "closing" << m_path;
    m_db.close();
    m_notOpenReason = QCoreApplication::translate("fd::OperationsStore", "it has been closed");
}

void OperationsWorker::fail(quint64 id, const QString &reason)
{
    m_pending->fetch_sub(1);
    qCWarning(lcOperations).noquote() << reason;
    emit failed(id, reason);
}

} // namespace fd
