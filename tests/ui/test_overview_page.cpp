// The Overview in the main window (offscreen, real FleetSession on a temp cache, a real
// AlertService on a real operations store): it is the first page and the one shown at
// start; its tiles count alerts needing attention per severity and devices online /
// offline / unknown in total, per source and per site; a severity tile (mouse or keyboard)
// opens the Triage page filtered to that severity; the Alerts entry of the sidebar shows
// the unacknowledged active alerts; the device counts are recomputed on a timer, not per
// device update, and stay cheap at 100k devices; the Rollouts card is reserved.
#include "core/ingest/fleet_session.h"
#include "models/alert_filter_proxy_model.h"
#include "models/alert_queue_model.h"
#include "models/device_inventory_model.h"
#include "tests/ui/alert_fixture.h"
#include "ui/alerts_page.h"
#include "ui/critical_alert_notifier.h"
#include "ui/main_window.h"
#include "ui/overview_page.h"
#include "ui/page_sidebar.h"
#include "widgets/breakdown_card.h"
#include "widgets/dashboard_tile.h"
#include "widgets/badge_item_delegate.h"

#include <QElapsedTimer>
#include <QTableView>
#include <QTest>

using namespace fd;
using namespace Qt::StringLiterals;

namespace {

Device device(int i, const QString &source, const QString &site, bool online)
{
    Device d;
    d.source = source;
    d.id = d.path = u"dev-%1"_s.arg(i, 6, 10, QLatin1Char('0'));
    d.site = site;
    d.online = online;
    d.lastSeenMs = QDateTime::currentMSecsSinceEpoch();
    return d;
}

} // namespace

class TestOverviewPage : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void overviewIsTheFirstPage();
    void tilesCountDevices();
    void tilesCountAlertsAndOpenTheFilteredQueue();
    void keyboardReachesTheTiles();
    void sidebarBadgeCountsUnacknowledged();
    void presenceIsRecomputedOnATimerOnly();
    void hundredThousandDevicesStayCheap();
    void ratesAndRollouts();

private:
    QString badge() const;

    QTemporaryDir m_dir;
    std::unique_ptr<test::AlertFixture> m_alerts;
    std::unique_ptr<FleetSession> m_session;
    std::unique_ptr<MainWindow> m_window;
    qint64 m_critical = 0;
    qint64 m_minor = 0;
};

