#pragma once

#include "core/operations/audit_entry.h"
#include "core/operations/operator_action.h"

#include <QCoreApplication>
#include <QString>

struct sqlite3;

namespace fd {

class Database;

// What an OperationsJob gets: the store's connection inside the job's open transaction
// (the worker begins and commits or rolls it back; a job never does). Typed writes for the
// v1 tables; handle() / exec() for anything else the job needs.
class OperationsTransaction
{
    Q_DECLARE_TR_FUNCTIONS(fd::OperationsTransaction)
public:
    OperationsTransaction(Database &db, qint64 nowMs);

    sqlite3 *handle() const;
    bool exec(const char *sql, QString *error);

    // The job's clock (ms since epoch, UTC): used for entries with tsMs / updatedMs 0.
    qint64 nowMs() const { return m_nowMs; }

    // Appends an audit entry; returns its id, or 0 with *error set.
    qint64 insertAudit(const AuditEntry &entry, QString *error);
    // Inserts an action (its id is ignored); returns the new id, or 0 with *error set.
    qint64 insertAction(const OperatorAction &action, QString *error);
    // Sets an action's state and result; false with *error if it fails or does not exist.
    // Fills *before with the action as it was (optional).
    bool updateAction(qint64 actionId, OperatorAction::State state, const QString &resultDetail,
                      OperatorAction *before, QString *error);

    // The row the job is about (reported with OperationsStore::committed()).
    void setResultId(qint64 id) { m_resultId = id; }
    qint64 resultId() const { return m_resultId; }

private:
    Database &m_db;
    qint64 m_nowMs;
    qint64 m_resultId = 0;
};

} // namespace fd
