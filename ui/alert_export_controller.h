#pragma once

#include <QHash>
#include <QObject>
#include <QString>

class QAction;
class QMenu;
class QWidget;

namespace fd {

class AlertService;
class OperationsStore;

// Exports from the triage page: the alerts (AlertService::readAlerts: open ones, or every
// alert with the resolved ones) and the audit log (OperationsStore::queryAudit), as CSV
// (AlertJson::toCsv, AuditCsv) or JSON (AlertJson, AuditJson; an array, indented). The
// reads run on the store's worker; the file is written (QSaveFile: all or nothing) when the
// answer comes, then finished() says what happened.
class AlertExportController : public QObject
{
    Q_OBJECT
public:
    enum class Format { Csv, Json };
    enum class What { OpenAlerts, AllAlerts, AuditLog };

    AlertExportController(AlertService *service, OperationsStore *store, QWidget *dialogParent,
                          QObject *parent = nullptr);

    // Export ▸ Open Alerts…, All Alerts…, Audit Log…: each asks for a file (CSV or JSON by
    // the chosen filter or the suffix).
    QMenu *menu() const { return m_menu; }

    // Without a dialog. False (and finished(path, false, reason) at once) when it cannot start.
    bool exportTo(What what, const QString &path, Format format);
    static Format formatForPath(const QString &path, Format fallback = Format::Csv);
    bool isBusy() const { return !m_alertJobs.isEmpty() || !m_auditJobs.isEmpty(); }

signals:
    void finished(const QString &path, bool ok, const QString &message);

private:
    struct Target
    {
        QString path;
        Format format = Format::Csv;
        What what = What::OpenAlerts;
    };
    void chooseAndExport(What what);
    void write(const Target &target, const QByteArray &data, int count);

    AlertService *m_service;
    OperationsStore *m_store;
    QWidget *m_dialogParent;
    QMenu *m_menu;
    QHash<quint64, Target> m_alertJobs;
    QHash<quint64, Target> m_auditJobs;
};

} // namespace fd
