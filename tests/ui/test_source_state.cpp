// Stale state after a disconnect: a real mosquitto + fleetdeck-sim, the main window
// connected to it as source "lyon". After File > Disconnect All, and while the broker is
// gone and reconnecting fails, the devices show as Unknown (model data, status bar, filter),
// the banner names the source with Connect / Retry and the failure; once connected again,
// the banner goes and the devices show their own status again.
#include "core/broker/child_process.h"
#include "core/domain/device_presence.h"
#include "core/ingest/fleet_session.h"
#include "models/device_inventory_model.h"
#include "tests/support/broker_fixture.h"
#include "ui/fleet_status_bar.h"
#include "ui/main_window.h"
#include "ui/source_banner.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QPushButton>
#include <QTemporaryDir>
#include <QDateTime>
#include <QSignalSpy>
#include <QAbstractButton>
#include <QTest>

using namespace fd;
using namespace Qt::StringLiterals;

namespace {

// A button that was just shown may not be laid out yet (an empty rect ignores a click at its
// centre): wait until it has a size, then click it as a user would.
bool clickWhenShown(QAbstractButton *button)
{
    if (!button || !QTest::qWaitFor([button] { return button->isVisible() && !button->rect().isEmpty(); }, 5000))
        return false;
    QTest::mouseClick(button, Qt::LeftButton);
    return true;
}
constexpr int kDevices = 5;

QString simulator()
{
    return QStringLiteral(FLEETDECK_BIN_DIR "/fleetdeck-sim");
}

int rowsShowing(const DeviceInventoryModel *model, DevicePresence presence)
{
    int n = 0;
    for (int row = 0; row < model->rowCount(); ++row)
        n += model->index(row, DeviceInventoryModel::StatusColumn).data(DeviceInventoryModel::PresenceRole).toInt()
                     == int(presence)
                 ? 1
                 : 0;
    return n;
}

QStringList statusTexts(const DeviceInventoryModel *model)
{
    QStringList texts;
    for (int row = 0; row < model->rowCount(); ++row)
        texts.append(model->index(row, DeviceInventoryModel::StatusColumn).data().toString());
    texts.removeDuplicates();
    return texts;
}
} // namespace

class TestSourceState : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void staleStateAfterDisconnect();

private:
    QTemporaryDir m_dir;
    test::BrokerFixture m_broker;
    QProcess m_sim;
};

void TestSourceState::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (!test::BrokerFixture::mosquittoAvailable())
        QSKIP("mosquitto is not installed");
    QVERIFY2(QFileInfo::exists(simulator()), "fleetdeck-sim is not built");
    QString error;
    QVERIFY2(m_broker.start(&error), qPrintable(error));
    m_sim.setProcessChannelMode(QProcess::MergedChannels);
    ChildProcess::killWithParent(m_sim);
    m_sim.start(simulator(), {u"--broker"_s, m_broker.url(), u"--devices"_s, QString::number(kDevices), u"--rate"_s,
                              u"5"_s, u"--seed"_s, u"3"_s});
    QVERIFY(m_sim.waitForStarted(5000));
}

void TestSourceState::cleanupTestCase()
{
    ChildProcess::stop(m_sim);
    m_broker.stop();
}

