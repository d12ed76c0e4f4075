#pragma once

#include "core/domain/ingest_limits.h"
#include "core/domain/ingest_stats.h"
#include "core/storage/retention_policy.h"
#include "core/transport/connection_profile.h"
#include "core/domain/connection_state.h"
#include "core/domain/metric_info.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>

#include <memory>

class QAction;
class QDialog;
class QMenu;
class QMessageBox;
class QSettings;
class QStackedWidget;
class QThreadPool;

namespace fd {

class AlertQueueModel;
class CertificateAuthorityService;
class CommissioningPage;
class CommissioningRecords;
class AlertRulesDialog;
class AlertService;
class AlertsPage;
class ConnectionsDialog;
class CriticalAlertNotifier;
class SourceBanner;
class SourceStateController;
class DeviceCommandController;
class SparkplugWriteDialog;
class DeviceDeletionController;
class OperationsStore;
class DeviceInventoryModel;
class DiagnosticsPage;
class FleetSession;
class FleetStatusBar;
class FirstRunPage;
class InventoryPage;
class MetricCatalogue;
class OverviewPage;
class PageSidebar;
class PlaintextPasswordPrompt;
class ProvisioningService;
class ProfileStore;
class RejectionModel;
class ReleaseCatalog;
class RolloutService;
class RolloutsPage;
class SecretStore;
class ShortcutsDialog;
class TelemetryPage;
class ThemeController;

// The main window: page sidebar (Overview, Alerts, Inventory, Diagnostics, Telemetry), the
// pages, menus and the status bar. Opens on the Overview (a welcome stands in for it on a
// first run: FirstRunPage). Shows the session's cached inventory at once and applies live updates as they come.
// Services are passed in (the composition root owns them); the window owns only its models.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    struct Services
    {
        FleetSession *session = nullptr;    // required, already open()ed
        ProfileStore *profiles = nullptr;   // may be null: no connection dialog
        SecretStore *secrets = nullptr;     // required with profiles
        QSettings *settings = nullptr;      // may be null: window state is not remembered
        OperationsStore *operations = nullptr;  // may be null: no device commands (not auditable)
        QThreadPool *computePool = nullptr;     // may be null: charts decimate on the GUI thread
        // Asks before a password goes out over plain TCP; null: a message box (the default).
        PlaintextPasswordPrompt *plaintextPrompt = nullptr;
        // How metrics are shown (names, units, decimals); null: the window keeps the defaults.
        MetricCatalogue *metrics = nullptr;
        // View > Theme (System / Light / Dark); null: no Theme menu.
        ThemeController *theme = nullptr;
        // Alert rules, open alerts and the operator's actions on them; null: the Alerts page
        // and the Overview's alert tiles say alerts are unavailable.
        AlertService *alerts = nullptr;
        // Firmware rollouts and the release keys / artifacts they use; null: the Rollouts
        // page says rollouts are unavailable.
        RolloutService *rollouts = nullptr;
        ReleaseCatalog *releases = nullptr;
        // Commissioning (issue 14): provisioning requests, the fleet CA and its certificates;
        // null: the Commissioning page says commissioning is unavailable.
        ProvisioningService *provisioning = nullptr;
        CertificateAuthorityService *authority = nullptr;
    };

    enum Page {
        OverviewPageIndex, AlertsPageIndex, InventoryPageIndex, DiagnosticsPageIndex, TelemetryPageIndex,
        RolloutsPageIndex, CommissioningPageIndex
    };

    explicit MainWindow(const Services &services, QWidget *parent = nullptr);
    ~MainWindow() override;

    QString operatorName() const;

    // A short label for the title bar, e.g. "Demo fleet" or the cache file name.
    void setContextLabel(const QString &label);

