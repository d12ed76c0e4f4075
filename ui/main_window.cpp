#include "ui/main_window.h"

#include "core/settings/operator_settings.h"

#include "core/alerts/alert_service.h"
#include "models/alert_queue_model.h"
#include "ui/alert_export_controller.h"
#include "ui/alert_rules_dialog.h"
#include "ui/alerts_page.h"
#include "ui/critical_alert_notifier.h"
#include "ui/device_command_controller.h"
#include "ui/overview_page.h"
#include "ui/device_deletion_controller.h"

#include "core/ingest/fleet_session.h"
#include "core/settings/profile_secrets.h"
#include "core/settings/profile_store.h"
#include "core/domain/metric_catalogue.h"
#include "core/settings/ingest_settings.h"
#include "core/settings/metric_catalogue_settings.h"
#include "core/settings/retention_settings.h"
#include "core/settings/secret_store.h"
#include "core/settings/settings_keys.h"
#include "models/device_inventory_model.h"
#include "models/rejection_model.h"
#include "ui/connection_dialog.h"
#include "ui/connections_dialog.h"
#include "ui/first_run_page.h"
#include "ui/device_detail_panel.h"
#include "ui/diagnostics_page.h"
#include "ui/fleet_status_bar.h"
#include "ui/source_banner.h"
#include "ui/source_state_controller.h"
#include "ui/ingest_limits_dialog.h"
#include "ui/inventory_page.h"
#include "ui/inventory_trend_column.h"
#include "ui/log_category.h"
#include "ui/metric_catalogue_dialog.h"
#include "ui/page_sidebar.h"
#include "ui/rollouts_page.h"
#include "ui/commissioning_page.h"
#include "ui/commissioning_wizard.h"
#include "ui/commissioning_records.h"
#include "core/provisioning/provisioning_service.h"
#include "core/provisioning/provisioning_settings.h"
#include "core/ota/rollout_service.h"
#include "ui/plaintext_password_prompt.h"
#include "ui/retention_dialog.h"
#include "ui/shortcuts_dialog.h"
#include "ui/sparkplug_actions.h"
#include "ui/sparkplug_write_dialog.h"
#include "ui/telemetry_page.h"
#include "ui/theme_controller.h"
#include "models/device_filter_proxy_model.h"
#include "widgets/telemetry_chart.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QFrame>
#include <QHBoxLayout>
#include <QLocale>
#include <QMenuBar>
#include <QVBoxLayout>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSet>
#include <QSettings>
#include <QStackedWidget>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QJsonObject>
#include <QDateTime>
#include <QStyle>
#include <QTableView>

#include <limits>
#include <utility>

namespace fd {

namespace K = SettingsKeys;

MainWindow::MainWindow(const Services &services, QWidget *parent)
    : QMainWindow(parent)
    , m_services(services)
    , m_ownedMetrics(services.metrics ? nullptr : std::make_unique<MetricCatalogue>())
    , m_inventory(new DeviceInventoryModel(this))
    , m_rejections(new RejectionModel(this))
    , m_alertQueue(new AlertQueueModel(this))
    , m_sidebar(new PageSidebar(this))
    , m_pages(new QStackedWidget(this))
    , m_inventoryPage(new InventoryPage(m_inventory, m_pages))
    , m_diagnosticsPage(new DiagnosticsPage(m_rejections, m_pages))
    , m_telemetryPage(new TelemetryPage(services.session->liveTelemetry(), m_pages))
    , m_overviewPage(new OverviewPage(m_inventory, m_alertQueue, m_pages))
    , m_alertsPage(new AlertsPage(m_alertQueue, services.alerts, services.operations, m_pages))
    , m_rolloutsPage(new RolloutsPage(services.rollouts, services.releases, [this] { return m_inventory->devices(); },
                                      m_pages))
    , m_statusBar(new FleetStatusBar(this))
{
    Q_ASSERT(services.session);
    if (!m_services.metrics)
        m_services.metrics = m_ownedMetrics.get();
    m_inventory->setMetricCatalogue(m_services.metrics);
    if (!m_services.plaintextPrompt) {
        m_defaultPrompt = std::make_unique<PlaintextPasswordPrompt>();
        m_services.plaintextPrompt = m_defaultPrompt.get();
    }
    setObjectName(QStringLiteral("MainWindow"));

    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_sidebar);
    auto *line = new QFrame(central);
    line->setFrameShape(QFrame::VLine);
    line->setFrameShadow(QFrame::Plain);
    line->setForegroundRole(QPalette::Mid);
    layout->addWidget(line);
    // The connection banner (sources not connected) above every page.
    auto *column = new QVBoxLayout;
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(0);
    m_sourceBanner = new SourceBanner(central);
    column->addWidget(m_sourceBanner);
    column->addWidget(m_pages, 1);
    layout->addLayout(column, 1);
    setCentralWidget(central);
    setStatusBar(m_statusBar);

