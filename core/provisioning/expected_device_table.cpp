#include "core/provisioning/expected_device_table.h"

#include "core/operations/operations_transaction.h"
#include "core/storage/sql_statement.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <sqlite3.h>

namespace fd {
namespace {

constexpr const char kColumns[] =
    "SELECT serial, model, claim_hash, device_id, name, site, tags, imported_ms, state, enrolled_ms FROM expected_devices ";

QString tagsJson(const QStringList &tags)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(tags)).toJson(QJsonDocument::Compact));
}

QStringList tagsFromJson(const QByteArray &json)
{
    QStringList out;
    const QJsonArray a = QJsonDocument::fromJson(json).array();
    for (const QJsonValue &v : a) {
        if (v.isString() && out.size() < 32)
            out.append(v.toString());
    }
    return out;
}

ExpectedDevice rowToDevice(const SqlStatement &st)
{
    ExpectedDevice d;
    d.serial = st.columnText(0);
    d.model = st.columnText(1);
    d.claimHash = st.columnText(2);
    d.deviceId = st.columnText(3);
    d.name = st.columnText(4);
    d.site = st.columnText(5);
    d.tags = tagsFromJson(st.columnUtf8(6));
    d.importedMs = st.columnInt64(7);
    d.state = ExpectedDevice::stateFromKey(st.columnText(8));
    d.enrolledMs = st.columnInt64(9);
    return d;
}

void bindOptional(SqlStatement &st, int index, const QString &value)
{
    if (value.isEmpty())
        st.bindNull(index);
    else
        st.bindText(index, value);
}

bool writeRow(SqlStatement &st, const ExpectedDevice &d, QString *error)
{
    st.bindText(1, d.serial);
    st.bindText(2, d.model);
    st.bindText(3, d.claimHash);
    bindOptional(st, 4, d.deviceId);
    bindOptional(st, 5, d.name);
    bindOptional(st, 6, d.site);
    st.bindText(7, tagsJson(d.tags));
    st.bindInt64(8, d.importedMs);
    st.bindText(9, ExpectedDevice::stateKey(d.state));
    if (d.enrolledMs > 0)
        st.bindInt64(10, d.enrolledMs);
    else
        st.bindNull(10);
    return st.execute(error);
}

bool audit(OperationsTransaction &tx, const QString &action, const QString &objectId, const QString &before,
           const QString &after, const QString &deviceId, const QString &actor, const QString &detail, QString *error)
{
    AuditEntry entry;
    entry.tsMs = tx.nowMs();
    entry.actor = actor;
    entry.action = QStringLiteral("expected_device.") + action;
    entry.devicePath = deviceId;
    entry.objectKind = QStringLiteral("expected_device");
    entry.objectId = objectId;
    entry.beforeJson = before;
    entry.afterJson = after;
    entry.detail = detail;
    return tx.insertAudit(entry, error) > 0;
}

} // namespace

