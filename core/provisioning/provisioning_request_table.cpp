#include "core/provisioning/provisioning_request_table.h"

#include "core/operations/operations_transaction.h"
#include "core/storage/sql_statement.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <sqlite3.h>

namespace fd {
namespace {

constexpr const char kColumns[] =
    "SELECT id, serial, model, nonce, kind, source, device_id, received_ms, request_ts_ms, csr_pem, claim_hash, state,"
    " reason_key, reason, cert_serial, decided_ms, decided_by FROM provisioning_requests ";

ProvisioningRequestRecord rowToRecord(const SqlStatement &st)
{
    ProvisioningRequestRecord r;
    r.id = st.columnInt64(0);
    r.serial = st.columnText(1);
    r.model = st.columnText(2);
    r.nonce = st.columnText(3);
    r.kind = ProvisioningRequestRecord::kindFromKey(st.columnText(4));
    r.source = st.columnText(5);
    r.deviceId = st.columnText(6);
    r.receivedMs = st.columnInt64(7);
    r.requestTsMs = st.columnInt64(8);
    r.csrPem = st.columnUtf8(9);
    r.claimHash = st.columnText(10);
    // A damaged state is never "pending": nothing is issued for it.
    r.state = ProvisioningRequestRecord::stateFromKey(st.columnText(11)).value_or(ProvisioningRequestRecord::State::Rejected);
    r.reasonKey = st.columnText(12);
    r.reason = st.columnText(13);
    r.certSerial = st.columnText(14);
    r.decidedMs = st.columnInt64(15);
    r.decidedBy = st.columnText(16);
    return r;
}

void bindOptional(SqlStatement &st, int index, const QString &value)
{
    if (value.isEmpty())
        st.bindNull(index);
    else
        st.bindText(index, value);
}

bool audit(OperationsTransaction &tx, const ProvisioningRequestRecord &r, const QString &action, const QString &before,
           const QString &actor, QString *error)
{
    AuditEntry entry;
    entry.tsMs = tx.nowMs();
    entry.actor = actor;
    entry.action = QStringLiteral("provisioning_request.") + action;
    entry.source = r.source;
    entry.devicePath = r.deviceId;
    entry.objectKind = QStringLiteral("provisioning_request");
    entry.objectId = QString::number(r.id);
    entry.beforeJson = before;
    entry.afterJson = ProvisioningRequestTable::describeJson(r);
    entry.detail = r.reasonKey.isEmpty() ? QString() : r.reasonKey + QStringLiteral(": ") + r.reason;
    return tx.insertAudit(entry, error) > 0;
}

bool readList(sqlite3 *db, const QByteArray &sql, QList<ProvisioningRequestRecord> *out, QString *error,
              const std::function<void(SqlStatement &)> &bind = {})
{
    SqlStatement st;
    if (!st.prepare(db, QByteArray(QByteArray(kColumns) + sql).constData(), error))
        return false;
    if (bind)
        bind(st);
    out->clear();
    int rc;
    while ((rc = st.step()) == SQLITE_ROW)
        out->append(rowToRecord(st));
    if (rc != SQLITE_DONE) {
        *error = st.errorMessage();
        return false;
    }
    return true;
}

} // namespace

QString ProvisioningRequestTable::describeJson(const ProvisioningRequestRecord &r)
{
    QJsonObject o{{QStringLiteral("id"), double(r.id)},
                  {QStringLiteral("kind"), ProvisioningRequestRecord::kindKey(r.kind)},
                  {QStringLiteral("serial"), r.serial},
                  {QStringLiteral("model"), r.model},
                  {QStringLiteral("device_id"), r.deviceId},
                  {QStringLiteral("nonce"), r.nonce},
                  {QStringLiteral("source"), r.source},
                  {QStringLiteral("received_ms"), double(r.receivedMs)},
                  {QStringLiteral("request_ts_ms"), double(r.requestTsMs)},
                  {QStringLiteral("state"), ProvisioningRequestRecord::stateKey(r.state)}};
    if (!r.reasonKey.isEmpty()) {
        o.insert(QStringLiteral("reason_key"), r.reasonKey);
        o.insert(QStringLiteral("reason"), r.reason);
    }
    if (!r.certSerial.isEmpty())
        o.insert(QStringLiteral("cert_serial"), r.certSerial);
    if (r.decidedMs > 0) {
        o.insert(QStringLiteral("decided_ms"), double(r.decidedMs));
        o.insert(QStringLiteral("decided_by"), r.decidedBy);
    }
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

bool ProvisioningRequestTable::insert(OperationsTransaction &tx, ProvisioningRequestRecord *r, const QString &actor,
                                      QString *error, bool *nonceClash)
{
    if (nonceClash)
        *nonceClash = false;
    bool exists = false;
    if (!nonceExists(tx.handle(), r->nonce, &exists, error))
        return false;
    if (exists) {
        if (nonceClash)
            *nonceClash = true;
        *error = tr("the nonce %1 was seen before").arg(r->nonce);
        return false;
    }
    if (r->receivedMs <= 0)
        r->receivedMs = tx.nowMs();
    if (r->state != ProvisioningRequestRecord::State::Pending && r->decidedMs <= 0) {
        r->decidedMs = r->receivedMs;
        if (r->decidedBy.isEmpty())
            r->decidedBy = actor;
    }
    SqlStatement st;
    if (!st.prepare(tx.handle(),
                    "INSERT INTO provisioning_requests(serial, model, nonce, kind, source, device_id, received_ms,"
                    " request_ts_ms, csr_pem, claim_hash, state, reason_key, reason, cert_serial, decided_ms, decided_by)"
                    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                    error))
        return false;
    st.bindText(1, r->serial.isNull() ? QStringLiteral("") : r->serial);
    bindOptional(st, 2, r->model);
    st.bindText(3, r->nonce);
    st.bindText(4, ProvisioningRequestRecord::kindKey(r->kind));
    st.bindText(5, r->source.isNull() ? QStringLiteral("") : r->source);
    bindOptional(st, 6, r->deviceId);
    st.bindInt64(7, r->receivedMs);
    st.bindInt64(8, r->requestTsMs);
    if (r->csrPem.isEmpty())
        st.bindNull(9);
    else
        st.bindText(9, r->csrPem);
    bindOptional(st, 10, r->claimHash);
    st.bindText(11, ProvisioningRequestRecord::stateKey(r->state));
    bindOptional(st, 12, r->reasonKey);
    bindOptional(st, 13, r->reason);
    bindOptional(st, 14, r->certSerial);
    if (r->decidedMs > 0)
        st.bindInt64(15, r->decidedMs);
    else
        st.bindNull(15);
    bindOptional(st, 16, r->decidedBy);
    if (!st.execute(error))
        return false;
    r->id = sqlite3_last_insert_rowid(tx.handle());
    return audit(tx, *r, QStringLiteral("received"), QString(), actor, error);
}

bool ProvisioningRequestTable::decide(OperationsTransaction &tx, qint64 id, ProvisioningRequestRecord::State state,
                                      const QString &reasonKey, const QString &reason, const QString &certSerial,
                                      const QString &actor, QString *error)
{
    ProvisioningRequestRecord before;
    bool found = false;
    if (!byId(tx.handle(), id, &before, &found, error))
        return false;
    if (!found) {
        *error = tr("no provisioning request %1").arg(id);
        return false;
    }
    if (before.state != ProvisioningRequestRecord::State::Pending) {
        *error = tr("provisioning request %1 is %2 already").arg(id).arg(ProvisioningRequestRecord::stateKey(before.state));
        return false;
    }
    ProvisioningRequestRecord after = before;
    after.state = state;
    after.reasonKey = reasonKey;
    after.reason = reason;
    after.certSerial = certSerial;
    after.decidedMs = tx.nowMs();
    after.decidedBy = actor;
    SqlStatement st;
    if (!st.prepare(tx.handle(),
                    "UPDATE provisioning_requests SET state = ?2, reason_key = ?3, reason = ?4, cert_serial = ?5,"
                    " decided_ms = ?6, decided_by = ?7 WHERE id = ?1 AND state = 'pending'",
                    error))
        return false;
    st.bindInt64(1, id);
    st.bindText(2, ProvisioningRequestRecord::stateKey(state));
    bindOptional(st, 3, reasonKey);
    bindOptional(st, 4, reason);
    bindOptional(st, 5, certSerial);
    st.bindInt64(6, after.decidedMs);
    st.bindText(7, actor);
    if (!st.execute(error))
        return false;
    return audit(tx, after, ProvisioningRequestRecord::stateKey(state), describeJson(before), actor, error);
}

bool ProvisioningRequestTable::expirePending(OperationsTransaction &tx, qint64 cutoffMs, const QString &actor,
                                             QList<qint64> *expired, QString *error)
{
    QList<ProvisioningRequestRecord> old;
    if (!readList(tx.handle(), "WHERE state = 'pending' AND received_ms < ?1 ORDER BY id", &old, error,
                  [cutoffMs](SqlStatement &st) { st.bindInt64(1, cutoffMs); }))
        return false;
    for (const ProvisioningRequestRecord &r : std::as_const(old)) {
        if (!decide(tx, r.id, ProvisioningRequestRecord::State::Expired, QStringLiteral("expired"),
                    tr("not decided in time"), QString(), actor, error))
            return false;
        if (expired)
            expired->append(r.id);
    }
    return true;
}

bool ProvisioningRequestTable::nonceExists(sqlite3 *db, const QString &nonce, bool *exists, QString *error)
{
    SqlStatement st;
    if (!st.prepare(db, "SELECT 1 FROM provisioning_requests WHERE nonce = ?1", error))
        return false;
    st.bindText(1, nonce);
    const int rc = st.step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        *error = st.errorMessage();
        return false;
    }
    *exists = rc == SQLITE_ROW;
    return true;
}

bool ProvisioningRequestTable::pendingFor(sqlite3 *db, ProvisioningRequestRecord::Kind kind, const QString &key,
                                          bool *exists, QString *error)
{
    SqlStatement st;
    const char *sql = kind == ProvisioningRequestRecord::Kind::Enroll
                          ? "SELECT 1 FROM provisioning_requests WHERE state = 'pending' AND kind = 'enroll' AND serial = ?1"
                          : "SELECT 1 FROM provisioning_requests WHERE state = 'pending' AND kind = 'rotate' AND device_id = ?1";
    if (!st.prepare(db, sql, error))
        return false;
    st.bindText(1, key);
    const int rc = st.step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        *error = st.errorMessage();
        return false;
    }
    *exists = rc == SQLITE_ROW;
    return true;
}

