#include "core/provisioning/commissioning_report_table.h"

#include "core/operations/operations_transaction.h"
#include "core/storage/sql_statement.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <sqlite3.h>

namespace fd {
namespace {

CommissioningReport rowToReport(const SqlStatement &st, bool withPdf)
{
    CommissioningReport r;
    r.id = st.columnInt64(0);
    r.deviceId = st.columnText(1);
    r.serial = st.columnText(2);
    r.certSerial = st.columnText(3);
    r.fingerprint = st.columnText(4);
    r.technician = st.columnText(5);
    r.createdMs = st.columnInt64(6);
    r.passed = st.columnInt64(7) != 0;
    r.checksJson = st.columnText(8);
    if (withPdf)
        r.pdf = st.columnBlob(9).toByteArray();
    return r;
}

QString describeJson(const CommissioningReport &r)
{
    const QJsonObject o{{QStringLiteral("id"), double(r.id)},
                        {QStringLiteral("device_id"), r.deviceId},
                        {QStringLiteral("serial"), r.serial},
                        {QStringLiteral("cert_serial"), r.certSerial},
                        {QStringLiteral("fingerprint"), r.fingerprint},
                        {QStringLiteral("technician"), r.technician},
                        {QStringLiteral("created_ms"), double(r.createdMs)},
                        {QStringLiteral("passed"), r.passed},
                        {QStringLiteral("pdf_bytes"), double(r.pdf.size())}};
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

bool read(sqlite3 *db, const QByteArray &where, const std::function<void(SqlStatement &)> &bind, bool withPdf,
          QList<CommissioningReport> *out, QString *error)
{
    const QByteArray sql = QByteArray("SELECT id, device_id, serial, cert_serial, fingerprint, technician, created_ms, passed,"
                                      " checks_json, ")
                           + (withPdf ? "pdf" : "NULL") + " FROM commissioning_reports " + where;
    SqlStatement st;
    if (!st.prepare(db, sql.constData(), error))
        return false;
    bind(st);
    out->clear();
    int rc;
    while ((rc = st.step()) == SQLITE_ROW)
        out->append(rowToReport(st, withPdf));
    if (rc != SQLITE_DONE) {
        *error = st.errorMessage();
        return false;
    }
    return true;
}

} // namespace

bool CommissioningReportTable::insert(OperationsTransaction &tx, CommissioningReport *r, QString *error)
{
    if (r->deviceId.isEmpty() || r->technician.isEmpty()) {
        *error = tr("a commissioning report needs a device id and a technician");
        return false;
    }
    if (r->pdf.size() > kMaxPdfBytes) {
        *error = tr("the report's PDF is larger than %1 MiB").arg(kMaxPdfBytes / (1024 * 1024));
        return false;
    }
    const QByteArray checks = r->checksJson.toUtf8();
    const QJsonDocument doc = QJsonDocument::fromJson(checks);
    if (checks.size() > kMaxChecksJsonBytes || doc.isNull()) {
        *error = tr("the report's checks are not JSON (or larger than 1 MiB)");
        return false;
    }
    if (r->createdMs <= 0)
        r->createdMs = tx.nowMs();
    SqlStatement st;
    if (!st.prepare(tx.handle(),
                    "INSERT INTO commissioning_reports(device_id, serial, cert_serial, fingerprint, technician,"
                    " created_ms, passed, checks_json, pdf) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    error))
        return false;
    st.bindText(1, r->deviceId);
    st.bindText(2, r->serial);
    st.bindText(3, r->certSerial);
    st.bindText(4, r->fingerprint);
    st.bindText(5, r->technician);
    st.bindInt64(6, r->createdMs);
    st.bindInt64(7, r->passed ? 1 : 0);
    st.bindText(8, r->checksJson);
    if (r->pdf.isEmpty())
        st.bindNull(9);
    else
        st.bindBlob(9, r->pdf);
    if (!st.execute(error))
        return false;
    r->id = sqlite3_last_insert_rowid(tx.handle());
    tx.setResultId(r->id);
    AuditEntry entry;
    entry.tsMs = tx.nowMs();
    entry.actor = r->technician;
    entry.action = QStringLiteral("commissioning_report.created");
    entry.devicePath = r->deviceId;
    entry.objectKind = QStringLiteral("commissioning_report");
    entry.objectId = QString::number(r->id);
    entry.afterJson = describeJson(*r);
    entry.detail = r->passed ? tr("passed") : tr("failed");
    return tx.insertAudit(entry, error) > 0;
}

bool CommissioningReportTable::list(sqlite3 *db, const QString &deviceId, QList<CommissioningReport> *out,
                                    QString *error, bool withPdf)
{
    if (deviceId.isEmpty())
        return read(db, "ORDER BY id DESC", [](SqlStatement &) {}, withPdf, out, error);
    return read(db, "WHERE device_id = ?1 ORDER BY id DESC", [&deviceId](SqlStatement &st) { st.bindText(1, deviceId); },
                withPdf, out, error);
}

bool CommissioningReportTable::byId(sqlite3 *db, qint64 id, CommissioningReport *out, bool *found, QString *error)
{
    QList<CommissioningReport> rows;
    if (!read(db, "WHERE id = ?1", [id](SqlStatement &st) { st.bindInt64(1, id); }, true, &rows, error))
        return false;
    *found = !rows.isEmpty();
    if (*found)
        *out = rows.constFirst();
    return true;
}

} // namespace fd
