#pragma once

#include "app/gui/gui_options.h"
#include "core/ingest/fleet_session.h"
#include "core/platform/termination_watcher.h"
#include "core/settings/keychain_secret_store.h"
#include "core/settings/profile_store.h"

#include <QObject>
#include <QSettings>

#include <memory>

namespace fd {

class DemoEnvironment;
class MainWindow;
class PerfReport;

// Composition root of the GUI: builds the services (settings, profiles, keychain, fleet
// session, demo environment), opens the cache (asking the user what to do if it cannot be
// opened), shows the main window with the cached inventory, then connects. Owns everything
// and shuts it down in order when the application quits.
class FleetDeckGui : public QObject
{
    Q_OBJECT
public:
    explicit FleetDeckGui(const GuiOptions &options, QObject *parent = nullptr);
    ~FleetDeckGui() override;

    // False if the user chose to quit (the cache could not be opened).
    bool start();

private:
    QString defaultDbPath() const;
    bool openCache(QString path);
    void startDemo();
    void connectFromCommandLine();
    void shutdown();

    GuiOptions m_options;
    QSettings m_settings;
    ProfileStore m_profiles;
    KeychainSecretStore m_secrets;
    FleetSession m_session;
    std::unique_ptr<DemoEnvironment> m_demo;
    std::unique_ptr<PerfReport> m_perf;    // --perf-report
    std::unique_ptr<MainWindow> m_window;  // after the services: destroyed first
    TerminationWatcher m_termination;
    QString m_dbPath;
    bool m_shutDown = false;
};

} // namespace fd
