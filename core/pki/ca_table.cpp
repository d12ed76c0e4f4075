#include "core/pki/ca_table.h"

#include "core/operations/operations_transaction.h"
#include "core/pki/certificate.h"
#include "core/storage/sql_statement.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <sqlite3.h>

#include <functional>

namespace fd {
namespace {

constexpr const char kSelect[] =
    "SELECT id, name, root_pem, intermediate_pem, root_key_pem, intermediate_key_pem, key_storage, created_ms,"
    " crl_number FROM pki_authorities ";

bool fail(QString *error, const QString &reason)
{
    if (error)
        *error = reason;
    return false;
}

bool select(sqlite3 *db, const char *where, const std::function<void(SqlStatement &)> &bind, QList<CaRecord> *out,
            QString *error)
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
        CaRecord r;
        r.id = st.columnInt64(0);
        r.name = st.columnText(1);
        r.rootPem = st.columnUtf8(2);
        r.intermediatePem = st.columnUtf8(3);
        r.rootKeyPem = st.columnUtf8(4);
        r.intermediateKeyPem = st.columnUtf8(5);
        const std::optional<CaRecord::Storage> storage = CaRecord::storageFromKey(st.columnText(6));
        if (!storage)
            return fail(error, CaTable::tr("CA %1 has an unknown key storage").arg(r.name));
        r.storage = *storage;
        r.createdMs = st.columnInt64(7);
        r.crlNumber = st.columnInt64(8);
        out->append(r);
    }
}

qint64 refuseId(QString *error, const QString &reason)
{
    fail(error, reason);
    return 0;
}

void bindOptional(SqlStatement &st, int index, const QByteArray &value)
{
    if (value.isEmpty())
        st.bindNull(index);
    else
        st.bindText(index, value);
}

} // namespace

QString CaTable::describeJson(const CaRecord &ca)
{
    QJsonObject o;
    o.insert(QStringLiteral("name"), ca.name);
    o.insert(QStringLiteral("key_storage"), CaRecord::storageKey(ca.storage));
    o.insert(QStringLiteral("has_root_key"), !ca.rootKeyPem.isEmpty() || ca.storage == CaRecord::Storage::Keychain);
    const std::optional<Certificate> root = Certificate::fromPem(ca.rootPem, nullptr);
    const std::optional<Certificate> intermediate = Certificate::fromPem(ca.intermediatePem, nullptr);
    if (root) {
        o.insert(QStringLiteral("root_subject"), root->subjectCommonName());
        o.insert(QStringLiteral("root_fingerprint"), root->fingerprintSha256());
        o.insert(QStringLiteral("root_not_after_ms"), root->notAfterMs());
    }
    if (intermediate) {
        o.insert(QStringLiteral("intermediate_subject"), intermediate->subjectCommonName());
        o.insert(QStringLiteral("intermediate_fingerprint"), intermediate->fingerprintSha256());
        o.insert(QStringLiteral("intermediate_not_after_ms"), intermediate->notAfterMs());
    }
    o.insert(QStringLiteral("crl_number"), ca.crlNumber);
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

qint64 CaTable::insert(OperationsTransaction &transaction, const CaRecord &ca, bool imported, const QString &actor,
                       QString *error)
{
    QString reason;
    if (!CaRecord::isValidName(ca.name, &reason))
        return refuseId(error, reason);
    if (ca.rootPem.isEmpty() || ca.intermediatePem.isEmpty())
        return refuseId(error, tr("CA %1: both certificates are required").arg(ca.name));
    if (ca.storage == CaRecord::Storage::Passphrase
        && !ca.intermediateKeyPem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
        return refuseId(error, tr("CA %1: a passphrase CA needs its encrypted intermediate key").arg(ca.name));
    if (ca.storage == CaRecord::Storage::Keychain && (!ca.intermediateKeyPem.isEmpty() || !ca.rootKeyPem.isEmpty()))
        return refuseId(error, tr("CA %1: a keychain CA keeps no key in the store").arg(ca.name));
    QList<CaRecord> existing;
    if (!select(transaction.handle(), "WHERE name = ?1", [&](SqlStatement &st) { st.bindText(1, ca.name); }, &existing,
                error))
        return 0;
    if (!existing.isEmpty())
        return refuseId(error, tr("a CA named %1 exists already").arg(ca.name));

    SqlStatement st;
    if (!st.prepare(transaction.handle(),
                    "INSERT INTO pki_authorities(name, root_pem, intermediate_pem, root_key_pem, intermediate_key_pem,"
                    " key_storage, created_ms, crl_number) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    error))
        return 0;
    st.bindText(1, ca.name);
    st.bindText(2, ca.rootPem);
    st.bindText(3, ca.intermediatePem);
    bindOptional(st, 4, ca.rootKeyPem);
    bindOptional(st, 5, ca.intermediateKeyPem);
    st.bindText(6, CaRecord::storageKey(ca.storage));
    st.bindInt64(7, ca.createdMs > 0 ? ca.createdMs : transaction.nowMs());
    st.bindInt64(8, ca.crlNumber);
    if (!st.execute(error))
        return 0;
    const qint64 id = sqlite3_last_insert_rowid(transaction.handle());

    AuditEntry audit;
    audit.actor = actor;
    audit.action = imported ? QStringLiteral("certificate_authority.imported")
                            : QStringLiteral("certificate_authority.created");
    audit.objectKind = QStringLiteral("certificate_authority");
    audit.objectId = ca.name;
    audit.afterJson = describeJson(ca);
    audit.detail = imported ? tr("fleet CA %1 imported").arg(ca.name) : tr("fleet CA %1 created").arg(ca.name);
    if (transaction.insertAudit(audit, error) <= 0)
        return 0;
    transaction.setResultId(id);
    return id;
}

qint64 CaTable::nextCrlNumber(OperationsTransaction &transaction, const QString &name, const QString &actor,
                              QString *error)
{
    CaRecord ca;
    bool found = false;
    if (!read(transaction.handle(), name, &ca, &found, error))
        return 0;
    if (!found)
        return refuseId(error, tr("no fleet CA named %1").arg(name));
    SqlStatement st;
    if (!st.prepare(transaction.handle(), "UPDATE pki_authorities SET crl_number = crl_number + 1 WHERE id = ?1",
                    error))
        return 0;
    st.bindInt64(1, ca.id);
    if (!st.execute(error))
        return 0;
    const qint64 number = ca.crlNumber + 1;
    AuditEntry audit;
    audit.actor = actor;
    audit.action = QStringLiteral("certificate_authority.crl_written");
    audit.objectKind = QStringLiteral("certificate_authority");
    audit.objectId = ca.name;
    audit.detail = tr("CRL number %1 of fleet CA %2 written").arg(number).arg(ca.name);
    if (transaction.insertAudit(audit, error) <= 0)
        return 0;
    return number;
}

bool CaTable::read(sqlite3 *db, const QString &name, CaRecord *out, bool *found, QString *error)
{
    QList<CaRecord> rows;
    const bool ok = name.isEmpty()
                        ? select(db, "ORDER BY id LIMIT 1", [](SqlStatement &) {}, &rows, error)
                        : select(db, "WHERE name = ?1", [&](SqlStatement &st) { st.bindText(1, name); }, &rows, error);
    if (!ok)
        return false;
    *found = !rows.isEmpty();
    if (*found)
        *out = rows.first();
    return true;
}

bool CaTable::list(sqlite3 *db, QList<CaRecord> *out, QString *error)
{
    return select(db, "ORDER BY id", [](SqlStatement &) {}, out, error);
}

} // namespace fd