    // First run (no device, no source): a welcome stands in for the empty overview.
    m_firstRun = new FirstRunPage(m_inventory, services.session, m_overviewPage, m_pages);
    connect(m_firstRun, &FirstRunPage::connectRequested, this, &MainWindow::showConnectDialog);
    connect(m_firstRun, &FirstRunPage::demoRequested, this, &MainWindow::demoRequested);
    m_pages->addWidget(m_firstRun);
    m_pages->addWidget(m_alertsPage);
    m_pages->addWidget(m_inventoryPage);
    m_pages->addWidget(m_diagnosticsPage);
    m_pages->addWidget(m_telemetryPage);
    m_pages->addWidget(m_rolloutsPage);
    // Commissioning: requests of factory-fresh devices, the wizard, the fleet CA's certificates.
    {
        if (services.operations && services.provisioning)
            m_commissioningRecords = new CommissioningRecords(services.operations, this);
        CommissioningPage::Services c;
        c.provisioning = services.operations ? services.provisioning : nullptr;
        c.authority = services.authority;
        c.records = m_commissioningRecords;
        c.inventory = [this] { return m_inventory->devices(); };
        c.sourceOf = [this](const QString &deviceId) {
            for (const Device &d : m_inventory->devices()) {
                if (d.id == deviceId && d.path == d.id)  // protocol v1 devices (Sparkplug ones have no certificate here)
                    return d.source;
            }
            return QString();
        };
        c.technician = [this] { return operatorName(); };
        if (services.settings) {
            c.savePolicy = [settings = services.settings](const ProvisioningPolicy &p) {
                ProvisioningSettings(*settings).setPolicy(p);
            };
        }
        m_commissioningPage = new CommissioningPage(c, m_pages);
        m_pages->addWidget(m_commissioningPage);
    }
    m_sidebar->addPage(style()->standardIcon(QStyle::SP_ComputerIcon), tr("Overview"),
                       tr("The fleet at a glance: alerts, devices online, message rates"));
    m_sidebar->addPage(style()->standardIcon(QStyle::SP_MessageBoxCritical), tr("Alerts"),
                       tr("The triage queue of open alerts, worked from the keyboard"));
    m_sidebar->addPage(style()->standardIcon(QStyle::SP_DriveNetIcon), tr("Inventory"),
                       tr("Every device: status, attributes, latest metrics"));
    m_sidebar->addPage(style()->standardIcon(QStyle::SP_MessageBoxWarning), tr("Diagnostics"),
                       tr("Ingest counters and rejected messages by device and reason"));
    m_sidebar->addPage(style()->standardIcon(QStyle::SP_FileDialogContentsView), tr("Telemetry"),
                       tr("Live and historical charts of device metrics"));
    m_sidebar->addPage(style()->standardIcon(QStyle::SP_ArrowUp), tr("Rollouts"),
                       tr("Firmware rollouts: waves, progress, failures, history"));
    m_sidebar->addPage(style()->standardIcon(QStyle::SP_DialogApplyButton), tr("Commissioning"),
                       tr("New devices: waiting requests, the commissioning wizard, certificates"));
    connect(m_commissioningPage, &CommissioningPage::pendingCountChanged, this, [this](int count) {
        m_sidebar->setBadge(CommissioningPageIndex, count > 0 ? QString::number(count) : QString());
    });
    connect(m_rolloutsPage, &RolloutsPage::activeCountChanged, this, [this](int active) {
        m_sidebar->setBadge(RolloutsPageIndex, active > 0 ? QString::number(active) : QString());
        m_overviewPage->setActiveRollouts(m_services.rollouts ? m_services.rollouts->rollouts() : QList<RolloutSnapshot>());
    });
    m_sidebar->setFixedWidth(m_sidebar->sizeHint().width());
    connect(m_sidebar, &PageSidebar::currentPageChanged, m_pages, &QStackedWidget::setCurrentIndex);

    createMenus();
    connectAlerts();

    // Cached state first, before any broker is connected.
    FleetSession *session = services.session;
    const QList<Device> cached = session->cachedDevices();
    m_inventory->resetDevices(cached);
    m_rejections->resetDevices(cached);
    m_statusBar->setCounts(m_inventory->rowCount(), m_inventory->onlineCount());
    if (!cached.isEmpty())
        m_statusBar->setCacheAsOf(session->cacheAsOfMs());
    m_statusBar->setConnectionState(session->connectionState(), QString());
    m_diagnosticsPage->setLimits(session->limits());

    m_sourceState = new SourceStateController(session, m_inventory, m_statusBar, m_sourceBanner, this);
    m_sourceState->setReconnectAction(m_reconnectAction);
    connect(m_sourceState, &SourceStateController::connectRequested, this, &MainWindow::connectWithSecrets);
    connect(m_sourceState, &SourceStateController::savedConnectRequested, this, [this](const QString &source) {
        if (!connectSavedProfile(source))
            showConnectionDialog();
    });
    connect(m_sourceState, &SourceStateController::editRequested, this, [this](const QString &source) {
        showConnectionDialog();
        if (m_connectionsDialog && m_connectionsDialog->selectConnection(source)
            && m_connectionsDialog->editButton()->isEnabled())
            m_connectionsDialog->editButton()->click();
    });
    connect(m_rejections, &RejectionModel::totalsChanged, this, [this] {
        const quint64 total = m_rejections->total();
        m_sidebar->setBadge(DiagnosticsPageIndex, DiagnosticsPage::badgeText(total));
    });
    connect(m_diagnosticsPage, &DiagnosticsPage::resetRequested, this, [this] {
        m_rejections->clear();
        m_services.session->resetRejectCounters();
    });
    connect(session, &FleetSession::devicesUpdated, this, &MainWindow::onDevicesUpdated);
    connect(session, &FleetSession::devicesUpdated, m_commissioningPage, &CommissioningPage::onDevicesUpdated);
    connect(session, &FleetSession::statsUpdated, this, &MainWindow::onStatsUpdated);
    connect(session, &FleetSession::connectionStateChanged, this, &MainWindow::onConnectionStateChanged);
    connect(session, &FleetSession::sourceStateChanged, this, &MainWindow::onSourceStateChanged);
    for (const QString &source : session->sources())
        m_statusBar->setSourceState(source, session->sourceState(source), session->sourceDetail(source));
    if (services.settings)
        m_remembered = services.settings->value(K::kConnectedProfiles).toStringList();
    updateConnectionActions();
    connect(session, &FleetSession::storageError, this, &MainWindow::onStorageError);
    connect(session, &FleetSession::pruned, this, [this](qint64 rows) {
        if (!std::exchange(m_reportPrune, false))
            return;  // the regular hourly pass: nothing to tell
        m_statusBar->showMessage(tr("Retention: %n raw telemetry row(s) deleted from the cache.", nullptr,
                                    int(qMin<qint64>(rows, std::numeric_limits<int>::max()))),
                                 10000);
    });

