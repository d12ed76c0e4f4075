#include "app/gui/fleetdeck_gui.h"

#include "app/gui/demo_alert_rules.h"
#include "app/gui/demo_controller.h"
#include "app/gui/demo_firmware.h"
#include "app/gui/demo_pki.h"
#include "app/gui/perf_report.h"
#include "core/alerts/alert_runtime.h"
#include "core/alerts/alert_service.h"
#include "core/alerts/certificate_expiry_monitor.h"
#include "core/ota/release_catalog.h"
#include "core/ota/rollout_service.h"
#include "core/pki/certificate_authority_service.h"
#include "core/provisioning/provisioning_service.h"
#include "core/provisioning/provisioning_settings.h"
#include "core/settings/ingest_settings.h"
#include "core/settings/metric_catalogue_settings.h"
#include "core/settings/operator_settings.h"
#include "core/settings/retention_settings.h"
#include "core/storage/database.h"
#include "core/transport/broker_url.h"
#include "ui/commissioning_page.h"
#include "ui/database_problem_dialog.h"
#include "ui/main_window.h"
#include "ui/system_color_scheme.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDialog>
#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QPointer>
#include <QScreen>
#include <QStandardPaths>
#include <QStatusBar>
#include <QThread>
#include <QTimer>

Q_LOGGING_CATEGORY(lcApp, "fleetdeck.app")

