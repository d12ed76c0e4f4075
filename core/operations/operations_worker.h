#pragma once

#include "core/operations/audit_entry.h"
#include "core/operations/audit_filter.h"
#include "core/operations/operations_job.h"
#include "core/storage/database.h"

#include <QList>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace fd {

// The operations store's worker: lives on the "fleetdeck-operations" thread, owns the only
// connection to the store and runs what OperationsStore queues to it (queued calls), one
// at a time, in order. Every job is one transaction; committed() is emitted only after
// COMMIT returned (with synchronous=FULL the row is then on disk). Internal to
// OperationsStore.
class OperationsWorker : public QObject
{
    Q_OBJECT
public:
    // pending is decremented once per finished job or read.
    explicit OperationsWorker(std::shared_ptr<std::atomic<qsizetype>> pending);

    void open(const QString &path);
    void runJob(quint64 id, const OperationsJob &job);
    void readAudit(quint64 id, const AuditFilter &filter);
    void close();

signals:
    void opened(const fd::Database::OpenResult &result);
    void committed(quint64 jobId, qint64 rowId);
    void failed(quint64 jobId, const QString &reason);
    void auditRead(quint64 requestId, const QList<fd::AuditEntry> &entries);

private:
    void fail(quint64 id, const QString &reason);

    std::shared_ptr<std::atomic<qsizetype>> m_pending;
    Database m_db;
    QString m_path;
    QString m_notOpenReason;
};

} // namespace fd
