// FleetSession, the facade shared by the GUI and fleetdeckctl: cache first, then live data
// from a real broker, then a shutdown that commits everything — with the threads it owns
// torn down without warnings.
#include "core/ingest/fleet_session.h"
#include "core/protocol/payload_codec.h"
#include "core/protocol/topic_scheme.h"
#include "core/storage/database.h"
#include "core/storage/inventory_store.h"
#include "core/telemetry/live_telemetry.h"
#include "core/transport/mqtt_client.h"
#include "tests/support/broker_fixture.h"
#include "tests/support/raw_db.h"

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
    void deletedDeviceLeavesEverywhereAndComesBackAsNew();
    void deleteBeforeConnecting();

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

namespace {
qint64 cacheRows(const QString &path, const QByteArray &table, const QString &devicePath)
{
    test::RawDb raw(path);
    const QByteArray where = "path = '" + devicePath.toUtf8() + "'";
    if (table == "telemetry")
        return raw.rawPoints(where);
    if (table.startsWith("telemetry"))
        return raw.integer("SELECT count(*) FROM " + table + " WHERE device_key IN (SELECT id FROM device_keys WHERE "
                           + where + ")");
    return raw.integer("SELECT count(*) FROM " + table + " WHERE " + where);
}
} // namespace

void TestFleetSession::deletedDeviceLeavesEverywhereAndComesBackAsNew()
{
    const QString path = m_dir.filePath(QStringLiteral("delete.sqlite"));
    FleetSession::Options options;
    options.liveTelemetry = true;
    FleetSession session(options);
    QVERIFY(session.open(path).ok());
    session.connectSource(m_broker.profile());
    QTRY_COMPARE_WITH_TIMEOUT(session.connectionState(), ConnectionState::Connected, 10000);
    QSignalSpy updates(&session, &FleetSession::devicesUpdated);
    publishFleet(QStringLiteral("gone-"), 3, 4);
    QHash<QString, Device> latest;
    QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                 for (const auto &args : std::as_const(updates))
                                     for (const Device &d : args.at(0).value<QList<Device>>())
                                         latest.insert(d.id, d);
                                 updates.clear();
                                 return latest.value(QStringLiteral("gone-0")).lastSeq == 4
                                        && latest.value(QStringLiteral("gone-1")).lastSeq == 4
                                        && latest.value(QStringLiteral("gone-2")).lastSeq == 4;
                             }()),
                             10000);
    const QString source = FleetSession::sourceNameFor(m_broker.profile());
    const DeviceKey doomed(source, QStringLiteral("gone-1"));
    const SeriesKey series{doomed, QStringLiteral("temperature")};
    QTRY_COMPARE_WITH_TIMEOUT(session.liveTelemetry()->buffer(series) ? session.liveTelemetry()->buffer(series)->size() : 0,
                              qsizetype(4), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(cacheRows(path, "telemetry", QStringLiteral("gone-1")) == 4
                                 && cacheRows(path, "devices", QStringLiteral("gone-1")) == 1,
                             10000);

    QSignalSpy removed(&session, &FleetSession::devicesRemoved);
    QSignalSpy deleted(&session, &FleetSession::devicesDeleted);
    const quint64 id = session.deleteDevices({doomed});
    QVERIFY(id > 0);
    QVERIFY(deleted.wait(10000));
    QCOMPARE(deleted.at(0).at(0).toULongLong(), id);
    QCOMPARE(deleted.at(0).at(1).value<QList<DeviceKey>>(), QList<DeviceKey>{doomed});
    QVERIFY(deleted.at(0).at(2).toBool());
    QTRY_COMPARE(removed.size(), 1);
    QCOMPARE(removed.at(0).at(0).value<QList<DeviceKey>>(), QList<DeviceKey>{doomed});
    for (const char *table : {"devices", "device_metrics", "telemetry", "telemetry_1m", "telemetry_1h"})
        QVERIFY2(cacheRows(path, table, QStringLiteral("gone-1")) == 0, table);
    QCOMPARE(cacheRows(path, "telemetry", QStringLiteral("gone-0")), 4);
    QCOMPARE(session.liveTelemetry()->buffer(series)->size(), 0);

    // It reports again: a new device (one message, its seq a new baseline, no gaps).
    updates.clear();
    MqttClient publisher;
    ConnectionProfile profile = m_broker.profile();
    profile.clientId = QStringLiteral("test-fleet-session-comeback");
    publisher.connectToBroker(profile);
    QTRY_COMPARE_WITH_TIMEOUT(publisher.state(), ConnectionState::Connected, 10000);
    TelemetrySample sample;
    sample.deviceId = QStringLiteral("gone-1");
    sample.timestampMs = QDateTime::currentMSecsSinceEpoch();
    sample.seq = 40;
    sample.metrics = {{QStringLiteral("temperature"), 7.0}};
    QVERIFY(publisher.publish(TopicScheme().telemetryTopic(sample.deviceId), PayloadCodec::encodeTelemetry(sample), 1));
    publisher.disconnectFromBroker(5000);
    Device back;
    QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                 for (const auto &args : std::as_const(updates))
                                     for (const Device &d : args.at(0).value<QList<Device>>())
                                         if (d.key() == doomed)
                                             back = d;
                                 updates.clear();
                                 return back.lastSeq == 40;
                             }()),
                             10000);
    QCOMPARE(back.messageCount, 1u);
    QCOMPARE(back.gapCount, 0u);
    QVERIFY(back.name.isEmpty());  // its retained status came before it was deleted
    session.shutdown();
    QCOMPARE(cacheRows(path, "telemetry", QStringLiteral("gone-1")), 1);
    QCOMPARE(cacheRows(path, "devices", QStringLiteral("gone-1")), 1);
}

void TestFleetSession::deleteBeforeConnecting()
{
    // The cached inventory, no broker: deleted through the same path.
    const QString path = m_dir.filePath(QStringLiteral("delete.sqlite"));  // written by the test above
    FleetSession session;
    QVERIFY(session.open(path).ok());
    const DeviceKey doomed(FleetSession::sourceNameFor(m_broker.profile()), QStringLiteral("gone-0"));
    auto cachedHas = [&session](const DeviceKey &key) {
        const QList<Device> cached = session.cachedDevices();
        return std::any_of(cached.cbegin(), cached.cend(), [&key](const Device &d) { return d.key() == key; });
    };
    QVERIFY(cachedHas(doomed));
    QSignalSpy deleted(&session, &FleetSession::devicesDeleted);
    QVERIFY(session.deleteDevices({doomed}) > 0);
    QVERIFY(deleted.wait(10000));
    QVERIFY(deleted.at(0).at(2).toBool());
    QVERIFY(!cachedHas(doomed));
    QCOMPARE(cacheRows(path, "devices", QStringLiteral("gone-0")), 0);
    QCOMPARE(cacheRows(path, "telemetry", QStringLiteral("gone-0")), 0);
    QCOMPARE(cacheRows(path, "devices", QStringLiteral("gone-2")), 1);
    session.shutdown();
    QCOMPARE(session.deleteDevices({doomed}), 0u);  // after shutdown: refused
}

QTEST_GUILESS_MAIN(TestFleetSession)
#include "test_fleet_session.moc"
