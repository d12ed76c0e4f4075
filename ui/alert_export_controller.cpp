#include "ui/alert_export_controller.h"

#include "core/alerts/alert_json.h"
#include "core/alerts/alert_service.h"
#include "core/operations/audit_csv.h"
#include "core/operations/audit_json.h"
#include "core/operations/operations_store.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonDocument>
#include <QMenu>
#include <QSaveFile>
#include <QStandardPaths>

namespace fd {

AlertExportController::AlertExportController(AlertService *service, OperationsStore *store, QWidget *dialogParent,
                                             QObject *parent)
    : QObject(parent)
    , m_service(service)
    , m_store(store)
    , m_dialogParent(dialogParent)
    , m_menu(new QMenu(tr("E&xport"), dialogParent))
{
    m_menu->setObjectName(QStringLiteral("alertExportMenu"));
    QAction *open = m_menu->addAction(tr("&Open Alerts…"), this, [this] { chooseAndExport(What::OpenAlerts); });
    open->setObjectName(QStringLiteral("exportOpenAlerts"));
    open->setStatusTip(tr("The alerts not yet resolved (cleared ones included), as CSV or JSON"));
    QAction *all = m_menu->addAction(tr("&All Alerts, Resolved Too…"), this, [this] { chooseAndExport(What::AllAlerts); });
    all->setObjectName(QStringLiteral("exportAllAlerts"));
    all->setStatusTip(tr("Every alert in the operations store, resolved ones included, as CSV or JSON"));
    open->setEnabled(m_service);
    all->setEnabled(m_service);
    m_menu->addSeparator();
    QAction *audit = m_menu->addAction(tr("A&udit Log…"), this, [this] { chooseAndExport(What::AuditLog); });
    audit->setObjectName(QStringLiteral("exportAuditLog"));
    audit->setStatusTip(tr("Every operator action and alert change recorded, as CSV or JSON"));
    audit->setEnabled(m_store);

    if (m_service) {
        connect(m_service, &AlertService::alertsRead, this,
                [this](quint64 id, const QList<Alert> &alerts, const QString &error) {
            const auto it = m_alertJobs.constFind(id);
            if (it == m_alertJobs.cend())
                return;
            const Target target = *it;
            m_alertJobs.erase(it);
            if (!error.isEmpty()) {
                emit finished(target.path, false, tr("The alerts could not be read: %1").arg(error));
                return;
            }
            write(target,
                  target.format == Format::Csv ? AlertJson::toCsv(alerts)
                                               : QJsonDocument(AlertJson::toJson(alerts)).toJson(QJsonDocument::Indented),
                  int(alerts.size()));
        });
    }
    if (m_store) {
        connect(m_store, &OperationsStore::auditRead, this, [this](quint64 id, const QList<AuditEntry> &entries) {
            const auto it = m_auditJobs.constFind(id);
            if (it == m_auditJobs.cend())
                return;
            const Target target = *it;
            m_auditJobs.erase(it);
            write(target,
                  target.format == Format::Csv ? AuditCsv::toCsv(entries)
                                               : QJsonDocument(AuditJson::toJson(entries)).toJson(QJsonDocument::Indented),
                  int(entries.size()));
        });
        connect(m_store, &OperationsStore::failed, this, [this](quint64 id, const QString &reason) {
            const auto it = m_auditJobs.constFind(id);
            if (it == m_auditJobs.cend())
                return;
            const QString path = it->path;
            m_auditJobs.erase(it);
            emit finished(path, false, tr("The audit log could not be read: %1").arg(reason));
        });
    }
}

AlertExportController::Format AlertExportController::formatForPath(const QString &path, Format fallback)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == u"json")
        return Format::Json;
    if (suffix == u"csv")
        return Format::Csv;
    return fallback;
}

void AlertExportController::chooseAndExport(What what)
{
    const QString csv = tr("CSV (*.csv)");
    const QString json = tr("JSON (*.json)");
    const QString base = what == What::AuditLog   ? QStringLiteral("fleetdeck-audit")
                         : what == What::AllAlerts ? QStringLiteral("fleetdeck-alerts-all")
                                                   : QStringLiteral("fleetdeck-alerts");
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    QString filter = csv;
    QString path = QFileDialog::getSaveFileName(m_dialogParent, tr("Export"), QDir(dir).filePath(base + u".csv"),
                                                csv + QStringLiteral(";;") + json, &filter);
    if (path.isEmpty())
        return;
    const Format chosen = filter == json ? Format::Json : Format::Csv;
    const Format format = formatForPath(path, chosen);
    if (QFileInfo(path).suffix().isEmpty())
        path += format == Format::Json ? QStringLiteral(".json") : QStringLiteral(".csv");
    exportTo(what, path, format);
}

bool AlertExportController::exportTo(What what, const QString &path, Format format)
{
    const Target target{path, format, what};
    if (what == What::AuditLog) {
        QString error;
        const quint64 id = m_store ? m_store->queryAudit(AuditFilter{}, &error) : 0;
        if (id == 0) {
            emit finished(path, false, m_store ? error : tr("There is no operations store (audit log)."));
            return false;
        }
        m_auditJobs.insert(id, target);
        return true;
    }
    if (!m_service) {
        emit finished(path, false, tr("Alerts need the operations store beside the cache."));
        return false;
    }
    m_alertJobs.insert(m_service->readAlerts(what == What::AllAlerts), target);
    return true;
}

void AlertExportController::write(const Target &target, const QByteArray &data, int count)
{
    QSaveFile file(target.path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        emit finished(target.path, false, tr("%1 could not be written: %2")
                                              .arg(QDir::toNativeSeparators(target.path), file.errorString()));
        return;
    }
    const QString what = target.what == What::AuditLog ? tr("%n audit entries", nullptr, count)
                                                       : tr("%n alert(s)", nullptr, count);
    emit finished(target.path, true, tr("Exported %1 to %2.").arg(what, QDir::toNativeSeparators(target.path)));
}

} // namespace fd
