// The main window wired to a real FleetSession (temp SQLite cache) fed by the real demo:
// DemoEnvironment = private mosquitto + fleetdeck-sim publishing protocol v1.
#include "core/broker/demo_environment.h"
#include "core/broker/mosquitto_launcher.h"
#include "core/ingest/fleet_session.h"
#include "models/device_filter_proxy_model.h"
#include "models/device_inventory_model.h"
#include "models/rejection_model.h"
#include "ui/device_detail_panel.h"
#include "ui/diagnostics_page.h"
#include "ui/fleet_status_bar.h"
#include "ui/inventory_page.h"
#include "ui/main_window.h"
#include "widgets/filter_bar.h"

#include <QDir>
#include <QFileInfo>
#include <QLineEdit>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;

namespace {
constexpr int kDevices = 20;

QString screenshotDir()
{
    const QString dir = QDir(QStringLiteral(FLEETDECK_BIN_DIR)).absoluteFilePath(QStringLiteral("../screenshots"));
    QDir().mkpath(dir);
    return QDir::cleanPath(dir);
}
} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void demoFleetAppearsInInventory();
    void cachedInventoryIsShownBeforeAnyBroker();

private:
    QTemporaryDir m_dir;
    QString dbPath() const { return m_dir.filePath(QStringLiteral("cache.sqlite")); }
    QString simulator() const { return QStringLiteral(FLEETDECK_BIN_DIR "/fleetdeck-sim"); }
};

void TestMainWindow::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (MosquittoLauncher::findExecutable().isEmpty())
        QSKIP(qPrintable(QStringLiteral("mosquitto is not installed: %1").arg(MosquittoLauncher::installHint())));
    QVERIFY2(QFileInfo::exists(simulator()), "fleetdeck-sim is not built");
}