    connect(session, &FleetSession::cacheMigrationProgress, this, [this](qint64 moved, qint64 total, bool finished) {
        if (finished) {
            m_statusBar->showMessage(tr("The cache now keeps its telemetry compressed (%L1 rows converted).")
                                         .arg(moved),
                                     10000);
            return;
        }
        const int percent = total > 0 ? int(std::clamp<qint64>(moved * 100 / total, 0, 100)) : 0;
        m_statusBar->showMessage(tr("Compressing the cache's telemetry: %1 % (%L2 of %L3 rows); history stays "
                                    "available meanwhile.")
                                     .arg(percent)
                                     .arg(moved)
                                     .arg(total));
    });

    // Live charts: decoded samples, coalesced by the ingest thread to ~30 batches a second.
    m_telemetryPage->setSettings(services.settings);
    m_telemetryPage->setDecimationPool(services.computePool);
    m_telemetryPage->setHistoryDatabase(session->databasePath());
    m_alertsPage->setHistoryDatabase(session->databasePath());
    m_telemetryPage->setMetricCatalogue(m_services.metrics);
    m_telemetryPage->setDeviceNames([this](const DeviceKey &key) {
        const Device *device = m_inventory->deviceAt(m_inventory->rowOf(key));
        return device ? device->name : QString();
    });
    // Series of STALE devices (a Sparkplug death, a lost broker) are marked from that time on.
    m_telemetryPage->setDeviceStaleSince([this](const DeviceKey &key) {
        const int row = m_inventory->rowOf(key);
        return row < 0 ? qint64(0) : m_inventory->staleSinceMs(row);
    });
    connect(m_inventory, &QAbstractItemModel::dataChanged, m_telemetryPage, [this](const QModelIndex &, const QModelIndex &,
                                                                                  const QList<int> &roles) {
        if (roles.isEmpty())  // an update of devices (not the per-second "last seen" refresh)
            m_telemetryPage->updateStaleMarks();
    });
    connect(m_inventory, &QAbstractItemModel::modelReset, m_telemetryPage, &TelemetryPage::updateStaleMarks);
    auto *chartAction = new QAction(tr("&Chart Selected Devices…"), this);
    chartAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    chartAction->setShortcutContext(Qt::WindowShortcut);
    connect(chartAction, &QAction::triggered, this, [this] { chartSelectedDevices(); });
    m_inventoryPage->addDeviceAction(chartAction);

    // Commands to the selected device: recorded in the operations store before they are
    // sent, their outcome recorded before it is shown (DeviceCommandController).
    m_commands = new DeviceCommandController(session, services.operations, operatorName(), this);
    connect(m_commands, &DeviceCommandController::progress, this,
            [this](const QString &message) { m_statusBar->showMessage(message, 15000); });
    const std::pair<QString, QString> commands[] = {{tr("&Ping Device"), QStringLiteral("ping")},
                                                    {tr("&Identify Device"), QStringLiteral("identify")}};
    for (const auto &[label, name] : commands) {
        auto *action = new QAction(label, this);
        action->setEnabled(services.operations != nullptr);
        if (!services.operations)
            action->setToolTip(tr("Needs the operations store (the audit log) beside the cache"));
        const QString command = name;
        connect(action, &QAction::triggered, this, [this, command] {
            const DeviceKey device = m_inventoryPage->detailPanel()->deviceKey();
            if (device.isNull()) {
                m_statusBar->showMessage(tr("Select a device first."), 5000);
                return;
            }
            m_commands->request(device, command);
        });
        m_inventoryPage->addDeviceAction(action);
    }

    // Deleting devices: confirmed, recorded in the operations store, then deleted from the
    // live state, the models and the cache (DeviceDeletionController, FleetSession).
    m_deletions = new DeviceDeletionController(session, services.operations, operatorName(), this);
    connect(m_deletions, &DeviceDeletionController::progress, this,
            [this](const QString &message) { m_statusBar->showMessage(message, 15000); });
    connect(session, &FleetSession::devicesRemoved, m_inventory, &DeviceInventoryModel::removeDevices);
    connect(session, &FleetSession::devicesRemoved, m_rejections, &RejectionModel::removeDevices);
    auto *separator = new QAction(this);
    separator->setSeparator(true);
    m_inventoryPage->addDeviceAction(separator);
    m_deleteDevicesAction = new QAction(tr("&Delete Device…"), this);
    m_deleteDevicesAction->setObjectName(QStringLiteral("deleteDevicesAction"));
    m_deleteDevicesAction->setShortcut(QKeySequence::Delete);
    m_deleteDevicesAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);  // the device views only
    connect(m_deleteDevicesAction, &QAction::triggered, this,
            [this] { confirmDeleteDevices(m_inventoryPage->selectedDevices()); });
    m_inventoryPage->addDeviceAction(m_deleteDevicesAction);
    m_deviceMenu->addActions(m_inventoryPage->table()->actions());  // shortcuts shown in a menu
    connect(m_inventoryPage, &InventoryPage::deviceSelectionChanged, this, &MainWindow::updateDeviceActions);
    updateDeviceActions();

    // The inventory's Trend column: a sparkline of the chosen metric per device, from the
    // live ring buffers of the Telemetry page. Rows and detail-panel metrics are dragged
    // onto Telemetry charts; hovering the sidebar's entry switches there during a drag.
    InventoryTrendColumn *trend = m_inventoryPage->trendColumn();
    trend->setSource([this](const DeviceKey &device, const QString &metric, qint64 from, qint64 to,
                            std::vector<TelemetryPoint> *out) {
        LiveTelemetry &live = m_telemetryPage->live();
        const auto buffer = live.buffer({device, metric});
        const QReadLocker locker(&live.lock());
        if (!buffer || buffer->size() < 2)
            return false;
        for (const PointSpan &span : buffer->spansCovering(from, to))
            out->insert(out->end(), span.begin(), span.end());
        return true;
    });
    trend->setSettings(services.settings);
    m_sidebar->setChangeCurrentOnDrag(true);
    connect(m_inventoryPage->detailPanel(), &DeviceDetailPanel::chartRequested, this,
            [this](const DeviceKey &device) { chartDevices({device}); });
    connect(m_inventoryPage->detailPanel(), &DeviceDetailPanel::writeMetricRequested, this,
            [this](const DeviceKey &device) { openSparkplugWrite(device); });
    connect(m_inventoryPage->detailPanel(), &DeviceDetailPanel::rebirthRequested, this,
            &MainWindow::requestSparkplugRebirth);

    updateTitle();
    m_inventoryPage->table()->setFocus();
}

