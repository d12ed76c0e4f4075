// FleetSession, the facade shared by the GUI and fleetdeckctl: cache first, then live data
// from a real broker, then a shutdown that commits everything — with the threads it owns
// torn down without warnings.
#include "core/ingest/fleet_session.h"
#include "core/protocol/payload_codec.h"
#include "core/protocol/topic_scheme.h"
#include "core/storage/database.h"
#include "core/storage/inventory_store.h"
#include "core/transport/mqtt_client.h"
#include "tests/support/broker_fixture.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;

class TestFleetSession : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void liveDataReachesUiAndCache();
    void cachedInventoryIsAvailableBeforeConnecting();
    void destroyedWithoutShutdownIsClean();
    void openAsyncLoadsOffTheCallersThread();
    void openAsyncReportsAForeignFileUntouched();
    void shutdownAsyncCommitsWithoutBlocking();
    void shutdownRightAfterADisconnectWaitsForIt();

private:
    void publishFleet(const QString &idPrefix, int devices, int samplesPerDevice);

    QTemporaryDir m_dir;
    test::BrokerFixture m_broker;
};

void TestFleetSession::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    QVERIFY2(m_broker.start(&error), qPrintable(error));
}

void TestFleetSession::init()
{
    // Cross-thread misuse (timers, parents) shows up as warnings: make them failures.
    QTest::failOnWarning(QRegularExpression(QStringLiteral("another thread|Cannot create children")));
}

void TestFleetSession::publishFleet(const QString &idPrefix, int devices, int samplesPerDevice)
{
    MqttClient publisher;
    QSignalSpy state(&publisher, &MqttClient::stateChanged);
    ConnectionProfile profile = m_broker.profile();
    profile.clientId = QStringLiteral("test-fleet-session-publisher");
    publisher.connectToBroker(profile);
    QTRY_COMPARE_WITH_TIMEOUT(publisher.state(), ConnectionState::Connected, 10000);

    const TopicScheme topics;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int d = 0; d < devices; ++d) {
        const QString id = idPrefix + QString::number(d);
        DeviceStatus status;
        status.deviceId = id;
        status.online = true;
        status.name = QStringLiteral("Device %1").arg(d);
        QVERIFY(publisher.publish(topics.statusTopic(id), PayloadCodec::encodeStatus(status), 1, true));
        for (int s = 1; s <= samplesPerDevice; ++s) {
            TelemetrySample sample;
            sample.deviceId = id;
            sample.timestampMs = now + s;
            sample.seq = quint64(s);
            sample.metrics = {{QStringLiteral("temperature"), 20.0 + s}};
            QVERIFY(publisher.publish(topics.telemetryTopic(id), PayloadCodec::encodeTelemetry(sample), 1));
        }
    }
    publisher.disconnectFromBroker(5000);
}

void TestFleetSession::liveDataReachesUiAndCache()
{
    const QString path = m_dir.filePath(QStringLiteral("live.sqlite"));
    {
        FleetSession session;
        QVERIFY(session.open(path).ok());
        QVERIFY(session.cachedDevices().isEmpty());

        QSignalSpy updates(&session, &FleetSession::devicesUpdated);
        QSignalSpy state(&session, &FleetSession::connectionStateChanged);
        session.connectToBroker(m_broker.profile());
        QTRY_COMPARE_WITH_TIMEOUT(session.connectionState(), ConnectionState::Connected, 10000);

        publishFleet(QStringLiteral("live-"), 10, 5);
        QSet<QString> seen;
        QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                     for (const auto &args : std::as_const(updates)) {
                                         for (const Device &d : args.at(0).value<QList<Device>>()) {
                                             if (d.lastSeq == 5)
                                                 seen.insert(d.id);
                                         }
                                     }
                                     updates.clear();
                                     return seen.size() == 10;
                                 }()),
                                 10000);
        session.shutdown();
        QCOMPARE(state.last().at(0).value<ConnectionState>(), ConnectionState::Disconnected);
    }
    Database db;
    QVERIFY(db.open(path).ok());
    const QList<Device> cached = InventoryStore(db).loadDevices();
    QCOMPARE(cached.size(), 10);
    for (const Device &d : cached) {
        QCOMPARE(d.lastSeq, 5u);
        QCOMPARE(*findMetric(d.metrics, QStringLiteral("temperature")), 25.0);
    }
}

void TestFleetSession::cachedInventoryIsAvailableBeforeConnecting()
{
    const QString path = m_dir.filePath(QStringLiteral("live.sqlite"));  // written by the test above
    FleetSession session;
    QVERIFY(session.open(path).ok());
    QCOMPARE(session.cachedDevices().size(), 10);
    QVERIFY(session.cacheAsOfMs() > 0);
    QVERIFY(session.cacheAsOfMs() <= QDateTime::currentMSecsSinceEpoch());
    QCOMPARE(session.connectionState(), ConnectionState::Disconnected);
}

void TestFleetSession::destroyedWithoutShutdownIsClean()
{
    const QString path = m_dir.filePath(QStringLiteral("destroy.sqlite"));
    auto session = std::make_unique<FleetSession>();
    QVERIFY(session->open(path).ok());
    session->connectToBroker(m_broker.profile());
    QTRY_COMPARE_WITH_TIMEOUT(session->connectionState(), ConnectionState::Connected, 10000);
    publishFleet(QStringLiteral("destroy-"), 3, 2);
    session.reset();  // the destructor shuts down: threads stopped, everything committed

    Database db;
    QVERIFY(db.open(path).ok());
    // Retained statuses of the other test's devices arrive too; ours must all be there.
    int ours = 0;
    for (const Device &d : InventoryStore(db).loadDevices())
        ours += d.id.startsWith(u"destroy-") && d.lastSeq == 2 ? 1 : 0;
    QCOMPARE(ours, 3);
}

