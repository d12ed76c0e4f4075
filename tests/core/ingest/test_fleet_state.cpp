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
    void gapsAreCountedBySeq();
    void lookupByBytesFindsTheSameDevice();
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

void TestFleetState::gapsAreCountedBySeq()
{
    Device cached;
    cached.id = QStringLiteral("old");
    cached.lastSeq = 100;  // from a previous session: not a baseline
    FleetState state;
    state.reset({cached});
    const auto sample = [](const QString &id, quint64 seq) {
        TelemetrySample s;
        s.deviceId = id;
        s.seq = seq;
        s.timestampMs = qint64(seq);
        return s;
    };
    state.applyTelemetry(sample(QStringLiteral("old"), 500), 1);  // first seen this session
    QCOMPARE(state.totalGaps(), 0u);
    state.applyTelemetry(sample(QStringLiteral("old"), 501), 2);
    state.applyTelemetry(sample(QStringLiteral("old"), 504), 3);  // 502, 503 missed
    QCOMPARE(state.totalGaps(), 2u);
    state.applyTelemetry(sample(QStringLiteral("old"), 504), 4);  // QoS 1 duplicate
    state.applyTelemetry(sample(QStringLiteral("old"), 1), 5);    // device restarted
    state.applyTelemetry(sample(QStringLiteral("old"), 2), 6);
    QCOMPARE(state.totalGaps(), 2u);
    state.applyTelemetry(sample(QStringLiteral("new"), 7), 7);    // new device: baseline
    state.applyTelemetry(sample(QStringLiteral("new"), 10), 8);
    QCOMPARE(state.totalGaps(), 4u);
    QCOMPARE(state.devices().at(state.indexOf(QStringLiteral("old"))).gapCount, 2u);
    QCOMPARE(state.devices().at(state.indexOf(QStringLiteral("new"))).gapCount, 2u);
}

void TestFleetState::lookupByBytesFindsTheSameDevice()
{
    FleetState state;
    state.applyStatus(status(QStringLiteral("dev-1"), true), 1);
    state.takeChanged(FleetState::Ui);
    QCOMPARE(state.indexOf(QByteArrayView("dev-1")), 0);
    QCOMPARE(state.ensureDevice(QByteArrayView("dev-1")), 0);
    QCOMPARE(state.ensureDevice(QByteArrayView("dev-2")), 1);
    QCOMPARE(state.devices().at(1).id, QStringLiteral("dev-2"));
    QCOMPARE(state.indexOf(QStringLiteral("dev-2")), 1);
    QVERIFY(!state.hasChanges(FleetState::Ui));  // creating is not a change; applying is
    state.applyRejectAt(1, RejectReason::BadJson);
    QCOMPARE(state.takeChanged(FleetState::Ui).size(), 1);
}

QTEST_GUILESS_MAIN(TestFleetState)
#include "test_fleet_state.moc"