namespace fd {

namespace {
FleetSession::Options sessionOptions()
{
    FleetSession::Options options;
    options.liveTelemetry = true;  // the Telemetry page and the Trend column read them
    return options;
}
} // namespace

FleetDeckGui::FleetDeckGui(const GuiOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_settings(QStringLiteral("FleetDeck"), QStringLiteral("fleetdeck"))
    , m_theme(&m_settings, SystemColorScheme(QApplication::palette()).prefersDark())
    , m_profiles(m_settings)
    , m_secrets(this)
    , m_session(sessionOptions())
{
    m_theme.applyInitialTheme();
    // Before the session's first connection: the rule engine is one of its ingest consumers.
    m_alerts = std::make_unique<AlertRuntime>(&m_session, &m_operations, OperatorSettings(m_settings).name());
    connect(qApp, &QCoreApplication::aboutToQuit, this, &FleetDeckGui::shutdown);
    connect(&m_termination, &TerminationWatcher::terminationRequested, this, [](int signal) {
        qCInfo(lcApp) << "signal" << signal << "- quitting";
        // A modal dialog (e.g. before the main loop runs) would keep its own loop going.
        const QWidgetList windows = QApplication::topLevelWidgets();
        for (QWidget *w : windows) {
            if (auto *dialog = qobject_cast<QDialog *>(w); dialog && dialog->isVisible())
                dialog->reject();
        }
        QCoreApplication::exit(0);
    });
}

FleetDeckGui::~FleetDeckGui()
{
    shutdown();
}

QString FleetDeckGui::defaultDbPath() const
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return QDir(dir).filePath(m_options.demo ? QStringLiteral("demo-cache.sqlite") : QStringLiteral("cache.sqlite"));
}

bool FleetDeckGui::start()
{
    if (!m_options.perfReportPath.isEmpty()) {
        m_perf = std::make_unique<PerfReport>(m_options.perfReportPath, m_options.perfQuitAfterPaint);
        connect(&m_session, &FleetSession::statsUpdated, m_perf.get(), &PerfReport::setIngestStats);
    }
    // Settings > Cache and Retention; the same limits for the normal and the demo cache.
    m_session.setRetention(RetentionSettings(m_settings).load());
    // Settings > Ingest Limits.
    m_session.setLimits(IngestSettings(m_settings).load());
    m_metrics.setEntries(MetricCatalogueSettings(m_settings).load());
    connect(&m_session, &FleetSession::opened, this, &FleetDeckGui::onCacheOpened);
    openCache(m_options.dbPath.isEmpty() ? defaultDbPath() : m_options.dbPath);
    return true;
}

void FleetDeckGui::openCache(const QString &path)
{
    m_openingPath = path;
    // The integrity check, a migration or a big inventory can take seconds: say so, but only
    // when it does (a quick open shows nothing).
    m_opening = std::make_unique<QProgressDialog>(tr("Opening the cache %1…").arg(QDir::toNativeSeparators(path)),
                                                  QString(), 0, 0);
    m_opening->setWindowTitle(tr("FleetDeck"));
    m_opening->setMinimumDuration(500);
    m_opening->setCancelButton(nullptr);
    m_opening->setAutoClose(false);
    m_session.openAsync(path);
}

void FleetDeckGui::onCacheOpened(const Database::OpenResult &result)
{
    m_opening.reset();
    const QString path = m_openingPath;
    if (result.ok()) {
        m_dbPath = path;
        qCInfo(lcApp).noquote() << "cache" << path << "schema" << result.schemaVersion;
        // Operator actions and their audit log: their own file, opened off the GUI thread.
        connect(&m_operations, &OperationsStore::opened, this, [this](const Database::OpenResult &r) {
            if (r.ok())
                return;
            qCWarning(lcApp).noquote() << "operations store:" << r.message;
            if (m_window)
                m_window->showOperationsStoreProblem(r.message);
        });
        m_operations.open(OperationsStore::pathForCache(path));
        m_alerts->start();
        // Firmware rollouts: keys and artifacts beside the cache, rollouts resumed where the
        // store says they were (each waits for its source's broker).
        const QString actor = OperatorSettings(m_settings).name();
        m_releases = std::make_unique<ReleaseCatalog>(&m_operations, &m_secrets, path, actor);
        m_rollouts = std::make_unique<RolloutService>(&m_operations, path, actor);
        m_rollouts->load();
        // Commissioning: the fleet CA (locked until the operator unlocks it) and the
        // provisioning requests of factory-fresh devices (docs/commissioning.md).
        m_authority = std::make_unique<CertificateAuthorityService>(&m_operations, &m_secrets, actor);
        m_authority->load();
        // Certificates about to expire raise the "certificate_expiring" alerts (docs/alerts.md).
        m_certificateAlerts = std::make_unique<CertificateExpiryMonitor>(m_alerts->service(), &m_session);
        connect(m_authority.get(), &CertificateAuthorityService::certificatesChanged, m_certificateAlerts.get(),
                [monitor = m_certificateAlerts.get()](const QList<CertificateRecord> &certificates) {
                    QList<CertificateDeadline> deadlines;
                    for (const CertificateRecord &c : certificates) {
                        if (c.kind == CertificateRecord::Kind::Device && c.status == CertificateRecord::Status::Valid)
                            deadlines.append(CertificateDeadline{c.commonName, c.serial, c.notAfterMs});
                    }
                    monitor->setDeadlines(deadlines);
                });
        m_provisioning = std::make_unique<ProvisioningService>(&m_operations, actor,
                                                               ProvisioningSettings(m_settings).policy());
        showWindow();
        return;
    }
    qCWarning(lcApp).noquote() << "cannot open cache" << path << ":" << result.message;
    DatabaseProblemDialog dialog(path, result);
    dialog.exec();
    switch (dialog.choice()) {
    case DatabaseProblemDialog::Choice::Quit:
        QCoreApplication::exit(1);
        return;
    case DatabaseProblemDialog::Choice::OpenOther:
        openCache(dialog.otherPath());
        return;
    case DatabaseProblemDialog::Choice::MoveAside: {
        QString error;
        const QString movedTo = Database::moveAside(path, &error);
        if (movedTo.isEmpty()) {
            QMessageBox::critical(nullptr, tr("Could not move the file"),
                                  tr("%1 could not be moved aside: %2").arg(path, error));
        } else {
            QMessageBox::information(nullptr, tr("Cache moved aside"),
                                     tr("The old cache was kept as %1. FleetDeck starts with an empty cache.")
                                         .arg(movedTo));
        }
        openCache(path);
        return;
    }
    }
}

void FleetDeckGui::showWindow()
{
    MainWindow::Services services;
    services.session = &m_session;
    services.profiles = &m_profiles;
    services.secrets = &m_secrets;
    services.settings = &m_settings;
    services.operations = &m_operations;
    services.alerts = m_alerts->service();
    services.rollouts = m_rollouts.get();
    services.releases = m_releases.get();
    services.provisioning = m_provisioning.get();
    services.authority = m_authority.get();
    services.theme = &m_theme;
    // One thread less than the cores: the GUI thread works too.
    m_computePool.setMaxThreadCount(qMax(1, QThread::idealThreadCount() - 1));
    services.computePool = &m_computePool;
    services.metrics = &m_metrics;
    m_window = std::make_unique<MainWindow>(services);
    m_window->setWindowIcon(QApplication::windowIcon());
    m_window->setContextLabel(m_options.demo ? tr("Demo fleet") : QFileInfo(m_dbPath).fileName());
    // The default size fits the screen (a 1280x720 laptop too); --geometry is taken as given.
    QSize size = m_options.geometry;
    if (const QScreen *screen = QGuiApplication::primaryScreen(); screen && !m_options.geometryGiven)
        size = size.boundedTo(screen->availableGeometry().size());
    m_window->resize(size);
    m_window->restoreWindowState();
    m_window->installEventFilter(this);
    connect(m_window.get(), &MainWindow::demoRequested, this, [this] {
        startDemo(false);
        if (m_demo && m_demo->isRunning())
            m_window->setContextLabel(tr("%1 + demo fleet").arg(QFileInfo(m_dbPath).fileName()));
    });
    m_window->show();

    // Connect once the window (with the cached inventory) is on screen.
    QTimer::singleShot(0, this, [this] {
        if (m_options.demo)
            startDemo(true);
        else
            connectFromCommandLine();
        if (m_options.showDialog == u"retention")
            QTimer::singleShot(0, m_window.get(), &MainWindow::showRetentionDialog);
        else if (m_options.showDialog == u"ingest-limits")
            QTimer::singleShot(0, m_window.get(), &MainWindow::showIngestLimitsDialog);
        else if (m_options.showDialog == u"connections")
            QTimer::singleShot(0, m_window.get(), &MainWindow::showConnectionDialog);
    });
}

bool FleetDeckGui::eventFilter(QObject *watched, QEvent *event)
{
    // Closing the window: disconnect and commit the last data off the GUI thread, with the
    // window saying so, then close for real.
    if (watched == m_window.get() && event->type() == QEvent::Close && !m_session.isShutDown()) {
        event->ignore();
        if (!m_closing) {
            m_closing = true;
            m_window->setEnabled(false);
            m_window->statusBar()->showMessage(tr("Saving the last data to the cache…"));
            connect(&m_session, &FleetSession::shutdownFinished, this, [this] { m_window->close(); },
                    Qt::SingleShotConnection);
            m_session.shutdownAsync();
        }
        return true;
    }
    return QObject::eventFilter(watched, event);
}

void FleetDeckGui::startDemo(bool fromCommandLine)
{
    DemoEnvironment::Options options = DemoController::defaultOptions();
    if (fromCommandLine) {
        options.devices = m_options.demoDevices;
        options.historyHours = m_options.demoHistoryHours;
        options.brokers = m_options.demoBrokers;
        options.scenarios = m_options.demoScenarios;
    }
    // Firmware rollouts in the demo: a release key the simulated devices trust, and firmware
    // images to import (docs/ota.md "Demo").
    const QDir appData(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation));
    QString firmwareError;
    options.otaTrustPem = DemoFirmware::prepare(
        appData.filePath(QStringLiteral("demo-firmware")),
        &m_operations, OperatorSettings(m_settings).name(), &firmwareError);
    if (options.otaTrustPem.isEmpty())
        qCWarning(lcApp).noquote() << "demo firmware not prepared:" << firmwareError;
    // The demo picks up where it was left: brokers keep their retained messages (OTA jobs and
    // statuses), devices their firmware and finished jobs, so a rollout interrupted by quitting
    // finishes after the next start. Deleting this folder resets the demo (docs/ota.md "Demo").
    options.stateDir = appData.filePath(QStringLiteral("demo-state"));
    // Mutual TLS with per-device identities from the demo fleet CA (docs/security.md "Demo
    // mode"); without it (a failure, said in the log) the demo falls back to password accounts.
    const QString actor = OperatorSettings(m_settings).name();
    const QString pkiDir = QDir(options.stateDir).filePath(QStringLiteral("pki"));
    QString pkiError;
    if (const std::optional<DemoEnvironment::PkiFiles> pki =
            DemoPki::prepare(pkiDir, DemoPki::identities(options), &m_operations, actor, &pkiError)) {
        options.pki = *pki;
        if (m_authority)
            m_authority->load();  // the demo CA, made on the first start, for the Commissioning page
    }
    else
        qCWarning(lcApp).noquote() << "demo PKI not prepared, the demo brokers use passwords:" << pkiError;
    if (!m_demo)
        m_demo = std::make_unique<DemoController>();
    // From the window: the demo's sources join whatever cache is open (its devices are
    // under the connections demo-site-1, ...; --demo uses a cache of its own).
    if (m_demo->start(options, m_window.get()) && options.pki.isSet()) {
        // The factory devices' expected list, for the commissioning wizard; the CRL from the
        // store's revocations (a revocation made while the demo was off counts now).
        DemoEnvironment *environment = m_demo->environment();
        if (const QString list = environment->factoryListPath(0); !list.isEmpty()) {
            QString importError;
            if (!DemoPki::importExpected(list, &m_operations, actor, &importError))
                qCWarning(lcApp).noquote() << "demo factory devices not imported:" << importError;
            else if (m_window && m_window->commissioningPage())
                m_window->commissioningPage()->reloadExpected();
        }
        QPointer<DemoController> demo(m_demo.get());
        // Revocations and rotations made in FleetDeck reach the demo brokers' CRL at once.
        const auto applyCrl = [demo](const QByteArray &pem) {
            QString crlError;
            if (!pem.isEmpty() && demo && demo->environment() && !demo->environment()->updateCrl(pem, &crlError))
                qCWarning(lcApp).noquote() << "demo CRL not applied:" << crlError;
        };
        if (m_authority) {
            disconnect(m_authority.get(), &CertificateAuthorityService::crlChanged, this, nullptr);  // a restarted demo
            connect(m_authority.get(), &CertificateAuthorityService::crlChanged, this, applyCrl);
        }
        if (m_provisioning) {
            disconnect(m_provisioning.get(), &ProvisioningService::crlChanged, this, nullptr);
            connect(m_provisioning.get(), &ProvisioningService::crlChanged, this, applyCrl);
        }
        DemoPki::refreshCrl(pkiDir, &m_operations, actor, this, [demo](const QByteArray &pem) {
            QString crlError;
            if (!pem.isEmpty() && demo && demo->environment() && !demo->environment()->updateCrl(pem, &crlError))
                qCWarning(lcApp).noquote() << "demo CRL not applied:" << crlError;
        });
    }
    installDemoRules();
}

