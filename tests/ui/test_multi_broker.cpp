// Several brokers at once through the main window: two real mosquitto instances, each with
// a fleetdeck-sim publishing the same device ids, two saved profiles connected from
// File > Connections… (ConnectionsDialog) into one FleetSession. Devices of both appear as
// distinct rows, the status bar shows each source, disconnecting or losing one broker
// leaves the other connected and receiving, and the connected set is remembered.
#include "core/broker/child_process.h"
#include "core/ingest/fleet_session.h"
#include "core/settings/profile_store.h"
#include "core/settings/settings_keys.h"
#include "models/device_inventory_model.h"
#include "tests/support/broker_fixture.h"
#include "tests/support/fake_secret_store.h"
#include "ui/connections_dialog.h"
#include "ui/fleet_status_bar.h"
#include "ui/main_window.h"

#include <QAction>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QProcess>
#include <QPushButton>
#include <QSet>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;
using namespace Qt::StringLiterals;

namespace {
constexpr int kDevices = 5;

QString simulator()
{
    return QStringLiteral(FLEETDECK_BIN_DIR "/fleetdeck-sim");
}

QString screenshotDir()
{
    const QString dir = QDir(QStringLiteral(FLEETDECK_BIN_DIR)).absoluteFilePath(u"../screenshots"_s);
    QDir().mkpath(dir);
    return QDir::cleanPath(dir);
}

// Source threads ("fleetdeck-src-<name>", truncated by the OS) still alive in this process.
// FleetSession::shutdown() does not wait for sources that disconnectSource() already
// released, and their wind-down then posts to the deleted pipeline (a core bug, reported):
// the test lets them end before shutting the session down.
int sourceThreadsRunning()
{
    int count = 0;
    const QStringList tasks = QDir(u"/proc/self/task"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &task : tasks) {
        QFile comm(u"/proc/self/task/"_s + task + u"/comm"_s);
        if (comm.open(QIODevice::ReadOnly) && comm.readAll().startsWith("fleetdeck-src-"))
            ++count;
    }
    return count;
}

// Devices of one source in the inventory model, by id.
QSet<QString> deviceIds(const DeviceInventoryModel *model, const QString &source)
{
    QSet<QString> ids;
    for (int row = 0; row < model->rowCount(); ++row) {
        const Device *d = model->deviceAt(row);
        if (d && d->source == source)
            ids.insert(d->id);
    }
    return ids;
}
} // namespace

class TestMultiBroker : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void twoBrokersAtOnce();
    void reconnectsWhatWasConnectedAtExit();
    void statusBarShowsBrokerTextAsPlainText();

private:
    bool startSimulator(QProcess &process, const test::BrokerFixture &broker, int seed);

    QTemporaryDir m_dir;
    test::BrokerFixture m_brokerA;
    test::BrokerFixture m_brokerB;
    QProcess m_simA;
    QProcess m_simB;
};

bool TestMultiBroker::startSimulator(QProcess &process, const test::BrokerFixture &broker, int seed)
{
    process.setProcessChannelMode(QProcess::MergedChannels);
    ChildProcess::killWithParent(process);  // a crashed test leaves no simulator behind
    process.start(simulator(), {u"--broker"_s, broker.url(), u"--devices"_s, QString::number(kDevices),
                                u"--rate"_s, u"5"_s, u"--seed"_s, QString::number(seed)});
    return process.waitForStarted(5000);
}

void TestMultiBroker::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (!test::BrokerFixture::mosquittoAvailable())
        QSKIP("mosquitto is not installed");
    QVERIFY2(QFileInfo::exists(simulator()), "fleetdeck-sim is not built");
    QString error;
    QVERIFY2(m_brokerA.start(&error), qPrintable(error));
    QVERIFY2(m_brokerB.start(&error), qPrintable(error));
    QVERIFY(m_brokerA.port() != m_brokerB.port());
    QVERIFY(startSimulator(m_simA, m_brokerA, 1));
    QVERIFY(startSimulator(m_simB, m_brokerB, 2));
}

void TestMultiBroker::cleanupTestCase()
{
    for (QProcess *sim : {&m_simA, &m_simB})
        ChildProcess::stop(*sim);
    m_brokerA.stop();
    m_brokerB.stop();
}

