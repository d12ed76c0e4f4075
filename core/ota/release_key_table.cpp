#include "core/ota/release_key_table.h"

#include "core/operations/operations_transaction.h"
#include "core/storage/sql_statement.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <sqlite3.h>

#include <functional>

namespace fd {
namespace {

constexpr const char kSelect[] =
    "SELECT name, algorithm, key_id, public_pem, private_pem, private_storage, created_ms FROM release_keys ";

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

bool select(sqlite3 *db, const char *where, const std::function<void(SqlStatement &)> &bind,
            QList<ReleaseKeyRecord> *out, QString *error)
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
        ReleaseKeyRecord r;
        r.name = st.columnText(0);
        const std::optional<ReleaseKey::Algorithm> algorithm = ReleaseKey::algorithmFromKey(st.columnText(1));
        const std::optional<ReleaseKeyRecord::Storage> storage = ReleaseKeyRecord::storageFromKey(st.columnText(5));
        if (!algorithm || !storage)
            return fail(error, ReleaseKeyTable::tr("release key %1 has an unknown algorithm or storage").arg(r.name));
        r.algorithm = *algorithm;
        r.keyId = st.columnText(2);
        r.publicPem = st.columnUtf8(3);
        r.privatePem = st.columnUtf8(4);
        r.storage = *storage;
        r.createdMs = st.columnInt64(6);
        out->append(r);
    }
}

} // namespace

QString ReleaseKeyTable::describeJson(const ReleaseKeyRecord &key)
{
    QJsonObject o;
    o.insert(QStringLiteral("name"), key.name);
    o.insert(QStringLiteral("algorithm"), ReleaseKey::algorithmKey(key.algorithm));
    o.insert(QStringLiteral("key_id"), key.keyId);
    o.insert(QStringLiteral("private_storage"), ReleaseKeyRecord::storageKey(key.storage));
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

bool ReleaseKeyTable::insert(OperationsTransaction &transaction, const ReleaseKeyRecord &key, const QString &actor,
                             QString *error)
{
    QString reason;
    if (!ReleaseKeyRecord::isValidName(key.name, &reason))
        return fail(error, reason);
    const std::optional<ReleaseKey> publicKey = ReleaseKey::fromPublicPem(key.publicPem, &reason);
    if (!publicKey)
        return fail(error, tr("release key %1: %2").arg(key.name, reason));
    if (publicKey->keyId() != key.keyId || publicKey->algorithm() != key.algorithm)
        return fail(error, tr("release key %1: the public key does not match the key id or algorithm").arg(key.name));
    if (key.storage == ReleaseKeyRecord::Storage::Passphrase
        && !key.privatePem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
        return fail(error, tr("release key %1: a passphrase key needs its encrypted private key").arg(key.name));
    if (key.storage != ReleaseKeyRecord::Storage::Passphrase && !key.privatePem.isEmpty())
        return fail(error, tr("release key %1: only a passphrase key keeps its private key in the store").arg(key.name));

    QList<ReleaseKeyRecord> existing;
    if (!select(transaction.handle(), "WHERE name = ?1 OR key_id = ?2",
                [&](SqlStatement &st) {
                    st.bindText(1, key.name);
                    st.bindText(2, orEmpty(key.keyId));
                },
                &existing, error))
        return false;
    for (const ReleaseKeyRecord &e : existing) {
        if (e.name == key.name)
            return fail(error, tr("a release key named %1 exists already").arg(key.name));
        if (e.keyId == key.keyId)
            return fail(error, tr("this key (%1) is known already as %2").arg(key.keyId, e.name));
    }

    SqlStatement st;
    if (!st.prepare(transaction.handle(),
                    "INSERT INTO release_keys(name, algorithm, key_id, public_pem, private_pem, private_storage, created_ms)"
                    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    error))
        return false;
    st.bindText(1, key.name);
    st.bindText(2, ReleaseKey::algorithmKey(key.algorithm));
    st.bindText(3, key.keyId);
    st.bindText(4, key.publicPem);
    st.bindText(5, key.privatePem.isNull() ? QByteArray("") : key.privatePem);
    st.bindText(6, ReleaseKeyRecord::storageKey(key.storage));
    st.bindInt64(7, key.createdMs > 0 ? key.createdMs : transaction.nowMs());
    if (!st.execute(error))
        return false;

    AuditEntry audit;
    audit.actor = actor;
    audit.action = key.canSign() ? QStringLiteral("release_key.created") : QStringLiteral("release_key.imported");
    audit.objectKind = QStringLiteral("release_key");
    audit.objectId = key.name;
    audit.afterJson = describeJson(key);
    audit.detail = key.canSign() ? tr("release key %1 (%2) created").arg(key.name, key.keyId)
                                 : tr("trusted public key %1 (%2) imported").arg(key.name, key.keyId);
    return transaction.insertAudit(audit, error) > 0;
}

bool ReleaseKeyTable::remove(OperationsTransaction &transaction, const QString &name, const QString &actor,
                             QString *error)
{
    ReleaseKeyRecord before;
    bool found = false;
    if (!read(transaction.handle(), name, &before, &found, error))
        return false;
    if (!found)
        return fail(error, tr("no release key named %1").arg(name));
    SqlStatement st;
    if (!st.prepare(transaction.handle(), "DELETE FROM release_keys WHERE name = ?1", error))
        return false;
    st.bindText(1, name);
    if (!st.execute(error))
        return false;
    AuditEntry audit;
    audit.actor = actor;
    audit.action = QStringLiteral("release_key.deleted");
    audit.objectKind = QStringLiteral("release_key");
    audit.objectId = name;
    audit.beforeJson = describeJson(before);
    return transaction.insertAudit(audit, error) > 0;
}

bool ReleaseKeyTable::read(sqlite3 *db, const QString &name, ReleaseKeyRecord *out, bool *found, QString *error)
{
    QList<ReleaseKeyRecord> rows;
    if (!select(db, "WHERE name = ?1", [&](SqlStatement &st) { st.bindText(1, orEmpty(name)); }, &rows, error))
        return false;
    *found = !rows.isEmpty();
    if (*found)
        *out = rows.first();
    return true;
}

bool ReleaseKeyTable::list(sqlite3 *db, QList<ReleaseKeyRecord> *out, QString *error)
{
    return select(db, "ORDER BY name", [](SqlStatement &) {}, out, error);
}

} // namespace fd