MainWindow::~MainWindow()
{
    // The owned catalogue goes before the child widgets, which may still ask for headers
    // while they are hidden and deleted.
    m_inventory->setMetricCatalogue(nullptr);
    m_telemetryPage->setMetricCatalogue(nullptr);
}

SparkplugWriteDialog *MainWindow::openSparkplugWrite(const DeviceKey &device)
{
    const int row = m_inventory->rowOf(device);
    if (row < 0)
        return nullptr;
    const Device d = m_inventory->device(row);
    const SparkplugActions actions = SparkplugActions::of(d, m_inventory->sourceState(d.source));
    if (!actions.canWrite) {
        m_statusBar->showMessage(tr("Cannot write to %1: %2").arg(device.path, actions.writeReason), 10000);
        return nullptr;
    }
    auto *dialog = new SparkplugWriteDialog(d, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    connect(dialog, &QDialog::accepted, this, [this, dialog, device] {
        const std::optional<SparkplugCommandMessage> command = dialog->command();
        if (!command)
            return;
        // The audit log keeps what was asked: the metric, its datatype, the value shown
        // before and the value typed.
        const QJsonObject details{{QStringLiteral("metric"), dialog->metric()},
                                  {QStringLiteral("datatype"), dialog->datatypeName()},
                                  {QStringLiteral("before"), dialog->currentValueText()},
                                  {QStringLiteral("after"), dialog->valueText()}};
        m_commands->requestSparkplug(device, *command, details);
    });
    dialog->open();
    return dialog;
}

void MainWindow::requestSparkplugRebirth(const DeviceKey &device)
{
    const int row = m_inventory->rowOf(device);
    if (row < 0)
        return;
    const Device d = m_inventory->device(row);
    const SparkplugActions actions = SparkplugActions::of(d, m_inventory->sourceState(d.source));
    if (!actions.canRebirth) {
        m_statusBar->showMessage(tr("Cannot request a rebirth of %1: %2").arg(device.path, actions.rebirthReason), 10000);
        return;
    }
    QString error;
    const std::optional<SparkplugCommandMessage> command =
        SparkplugCommandBuilder::rebirth(device.path, QDateTime::currentMSecsSinceEpoch(), &error);
    if (!command) {
        m_statusBar->showMessage(tr("Cannot request a rebirth: %1").arg(error), 10000);
        return;
    }
    const QString node = device.path.section(QLatin1Char('/'), 0, 1);
    m_commands->requestSparkplug(DeviceKey(device.source, node), *command,
                                 {{QStringLiteral("reason"), QStringLiteral("operator request")},
                                  {QStringLiteral("requestedFrom"), device.path}});
}

QString MainWindow::operatorName() const
{
    // Who acts, for the audit log: settings (operator/name), else the OS user.
    return m_services.settings ? OperatorSettings(*m_services.settings).name() : OperatorSettings::osUserName();
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("Connect to &Broker…"), this, &MainWindow::showConnectDialog)
        ->setStatusTip(tr("Connect to an MQTT broker, once or as a saved profile"));
    m_connectionsAction = file->addAction(tr("&Connections…"), this, &MainWindow::showConnectionDialog);
    m_connectionsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    m_connectionsAction->setStatusTip(tr("Saved broker connections: connect, disconnect, add, edit"));
    m_disconnectAllAction = file->addAction(tr("&Disconnect All"), this, &MainWindow::disconnectAll);
    m_disconnectAllAction->setStatusTip(tr("Disconnect from every broker"));
    m_reconnectAction = file->addAction(tr("&Reconnect"));
    m_reconnectAction->setStatusTip(tr("Retry every broker that is not connected now"));
    m_reconnectAction->setEnabled(false);  // SourceStateController enables it when it can act
    file->addSeparator();
    m_tryDemoAction = file->addAction(tr("Try Demo &Fleet"), this, &MainWindow::demoRequested);
    m_tryDemoAction->setStatusTip(tr("Start a simulated fleet on a private broker on this computer (as --demo)"));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    // Go to page: one item per sidebar entry, Ctrl+1, Ctrl+2, … (also in the entry's tooltip).
    for (int page = 0; page < m_sidebar->pageCount() && page < 9; ++page) {
        QAction *go = view->addAction(tr("&%1").arg(m_sidebar->pageTitle(page)), this, [this, page] { showPage(page); });
        go->setObjectName(QStringLiteral("goToPage%1").arg(page + 1));
        go->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + page)));
        go->setStatusTip(tr("Go to the %1 page").arg(m_sidebar->pageTitle(page)));
        m_sidebar->setPageShortcut(page, go->shortcut());
    }
    view->addSeparator();
    QAction *find = view->addAction(tr("&Find Device"), this, [this] {
        showPage(InventoryPageIndex);
        m_inventoryPage->focusSearch();
    });
    find->setShortcut(QKeySequence::Find);
    if (m_services.theme) {
        view->addSeparator();
        m_services.theme->populateMenu(view->addMenu(tr("T&heme")));
        connect(m_services.theme, &ThemeController::themeChanged, m_sidebar, &PageSidebar::refreshStyle);
    }

    m_deviceMenu = menuBar()->addMenu(tr("&Device"));
    createAlertsMenu();

    QMenu *settings = menuBar()->addMenu(tr("&Settings"));
    settings->addAction(tr("Cache and &Retention…"), this, &MainWindow::showRetentionDialog)
        ->setMenuRole(QAction::PreferencesRole);
    settings->addAction(tr("Ingest &Limits…"), this, &MainWindow::showIngestLimitsDialog)
        ->setStatusTip(tr("Devices per connection and metrics per device"));
    settings->addAction(tr("Metric &Catalogue…"), this, &MainWindow::showMetricCatalogueDialog)
        ->setStatusTip(tr("Display names, units, decimals and expected ranges of metrics"));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *keys = help->addAction(tr("&Keyboard Shortcuts…"), this, &MainWindow::showKeyboardShortcuts);
    keys->setObjectName(QStringLiteral("keyboardShortcutsAction"));
    keys->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Slash));
    help->addSeparator();
    help->addAction(tr("&About FleetDeck"), this, &MainWindow::showAbout)->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::createAlertsMenu()
{
    // The triage keys act on the queue (WidgetWithChildrenShortcut): listed here so they are
    // seen, as the Device menu lists the inventory's keys.
    QMenu *alerts = menuBar()->addMenu(tr("&Alerts"));
    alerts->addActions(m_alertsPage->keyboardActions());
    alerts->insertSeparator(m_alertsPage->keyboardActions().at(4));
    alerts->addSeparator();
    alerts->addMenu(m_alertsPage->exports()->menu());
    QAction *rules = alerts->addAction(tr("R&ules…"), this, &MainWindow::showAlertRules);
    rules->setObjectName(QStringLiteral("alertRulesAction"));
    rules->setStatusTip(tr("Alert rules: add, edit, duplicate, delete, import and export"));
    rules->setEnabled(m_services.alerts != nullptr);
}

