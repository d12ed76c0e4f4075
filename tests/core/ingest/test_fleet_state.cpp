#include "core/ingest/fleet_state.h"

#include <QTest>

using namespace fd;

class TestFleetState : public QObject
{
    Q_OBJECT
private slots:
    void statusCreatesAndUpdatesDevice();
    void lastWillKeepsAttributes();
    void telemetryUpdatesLatestMetrics();
    void rejectsAreCountedPerReason();
    void changesAreTrackedPerConsumer();
    void resetFromCache();
};

static DeviceStatus status(const QString &id, bool online, const QString &name = QString())
{
    DeviceStatus s;
    s.deviceId = id;
    s.online = online;
    if (!name.isEmpty()) {
        s.name = name;
        s.site = QStringLiteral("Lyon");
        s.model = QStringLiteral("TH-100");
        s.fwVersion = QStringLiteral("1.0.0");
    }
    return s;
}

void TestFleetState::statusCreatesAndUpdatesDevice()
{
    FleetState state;
    const int i = state.applyStatus(status(QStringLiteral("a"), true, QStringLiteral("Pump")), 1000);
    QCOMPARE(i, 0);
    QCOMPARE(state.devices().size(), 1);
    const Device &d = state.devices().at(0);
    QCOMPARE(d.id, QStringLiteral("a"));
    QCOMPARE(d.name, QStringLiteral("Pump"));
    QCOMPARE(d.site, QStringLiteral("Lyon"));
    QVERIFY(d.online);
    QCOMPARE(d.lastSeenMs, 1000);
    QCOMPARE(d.messageCount, 1u);
    QCOMPARE(state.indexOf(QStringLiteral("a")), 0);
    QCOMPARE(state.indexOf(QStringLiteral("b")), -1);
}

void TestFleetState::lastWillKeepsAttributes()
{
    FleetState state;
    state.applyStatus(status(QStringLiteral("a"), true, QStringLiteral("Pump")), 1000);
    state.applyStatus(status(QStringLiteral("a"), false), 2000);  // {"online":false}
    const Device &d = state.devices().at(0);
    QVERIFY(!d.online);
    QCOMPARE(d.name, QStringLiteral("Pump"));
    QCOMPARE(d.model, QStringLiteral("TH-100"));
    QCOMPARE(d.lastSeenMs, 2000);
}

void TestFleetState::telemetryUpdatesLatestMetrics()
{
    FleetState state;
    TelemetrySample s{QStringLiteral("a"), 500, 1, {{QStringLiteral("t"), 20.0}, {QStringLiteral("h"), 40.0}}};
    state.applyTelemetry(s, 600);
    s.seq = 2;
    s.timestampMs = 700;
    s.metrics = {{QStringLiteral("t"), 21.5}};
    state.applyTelemetry(s, 800);
    const Device &d = state.devices().at(0);
    QCOMPARE(*findMetric(d.metrics, QStringLiteral("t")), 21.5);
    QCOMPARE(*findMetric(d.metrics, QStringLiteral("h")), 40.0);
    QCOMPARE(d.lastSeq, 2u);
    QCOMPARE(d.lastTelemetryMs, 700);
    QCOMPARE(d.lastSeenMs, 800);
    QCOMPARE(d.messageCount, 2u);
    QVERIFY(d.online);
}

void TestFleetState::rejectsAreCountedPerReason()
{
    FleetState state;
    state.applyReject(QStringLiteral("a"), RejectReason::BadJson);
    state.applyReject(QStringLiteral("a"), RejectReason::BadJson);
    state.applyReject(QStringLiteral("a"), RejectReason::Oversize);
    const Device &d = state.devices().at(0);
    QCOMPARE(d.rejects[std::size_t(RejectReason::BadJson)], 2u);
    QCOMPARE(d.rejects[std::size_t(RejectReason::Oversize)], 1u);
    QCOMPARE(d.rejectedCount(), 3u);
    QCOMPARE(d.messageCount, 0u);
}

void TestFleetState::changesAreTrackedPerConsumer()
{
    FleetState state;
    state.applyStatus(status(QStringLiteral("b"), true), 1);
    state.applyStatus(status(QStringLiteral("a"), true), 1);
    state.applyStatus(status(QStringLiteral("b"), false), 2);
    QList<Device> ui = state.takeChanged(FleetState::Ui);
    QCOMPARE(ui.size(), 2);
    QCOMPARE(ui.at(0).id, QStringLiteral("b"));  // index order
    QVERIFY(!ui.at(0).online);                    // the latest state, once
    QVERIFY(!state.hasChanges(FleetState::Ui));
    QVERIFY(state.hasChanges(FleetState::Storage));  // storage has not taken its copy yet
    QCOMPARE(state.takeChanged(FleetState::Storage).size(), 2);
    QVERIFY(state.takeChanged(FleetState::Storage).isEmpty());
}

void TestFleetState::resetFromCache()
{
    Device cached;
    cached.id = QStringLiteral("z");
    cached.name = QStringLiteral("cached");
    FleetState state;
    state.reset({cached});
    QVERIFY(!state.hasChanges(FleetState::Ui));
    QCOMPARE(state.indexOf(QStringLiteral("z")), 0);
    state.applyStatus(status(QStringLiteral("z"), true), 5);
    QCOMPARE(state.devices().size(), 1);
    QCOMPARE(state.devices().at(0).name, QStringLiteral("cached"));
}

QTEST_GUILESS_MAIN(TestFleetState)
#include "test_fleet_state.moc"