    // Connects the session to a broker (one more source: the others stay connected); with a
    // named profile, reads its secrets first (asynchronously, ProfileSecrets): only those
    // saved for profile.broker are used; one saved for another broker (`--profile P --broker
    // URL`) is not sent, the connection goes ahead without it and the status bar says why.
    // A password over plain TCP without the profile's confirmation on record is asked about
    // first (PlaintextPasswordPrompt; "yes" is recorded with the saved profile, "no" does not
    // connect). A saved profile connected here is remembered and reconnected at the next
    // start (reconnectSavedConnections()).
    void connectWithProfile(const ConnectionProfile &profile);
    void connectWithSecrets(const ConnectionProfile &profile, const ConnectionSecrets &secrets);
    // Connects the saved profile called name; false if there is none.
    bool connectSavedProfile(const QString &name);
    // Disconnects one source / every source; returns at once (never blocks the GUI thread).
    void disconnectSource(const QString &source);
    void disconnectAll();
    // Connects the saved profiles that were connected at the last exit; returns how many.
    int reconnectSavedConnections();
    QStringList rememberedConnections() const;

    void showPage(int page);
    void restoreWindowState();

    DeviceInventoryModel *inventoryModel() const { return m_inventory; }
    RejectionModel *rejectionModel() const { return m_rejections; }
    InventoryPage *inventoryPage() const { return m_inventoryPage; }
    DiagnosticsPage *diagnosticsPage() const { return m_diagnosticsPage; }
    TelemetryPage *telemetryPage() const { return m_telemetryPage; }
    RolloutsPage *rolloutsPage() const { return m_rolloutsPage; }
    CommissioningPage *commissioningPage() const { return m_commissioningPage; }
    OverviewPage *overviewPage() const { return m_overviewPage; }
    AlertsPage *alertsPage() const { return m_alertsPage; }
    AlertQueueModel *alertQueue() const { return m_alertQueue; }
    CriticalAlertNotifier *alertNotifier() const { return m_alertNotifier; }
    PageSidebar *sidebar() const { return m_sidebar; }
    FirstRunPage *firstRunPage() const { return m_firstRun; }
    QAction *tryDemoAction() const { return m_tryDemoAction; }
    // The composition root reports the demo fleet it starts for demoRequested(): starting
    // (buttons disabled), running (File > Try Demo Fleet disabled) or neither (failed).
    void setDemoState(bool starting, bool running);

    // Opens a Telemetry chart of metric for the devices selected in the inventory (asks
    // which metric when metric is empty and the devices report several) and shows it.
    // Returns false when nothing is selected or the devices report no metric.
    bool chartSelectedDevices(const QString &metric = QString());
    // The same for a list of devices (the detail panel's "Chart…").
    bool chartDevices(const QList<DeviceKey> &devices, const QString &metric = QString());
    FleetStatusBar *fleetStatusBar() const { return m_statusBar; }
    ConnectionsDialog *connectionsDialog() const;  // while open
    QAction *connectionsAction() const { return m_connectionsAction; }
    QAction *disconnectAllAction() const { return m_disconnectAllAction; }
    QAction *reconnectAction() const { return m_reconnectAction; }
    SourceBanner *sourceBanner() const { return m_sourceBanner; }

    // The inventory's "Delete Device…": asks for confirmation (a window-modal message box,
    // returned; null without a selection), then deletes the devices through the
    // DeviceDeletionController (recorded in the operations store, then deleted).
    QMessageBox *confirmDeleteDevices(const QList<DeviceKey> &devices);
    QAction *deleteDevicesAction() const { return m_deleteDevicesAction; }
    DeviceDeletionController *deletionController() const { return m_deletions; }
    DeviceCommandController *commandController() const { return m_commands; }

    // Sparkplug B, from the detail panel: "Write Metric…" opens this window-modal dialog
    // (returned; null when the device cannot be written now, with the reason in the status
    // bar); Write sends the NCMD/DCMD through the DeviceCommandController (audited).
    // "Request Rebirth" sends NCMD Node Control/Rebirth the same way.
    SparkplugWriteDialog *openSparkplugWrite(const DeviceKey &device);
    void requestSparkplugRebirth(const DeviceKey &device);