void MainWindow::connectAlerts()
{
    AlertService *service = m_services.alerts;
    m_overviewPage->setAlertsAvailable(service != nullptr);
    connect(m_overviewPage, &OverviewPage::severityRequested, this, [this](AlertSeverity severity) {
        m_alertsPage->showSeverity(severity);
        showPage(AlertsPageIndex);
    });
    connect(m_overviewPage, &OverviewPage::alertsRequested, this, [this] {
        m_alertsPage->showSeverity(std::nullopt);
        showPage(AlertsPageIndex);
    });
    connect(m_overviewPage, &OverviewPage::inventoryRequested, this, [this] { showPage(InventoryPageIndex); });
    connect(m_overviewPage, &OverviewPage::rolloutsRequested, this, [this] { showPage(RolloutsPageIndex); });
    connect(m_alertsPage, &AlertsPage::rulesRequested, this, &MainWindow::showAlertRules);
    // The sidebar's badge: unacknowledged active alerts that need attention (any severity;
    // not snoozed; a group alert counts once for its devices).
    connect(m_alertQueue, &AlertQueueModel::countsChanged, this, [this] {
        m_sidebar->setBadge(AlertsPageIndex,
                            DiagnosticsPage::badgeText(quint64(m_alertQueue->counts().totalUnackedActive())));
    });
    if (!service)
        return;
    m_alertNotifier = new CriticalAlertNotifier(windowIcon().isNull() ? QApplication::windowIcon() : windowIcon(), this);
    connect(m_alertNotifier, &CriticalAlertNotifier::activated, this, [this] {
        showPage(AlertsPageIndex);
        showNormal();
        raise();
        activateWindow();
    });
    connect(m_alertNotifier, &CriticalAlertNotifier::notified, this,
            [this](const QString &title, const QString &) { m_statusBar->showMessage(title, 15000); });
    const auto load = [this, service] {
        m_alertQueue->resetAlerts(service->openAlerts());
        m_alertNotifier->setInitial(service->openAlerts());
    };
    connect(service, &AlertService::loaded, this, [this, load](bool ok, const QString &error) {
        if (ok)
            load();
        else
            m_statusBar->showMessage(tr("Alerts could not be read: %1").arg(error), 20000);
    });
    if (service->isLoaded())
        load();
    connect(service, &AlertService::alertsChanged, m_alertQueue, &AlertQueueModel::applyChanges);
    connect(service, &AlertService::alertsChanged, m_alertNotifier, &CriticalAlertNotifier::onAlertsChanged);
    connect(service, &AlertService::storageError, this, [this](const QString &message) {
        m_statusBar->showMessage(tr("Alerts: %1").arg(message), 20000);
    });
}