void TestOverviewPage::init()
{
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    m_alerts = std::make_unique<test::AlertFixture>();
    QVERIFY(m_alerts->start());
    m_critical = m_alerts->addRule(u"Overheat"_s, AlertSeverity::Critical);
    m_minor = m_alerts->addRule(u"Warm"_s, AlertSeverity::Minor, u"temperature"_s, 30);
    QVERIFY(m_critical > 0 && m_minor > 0);
    m_session = std::make_unique<FleetSession>();
    const Database::OpenResult opened = m_session->open(m_dir.filePath(u"cache.sqlite"_s));
    QVERIFY2(opened.ok(), qPrintable(opened.message));
    MainWindow::Services services;
    services.session = m_session.get();
    services.operations = &m_alerts->store;
    services.alerts = &m_alerts->service;
    m_window = std::make_unique<MainWindow>(services);
    QList<Device> devices;
    for (int i = 0; i < 10; ++i)
        devices.append(device(i, i < 6 ? u"plant-a"_s : u"plant-b"_s, i % 2 ? u"Lyon-Nord"_s : u"Rotterdam"_s, i != 3));
    m_window->inventoryModel()->resetDevices(devices);
    for (const QString &source : {u"plant-a"_s, u"plant-b"_s})
        m_window->inventoryModel()->setSourceState(source, ConnectionState::Connected);
    m_window->resize(1280, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
}

void TestOverviewPage::cleanup()
{
    m_window.reset();
    m_session.reset();
    m_alerts.reset();
}

QString TestOverviewPage::badge() const
{
    PageSidebar *sidebar = m_window->sidebar();
    return sidebar->model()->index(MainWindow::AlertsPageIndex, 0).data(BadgeItemDelegate::BadgeRole).toString();
}

void TestOverviewPage::overviewIsTheFirstPage()
{
    PageSidebar *sidebar = m_window->sidebar();
    QCOMPARE(sidebar->pageTitle(0), u"Overview"_s);
    QCOMPARE(sidebar->pageTitle(MainWindow::AlertsPageIndex), u"Alerts"_s);
    QCOMPARE(sidebar->currentPage(), int(MainWindow::OverviewPageIndex));
    QVERIFY(m_window->overviewPage()->isVisible());
    // Every page fits a 1280x720 laptop screen.
    QVERIFY2(m_window->minimumSizeHint().width() <= 1280, qPrintable(QString::number(m_window->minimumSizeHint().width())));
    m_window->showPage(MainWindow::InventoryPageIndex);
    m_window->restoreWindowState();  // no settings: nothing to restore
    QTest::keyClick(m_window.get(), Qt::Key_1, Qt::ControlModifier);
    QCOMPARE(sidebar->currentPage(), int(MainWindow::OverviewPageIndex));
    QTest::keyClick(m_window.get(), Qt::Key_2, Qt::ControlModifier);
    QCOMPARE(sidebar->currentPage(), int(MainWindow::AlertsPageIndex));
}

void TestOverviewPage::tilesCountDevices()
{
    OverviewPage *page = m_window->overviewPage();
    page->refreshPresenceNow();
    QCOMPARE(page->presenceTile(DevicePresence::Online)->value(), u"9"_s);
    QCOMPARE(page->presenceTile(DevicePresence::Offline)->value(), u"1"_s);
    QCOMPARE(page->presenceTile(DevicePresence::Unknown)->value(), u"0"_s);
    QCOMPARE(page->sourceCards().size(), 2);
    QCOMPARE(page->sourceCards().at(0)->title(), u"plant-a"_s);
    QCOMPARE(page->sourceCards().at(0)->legendText(), u"5 online · 1 offline"_s);
    QCOMPARE(page->siteCards().size(), 2);
    QCOMPARE(page->siteCards().at(0)->title(), u"Lyon-Nord"_s);
    // A source that is not connected: its devices are unknown, whatever they last said.
    m_window->inventoryModel()->setSourceState(u"plant-b"_s, ConnectionState::Disconnected);
    page->refreshPresenceNow();
    QCOMPARE(page->presenceTile(DevicePresence::Unknown)->value(), u"4"_s);
    QCOMPARE(page->sourceCards().at(1)->legendText(), u"4 unknown"_s);
}

void TestOverviewPage::tilesCountAlertsAndOpenTheFilteredQueue()
{
    OverviewPage *page = m_window->overviewPage();
    QVERIFY(m_alerts->raise(m_critical, u"dev-000001"_s));
    QVERIFY(m_alerts->raise(m_critical, u"dev-000002"_s));
    QVERIFY(m_alerts->raise(m_minor, u"dev-000003"_s));
    DashboardTile *critical = page->severityTile(AlertSeverity::Critical);
    QTRY_COMPARE(critical->value(), u"2"_s);
    QCOMPARE(critical->caption(), u"2 unacked · 2 open"_s);
    QCOMPARE(page->severityTile(AlertSeverity::Minor)->value(), u"1"_s);
    QCOMPARE(page->severityTile(AlertSeverity::Major)->value(), u"0"_s);
    QVERIFY(page->severityTile(AlertSeverity::Major)->isMuted());
    QCOMPARE(page->attentionTile()->value(), u"3"_s);

    QTest::mouseClick(critical, Qt::LeftButton);
    QCOMPARE(m_window->sidebar()->currentPage(), int(MainWindow::AlertsPageIndex));
    AlertsPage *triage = m_window->alertsPage();
    QVERIFY(triage->isVisible());
    AlertFilterProxyModel *proxy = triage->proxy();
    QCOMPARE(proxy->filter().severity, std::optional<AlertSeverity>(AlertSeverity::Critical));
    QCOMPARE(proxy->rowCount(), 2);
    for (int row = 0; row < proxy->rowCount(); ++row)
        QCOMPARE(proxy->index(row, 0).data(AlertQueueModel::SeverityRole).toInt(), int(AlertSeverity::Critical));
    QVERIFY(triage->table()->hasFocus());  // ready for J/K
    QCOMPARE(triage->table()->currentIndex().row(), 0);

    // The last tile: the whole queue again.
    m_window->showPage(MainWindow::OverviewPageIndex);
    QTest::mouseClick(page->attentionTile(), Qt::LeftButton);
    QCOMPARE(m_window->sidebar()->currentPage(), int(MainWindow::AlertsPageIndex));
    QCOMPARE(proxy->rowCount(), 3);
}

void TestOverviewPage::keyboardReachesTheTiles()
{
    OverviewPage *page = m_window->overviewPage();
    QVERIFY(m_alerts->raise(m_minor, u"dev-000003"_s));
    DashboardTile *minor = page->severityTile(AlertSeverity::Minor);
    QVERIFY(minor->focusPolicy() & Qt::TabFocus);
    QVERIFY(!(page->messageRateTile()->focusPolicy() & Qt::TabFocus));  // informs only
    minor->setFocus(Qt::TabFocusReason);
    QTRY_VERIFY(minor->hasFocus());
    QTest::keyClick(minor, Qt::Key_Space);
    QCOMPARE(m_window->sidebar()->currentPage(), int(MainWindow::AlertsPageIndex));
    QTRY_COMPARE(m_window->alertsPage()->proxy()->rowCount(), 1);
}

void TestOverviewPage::sidebarBadgeCountsUnacknowledged()
{
    QCOMPARE(badge(), QString());
    QVERIFY(m_alerts->raise(m_critical, u"dev-000001"_s));
    QVERIFY(m_alerts->raise(m_minor, u"dev-000002"_s));
    QTRY_COMPARE(badge(), u"2"_s);
    const qint64 id = m_alerts->service.openAlerts().constFirst().id;
    QVERIFY(m_alerts->finish(m_alerts->service.acknowledge({id})));
    QTRY_COMPARE(badge(), u"1"_s);
    // The critical one was notified once (no tray offscreen: the signal and the status bar).
    QVERIFY(m_window->alertNotifier());
    QCOMPARE(m_window->alertNotifier()->notificationCount(), 1);
}

void TestOverviewPage::presenceIsRecomputedOnATimerOnly()
{
    OverviewPage *page = m_window->overviewPage();
    page->refreshPresenceNow();
    const int before = page->presenceComputations();
    DeviceInventoryModel *inventory = m_window->inventoryModel();
    for (int i = 0; i < 50; ++i) {
        Device d = device(i % 10, i % 10 < 6 ? u"plant-a"_s : u"plant-b"_s, u"Lyon-Nord"_s, i % 2);
        inventory->applyUpdates({d});
        inventory->flushPendingUpdates();
    }
    QCOMPARE(page->presenceComputations(), before);  // not per update
    QTRY_COMPARE_WITH_TIMEOUT(page->presenceComputations(), before + 1, OverviewPage::kPresenceIntervalMs * 3);
    // Hidden: nothing is computed; shown again: once.
    m_window->showPage(MainWindow::InventoryPageIndex);
    inventory->applyUpdates({device(1, u"plant-a"_s, u"Lyon-Nord"_s, false)});
    inventory->flushPendingUpdates();
    const int hidden = page->presenceComputations();
    QVERIFY(!page->isPresencePending());  // no timer while hidden
    QCOMPARE(page->presenceComputations(), hidden);
    m_window->showPage(MainWindow::OverviewPageIndex);
    QCOMPARE(page->presenceComputations(), hidden + 1);
}

void TestOverviewPage::hundredThousandDevicesStayCheap()
{
    QList<Device> devices;
    devices.reserve(100'000);
    for (int i = 0; i < 100'000; ++i)
        devices.append(device(i, u"plant-%1"_s.arg(i % 4), u"site-%1"_s.arg(i % 40), i % 7 != 0));
    m_window->inventoryModel()->resetDevices(devices);
    OverviewPage *page = m_window->overviewPage();
    QElapsedTimer timer;
    timer.start();
    page->refreshPresenceNow();
    const qint64 ms = timer.elapsed();
    qInfo() << "overview over 100,000 devices:" << ms << "ms";
    QCOMPARE(page->presence().total().total(), 100'000);
    QCOMPARE(page->sourceCards().size(), 4);
    QCOMPARE(page->siteCards().size(), OverviewPage::kMaxCards);  // 23 sites and "17 more"
    QCOMPARE(page->siteCards().constLast()->title(), u"17 more"_s);
    QVERIFY2(ms < 2000, "one overview pass over 100k devices is too slow");
}

void TestOverviewPage::ratesAndRollouts()
{
    OverviewPage *page = m_window->overviewPage();
    qint64 clock = 0;
    page->setClock([&clock] { return clock; });
    IngestStats stats;
    stats.messagesPerSecond = 1234;
    stats.received = 1000;
    stats.rejected = 10;
    page->setStats(stats);
    QCOMPARE(page->messageRateTile()->value(), u"1,234 msg/s"_s);
    clock += 1000;  // the next statistics, a second later
    stats.received = 2000;
    stats.rejected = 60;
    page->setStats(stats);
    QCOMPARE(page->rejectRateTile()->value(), u"50 msg/s"_s);
    QCOMPARE(page->rejectRateTile()->caption(), u"5.0 % of received"_s);
    QVERIFY(page->rolloutsCard()->isVisible());
}

QTEST_MAIN(TestOverviewPage)
#include "test_overview_page.moc"