void FleetDeckGui::installDemoRules()
{
    // Demo mode ships a rule set that the simulator's demo scenario trips; installed once,
    // when the store holds no rules at all (an operator's own rules are never touched).
    AlertService *alerts = m_alerts->service();
    const auto install = [alerts] {
        if (!alerts->rules().isEmpty())
            return;
        const QList<AlertRule> rules = DemoAlertRules::load();
        if (!rules.isEmpty())
            alerts->importRules(rules);
    };
    if (alerts->isLoaded())
        install();
    else
        connect(alerts, &AlertService::loaded, this, [install](bool ok, const QString &) {
            if (ok)
                install();
        }, Qt::SingleShotConnection);
}

void FleetDeckGui::connectFromCommandLine()
{
    ConnectionProfile profile;
    bool haveProfile = false;
    if (!m_options.profileName.isEmpty()) {
        const std::optional<ConnectionProfile> saved = m_profiles.profile(m_options.profileName);
        if (!saved) {
            QMessageBox::warning(m_window.get(), tr("Unknown connection profile"),
                                 tr("There is no connection profile called \"%1\". Use File > Connections… to "
                                    "create one.").arg(m_options.profileName));
            return;
        }
        profile = *saved;
        haveProfile = true;
    }
    if (!m_options.brokerUrl.isEmpty()) {
        QString error;
        const std::optional<BrokerUrl> url = BrokerUrl::parse(m_options.brokerUrl, &error);
        if (!url) {
            QMessageBox::warning(m_window.get(), tr("Invalid broker URL"),
                                 tr("%1: %2").arg(m_options.brokerUrl, error));
            return;
        }
        if (haveProfile && url->identity() != profile.broker.identity()) {
            // --profile P --broker URL: P's settings with another broker. Its saved secrets are
            // for P's own broker and are not sent there (MainWindow::connectWithProfile), and
            // a plain-TCP confirmation given for P's broker does not carry over.
            qCInfo(lcApp).noquote() << "profile" << profile.name << "is used with" << url->toString()
                                    << "instead of" << profile.broker.toString()
                                    << "- its saved secrets stay with that broker";
            profile.allowPlaintextPassword = false;
        }
        profile.broker = *url;
        haveProfile = true;
    }
    if (!haveProfile) {
        // The saved connections that were connected at the last exit; none: offline (the
        // cached inventory only, until the user connects).
        const int restored = m_window->reconnectSavedConnections();
        if (restored > 0)
            qCInfo(lcApp) << "reconnecting" << restored << "saved connection(s)";
        return;
    }
    if (!m_options.topicPrefix.isEmpty())
        profile.topicPrefix = m_options.topicPrefix;
    if (!profile.name.isEmpty())
        m_profiles.setLastUsed(profile.name);
    m_window->connectWithProfile(profile);
}

void FleetDeckGui::shutdown()
{
    if (m_shutDown)
        return;
    m_shutDown = true;
    qCInfo(lcApp) << "shutting down";
    if (m_rollouts)
        m_rollouts->shutdown();  // the runners stop; rollouts stay as committed, resumed next time
    m_session.shutdown();  // disconnect and commit what was received
    if (!m_alerts->finish())  // the rule engine's last changes
        qCWarning(lcApp) << "the last alert changes were not committed in time";
    m_operations.shutdown();  // commit what is queued
    if (m_perf) {
        QCoreApplication::sendPostedEvents();  // the last statistics from the ingest thread
        QString error;
        if (!m_perf->write(&error))
            qCWarning(lcApp).noquote() << "cannot write the performance report" << m_options.perfReportPath << ":" << error;
    }
    if (m_demo)
        m_demo->stop();
    m_settings.sync();
}

} // namespace fd