void TestMultiBroker::twoBrokersAtOnce()
{
    QSettings settings(m_dir.filePath(u"settings.ini"_s), QSettings::IniFormat);
    ProfileStore profiles(settings);
    ConnectionProfile a = m_brokerA.profile();
    a.name = u"plant-a"_s;
    ConnectionProfile b = m_brokerB.profile();
    b.name = u"plant-b"_s;
    QVERIFY(profiles.save(a));
    QVERIFY(profiles.save(b));
    test::FakeSecretStore secrets;

    FleetSession session;
    const Database::OpenResult opened = session.open(m_dir.filePath(u"cache.sqlite"_s));
    QVERIFY2(opened.ok(), qPrintable(opened.message));
    MainWindow window(MainWindow::Services{&session, &profiles, &secrets, &settings});
    window.resize(1400, 860);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.connectionsAction()->isEnabled());
    QVERIFY(!window.disconnectAllAction()->isEnabled());  // nothing to disconnect yet

    // File > Connections…: both saved profiles, not connected; connect both.
    window.connectionsAction()->trigger();
    ConnectionsDialog *dialog = window.connectionsDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->names(), QStringList({u"plant-a"_s, u"plant-b"_s}));
    QVERIFY(!dialog->disconnectAllButton()->isEnabled());
    for (const QString &name : {u"plant-a"_s, u"plant-b"_s}) {
        QVERIFY(dialog->selectConnection(name));
        QVERIFY(dialog->connectButton()->isEnabled());
        QVERIFY(!dialog->disconnectButton()->isEnabled());
        QTest::mouseClick(dialog->connectButton(), Qt::LeftButton);
    }
    QTRY_COMPARE_WITH_TIMEOUT(session.sources(), QStringList({u"plant-a"_s, u"plant-b"_s}), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->stateText(u"plant-a"_s), u"Connected"_s, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->stateText(u"plant-b"_s), u"Connected"_s, 15000);
    QVERIFY(!dialog->connectButton()->isEnabled());  // plant-b selected and connected
    QVERIFY(dialog->disconnectButton()->isEnabled());
    QVERIFY(dialog->disconnectAllButton()->isEnabled());
    QVERIFY(window.disconnectAllAction()->isEnabled());
    QCOMPARE(sourceThreadsRunning(), 2);  // the helper below sees the threads it waits for

    // Same device ids on both brokers: distinct rows, one per (source, id).
    DeviceInventoryModel *inventory = window.inventoryModel();
    QTRY_COMPARE_WITH_TIMEOUT(inventory->rowCount(), 2 * kDevices, 30000);
    const QSet<QString> idsA = deviceIds(inventory, u"plant-a"_s);
    QCOMPARE(idsA.size(), kDevices);
    QCOMPARE(deviceIds(inventory, u"plant-b"_s), idsA);

    // Status bar: one badge per source with its state and rate.
    FleetStatusBar *bar = window.fleetStatusBar();
    QCOMPARE(bar->sourceNames(), QStringList({u"plant-a"_s, u"plant-b"_s}));
    for (const QString &name : {u"plant-a"_s, u"plant-b"_s}) {
        QCOMPARE(bar->sourceState(name), ConnectionState::Connected);
        QTRY_VERIFY_WITH_TIMEOUT(bar->sourceText(name).startsWith(name + u"  "_s)
                                     && bar->sourceText(name).endsWith(u" msg/s"_s)
                                     && !bar->sourceText(name).contains(u"  0 msg/s"_s)
                                     && !bar->sourceText(name).contains(u"  0.0 msg/s"_s),
                                 10000);
        QVERIFY2(bar->sourceToolTip(name).contains(u"State: Connected"_s), qPrintable(bar->sourceToolTip(name)));
    }
    // Both are remembered for the next start.
    QCOMPARE(settings.value(SettingsKeys::kConnectedProfiles).toStringList(),
             QStringList({u"plant-a"_s, u"plant-b"_s}));
    QVERIFY(window.grab().save(screenshotDir() + u"/ui-two-brokers.png"_s));
    QVERIFY(dialog->grab().save(screenshotDir() + u"/ui-connections-dialog.png"_s));

    // Disconnect plant-a from the dialog: returns at once; plant-b stays connected and keeps
    // receiving, plant-a receives nothing more.
    QVERIFY(dialog->selectConnection(u"plant-a"_s));
    QElapsedTimer clock;
    clock.start();
    QTest::mouseClick(dialog->disconnectButton(), Qt::LeftButton);
    QVERIFY2(clock.elapsed() < 250, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(session.sources(), QStringList({u"plant-b"_s}));
    QCOMPARE(bar->sourceNames(), QStringList({u"plant-b"_s}));
    QCOMPARE(dialog->stateText(u"plant-a"_s), u"Not connected"_s);
    QVERIFY(dialog->connectButton()->isEnabled());
    QCOMPARE(settings.value(SettingsKeys::kConnectedProfiles).toStringList(), QStringList({u"plant-b"_s}));

    quint64 receivedA = 0;
    quint64 firstB = 0;
    quint64 lastB = 0;
    int updates = 0;
    const QMetaObject::Connection statsConnection =
        connect(&session, &FleetSession::statsUpdated, this, [&](const IngestStats &stats) {
            if (++updates == 2) {  // the first one may still carry plant-a's last batch
                receivedA = stats.sources.value(u"plant-a"_s).received;
                firstB = stats.sources.value(u"plant-b"_s).received;
            }
            lastB = stats.sources.value(u"plant-b"_s).received;
            if (updates > 2)
                QCOMPARE(stats.sources.value(u"plant-a"_s).received, receivedA);
        });
    QTRY_VERIFY_WITH_TIMEOUT(updates >= 4 && lastB > firstB, 15000);
    QCOMPARE(session.sourceState(u"plant-b"_s), ConnectionState::Connected);
    QCOMPARE(bar->sourceState(u"plant-b"_s), ConnectionState::Connected);
    QCOMPARE(inventory->rowCount(), 2 * kDevices);  // plant-a's devices stay, from the cache
    disconnect(statsConnection);

    // Reconnect plant-a, then lose plant-b's broker: plant-b retries, plant-a keeps going.
    QVERIFY(window.connectSavedProfile(u"plant-a"_s));
    QTRY_COMPARE_WITH_TIMEOUT(bar->sourceState(u"plant-a"_s), ConnectionState::Connected, 15000);
    m_brokerB.stop();
    QTRY_COMPARE_WITH_TIMEOUT(bar->sourceState(u"plant-b"_s), ConnectionState::Reconnecting, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->stateText(u"plant-b"_s), u"Reconnecting"_s, 5000);
    QVERIFY(!bar->sourceToolTip(u"plant-b"_s).isEmpty());
    quint64 startA = 0;
    quint64 nowA = 0;
    int more = 0;
    connect(&session, &FleetSession::statsUpdated, this, [&](const IngestStats &stats) {
        nowA = stats.sources.value(u"plant-a"_s).received;
        if (++more == 1)
            startA = nowA;
    });
    QTRY_VERIFY_WITH_TIMEOUT(more >= 3 && nowA > startA, 15000);
    QCOMPARE(session.sourceState(u"plant-a"_s), ConnectionState::Connected);
    QVERIFY(window.grab().save(screenshotDir() + u"/ui-one-broker-down.png"_s));

    // Disconnect all: returns at once, nothing left, the action disables itself.
    clock.restart();
    window.disconnectAllAction()->trigger();
    QVERIFY2(clock.elapsed() < 250, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(session.sources().isEmpty());
    QVERIFY(bar->sourceNames().isEmpty());
    QVERIFY(!window.disconnectAllAction()->isEnabled());
    QVERIFY(!dialog->disconnectAllButton()->isEnabled());
    QVERIFY(bar->connectionText().startsWith(u"Not connected"_s));
    QVERIFY(settings.value(SettingsKeys::kConnectedProfiles).toStringList().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(sourceThreadsRunning(), 0, 10000);
    session.shutdown();
}

void TestMultiBroker::reconnectsWhatWasConnectedAtExit()
{
    QSettings settings(m_dir.filePath(u"restart.ini"_s), QSettings::IniFormat);
    ProfileStore profiles(settings);
    ConnectionProfile a = m_brokerA.profile();
    a.name = u"plant-a"_s;
    QVERIFY(profiles.save(a));
    // Connected at the last exit: plant-a, and a profile deleted since.
    settings.setValue(SettingsKeys::kConnectedProfiles, QStringList({u"plant-a"_s, u"deleted"_s}));
    test::FakeSecretStore secrets;

    FleetSession session;
    QVERIFY(session.open(m_dir.filePath(u"restart.sqlite"_s)).ok());
    MainWindow window(MainWindow::Services{&session, &profiles, &secrets, &settings});
    QCOMPARE(window.reconnectSavedConnections(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(session.sources(), QStringList({u"plant-a"_s}), 5000);  // after the keychain
    QTRY_COMPARE_WITH_TIMEOUT(session.sourceState(u"plant-a"_s), ConnectionState::Connected, 15000);
    QCOMPARE(settings.value(SettingsKeys::kConnectedProfiles).toStringList(), QStringList({u"plant-a"_s}));
    session.shutdown();
}

void TestMultiBroker::statusBarShowsBrokerTextAsPlainText()
{
    FleetStatusBar bar;
    const QString name = u"<b>site</b>"_s;
    bar.setSourceState(name, ConnectionState::Reconnecting, u"cannot connect: <img src=x> & <h1>BIG</h1>"_s);
    QCOMPARE(bar.sourceNames(), QStringList({name}));
    QCOMPARE(bar.sourceText(name), u"<b>site</b>  Reconnecting"_s);  // painted as plain text
    const QString tip = bar.sourceToolTip(name);
    QVERIFY2(tip.contains(u"&lt;img src=x&gt; &amp; &lt;h1&gt;BIG&lt;/h1&gt;"_s), qPrintable(tip));
    QVERIFY(!tip.contains(u"<img"_s) && !tip.contains(u"<h1>"_s) && !tip.contains(u"<b>"_s));
    bar.setSourceRate(name, 12);  // not connected: the state, not a rate
    QCOMPARE(bar.sourceText(name), u"<b>site</b>  Reconnecting"_s);
    bar.setSourceState(name, ConnectionState::Connected, QString());
    bar.setSourceRate(name, 1204);
    QCOMPARE(bar.sourceText(name), QStringLiteral("<b>site</b>  %1 msg/s").arg(QLocale().toString(1204)));
    bar.setSourceRate(u"unknown"_s, 5);  // no badge for a source that is not shown
    QCOMPARE(bar.sourceNames(), QStringList({name}));
    bar.setSourceState(name, ConnectionState::Disconnected, QString());
    QVERIFY(bar.sourceNames().isEmpty());
}

QTEST_MAIN(TestMultiBroker)
#include "test_multi_broker.moc"
