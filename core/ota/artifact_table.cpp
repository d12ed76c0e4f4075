#include "core/ota/artifact_table.h"

#include "core/operations/operations_transaction.h"
#include "core/storage/sql_statement.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <sqlite3.h>

#include <functional>

namespace fd {
namespace {

constexpr const char kSelect[] = "SELECT id, version, models, notes, file_name, sha256, size, manifest, signature,"
                                 " key_id, created_ms FROM artifacts ";

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

QString modelsJson(const QStringList &models)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(models)).toJson(QJsonDocument::Compact));
}

QStringList modelsFromJson(const QByteArray &json)
{
    QStringList models;
    const QJsonArray array = QJsonDocument::fromJson(json).array();
    for (const QJsonValue &v : array)
        models.append(v.toString());
    return models;
}

bool select(sqlite3 *db, const char *where, const std::function<void(SqlStatement &)> &bind,
            QList<FirmwareArtifact> *out, QString *error)
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
        FirmwareArtifact a;
        a.id = st.columnText(0);
        a.version = st.columnText(1);
        a.models = modelsFromJson(st.columnUtf8(2));
        a.notes = st.columnText(3);
        a.fileName = st.columnText(4);
        a.sha256 = st.columnText(5);
        a.size = st.columnInt64(6);
        a.manifest = st.columnBlob(7).toByteArray();
        a.signature = st.columnBlob(8).toByteArray();
        a.keyId = st.columnText(9);
        a.createdMs = st.columnInt64(10);
        out->append(a);
    }
}

} // namespace

QJsonObject ArtifactTable::describe(const FirmwareArtifact &a)
{
    QJsonObject o;
    o.insert(QStringLiteral("id"), a.id);
    o.insert(QStringLiteral("version"), a.version);
    o.insert(QStringLiteral("models"), QJsonArray::fromStringList(a.models));
    o.insert(QStringLiteral("notes"), a.notes);
    o.insert(QStringLiteral("file_name"), a.fileName);
    o.insert(QStringLiteral("sha256"), a.sha256);
    o.insert(QStringLiteral("size"), a.size);
    o.insert(QStringLiteral("key_id"), a.keyId);
    o.insert(QStringLiteral("created_ms"), a.createdMs);
    return o;
}

bool ArtifactTable::insert(OperationsTransaction &transaction, const FirmwareArtifact &artifact, const QString &actor,
                           bool *existed, QString *error)
{
    FirmwareArtifact before;
    bool found = false;
    if (!read(transaction.handle(), artifact.id, &before, &found, error))
        return false;
    *existed = found;
    if (found)
        return true;
    SqlStatement st;
    if (!st.prepare(transaction.handle(),
                    "INSERT INTO artifacts(id, version, models, notes, file_name, sha256, size, manifest, signature,"
                    " key_id, created_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                    error))
        return false;
    const qint64 createdMs = artifact.createdMs > 0 ? artifact.createdMs : transaction.nowMs();
    st.bindText(1, orEmpty(artifact.id));
    st.bindText(2, orEmpty(artifact.version));
    st.bindText(3, modelsJson(artifact.models));
    st.bindText(4, orEmpty(artifact.notes));
    st.bindText(5, orEmpty(artifact.fileName));
    st.bindText(6, orEmpty(artifact.sha256));
    st.bindInt64(7, artifact.size);
    st.bindBlob(8, artifact.manifest);
    st.bindBlob(9, artifact.signature);
    st.bindText(10, orEmpty(artifact.keyId));
    st.bindInt64(11, createdMs);
    if (!st.execute(error))
        return false;

    FirmwareArtifact after = artifact;
    after.createdMs = createdMs;
    AuditEntry audit;
    audit.actor = actor;
    audit.action = QStringLiteral("artifact.imported");
    audit.objectKind = QStringLiteral("artifact");
    audit.objectId = artifact.id;
    audit.afterJson = QString::fromUtf8(QJsonDocument(describe(after)).toJson(QJsonDocument::Compact));
    audit.detail = tr("firmware %1 (%2, %3 bytes) imported, signed by release key %4")
                       .arg(artifact.version, artifact.fileName)
                       .arg(artifact.size)
                       .arg(artifact.keyId);
    return transaction.insertAudit(audit, error) > 0;
}

bool ArtifactTable::read(sqlite3 *db, const QString &id, FirmwareArtifact *out, bool *found, QString *error)
{
    QList<FirmwareArtifact> rows;
    if (!select(db, "WHERE id = ?1", [&](SqlStatement &st) { st.bindText(1, orEmpty(id)); }, &rows, error))
        return false;
    *found = !rows.isEmpty();
    if (*found)
        *out = rows.first();
    return true;
}

bool ArtifactTable::list(sqlite3 *db, QList<FirmwareArtifact> *out, QString *error)
{
    return select(db, "ORDER BY created_ms DESC, id", [](SqlStatement &) {}, out, error);
}

} // namespace fd
