#include "core/operations/operations_transaction.h"

#include "core/storage/database.h"
#include "core/storage/sql_statement.h"

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace fd {

namespace {

void bindNullable(SqlStatement &st, int index, const QString &value)
{
    if (value.isNull())
        st.bindNull(index);
    else
        st.bindText(index, value);
}

QString nullableText(const SqlStatement &st, int column)
{
    return st.columnIsNull(column) ? QString() : st.columnText(column);
}

} // namespace

OperationsTransaction::OperationsTransaction(Database &db, qint64 nowMs)
    : m_db(db)
    , m_nowMs(nowMs)
{
}

sqlite3 *OperationsTransaction::handle() const
{
    return m_db.handle();
}

bool OperationsTransaction::exec(const char *sql, QString *error)
{
    return m_db.exec(sql, error);
}

qint64 OperationsTransaction::insertAudit(const AuditEntry &entry, QString *error)
{
    if (entry.actor.isEmpty() || entry.action.isEmpty()) {
        *error = tr("an audit entry needs an actor and an action");
        return 0;
    }
    SqlStatement st;
    if (!st.prepare(m_db.handle(),
                    "INSERT INTO audit_log(ts_ms, actor, action, source, device_path, object_kind, "
                    "object_id, before_json, after_json, detail) "
                    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    error))
        return 0;
    st.bindInt64(1, entry.tsMs > 0 ? entry.tsMs : m_nowMs);
    st.bindText(2, entry.actor);
    st.bindText(3, entry.action);
    bindNullable(st, 4, entry.source);
    bindNullable(st, 5, entry.devicePath);
    bindNullable(st, 6, entry.objectKind);
    bindNullable(st, 7, entry.objectId);
    bindNullable(st, 8, entry.beforeJson);
    bindNullable(st, 9, entry.afterJson);
    bindNullable(st, 10, entry.detail);
    if (!st.execute(error))
        return 0;
    return sqlite3_last_insert_rowid(m_db.handle());
}

qint64 OperationsTransaction::insertAction(const OperatorAction &action, QString *error)
{
    if (action.actor.isEmpty() || action.kind.isEmpty()) {
        *error = tr("an operator action needs an actor and a kind");
        return 0;
    }
    SqlStatement st;
    if (!st.prepare(m_db.handle(),
                    "INSERT INTO operator_actions(ts_ms, actor, kind, source, device_path, "
                    "payload_json, state, result_detail, updated_ms) "
                    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    error))
        return 0;
    const qint64 ts = action.tsMs > 0 ? action.tsMs : m_nowMs;
    st.bindInt64(1, ts);
    st.bindText(2, action.actor);
    st.bindText(3, action.kind);
    bindNullable(st, 4, action.source);
    bindNullable(st, 5, action.devicePath);
    bindNullable(st, 6, action.payloadJson);
    st.bindText(7, OperatorAction::stateKey(action.state));
    bindNullable(st, 8, action.resultDetail);
    st.bindInt64(9, action.updatedMs > 0 ? action.updatedMs : ts);
    if (!st.execute(error))
        return 0;
    return sqlite3_last_insert_rowid(m_db.handle());
}

bool OperationsTransaction::updateAction(qint64 actionId, OperatorAction::State state,
                                         const QString &resultDetail, OperatorAction *before,
                                         QString *error)
{
    if (before) {
        SqlStatement read;
        if (!read.prepare(m_db.handle(),
                          "SELECT ts_ms, actor, kind, source, device_path, payload_json, state, "
                          "result_detail, updated_ms FROM operator_actions WHERE id = ?1",
                          error))
            return false;
        read.bindInt64(1, actionId);
        const int rc = read.step();
        if (rc != SQLITE_ROW) {
            *error = rc == SQLITE_DONE ? tr("there is no operator action %1").arg(actionId)
                                       : read.errorMessage();
            return false;
        }
        before->id = actionId;
        before->tsMs = read.columnInt64(0);
        before->actor = read.columnText(1);
        before->kind = read.columnText(2);
        before->source = nullableText(read, 3);
        before->devicePath = nullableText(read, 4);
        before->payloadJson = nullableText(read, 5);
        before->state = OperatorAction::stateFromKey(read.columnText(6)).value_or(OperatorAction::State::Requested);
        before->resultDetail = nullableText(read, 7);
        before->updatedMs = read.columnInt64(8);
    }
    SqlStatement st;
    if (!st.prepare(m_db.handle(),
                    "UPDATE operator_actions SET state = ?2, result_detail = ?3, updated_ms = ?4 "
                    "WHERE id = ?1",
                    error))
        return false;
    st.bindInt64(1, actionId);
    st.bindText(2, OperatorAction::stateKey(state));
    bindNullable(st, 3, resultDetail);
    st.bindInt64(4, m_nowMs);
    if (!st.execute(error))
        return false;
    if (sqlite3_changes(m_db.handle()) != 1) {
        *error = tr("there is no operator action %1").arg(actionId);
        return false;
    }
    return true;
}

} // namespace fd