    // Saves the retention to the settings (if any) and applies it to the session at once
    // (a shorter limit prunes now; the status bar reports what was deleted).
    void applyRetention(const RetentionPolicy &policy);
    // Saves the ingest limits to the settings (if any) and applies them to the session.
    void applyIngestLimits(const IngestLimits &limits);
    // Replaces the metric catalogue's entries and saves them to the settings (if any).
    void applyMetricCatalogue(const QList<MetricInfo> &entries);
    MetricCatalogue *metricCatalogue() const { return m_services.metrics; }

signals:
    // File > Try Demo Fleet / the first-run "Try the Demo Fleet": the composition root starts
    // the demo environment (as --demo does) and connects its sites.
    void demoRequested();

public slots:
    void showConnectionDialog();  // File > Connections… (non-modal, one at a time)
    // File > Connect to Broker…: the connection dialog; without a name a one-off connection
    // (nothing saved), with one the profile is saved and connected. Returned while open.
    QDialog *showConnectDialog();
    void showRetentionDialog();
    void showIngestLimitsDialog();
    void showMetricCatalogueDialog();
    void showAbout();
    // Help > Keyboard Shortcuts…: every shortcut of the window's actions (generated from
    // them) and the keys views handle; non-modal, one at a time.
    ShortcutsDialog *showKeyboardShortcuts();
    // Alerts > Rules…: the rule list and editor (non-modal, one at a time).
    AlertRulesDialog *showAlertRules();
    // The operations store beside the cache was refused (damaged, newer, not ours, read-only):
    // alerts, the audit log, rollouts and commissioning are unavailable. Says so in the status
    // bar and in a (non-modal) warning with the reason; the rest of the window keeps working.
    void showOperationsStoreProblem(const QString &message);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createMenus();
    void createAlertsMenu();
    void connectAlerts();
    void onDevicesUpdated(const QList<fd::Device> &changed);
    void onStatsUpdated(const fd::IngestStats &stats);
    void onConnectionStateChanged(fd::ConnectionState state, const QString &detail);
    void onSourceStateChanged(const QString &source, fd::ConnectionState state, const QString &detail);
    void updateConnectionActions();
    void updateDeviceActions();
    void rememberConnection(const QString &name, bool connected);
    void onStorageError(const QString &message);
    void onProfileSecretsLoaded(ConnectionProfile profile, const ConnectionSecrets &secrets,
                                const QStringList &notes);
    void updateTitle();

    Services m_services;
    std::unique_ptr<MetricCatalogue> m_ownedMetrics;  // when Services::metrics is null
    std::unique_ptr<PlaintextPasswordPrompt> m_defaultPrompt;  // when Services has none

    DeviceCommandController *m_commands = nullptr;
    DeviceDeletionController *m_deletions = nullptr;
    QAction *m_deleteDevicesAction = nullptr;
    DeviceInventoryModel *m_inventory;
    RejectionModel *m_rejections;
    AlertQueueModel *m_alertQueue;
    PageSidebar *m_sidebar;
    QStackedWidget *m_pages;
    InventoryPage *m_inventoryPage;
    DiagnosticsPage *m_diagnosticsPage;
    TelemetryPage *m_telemetryPage;
    OverviewPage *m_overviewPage;
    AlertsPage *m_alertsPage;
    RolloutsPage *m_rolloutsPage;
    CommissioningRecords *m_commissioningRecords = nullptr;
    CommissioningPage *m_commissioningPage = nullptr;
    FleetStatusBar *m_statusBar;
    CriticalAlertNotifier *m_alertNotifier = nullptr;
    QPointer<AlertRulesDialog> m_rulesDialog;
    QPointer<ConnectionsDialog> m_connectionsDialog;
    QAction *m_connectionsAction = nullptr;
    QAction *m_disconnectAllAction = nullptr;
    QAction *m_reconnectAction = nullptr;
    SourceBanner *m_sourceBanner = nullptr;
    SourceStateController *m_sourceState = nullptr;
    QAction *m_tryDemoAction = nullptr;
    FirstRunPage *m_firstRun = nullptr;
    QMenu *m_deviceMenu = nullptr;
    QPointer<ShortcutsDialog> m_shortcutsDialog;
    QStringList m_remembered;  // saved profiles to reconnect at the next start
    QHash<QString, QString> m_sourceBrokers;  // source -> broker URL it was connected with
    QString m_contextLabel;
    bool m_storageErrorShown = false;
    bool m_reportPrune = false;  // applyRetention() started a retention pass
};

} // namespace fd