void TestSourceState::staleStateAfterDisconnect()
{
    FleetSession session;
    const Database::OpenResult opened = session.open(m_dir.filePath(u"cache.sqlite"_s));
    QVERIFY2(opened.ok(), qPrintable(opened.message));
    MainWindow window(MainWindow::Services{&session, nullptr, nullptr, nullptr});
    window.resize(1280, 720);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    SourceBanner *banner = window.sourceBanner();
    QVERIFY(banner);
    QVERIFY(!banner->isVisible());  // nothing to say yet
    QVERIFY(!window.reconnectAction()->isEnabled());
    QVERIFY(!window.disconnectAllAction()->isEnabled());

    ConnectionProfile profile = m_broker.profile();
    profile.name = u"lyon"_s;
    window.connectWithSecrets(profile, m_broker.secrets());
    DeviceInventoryModel *inventory = window.inventoryModel();
    FleetStatusBar *bar = window.fleetStatusBar();
    QTRY_COMPARE_WITH_TIMEOUT(inventory->rowCount(), kDevices, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(rowsShowing(inventory, DevicePresence::Online), kDevices, 15000);
    QTRY_VERIFY(!banner->isVisible());
    QVERIFY2(bar->countsText().startsWith(u"5 online"_s), qPrintable(bar->countsText()));
    QVERIFY(!bar->countsText().contains(u"unknown"_s));
    QVERIFY(window.disconnectAllAction()->isEnabled());
    QVERIFY(!window.reconnectAction()->isEnabled());

    // File > Disconnect All: an intended disconnect. The store keeps "online"; what is shown
    // is Unknown, everywhere.
    window.disconnectAllAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(rowsShowing(inventory, DevicePresence::Unknown), kDevices, 15000);
    QCOMPARE(statusTexts(inventory), QStringList{u"Unknown"_s});
    for (int row = 0; row < inventory->rowCount(); ++row)
        QVERIFY(inventory->index(row, 0).data(DeviceInventoryModel::OnlineRole).toBool());
    QVERIFY2(bar->countsText().startsWith(u"0 online"_s), qPrintable(bar->countsText()));
    QVERIFY2(bar->countsText().contains(u"5 unknown (source lyon not connected)"_s), qPrintable(bar->countsText()));
    QTRY_VERIFY(banner->isVisible());
    QVERIFY2(banner->headline(u"lyon"_s).startsWith(u"Disconnected from lyon — last update "_s),
             qPrintable(banner->headline(u"lyon"_s)));
    QVERIFY(banner->actionButton(u"lyon"_s));
    QCOMPARE(banner->actionButton(u"lyon"_s)->text(), u"Connect"_s);
    QVERIFY(banner->editButton(u"lyon"_s));
    QVERIFY(!window.disconnectAllAction()->isEnabled());  // nothing left to disconnect
    QVERIFY(window.reconnectAction()->isEnabled());
    QVERIFY(window.grab().save(m_dir.filePath(u"disconnected.png"_s)));

    // Connect from the banner: back online, banner gone.
    QVERIFY(clickWhenShown(banner->actionButton(u"lyon"_s)));
    QTRY_COMPARE_WITH_TIMEOUT(session.sourceState(u"lyon"_s), ConnectionState::Connected, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(rowsShowing(inventory, DevicePresence::Online), kDevices, 15000);
    QTRY_VERIFY(!banner->isVisible());
    QVERIFY(!window.reconnectAction()->isEnabled());

    // The broker goes away: reconnecting fails; the banner counts down to the next retry
    // and shows the whole reason.
    m_broker.stop();
    QTRY_COMPARE_WITH_TIMEOUT(session.sourceState(u"lyon"_s), ConnectionState::Reconnecting, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(rowsShowing(inventory, DevicePresence::Unknown), kDevices, 15000);
    QTRY_VERIFY(banner->isVisible());
    QTRY_VERIFY2(banner->headline(u"lyon"_s).contains(u"retrying in"_s), qPrintable(banner->headline(u"lyon"_s)));
    QVERIFY(banner->headline(u"lyon"_s).startsWith(u"Not connected to lyon"_s));
    QVERIFY(!banner->reasonText(u"lyon"_s).isEmpty());
    QCOMPARE(banner->actionButton(u"lyon"_s)->text(), u"Retry"_s);
    QVERIFY(bar->countsText().contains(u"5 unknown (source lyon not connected)"_s));
    QVERIFY(window.reconnectAction()->isEnabled());
    QVERIFY(window.disconnectAllAction()->isEnabled());  // it is still trying: can be stopped
    // A metric value of a source that is not connected looks stale.
    const QModelIndex temperature = inventory->index(0, DeviceInventoryModel::TemperatureColumn);
    if (temperature.data().isValid())
        QVERIFY(temperature.data(DeviceInventoryModel::StaleRole).toBool());

    // Retry while it is still down: the attempt is made now (before the scheduled one),
    // fails, and the next retry is scheduled; the banner stays.
    QTRY_VERIFY_WITH_TIMEOUT(session.sourceNextRetryMs(u"lyon"_s) - QDateTime::currentMSecsSinceEpoch() > 1500, 20000);
    const qint64 scheduled = session.sourceNextRetryMs(u"lyon"_s);
    QSignalSpy retried(&session, &FleetSession::sourceRetryScheduled);
    QVERIFY(clickWhenShown(banner->actionButton(u"lyon"_s)));
    QVERIFY(retried.wait(5000));
    QVERIFY(QDateTime::currentMSecsSinceEpoch() < scheduled);
    QVERIFY(!session.sourceLastError(u"lyon"_s).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(banner->headline(u"lyon"_s).contains(u"retrying in"_s), 10000);
    QVERIFY(banner->isVisible());

    // The broker is back; Retry connects at once (not after the backoff).
    QString error;
    QVERIFY2(m_broker.restart(&error), qPrintable(error));
    // (The scheduled retry may have got there first.)
    if (QPushButton *retry = banner->actionButton(u"lyon"_s); retry && banner->isVisible())
        QTest::mouseClick(retry, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(session.sourceState(u"lyon"_s), ConnectionState::Connected, 15000);
    QTRY_VERIFY(!banner->isVisible());
    // The simulated devices reconnect on their own backoff, which grew while the broker was
    // down (a CI run under ASan once needed more than 15 s for the last of them).
    QTRY_COMPARE_WITH_TIMEOUT(rowsShowing(inventory, DevicePresence::Online), kDevices, 45000);
    QTRY_VERIFY(bar->countsText().startsWith(u"5 online"_s));
    QVERIFY(!bar->countsText().contains(u"unknown"_s));

    window.disconnectAllAction()->trigger();
    session.shutdown();
}

QTEST_MAIN(TestSourceState)
#include "test_source_state.moc"