void TestMainWindow::demoFleetAppearsInInventory()
{
    FleetSession session;
    const Database::OpenResult opened = session.open(dbPath());
    QVERIFY2(opened.ok(), qPrintable(opened.message));

    MainWindow window(MainWindow::Services{&session, nullptr, nullptr, nullptr});
    window.resize(1400, 860);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    InventoryPage *page = window.inventoryPage();
    QCOMPARE(page->table()->model()->rowCount(), 0);
    QVERIFY(window.fleetStatusBar()->cacheText().isEmpty());  // empty cache: nothing to claim

    DemoEnvironment demo;
    DemoEnvironment::Options options;
    options.simulatorPath = simulator();
    options.devices = kDevices;
    options.rateHz = 2;
    options.sparkplugNodes = 0;  // the protocol v1 fleet only: the counts below are its devices
    QString error;
    QVERIFY2(demo.start(options, &error), qPrintable(error));
    ConnectionProfile profile = demo.siteProfile(0);  // the generated account of this run
    profile.name = QStringLiteral("Demo");
    window.connectWithSecrets(profile, demo.siteSecrets(0));

    QTRY_COMPARE_WITH_TIMEOUT(page->table()->model()->rowCount(), kDevices, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(window.fleetStatusBar()->connectionText().startsWith(QStringLiteral("Connected")), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(window.fleetStatusBar()->countsText().contains(QStringLiteral("20 devices")), 10000);

    // The table shows real device data: ids, and metrics once telemetry arrived.
    DeviceInventoryModel *inventory = window.inventoryModel();
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const Device &d : inventory->devices()) {
                if (d.metrics.isEmpty() || d.name.isEmpty())
                    return false;
            }
            return true;
        }(),
        20000);
    const QModelIndex first = page->table()->model()->index(0, DeviceInventoryModel::IdColumn);
    QVERIFY(!first.data().toString().isEmpty());
    QVERIFY(page->table()->model()->index(0, DeviceInventoryModel::TemperatureColumn).data().toString().endsWith(QStringLiteral("°C")));

    // The first device is selected and detailed.
    QTRY_VERIFY(!page->detailPanel()->deviceKey().isNull());
    QCOMPARE(page->detailPanel()->deviceKey().path, first.data().toString());

    // Sorting by id descending puts the last device first.
    page->table()->sortByColumn(DeviceInventoryModel::IdColumn, Qt::DescendingOrder);
    QVERIFY(page->table()->model()->index(0, DeviceInventoryModel::IdColumn).data().toString()
            > page->table()->model()->index(kDevices - 1, DeviceInventoryModel::IdColumn).data().toString());
    page->table()->sortByColumn(DeviceInventoryModel::IdColumn, Qt::AscendingOrder);

    // Typing in the search field filters (debounced).
    const QString wanted = inventory->devices().at(3).id;
    page->filterBar()->searchField()->setText(wanted);
    QTRY_COMPARE(page->table()->model()->rowCount(), 1);
    QCOMPARE(page->proxy()->deviceKeyAt(0).path, wanted);
    page->filterBar()->searchField()->clear();
    QTRY_COMPARE(page->table()->model()->rowCount(), kDevices);

    // A second, faulty simulator: rejected messages (attributed and not) and devices that
    // say goodbye. Same seed, so its devices are the demo's first three.
    QProcess faulty;
    faulty.setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("FLEETDECK_PASSWORD"), demo.siteSecrets(0).password);
    faulty.setProcessEnvironment(environment);
    faulty.start(simulator(), {QStringLiteral("--broker"), demo.brokerUrl(), QStringLiteral("--username"),
                               profile.username, QStringLiteral("--allow-plaintext-password"), QStringLiteral("--devices"),
                               QStringLiteral("3"), QStringLiteral("--rate"), QStringLiteral("10"),
                               QStringLiteral("--faults"), QStringLiteral("0.5"), QStringLiteral("--seed"),
                               QString::number(options.seed), QStringLiteral("--duration"), QStringLiteral("2"),
                               QStringLiteral("--client-id-prefix"), QStringLiteral("faulty-"),
                               QStringLiteral("--offline-on-exit")});
    QVERIFY(faulty.waitForFinished(20000));
    QCOMPARE(faulty.exitCode(), 0);
    RejectionModel *rejections = window.rejectionModel();
    QTRY_VERIFY_WITH_TIMEOUT(rejections->total() > 0, 10000);
    QVERIFY(rejections->rowCount() >= 1);

    // Screenshots (offscreen rendering) for a human to look at.
    const QString dir = screenshotDir();
    QTest::qWait(1200);  // one more "last seen" refresh and a few live updates
    QVERIFY(window.grab().save(dir + QStringLiteral("/ui-inventory.png")));
    window.showPage(MainWindow::DiagnosticsPageIndex);
    QTest::qWait(200);
    QVERIFY(window.grab().save(dir + QStringLiteral("/ui-diagnostics.png")));
    qInfo().noquote() << "screenshots in" << dir;

    session.shutdown();
    demo.stop();
}

void TestMainWindow::cachedInventoryIsShownBeforeAnyBroker()
{
    FleetSession session;
    const Database::OpenResult opened = session.open(dbPath());
    QVERIFY2(opened.ok(), qPrintable(opened.message));
    QCOMPARE(session.cachedDevices().size(), kDevices);

    MainWindow window(MainWindow::Services{&session, nullptr, nullptr, nullptr});
    window.resize(1400, 860);
    window.show();
    // At once, without a broker: the cached fleet and the "as of" notice.
    QCOMPARE(window.inventoryPage()->table()->model()->rowCount(), kDevices);
    QVERIFY(window.fleetStatusBar()->isShowingCachedState());
    QVERIFY(window.fleetStatusBar()->cacheText().startsWith(QStringLiteral("Last known state as of")));
    QVERIFY(window.fleetStatusBar()->connectionText().startsWith(QStringLiteral("Not connected")));
    QVERIFY(window.fleetStatusBar()->countsText().contains(QStringLiteral("20 devices")));
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.grab().save(screenshotDir() + QStringLiteral("/ui-cached.png")));
    session.shutdown();
}

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
