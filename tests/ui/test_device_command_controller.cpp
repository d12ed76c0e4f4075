// An operator's command to a device, end to end: recorded in the operations store before
// it is sent, sent over the device's source to a real mosquitto, answered by the real
// fleetdeck-sim, outcome recorded before it is reported. Without an open store nothing is
// sent; a device that never answers ends as a recorded failure.
#include "core/ingest/fleet_session.h"
#include "core/operations/operations_store.h"
#include "tests/support/broker_fixture.h"
#include "tests/support/raw_db.h"
#include "ui/device_command_controller.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>


using namespace fd;

namespace {

QStringList column(const QString &db, const QByteArray &sql)
{
    return test::RawDb(db).texts(sql);
}

} // namespace

class TestDeviceCommandController : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void pingIsRecordedSentAnsweredAndRecorded();
    void nothingIsSentWithoutTheStore();
    void cleanupTestCase();

private:
    QTemporaryDir m_dir;
    test::BrokerFixture m_broker;
    QProcess m_sim;
};

void TestDeviceCommandController::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (!test::BrokerFixture::mosquittoAvailable())
        QFAIL("mosquitto is required");
    QString error;
    QVERIFY2(m_broker.start(&error), qPrintable(error));
    m_sim.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_sim.start(QStringLiteral(FLEETDECK_BIN_DIR "/fleetdeck-sim"),
                {QStringLiteral("--broker"), m_broker.url(), QStringLiteral("--devices"), QStringLiteral("2"),
                 QStringLiteral("--duration"), QStringLiteral("60"), QStringLiteral("--client-id-prefix"),
                 QStringLiteral("cmdctl-")});
    QVERIFY(m_sim.waitForStarted(5000));
}

void TestDeviceCommandController::cleanupTestCase()
{
    m_sim.kill();
    m_sim.waitForFinished(5000);
    m_broker.stop();
}

void TestDeviceCommandController::pingIsRecordedSentAnsweredAndRecorded()
{
    const QString cache = m_dir.filePath(QStringLiteral("cache.sqlite"));
    FleetSession session;
    QVERIFY(session.open(cache).ok());
    OperationsStore store;
    QSignalSpy opened(&store, &OperationsStore::opened);
    store.open(OperationsStore::pathForCache(cache));
    QVERIFY(opened.wait(5000));
    QVERIFY(store.isOpen());

    ConnectionProfile profile = m_broker.profile();
    profile.name = QStringLiteral("plant");
    session.connectSource(profile);
    QTRY_COMPARE_WITH_TIMEOUT(session.sourceState(QStringLiteral("plant")), ConnectionState::Connected, 10000);
    QSignalSpy devices(&session, &FleetSession::devicesUpdated);
    QVERIFY(devices.wait(15000));

    DeviceCommandController controller(&session, &store, QStringLiteral("alice"));
    QSignalSpy finished(&controller, &DeviceCommandController::finished);
    QSignalSpy commands(&session, &FleetSession::commandUpdated);
    // The simulator subscribes to its command topic as it connects: try until it answers.
    bool answered = false;
    for (int attempt = 0; attempt < 10 && !answered; ++attempt) {
        controller.request(DeviceKey(QStringLiteral("plant"), QStringLiteral("dev-00001")), QStringLiteral("ping"), 2000);
        QVERIFY(commands.isEmpty() || attempt > 0);  // nothing goes out before the record commits
        QVERIFY(finished.wait(10000));
        answered = finished.last().at(1).toBool();
    }
    QVERIFY(answered);
    QCOMPARE(controller.pendingCount(), 0);
    const qint64 actionId = finished.last().at(0).toLongLong();
    QVERIFY(actionId > 0);
    QVERIFY(finished.last().at(2).toString().contains(QStringLiteral("answered")));

    // Both steps are on disk, in order, by alice.
    const QString ops = OperationsStore::pathForCache(cache);
    const QByteArray where = " WHERE object_id = '" + QByteArray::number(actionId) + "' ORDER BY id";
    QCOMPARE(column(ops, QByteArray("SELECT action FROM audit_log" + where)),
             (QStringList{QStringLiteral("device.command.requested"), QStringLiteral("device.command.succeeded")}));
    QCOMPARE(column(ops, QByteArray("SELECT actor FROM audit_log" + where)),
             (QStringList{QStringLiteral("alice"), QStringLiteral("alice")}));
    QCOMPARE(column(ops, QStringLiteral("SELECT state FROM operator_actions WHERE id = %1").arg(actionId).toUtf8()),
             QStringList{QStringLiteral("succeeded")});

    // A device nobody runs: acknowledged by the broker, never answered -> a recorded failure.
    finished.clear();
    controller.request(DeviceKey(QStringLiteral("plant"), QStringLiteral("dev-99999")), QStringLiteral("ping"), 1500);
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.last().at(1).toBool(), false);
    const qint64 failedId = finished.last().at(0).toLongLong();
    QCOMPARE(column(ops, QStringLiteral("SELECT state FROM operator_actions WHERE id = %1").arg(failedId).toUtf8()),
             QStringList{QStringLiteral("failed")});
    store.shutdown();
    session.shutdown();
}

void TestDeviceCommandController::nothingIsSentWithoutTheStore()
{
    FleetSession session;
    OperationsStore closed;  // never opened
    DeviceCommandController controller(&session, &closed, QStringLiteral("bob"));
    QSignalSpy progress(&controller, &DeviceCommandController::progress);
    QSignalSpy refused(&session, &FleetSession::commandRefused);
    controller.request(DeviceKey(QStringLiteral("plant"), QStringLiteral("dev-00001")), QStringLiteral("ping"));
    QCOMPARE(progress.size(), 1);
    QVERIFY(progress.at(0).at(0).toString().startsWith(QStringLiteral("Not sent")));
    QVERIFY(refused.isEmpty());
    QCOMPARE(controller.pendingCount(), 0);
    // A Sparkplug command likewise.
    const auto rebirth = SparkplugCommandBuilder::rebirth(QStringLiteral("plant-a/gw-1"), 1);
    QVERIFY(rebirth);
    controller.requestSparkplug(DeviceKey(QStringLiteral("plant"), QStringLiteral("plant-a/gw-1")), *rebirth);
    QCOMPARE(progress.size(), 2);
    QVERIFY(progress.at(1).at(0).toString().startsWith(QStringLiteral("Not sent: rebirth request")));
    QVERIFY(refused.isEmpty());
    QCOMPARE(controller.pendingCount(), 0);
}

QTEST_MAIN(TestDeviceCommandController)
#include "test_device_command_controller.moc"
