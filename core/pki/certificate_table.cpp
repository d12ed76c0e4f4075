#include "core/pki/certificate_table.h"

#include "core/operations/operations_transaction.h"
#include "core/pki/serial_number.h"
#include "core/storage/sql_statement.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <sqlite3.h>

#include <functional>

namespace fd {
namespace {

constexpr const char kSelect[] =
    "SELECT serial, kind, common_name, device_id, not_before_ms, not_after_ms, status, revoked_ms, revoke_reason,"
    " replaces_serial, replaced_by_serial, fingerprint, pem, issued_ms, issued_by FROM certificates ";

bool fail(QString *error, const QString &reason)
{
    if (error)
        *error = reason;
    return false;
}

QString orEmpty(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

void bindOptionalText(SqlStatement &st, int index, const QString &value)
{
    if (value.isEmpty())
        st.bindNull(index);
    else
        st.bindText(index, value);
}

bool select(sqlite3 *db, const QByteArray &where, const std::function<void(SqlStatement &)> &bind,
            QList<CertificateRecord> *out, QString *error)
{
    SqlStatement st;
    const QByteArray sql = QByteArray(kSelect) + where;
    if (!st.prepare(db, sql.constData(), error))
        return false;
    bind(st);
    for (;;) {
        const int rc = st.step();
        if (rc == SQLITE_DONE)
            return true;
        if (rc != SQLITE_ROW)
            return fail(error, st.errorMessage());
        CertificateRecord r;
        r.serial = st.columnText(0);
        const std::optional<CertificateRecord::Kind> kind = CertificateRecord::kindFromKey(st.columnText(1));
        const std::optional<CertificateRecord::Status> status = CertificateRecord::statusFromKey(st.columnText(6));
        if (!kind || !status)
            return fail(error, CertificateTable::tr("certificate %1 has an unknown kind or status").arg(r.serial));
        r.kind = *kind;
        r.commonName = st.columnText(2);
        r.deviceId = st.columnText(3);
        r.notBeforeMs = st.columnInt64(4);
        r.notAfterMs = st.columnInt64(5);
        r.status = *status;
        r.revokedMs = st.columnInt64(7);
        r.revokeReason = st.columnText(8);
        r.replacesSerial = st.columnText(9);
        r.replacedBySerial = st.columnText(10);
        r.fingerprint = st.columnText(11);
        r.pem = st.columnUtf8(12);
        r.issuedMs = st.columnInt64(13);
        r.issuedBy = st.columnText(14);
        out->append(r);
    }
}

AuditEntry auditFor(const CertificateRecord &r, const QString &actor, const QString &action)
{
    AuditEntry audit;
    audit.actor = actor;
    audit.action = action;
    audit.objectKind = QStringLiteral("certificate");
    audit.objectId = r.serial;
    if (!r.deviceId.isEmpty())
        audit.devicePath = r.deviceId;
    return audit;
}

} // namespace

QString CertificateTable::describeJson(const CertificateRecord &r)
{
    QJsonObject o;
    o.insert(QStringLiteral("serial"), r.serial);
    o.insert(QStringLiteral("kind"), CertificateRecord::kindKey(r.kind));
    o.insert(QStringLiteral("common_name"), r.commonName);
    if (!r.deviceId.isEmpty())
        o.insert(QStringLiteral("device_id"), r.deviceId);
    o.insert(QStringLiteral("not_before_ms"), r.notBeforeMs);
    o.insert(QStringLiteral("not_after_ms"), r.notAfterMs);
    o.insert(QStringLiteral("status"), CertificateRecord::statusKey(r.status));
    if (r.revokedMs > 0)
        o.insert(QStringLiteral("revoked_ms"), r.revokedMs);
    if (!r.revokeReason.isEmpty())
        o.insert(QStringLiteral("revoke_reason"), r.revokeReason);
    if (!r.replacesSerial.isEmpty())
        o.insert(QStringLiteral("replaces_serial"), r.replacesSerial);
    if (!r.replacedBySerial.isEmpty())
        o.insert(QStringLiteral("replaced_by_serial"), r.replacedBySerial);
    o.insert(QStringLiteral("fingerprint"), r.fingerprint);
    o.insert(QStringLiteral("issued_ms"), r.issuedMs);
    o.insert(QStringLiteral("issued_by"), r.issuedBy);
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

bool CertificateTable::insert(OperationsTransaction &transaction, const CertificateRecord &record,
                              const QString &actor, QString *error, bool *serialClash)
{
    if (serialClash)
        *serialClash = false;
    if (record.serial.isEmpty() || SerialNumber::normalize(record.serial) != record.serial)
        return fail(error, tr("\"%1\" is not a serial in canonical form (uppercase hex)").arg(record.serial.left(80)));
    if (record.pem.isEmpty() || record.fingerprint.isEmpty() || record.commonName.isEmpty())
        return fail(error, tr("certificate %1: PEM, fingerprint and common name are required").arg(record.serial));
    bool found = false;
    if (!exists(transaction.handle(), record.serial, &found, error))
        return false;
    if (found) {
        if (serialClash)
            *serialClash = true;
        return fail(error, tr("a certificate with serial %1 exists already").arg(record.serial));
    }
    CertificateRecord replaced;
    if (!record.replacesSerial.isEmpty()) {
        bool replacedFound = false;
        if (!bySerial(transaction.handle(), record.replacesSerial, &replaced, &replacedFound, error))
            return false;
        if (!replacedFound)
            return fail(error, tr("certificate %1 to replace is unknown").arg(record.replacesSerial));
    }

    CertificateRecord row = record;
    row.status = CertificateRecord::Status::Valid;
    row.revokedMs = 0;
    row.revokeReason.clear();
    row.replacedBySerial.clear();
    if (row.issuedMs <= 0)
        row.issuedMs = transaction.nowMs();
    SqlStatement st;
    if (!st.prepare(transaction.handle(),
                    "INSERT INTO certificates(serial, kind, common_name, device_id, not_before_ms, not_after_ms, status,"
                    " replaces_serial, fingerprint, pem, issued_ms, issued_by)"
                    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, 'valid', ?7, ?8, ?9, ?10, ?11)",
                    error))
        return false;
    st.bindText(1, row.serial);
    st.bindText(2, CertificateRecord::kindKey(row.kind));
    st.bindText(3, row.commonName);
    bindOptionalText(st, 4, row.deviceId);
    st.bindInt64(5, row.notBeforeMs);
    st.bindInt64(6, row.notAfterMs);
    bindOptionalText(st, 7, row.replacesSerial);
    st.bindText(8, row.fingerprint);
    st.bindText(9, row.pem);
    st.bindInt64(10, row.issuedMs);
    st.bindText(11, orEmpty(row.issuedBy));
    const int rc = st.step();
    if (rc == SQLITE_CONSTRAINT || (rc & 0xFF) == SQLITE_CONSTRAINT) {
        if (serialClash)
            *serialClash = true;
        return fail(error, tr("a certificate with serial %1 exists already").arg(row.serial));
    }
    if (rc != SQLITE_DONE)
        return fail(error, st.errorMessage());

    if (!row.replacesSerial.isEmpty()) {
        SqlStatement up;
        if (!up.prepare(transaction.handle(), "UPDATE certificates SET replaced_by_serial = ?1 WHERE serial = ?2", error))
            return false;
        up.bindText(1, row.serial);
        up.bindText(2, row.replacesSerial);
        if (!up.execute(error))
            return false;
    }

    AuditEntry audit = auditFor(row, actor, QStringLiteral("certificate.issued"));
    audit.afterJson = describeJson(row);
    audit.detail = row.replacesSerial.isEmpty()
                       ? tr("%1 certificate %2 issued for %3").arg(CertificateRecord::kindKey(row.kind), row.serial, row.commonName)
                       : tr("%1 certificate %2 issued for %3, replacing %4")
                             .arg(CertificateRecord::kindKey(row.kind), row.serial, row.commonName, row.replacesSerial);
    return transaction.insertAudit(audit, error) > 0;
}

bool CertificateTable::revoke(OperationsTransaction &transaction, const QString &serial, const QString &reason,
                              qint64 nowMs, const QString &actor, QString *error)
{
    const QString canonical = SerialNumber::normalize(serial);
    if (canonical.isEmpty())
        return fail(error, tr("\"%1\" is not a serial number (hex)").arg(serial.left(80)));
    CertificateRecord before;
    bool found = false;
    if (!bySerial(transaction.handle(), canonical, &before, &found, error))
        return false;
    if (!found)
        return fail(error, tr("no certificate with serial %1").arg(canonical));
    if (before.isRevoked())
        return fail(error, tr("certificate %1 is revoked already").arg(canonical));
    const qint64 when = nowMs > 0 ? nowMs : transaction.nowMs();
    SqlStatement st;
    if (!st.prepare(transaction.handle(),
                    "UPDATE certificates SET status = 'revoked', revoked_ms = ?1, revoke_reason = ?2 WHERE serial = ?3",
                    error))
        return false;
    st.bindInt64(1, when);
    bindOptionalText(st, 2, reason);
    st.bindText(3, canonical);
    if (!st.execute(error))
        return false;
    CertificateRecord after = before;
    after.status = CertificateRecord::Status::Revoked;
    after.revokedMs = when;
    after.revokeReason = reason;
    AuditEntry audit = auditFor(after, actor, QStringLiteral("certificate.revoked"));
    audit.beforeJson = describeJson(before);
    audit.afterJson = describeJson(after);
    audit.detail = reason.isEmpty() ? tr("certificate %1 (%2) revoked").arg(canonical, before.commonName)
                                    : tr("certificate %1 (%2) revoked: %3").arg(canonical, before.commonName, reason);
    return transaction.insertAudit(audit, error) > 0;
}

bool CertificateTable::exists(sqlite3 *db, const QString &serial, bool *found, QString *error)
{
    SqlStatement st;
    if (!st.prepare(db, "SELECT 1 FROM certificates WHERE serial = ?1", error))
        return false;
    st.bindText(1, orEmpty(serial));
    const int rc = st.step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fail(error, st.errorMessage());
    *found = rc == SQLITE_ROW;
    return true;
}

bool CertificateTable::bySerial(sqlite3 *db, const QString &serial, CertificateRecord *out, bool *found,
                                QString *error)
{
    QList<CertificateRecord> rows;
    const QString canonical = SerialNumber::normalize(serial);
    if (!select(db, "WHERE serial = ?1", [&](SqlStatement &st) { st.bindText(1, orEmpty(canonical)); }, &rows, error))
        return false;
    *found = !rows.isEmpty();
    if (*found)
        *out = rows.first();
    return true;
}

bool CertificateTable::forDevice(sqlite3 *db, const QString &deviceId, QList<CertificateRecord> *out, QString *error)
{
    return select(db, "WHERE device_id = ?1 ORDER BY issued_ms DESC, serial",
                  [&](SqlStatement &st) { st.bindText(1, orEmpty(deviceId)); }, out, error);
}

bool CertificateTable::list(sqlite3 *db, const CertificateFilter &filter, QList<CertificateRecord> *out,
                            QString *error)
{
    QByteArray where = "WHERE 1";
    if (filter.kind)
        where += " AND kind = ?1";
    if (filter.status)
        where += " AND status = ?2";
    if (!filter.deviceId.isEmpty())
        where += " AND device_id = ?3";
    if (filter.expiringBeforeMs > 0)
        where += " AND status = 'valid' AND not_after_ms <= ?4";
    where += " ORDER BY issued_ms DESC, serial LIMIT ?5";
    return select(db, where,
                  [&](SqlStatement &st) {
                      if (filter.kind)
                          st.bindText(1, CertificateRecord::kindKey(*filter.kind));
                      if (filter.status)
                          st.bindText(2, CertificateRecord::statusKey(*filter.status));
                      if (!filter.deviceId.isEmpty())
                          st.bindText(3, filter.deviceId);
                      if (filter.expiringBeforeMs > 0)
                          st.bindInt64(4, filter.expiringBeforeMs);
                      st.bindInt64(5, std::max(filter.limit, 0));
                  },
                  out, error);
}

bool CertificateTable::expiring(sqlite3 *db, qint64 nowMs, qint64 windowMs, QList<CertificateRecord> *out,
                                QString *error, bool includeExpired)
{
    const QByteArray where = includeExpired
                                 ? QByteArray("WHERE status = 'valid' AND not_after_ms <= ?2 ORDER BY not_after_ms, serial")
                                 : QByteArray("WHERE status = 'valid' AND not_after_ms > ?1 AND not_after_ms <= ?2"
                                              " ORDER BY not_after_ms, serial");
    return select(db, where,
                  [&](SqlStatement &st) {
                      if (!includeExpired)
                          st.bindInt64(1, nowMs);
                      st.bindInt64(2, nowMs + std::max<qint64>(windowMs, 0));
                  },
                  out, error);
}

bool CertificateTable::revokedForCrl(sqlite3 *db, QList<QPair<QByteArray, qint64>> *out, QString *error)
{
    SqlStatement st;
    if (!st.prepare(db, "SELECT serial, revoked_ms FROM certificates WHERE status = 'revoked' ORDER BY serial", error))
        return false;
    for (;;) {
        const int rc = st.step();
        if (rc == SQLITE_DONE)
            return true;
        if (rc != SQLITE_ROW)
            return fail(error, st.errorMessage());
        const QByteArray serial = SerialNumber::fromHex(st.columnText(0));
        if (!serial.isEmpty())
            out->append({serial, st.columnInt64(1)});
    }
}

} // namespace fd