QString ExpectedDeviceTable::describeJson(const ExpectedDevice &d)
{
    QJsonObject o{{QStringLiteral("serial"), d.serial},
                  {QStringLiteral("model"), d.model},
                  {QStringLiteral("device_id"), d.deviceId},
                  {QStringLiteral("name"), d.name},
                  {QStringLiteral("site"), d.site},
                  {QStringLiteral("tags"), QJsonArray::fromStringList(d.tags)},
                  {QStringLiteral("imported_ms"), double(d.importedMs)},
                  {QStringLiteral("state"), ExpectedDevice::stateKey(d.state)}};
    if (d.enrolledMs > 0)
        o.insert(QStringLiteral("enrolled_ms"), double(d.enrolledMs));
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

bool ExpectedDeviceTable::importAll(OperationsTransaction &tx, const QList<ExpectedDevice> &devices,
                                    const QString &actor, ImportResult *result, QString *error)
{
    ImportResult counts;
    SqlStatement write;
    if (!write.prepare(tx.handle(),
                       "INSERT OR REPLACE INTO expected_devices(serial, model, claim_hash, device_id, name, site, tags,"
                       " imported_ms, state, enrolled_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                       error))
        return false;
    for (ExpectedDevice d : devices) {
        ExpectedDevice existing;
        bool found = false;
        if (!bySerial(tx.handle(), d.serial, &existing, &found, error))
            return false;
        if (found && existing.state == ExpectedDevice::State::Enrolled) {
            ++counts.skippedEnrolled;
            continue;
        }
        d.state = ExpectedDevice::State::Expected;
        d.enrolledMs = 0;
        if (d.importedMs <= 0)
            d.importedMs = tx.nowMs();
        if (!writeRow(write, d, error))
            return false;
        ++(found ? counts.updated : counts.added);
    }
    const QString summary = QString::fromUtf8(
        QJsonDocument(QJsonObject{{QStringLiteral("added"), counts.added},
                                  {QStringLiteral("updated"), counts.updated},
                                  {QStringLiteral("skipped_enrolled"), counts.skippedEnrolled}})
            .toJson(QJsonDocument::Compact));
    if (!audit(tx, QStringLiteral("imported"), QStringLiteral("import"), QString(), summary, QString(), actor,
               tr("%1 expected devices added, %2 updated, %3 enrolled kept")
                   .arg(counts.added)
                   .arg(counts.updated)
                   .arg(counts.skippedEnrolled),
               error))
        return false;
    if (result)
        *result = counts;
    return true;
}

bool ExpectedDeviceTable::markEnrolled(OperationsTransaction &tx, const QString &serial, const QString &deviceId,
                                       const QString &actor, QString *error)
{
    ExpectedDevice before;
    bool found = false;
    if (!bySerial(tx.handle(), serial, &before, &found, error))
        return false;
    if (!found) {
        *error = tr("%1 is not on the list of expected devices").arg(serial);
        return false;
    }
    ExpectedDevice after = before;
    after.state = ExpectedDevice::State::Enrolled;
    after.enrolledMs = tx.nowMs();
    after.deviceId = deviceId;
    SqlStatement st;
    if (!st.prepare(tx.handle(),
                    "UPDATE expected_devices SET state = 'enrolled', enrolled_ms = ?2, device_id = ?3 WHERE serial = ?1",
                    error))
        return false;
    st.bindText(1, serial);
    st.bindInt64(2, after.enrolledMs);
    st.bindText(3, deviceId);
    if (!st.execute(error))
        return false;
    return audit(tx, QStringLiteral("enrolled"), serial, describeJson(before), describeJson(after), deviceId, actor,
                 QString(), error);
}

bool ExpectedDeviceTable::remove(OperationsTransaction &tx, const QString &serial, const QString &actor, QString *error)
{
    ExpectedDevice before;
    bool found = false;
    if (!bySerial(tx.handle(), serial, &before, &found, error))
        return false;
    if (!found) {
        *error = tr("%1 is not on the list of expected devices").arg(serial);
        return false;
    }
    SqlStatement st;
    if (!st.prepare(tx.handle(), "DELETE FROM expected_devices WHERE serial = ?1", error))
        return false;
    st.bindText(1, serial);
    if (!st.execute(error))
        return false;
    return audit(tx, QStringLiteral("removed"), serial, describeJson(before), QString(), before.deviceId, actor,
                 QString(), error);
}

bool ExpectedDeviceTable::bySerial(sqlite3 *db, const QString &serial, ExpectedDevice *out, bool *found, QString *error)
{
    SqlStatement st;
    if (!st.prepare(db, QByteArray(QByteArray(kColumns) + "WHERE serial = ?1").constData(), error))
        return false;
    st.bindText(1, serial);
    const int rc = st.step();
    if (rc == SQLITE_ROW) {
        *found = true;
        *out = rowToDevice(st);
        return true;
    }
    if (rc != SQLITE_DONE) {
        *error = st.errorMessage();
        return false;
    }
    *found = false;
    return true;
}

bool ExpectedDeviceTable::list(sqlite3 *db, QList<ExpectedDevice> *out, QString *error)
{
    SqlStatement st;
    if (!st.prepare(db, QByteArray(QByteArray(kColumns) + "ORDER BY serial").constData(), error))
        return false;
    out->clear();
    int rc;
    while ((rc = st.step()) == SQLITE_ROW)
        out->append(rowToDevice(st));
    if (rc != SQLITE_DONE) {
        *error = st.errorMessage();
        return false;
    }
    return true;
}

bool ExpectedDeviceTable::counts(sqlite3 *db, int *expected, int *enrolled, QString *error)
{
    SqlStatement st;
    if (!st.prepare(db, "SELECT COUNT(*), COALESCE(SUM(state = 'enrolled'), 0) FROM expected_devices", error))
        return false;
    if (st.step() != SQLITE_ROW) {
        *error = st.errorMessage();
        return false;
    }
    *expected = int(st.columnInt64(0));
    *enrolled = int(st.columnInt64(1));
    return true;
}

} // namespace fd
