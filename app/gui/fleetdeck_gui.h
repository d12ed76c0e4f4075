#pragma once

#include "app/gui/gui_options.h"
#include "core/domain/metric_catalogue.h"
#include "core/ingest/fleet_session.h"
#include "core/operations/operations_store.h"
#include "core/platform/termination_watcher.h"
#include "core/settings/keychain_secret_store.h"
#include "core/settings/profile_store.h"
#include "ui/theme_controller.h"

#include <QObject>
#include <QProgressDialog>
#include <QSettings>
#include <QThreadPool>

#include <memory>

namespace fd {

class AlertRuntime;
class CertificateAuthorityService;
class CertificateExpiryMonitor;
class DemoController;
class MainWindow;
class PerfReport;
class ProvisioningService;
class ReleaseCatalog;
class RolloutService;

// Composition root of the GUI: builds the services (settings, profiles, keychain, fleet
// session, demo environment), opens the cache off the GUI thread (a progress dialog if it
// takes long; asking the user what to do if it cannot be opened), shows the main window
// with the cached inventory, then connects. Owns everything and shuts it down in order:
// closing the window first saves the last data off the GUI thread (the window says so),
// then quits.
class FleetDeckGui : public QObject
{
    Q_OBJECT
public:
    explicit FleetDeckGui(const GuiOptions &options, QObject *parent = nullptr);
    ~FleetDeckGui() override;

    // Starts opening the cache and returns at once (the window follows when it is open);
    // false only for an immediate failure. If the user then chooses to quit, the
    // application exits with code 1.
    bool start();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QString defaultDbPath() const;
    void openCache(const QString &path);
    void onCacheOpened(const Database::OpenResult &result);
    void showWindow();
    void startDemo(bool fromCommandLine);
    void installDemoRules();
    void connectFromCommandLine();
    void shutdown();

    GuiOptions m_options;
    QSettings m_settings;
    ThemeController m_theme;  // applied at once: dialogs before the window are themed too
    ProfileStore m_profiles;
    KeychainSecretStore m_secrets;
    FleetSession m_session;
    OperationsStore m_operations;  // operator actions + audit, beside the cache
    std::unique_ptr<ReleaseCatalog> m_releases;
    std::unique_ptr<RolloutService> m_rollouts;
    std::unique_ptr<CertificateAuthorityService> m_authority;  // the fleet CA (issue 14)
    std::unique_ptr<ProvisioningService> m_provisioning;       // factory devices' requests
    std::unique_ptr<AlertRuntime> m_alerts;  // rule engine on ingest + alerts in m_operations
    std::unique_ptr<CertificateExpiryMonitor> m_certificateAlerts;  // uses m_alerts: destroyed before it
    MetricCatalogue m_metrics;     // Settings > Metric Catalogue
    QThreadPool m_computePool;     // data-parallel work within one frame (chart decimation)
    std::unique_ptr<DemoController> m_demo;  // --demo, or started from the window
    std::unique_ptr<PerfReport> m_perf;    // --perf-report
    std::unique_ptr<MainWindow> m_window;  // after the services: destroyed first
    TerminationWatcher m_termination;
    QString m_dbPath;
    QString m_openingPath;
    std::unique_ptr<QProgressDialog> m_opening;  // while the cache opens, if it takes long
    bool m_shutDown = false;
    bool m_closing = false;  // the window asked to close: saving off the GUI thread
};

} // namespace fd