void TestFleetSession::openAsyncLoadsOffTheCallersThread()
{
    const QString path = m_dir.filePath(QStringLiteral("live.sqlite"));  // written by the first test
    FleetSession session;
    QSignalSpy opened(&session, &FleetSession::opened);
    session.openAsync(path);
    QVERIFY(opened.isEmpty());  // returned before the disk was touched: the result comes later
    QVERIFY(opened.wait(10000));
    const auto result = opened.at(0).at(0).value<Database::OpenResult>();
    QVERIFY2(result.ok(), qPrintable(result.message));
    QCOMPARE(session.cachedDevices().size(), 10);
    QVERIFY(session.cacheAsOfMs() > 0);
    // The writer runs: live data recorded after an asynchronous open reaches the cache.
    session.connectToBroker(m_broker.profile());
    QTRY_COMPARE_WITH_TIMEOUT(session.connectionState(), ConnectionState::Connected, 10000);
    publishFleet(QStringLiteral("async-"), 2, 3);
    QSignalSpy updates(&session, &FleetSession::devicesUpdated);
    QTRY_VERIFY_WITH_TIMEOUT(!updates.isEmpty(), 10000);
    session.shutdown();
    Database db;
    QVERIFY(db.open(path).ok());
    int ours = 0;
    for (const Device &d : InventoryStore(db).loadDevices())
        ours += d.id.startsWith(u"async-") ? 1 : 0;
    QCOMPARE(ours, 2);
}

void TestFleetSession::openAsyncReportsAForeignFileUntouched()
{
    const QString path = m_dir.filePath(QStringLiteral("not-a-cache.sqlite"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(8192, 'x'));
    file.close();
    FleetSession session;
    QSignalSpy opened(&session, &FleetSession::opened);
    session.openAsync(path);
    QVERIFY(opened.wait(10000));
    QVERIFY(!opened.at(0).at(0).value<Database::OpenResult>().ok());
    QVERIFY(session.cachedDevices().isEmpty());
    QFile check(path);
    QVERIFY(check.open(QIODevice::ReadOnly));
    QCOMPARE(check.readAll(), QByteArray(8192, 'x'));
}

void TestFleetSession::shutdownAsyncCommitsWithoutBlocking()
{
    const QString path = m_dir.filePath(QStringLiteral("async-shutdown.sqlite"));
    FleetSession session;
    QVERIFY(session.open(path).ok());
    ConnectionProfile second = m_broker.profile();
    second.name = QStringLiteral("second");
    session.connectSource(m_broker.profile());
    session.connectSource(second);  // the same broker twice: two sources, two copies of each device
    QTRY_COMPARE_WITH_TIMEOUT(session.connectionState(), ConnectionState::Connected, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(session.sourceState(QStringLiteral("second")), ConnectionState::Connected, 10000);
    QSignalSpy updates(&session, &FleetSession::devicesUpdated);
    publishFleet(QStringLiteral("late-"), 4, 3);
    QVERIFY(updates.wait(10000));

    QSignalSpy finished(&session, &FleetSession::shutdownFinished);
    session.shutdownAsync();
    QVERIFY(finished.isEmpty());  // returned at once; the work happens on the other threads
    QVERIFY(finished.wait(15000));
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QVERIFY(session.isShutDown());
    QCOMPARE(session.connectionState(), ConnectionState::Disconnected);
    session.shutdown();  // nothing left to do

    Database db;
    QVERIFY(db.open(path).ok());
    QHash<QString, int> perSource;
    for (const Device &d : InventoryStore(db).loadDevices()) {
        if (d.id.startsWith(u"late-") && d.lastSeq == 3)
            ++perSource[d.source];
    }
    QCOMPARE(perSource.value(QStringLiteral("second")), 4);
    QCOMPARE(perSource.value(FleetSession::sourceNameFor(m_broker.profile())), 4);
}

// Disconnect (returns at once, the source stops on its thread) then quit at once: the
// source's last batch and its removal reach the pipeline before it flushes and goes.
void TestFleetSession::shutdownRightAfterADisconnectWaitsForIt()
{
    for (int round = 0; round < 3; ++round) {
        const QString path = m_dir.filePath(QStringLiteral("quit-%1.sqlite").arg(round));
        FleetSession session;
        QVERIFY(session.open(path).ok());
        session.connectSource(m_broker.profile());
        QTRY_COMPARE_WITH_TIMEOUT(session.connectionState(), ConnectionState::Connected, 10000);
        QSignalSpy updates(&session, &FleetSession::devicesUpdated);
        publishFleet(QStringLiteral("quit-%1-").arg(round), 2, 2);
        QVERIFY(updates.wait(10000));
        session.disconnectSource(FleetSession::sourceNameFor(m_broker.profile()));
        if (round == 2) {
            QSignalSpy finished(&session, &FleetSession::shutdownFinished);
            session.shutdownAsync();
            QVERIFY(finished.wait(15000));
        } else {
            session.shutdown();
        }
    }
}

QTEST_GUILESS_MAIN(TestFleetSession)
#include "test_fleet_session.moc"