bool ProvisioningRequestTable::byId(sqlite3 *db, qint64 id, ProvisioningRequestRecord *out, bool *found, QString *error)
{
    QList<ProvisioningRequestRecord> rows;
    if (!readList(db, "WHERE id = ?1", &rows, error, [id](SqlStatement &st) { st.bindInt64(1, id); }))
        return false;
    *found = !rows.isEmpty();
    if (*found)
        *out = rows.constFirst();
    return true;
}

bool ProvisioningRequestTable::pending(sqlite3 *db, QList<ProvisioningRequestRecord> *out, QString *error)
{
    return readList(db, "WHERE state = 'pending' ORDER BY id", out, error);
}

bool ProvisioningRequestTable::list(sqlite3 *db, QList<ProvisioningRequestRecord> *out, QString *error, int limit)
{
    return readList(db, "ORDER BY id DESC LIMIT ?1", out, error,
                    [limit](SqlStatement &st) { st.bindInt64(1, qMax(1, limit)); });
}

bool ProvisioningRequestTable::enrolledSerialOf(sqlite3 *db, const QString &deviceId, QString *serial, QString *error)
{
    QList<ProvisioningRequestRecord> rows;
    if (!readList(db, "WHERE kind = 'enroll' AND state = 'accepted' AND device_id = ?1 ORDER BY id DESC LIMIT 1", &rows,
                  error, [&deviceId](SqlStatement &st) { st.bindText(1, deviceId); }))
        return false;
    *serial = rows.isEmpty() ? QString() : rows.constFirst().serial;
    return true;
}

} // namespace fd