AlertRulesDialog *MainWindow::showAlertRules()
{
    if (!m_rulesDialog) {
        auto *dialog = new AlertRulesDialog(m_services.alerts, m_inventory, m_services.session->databasePath(), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        m_rulesDialog = dialog;
    }
    m_rulesDialog->show();
    m_rulesDialog->raise();
    m_rulesDialog->activateWindow();
    return m_rulesDialog;
}

void MainWindow::setContextLabel(const QString &label)
{
    m_contextLabel = label;
    updateTitle();
}

void MainWindow::updateTitle()
{
    setWindowTitle(m_contextLabel.isEmpty() ? tr("FleetDeck") : tr("%1 — FleetDeck").arg(m_contextLabel));
}

void MainWindow::showPage(int page)
{
    m_sidebar->setCurrentPage(page);
}

bool MainWindow::chartSelectedDevices(const QString &metric)
{
    return chartDevices(m_inventoryPage->selectedDevices(), metric);
}

void MainWindow::updateDeviceActions()
{
    const qsizetype selected = m_inventoryPage->selectedDevices().size();
    m_deleteDevicesAction->setText(selected > 1 ? tr("&Delete %n Devices…", nullptr, int(selected))
                                                : tr("&Delete Device…"));
    m_deleteDevicesAction->setEnabled(m_services.operations && selected > 0);
    m_deleteDevicesAction->setToolTip(m_services.operations
                                          ? tr("Delete the selected devices from the inventory and the cache")
                                          : tr("Needs the operations store (the audit log) beside the cache"));
}

QMessageBox *MainWindow::confirmDeleteDevices(const QList<DeviceKey> &devices)
{
    if (devices.isEmpty()) {
        m_statusBar->showMessage(tr("Select the devices to delete in the inventory."), 5000);
        return nullptr;
    }
    auto *box = new QMessageBox(this);
    box->setObjectName(QStringLiteral("deleteDevicesConfirmation"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setIcon(QMessageBox::Warning);
    box->setWindowTitle(tr("Delete Devices"));
    box->setTextFormat(Qt::PlainText);  // device ids and connection names, literally
    constexpr qsizetype kListed = 10;
    QStringList lines;
    for (qsizetype i = 0; i < devices.size() && i < kListed; ++i)
        lines.append(tr("%1  (%2)").arg(devices.at(i).path, devices.at(i).source));
    if (devices.size() > kListed)
        lines.append(tr("… and %n more", nullptr, int(devices.size() - kListed)));
    box->setText(devices.size() == 1 ? tr("Delete this device?\n\n%1").arg(lines.join(QLatin1Char('\n')))
                                     : tr("Delete these %n devices?\n\n%1", nullptr, int(devices.size()))
                                           .arg(lines.join(QLatin1Char('\n'))));
    box->setInformativeText(
        tr("Their latest values, reject counts, raw telemetry and rollups are deleted from the inventory and the "
           "cache. A device that reports again comes back as a new device. The deletion is recorded in the "
           "audit log."));
    QPushButton *remove = box->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    remove->setObjectName(QStringLiteral("confirmDelete"));
    QPushButton *cancel = box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(cancel);
    box->setEscapeButton(cancel);
    connect(box, &QMessageBox::finished, this, [this, box, remove, devices] {
        if (box->clickedButton() == remove)
            m_deletions->request(devices);
    });
    box->open();
    return box;
}

bool MainWindow::chartDevices(const QList<DeviceKey> &devices, const QString &metric)
{
    if (devices.isEmpty()) {
        m_statusBar->showMessage(tr("Select one or more devices in the inventory to chart them."), 5000);
        return false;
    }
    QString chosen = metric;
    if (chosen.isEmpty()) {
        // The devices' metrics in first-seen order: each device looked up by key and each name
        // remembered in a set (no scan of every row or of the names so far per metric).
        QStringList metrics;
        QSet<QString> seen;
        for (const DeviceKey &key : devices) {
            const Device *device = m_inventory->deviceAt(m_inventory->rowOf(key));
            if (!device)
                continue;
            for (const MetricValue &m : device->metrics) {
                // Text metrics (a Sparkplug "Properties/Name", a "mode") have no line to draw.
                if (m.isNumeric() && !seen.contains(m.name)) {
                    seen.insert(m.name);
                    metrics.append(m.name);
                }
            }
        }
        if (metrics.isEmpty()) {
            m_statusBar->showMessage(tr("The selected devices have not reported any numeric metric yet."), 5000);
            return false;
        }
        bool ok = true;
        // Preselected: the last choice, else the inventory's Trend metric.
        const QString preferred = m_telemetryPage->preferredChartMetric(metrics, m_inventory->trendMetric());
        if (metrics.size() == 1) {
            chosen = metrics.constFirst();
        } else {
            // Shown by the catalogue's names, with the name as sent where it differs.
            QStringList labels;
            for (const QString &m : std::as_const(metrics)) {
                const QString shown = m_services.metrics->displayName(m);
                labels.append(shown == m ? m : tr("%1 — %2").arg(shown, m));
            }
            const QString label = QInputDialog::getItem(this, tr("Chart Devices"),
                                                        tr("Metric to chart for %n device(s):", nullptr,
                                                           int(devices.size())),
                                                        labels, int(qMax(0, metrics.indexOf(preferred))), false, &ok);
            const qsizetype at = labels.indexOf(label);
            chosen = at >= 0 ? metrics.at(at) : QString();
        }
        if (!ok || chosen.isEmpty())
            return false;
        if (metrics.size() > 1)
            m_telemetryPage->rememberChartMetric(chosen);
    }
    m_telemetryPage->openChart(devices, chosen);
    showPage(TelemetryPageIndex);
    return true;
}

void MainWindow::onDevicesUpdated(const QList<Device> &changed)
{
    m_inventory->applyUpdates(changed);
    m_rejections->applyDevices(changed);
    m_statusBar->liveDataArrived();
}

void MainWindow::onStatsUpdated(const IngestStats &stats)
{
    m_rejections->applyStats(stats);
    m_diagnosticsPage->setStats(stats);
    m_overviewPage->setStats(stats);
    m_statusBar->setMessagesPerSecond(stats.messagesPerSecond);
    for (auto it = stats.sources.cbegin(); it != stats.sources.cend(); ++it)
        m_statusBar->setSourceRate(it.key(), it->messagesPerSecond);
}

void MainWindow::onSourceStateChanged(const QString &source, ConnectionState state, const QString &detail)
{
    qCInfo(lcUi).noquote() << "source" << source << connectionStateKey(state) << detail;
    m_statusBar->setSourceState(source, state, detail);
    updateConnectionActions();
}

void MainWindow::updateConnectionActions()
{
    // Connections… also lists live sources (demo sites, --broker): useful without profiles.
    m_connectionsAction->setEnabled(true);
    m_disconnectAllAction->setEnabled(!m_services.session->sources().isEmpty());
}

void MainWindow::onConnectionStateChanged(ConnectionState state, const QString &detail)
{
    qCInfo(lcUi).noquote() << "broker" << connectionStateKey(state) << detail;
    m_statusBar->setConnectionState(state, detail);
}

void MainWindow::onStorageError(const QString &message)
{
    qCWarning(lcUi).noquote() << "storage error:" << message;
    m_statusBar->setStorageError(message);
    if (m_storageErrorShown)
        return;
    m_storageErrorShown = true;  // once per run; the status bar keeps showing the latest
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Cache Error"),
                                tr("FleetDeck could not write to its local cache. Live data is still shown, "
                                   "but it may be missing from the cache after a restart."),
                                QMessageBox::Ok, this);
    box->setTextFormat(Qt::PlainText);
    box->setDetailedText(message);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::showOperationsStoreProblem(const QString &message)
{
    qCWarning(lcUi).noquote() << "operations store problem shown:" << message;
    m_statusBar->showMessage(tr("Alerts, audit log, rollouts and commissioning unavailable: the operations store "
                                "cannot be used (details in the warning)."));
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Operations Store Unavailable"),
                                tr("FleetDeck cannot use the operations store beside the cache. Live data and the "
                                   "cache work, but alerts, the audit log, firmware rollouts and commissioning are "
                                   "unavailable until FleetDeck is started with a usable store.\n\n%1")
                                    .arg(message),
                                QMessageBox::Ok, this);
    box->setTextFormat(Qt::PlainText);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::connectWithSecrets(const ConnectionProfile &profile, const ConnectionSecrets &secrets)
{
    qCInfo(lcUi).noquote() << "connecting to" << profile.broker.toString() << "profile" << profile.name;
    m_services.session->connectSource(profile, secrets);
    m_sourceState->noteConnected(profile, secrets);
    const QString source = FleetSession::sourceNameFor(profile);
    if (m_services.rollouts)
        m_services.rollouts->setSourceLink(source, profile, secrets);
    if (m_services.provisioning && m_services.operations)
        m_services.provisioning->setSourceLink(source, profile, secrets);
    m_sourceBrokers.insert(source, profile.broker.toString());
    if (m_connectionsDialog)
        m_connectionsDialog->setSourceBroker(source, profile.broker.toString());
    if (m_services.profiles && !profile.name.isEmpty() && m_services.profiles->profile(profile.name))
        rememberConnection(profile.name, true);
    updateConnectionActions();
}

bool MainWindow::connectSavedProfile(const QString &name)
{
    if (!m_services.profiles)
        return false;
    const std::optional<ConnectionProfile> profile = m_services.profiles->profile(name);
    if (!profile)
        return false;
    m_services.profiles->setLastUsed(name);
    connectWithProfile(*profile);
    return true;
}

void MainWindow::disconnectSource(const QString &source)
{
    qCInfo(lcUi).noquote() << "disconnecting" << source;
    rememberConnection(source, false);
    if (m_services.provisioning && m_services.operations)
        m_services.provisioning->removeSourceLink(source);
    m_services.session->disconnectSource(source);  // returns at once
    updateConnectionActions();
}

void MainWindow::disconnectAll()
{
    const QStringList sources = m_services.session->sources();
    for (const QString &source : sources)
        disconnectSource(source);
}

int MainWindow::reconnectSavedConnections()
{
    int count = 0;
    const QStringList names = m_remembered;
    for (const QString &name : names) {
        if (connectSavedProfile(name))
            ++count;
        else
            rememberConnection(name, false);  // deleted meanwhile
    }
    return count;
}

QStringList MainWindow::rememberedConnections() const
{
    return m_remembered;
}

void MainWindow::rememberConnection(const QString &name, bool connected)
{
    const bool known = m_remembered.contains(name);
    if (connected == known)
        return;
    if (connected)
        m_remembered.append(name);
    else
        m_remembered.removeAll(name);
    if (m_services.settings) {
        if (m_remembered.isEmpty())
            m_services.settings->remove(K::kConnectedProfiles);  // not "@Invalid()"
        else
            m_services.settings->setValue(K::kConnectedProfiles, m_remembered);
        m_services.settings->sync();
    }
}

void MainWindow::connectWithProfile(const ConnectionProfile &profile)
{
    if (profile.name.isEmpty() || !m_services.secrets) {
        connectWithSecrets(profile, {});
        return;
    }
    // A secret saved before secrets were bound to a broker belongs to the saved profile's
    // broker; with no saved profile of that name, to none.
    std::optional<BrokerUrl> savedBroker;
    if (m_services.profiles) {
        if (const std::optional<ConnectionProfile> saved = m_services.profiles->profile(profile.name))
            savedBroker = saved->broker;
    }
    QPointer<MainWindow> self(this);
    ProfileSecrets(*m_services.secrets)
        .load(profile.name, savedBroker, profile.broker, [self, profile](const ProfileSecrets::Loaded &loaded) {
            if (!self)
                return;
            QStringList notes;
            if (!loaded.errors.isEmpty())
                notes << tr("Keychain: %1").arg(loaded.errors.join(QStringLiteral("; ")));
            if (!loaded.withheld.isEmpty()) {
                const QString text = tr("The saved %1 of \"%2\" was not sent to %3: it was saved for %4.")
                                         .arg(loaded.withheld.join(tr(" and ")), profile.name,
                                              profile.broker.toString(), loaded.savedFor);
                qCWarning(lcUi).noquote() << text;
                notes << text;
            }
            self->onProfileSecretsLoaded(profile, loaded.secrets, notes);
        });
}

void MainWindow::onProfileSecretsLoaded(ConnectionProfile profile, const ConnectionSecrets &secrets,
                                        const QStringList &notes)
{
    if (!notes.isEmpty())
        m_statusBar->showMessage(notes.join(QStringLiteral("  ")), 20000);
    if (needsPlaintextConfirmation(profile, secrets)) {
        if (!m_services.plaintextPrompt->confirm(this, profile)) {
            const QString text = tr("Not connected to \"%1\": its password would be sent unencrypted to %2.")
                                     .arg(profile.name, profile.broker.toString());
            qCInfo(lcUi).noquote() << text;
            m_statusBar->showMessage(text, 20000);
            return;
        }
        profile.allowPlaintextPassword = true;
        // Asked once: recorded with the saved profile, for this broker only.
        if (m_services.profiles)
            m_services.profiles->confirmPlaintextPassword(profile.name, profile.broker);
    }
    connectWithSecrets(profile, secrets);
}

ConnectionsDialog *MainWindow::connectionsDialog() const
{
    return m_connectionsDialog.data();
}

void MainWindow::showConnectionDialog()
{
    if (!m_connectionsDialog) {
        auto *dialog = new ConnectionsDialog(*m_services.session, m_services.profiles, m_services.secrets,
                                             m_services.plaintextPrompt, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &ConnectionsDialog::connectRequested, this, [this](const QString &name) {
            if (!connectSavedProfile(name))
                m_statusBar->showMessage(tr("There is no saved connection called \"%1\".").arg(name), 5000);
        });
        connect(dialog, &ConnectionsDialog::disconnectRequested, this, &MainWindow::disconnectSource);
        connect(dialog, &ConnectionsDialog::disconnectAllRequested, this, &MainWindow::disconnectAll);
        for (auto it = m_sourceBrokers.cbegin(); it != m_sourceBrokers.cend(); ++it)
            dialog->setSourceBroker(it.key(), it.value());
        m_connectionsDialog = dialog;
    }
    m_connectionsDialog->show();
    m_connectionsDialog->raise();
    m_connectionsDialog->activateWindow();
}

QDialog *MainWindow::showConnectDialog()
{
    if (!m_services.profiles || !m_services.secrets) {
        showConnectionDialog();
        return nullptr;
    }
    auto *dialog = new ConnectionDialog(*m_services.profiles, *m_services.secrets, ConnectionDialog::Mode::Manage,
                                        m_services.plaintextPrompt, this);
    dialog->setObjectName(QStringLiteral("ConnectDialog"));
    dialog->setWindowTitle(tr("Connect to Broker"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (m_services.profiles->names().isEmpty())
        dialog->startNewProfile();
    dialog->setWindowTitle(tr("Connect to Broker"));
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        // Named: saved by the dialog (and remembered once connected); unnamed: this run only.
        connectWithSecrets(dialog->profile(), dialog->secrets());
        if (m_connectionsDialog)
            m_connectionsDialog->reload();
    });
    dialog->open();
    return dialog;
}

void MainWindow::setDemoState(bool starting, bool running)
{
    m_firstRun->setDemoStarting(starting);
    m_tryDemoAction->setEnabled(!starting && !running);
}

void MainWindow::showRetentionDialog()
{
    FleetSession *session = m_services.session;
    RetentionDialog dialog(session->retention(), session->databasePath(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    applyRetention(dialog.policy());
}

void MainWindow::applyRetention(const RetentionPolicy &policy)
{
    if (m_services.settings) {
        RetentionSettings(*m_services.settings).save(policy);
        m_services.settings->sync();
    }
    if (m_services.session->setRetention(policy)) {
        m_reportPrune = true;
        m_statusBar->showMessage(tr("Deleting telemetry older than the new retention limits…"), 10000);
    }
}

void MainWindow::showIngestLimitsDialog()
{
    IngestLimitsDialog dialog(m_services.session->limits(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    applyIngestLimits(dialog.limits());
}

void MainWindow::applyIngestLimits(const IngestLimits &limits)
{
    if (!limits.isValid())
        return;
    if (m_services.settings) {
        IngestSettings(*m_services.settings).save(limits);
        m_services.settings->sync();
    }
    m_services.session->setLimits(limits);
    m_diagnosticsPage->setLimits(limits);
}

void MainWindow::showMetricCatalogueDialog()
{
    MetricCatalogueDialog dialog(m_services.metrics->entries(), m_inventory->metricNames(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    applyMetricCatalogue(dialog.entries());
}

void MainWindow::applyMetricCatalogue(const QList<MetricInfo> &entries)
{
    m_services.metrics->setEntries(entries);
    if (m_services.settings) {
        MetricCatalogueSettings(*m_services.settings).save(entries);
        m_services.settings->sync();
    }
}

void MainWindow::showAbout()
{
    QMessageBox box(this);
    box.setWindowTitle(tr("About FleetDeck"));
    box.setIconPixmap(windowIcon().pixmap(64, 64));
    box.setTextFormat(Qt::PlainText);
    box.setText(tr("FleetDeck %1").arg(QStringLiteral(FLEETDECK_VERSION)));
    box.setInformativeText(tr("A desktop operations console for fleets of connected devices: inventory, "
                              "diagnostics and a demo fleet, over MQTT 3.1.1/5 with TLS, "
                              "with a local cache that works offline.\n\nBuilt with Qt %1.")
                               .arg(QString::fromLatin1(qVersion())));
    box.exec();
}

ShortcutsDialog *MainWindow::showKeyboardShortcuts()
{
    if (!m_shortcutsDialog) {
        auto *dialog = new ShortcutsDialog(ShortcutsDialog::actionEntries(this) + ShortcutsDialog::viewKeyEntries(), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        m_shortcutsDialog = dialog;
    }
    m_shortcutsDialog->show();
    m_shortcutsDialog->raise();
    m_shortcutsDialog->activateWindow();
    return m_shortcutsDialog;
}

void MainWindow::restoreWindowState()
{
    if (!m_services.settings)
        return;
    // The window size comes from the command line (--geometry); only the layout inside the
    // window is remembered.
    QSettings &s = *m_services.settings;
    m_inventoryPage->restoreState(s.value(K::kInventoryPageState).toByteArray());
    m_telemetryPage->restoreState();
    // Always opens on the Overview (the page an operator sees first), whatever was shown last.
    showPage(OverviewPageIndex);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_services.settings) {
        QSettings &s = *m_services.settings;
        s.setValue(K::kInventoryPageState, m_inventoryPage->saveState());
        m_telemetryPage->saveState();
    }
    QMainWindow::closeEvent(event);
}

} // namespace fd
