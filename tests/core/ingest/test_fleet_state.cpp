#include "core/ingest/fleet_state.h"

#include <QTest>

using namespace fd;

class TestFleetState : public QObject
{
    Q_OBJECT
private slots:
    void sparkplugCountsGoOnFromTheCache();
    void statusCreatesAndUpdatesDevice();
    void lastWillKeepsAttributes();
    void tagsMergeLikeAttributes();
    void telemetryUpdatesLatestMetrics();
    void rejectsAreCountedPerReason();
    void changesAreTrackedPerConsumer();
    void resetFromCache();
    void gapsAreCountedBySeq();
    void lookupByBytesFindsTheSameDevice();
    void sameIdInTwoSourcesIsTwoDevices();
    void trackersAreIndependentAndSeeNewDevices();
    void pathsKeepTheirSegments();
    void metricLimitRefusesNewNamesOnly();
    void manyMetricsKeepTheirOrderAndValues();
    void removedDevicesAreForgotten();
};

static DeviceKey key(const QString &id, const QString &source = DeviceKey::defaultSource())
{
    return DeviceKey{source, id};
}

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
    const int i = state.applyStatus(key(QStringLiteral("a")), status(QStringLiteral("a"), true, QStringLiteral("Pump")), 1000);
    QCOMPARE(i, 0);
    QCOMPARE(state.devices().size(), 1);
    const Device &d = state.devices().at(0);
    QCOMPARE(d.id, QStringLiteral("a"));
    QCOMPARE(d.name, QStringLiteral("Pump"));
    QCOMPARE(d.site, QStringLiteral("Lyon"));
    QVERIFY(d.online);
    QCOMPARE(d.lastSeenMs, 1000);
    QCOMPARE(d.messageCount, 1u);
    QCOMPARE(state.indexOf(key(QStringLiteral("a"))), 0);
    QCOMPARE(state.indexOf(key(QStringLiteral("b"))), -1);
}

void TestFleetState::lastWillKeepsAttributes()
{
    FleetState state;
    DeviceStatus first = status(QStringLiteral("a"), true, QStringLiteral("Pump"));
    first.certSerial = QStringLiteral("0A1B");
    state.applyStatus(key(QStringLiteral("a")), first, 1000);
    state.applyStatus(key(QStringLiteral("a")), status(QStringLiteral("a"), false), 2000);  // {"online":false}
    const Device &d = state.devices().at(0);
    QVERIFY(!d.online);
    QCOMPARE(d.name, QStringLiteral("Pump"));
    QCOMPARE(d.model, QStringLiteral("TH-100"));
    QCOMPARE(d.certSerial, QStringLiteral("0A1B"));  // the certificate it last connected with
    QCOMPARE(d.lastSeenMs, 2000);
}

// Tags merge like the attributes: absent (the Last Will) or null keeps them, a list replaces
// them as a whole, [] clears them; a status that changes them reports the device changed,
// carrying its new tags.
void TestFleetState::tagsMergeLikeAttributes()
{
    FleetState state;
    const FleetState::Tracker tracker = state.addChangeTracker();
    const DeviceKey a = key(QStringLiteral("a"));
    DeviceStatus s = status(QStringLiteral("a"), true, QStringLiteral("Pump"));
    s.tags = QStringList{QStringLiteral("freezer"), QStringLiteral("pilot")};
    state.applyStatus(a, s, 1000);
    QCOMPARE(state.devices().at(0).tags, (QStringList{QStringLiteral("freezer"), QStringLiteral("pilot")}));
    QCOMPARE(state.takeChanged(tracker).size(), 1);

    state.applyStatus(a, status(QStringLiteral("a"), false), 2000);  // {"online":false}: tags absent
    QCOMPARE(state.devices().at(0).tags, (QStringList{QStringLiteral("freezer"), QStringLiteral("pilot")}));

    s.tags = QStringList{QStringLiteral("ambient")};  // replaced as a whole, not added to
    state.applyStatus(a, s, 3000);
    QList<Device> changed = state.takeChanged(tracker);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).tags, QStringList{QStringLiteral("ambient")});
    QCOMPARE(changed.at(0).name, QStringLiteral("Pump"));

    s.tags = QStringList();  // "tags": []
    state.applyStatus(a, s, 4000);
    changed = state.takeChanged(tracker);
    QCOMPARE(changed.size(), 1);
    QVERIFY(changed.at(0).tags.isEmpty());
    QVERIFY(state.devices().at(0).tags.isEmpty());

    // An equal list keeps the one the device has (shared with the devices that report it).
    const QStringList shared{QStringLiteral("cold-room")};
    s.tags = shared;
    state.applyStatus(a, s, 5000);
    s.tags = QStringList{QStringLiteral("cold-room")};  // equal, another buffer
    state.applyStatus(a, s, 6000);
    QCOMPARE(state.devices().at(0).tags.constData(), shared.constData());

    // Telemetry and rejects leave them alone.
    TelemetrySample sample;
    sample.deviceId = QStringLiteral("a");
    sample.timestampMs = 7000;
    sample.seq = 1;
    sample.metrics = {{QStringLiteral("t"), 1.0}};
    state.applyTelemetry(sample, 7000);
    state.applyReject(a, RejectReason::WrongType);
    QCOMPARE(state.devices().at(0).tags, shared);
}

void TestFleetState::telemetryUpdatesLatestMetrics()
{
    FleetState state;
    TelemetrySample s;
    s.deviceId = QStringLiteral("a");
    s.timestampMs = 500;
    s.seq = 1;
    s.metrics = {{QStringLiteral("t"), 20.0}, {QStringLiteral("h"), 40.0}};
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
    state.applyReject(key(QStringLiteral("a")), RejectReason::BadJson);
    state.applyReject(key(QStringLiteral("a")), RejectReason::BadJson);
    state.applyReject(key(QStringLiteral("a")), RejectReason::Oversize);
    const Device &d = state.devices().at(0);
    QCOMPARE(d.rejects[std::size_t(RejectReason::BadJson)], 2u);
    QCOMPARE(d.rejects[std::size_t(RejectReason::Oversize)], 1u);
    QCOMPARE(d.rejectedCount(), 3u);
    QCOMPARE(d.messageCount, 0u);
}

void TestFleetState::changesAreTrackedPerConsumer()
{
    FleetState state;
    const FleetState::Tracker uiTracker = state.addChangeTracker();
    const FleetState::Tracker storageTracker = state.addChangeTracker();
    state.applyStatus(key(QStringLiteral("b")), status(QStringLiteral("b"), true), 1);
    state.applyStatus(key(QStringLiteral("a")), status(QStringLiteral("a"), true), 1);
    state.applyStatus(key(QStringLiteral("b")), status(QStringLiteral("b"), false), 2);
    QList<Device> ui = state.takeChanged(uiTracker);
    QCOMPARE(ui.size(), 2);
    QCOMPARE(ui.at(0).id, QStringLiteral("b"));  // index order
    QVERIFY(!ui.at(0).online);                    // the latest state, once
    QVERIFY(!state.hasChanges(uiTracker));
    QVERIFY(state.hasChanges(storageTracker));  // storage has not taken its copy yet
    QCOMPARE(state.takeChanged(storageTracker).size(), 2);
    QVERIFY(state.takeChanged(storageTracker).isEmpty());
}

void TestFleetState::resetFromCache()
{
    Device cached;
    cached.id = QStringLiteral("z");
    cached.name = QStringLiteral("cached");
    FleetState state;
    const FleetState::Tracker uiTracker = state.addChangeTracker();
    state.reset({cached});
    QVERIFY(!state.hasChanges(uiTracker));
    QCOMPARE(state.indexOf(key(QStringLiteral("z"))), 0);
    state.applyStatus(key(QStringLiteral("z")), status(QStringLiteral("z"), true), 5);
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
    QCOMPARE(state.devices().at(state.indexOf(key(QStringLiteral("old")))).gapCount, 2u);
    QCOMPARE(state.devices().at(state.indexOf(key(QStringLiteral("new")))).gapCount, 2u);

    // One hostile jump (or a device restarting with another counter) is not quadrillions of
    // lost messages: beyond kMaxCountedGap the new seq is the baseline, nothing is counted.
    state.applyTelemetry(sample(QStringLiteral("new"), 4'000'000'000'000'000ULL), 9);
    QCOMPARE(state.totalGaps(), 4u);
    state.applyTelemetry(sample(QStringLiteral("new"), 4'000'000'000'000'003ULL), 10);  // counting goes on from there
    QCOMPARE(state.totalGaps(), 6u);
    state.applyTelemetry(sample(QStringLiteral("new"), 4'000'000'000'000'004ULL + FleetState::kMaxCountedGap), 11);
    QCOMPARE(state.totalGaps(), 6u + FleetState::kMaxCountedGap);  // the largest jump still counted
}

void TestFleetState::lookupByBytesFindsTheSameDevice()
{
    FleetState state;
    const FleetState::Tracker uiTracker = state.addChangeTracker();
    state.applyStatus(key(QStringLiteral("dev-1")), status(QStringLiteral("dev-1"), true), 1);
    state.takeChanged(uiTracker);
    const QString source = DeviceKey::defaultSource();
    QCOMPARE(state.indexOf(source, QByteArrayView("dev-1")), 0);
    QCOMPARE(state.ensureDevice(source, QByteArrayView("dev-1")), 0);
    QCOMPARE(state.ensureDevice(source, QByteArrayView("dev-2")), 1);
    QCOMPARE(state.devices().at(1).id, QStringLiteral("dev-2"));
    QCOMPARE(state.indexOf(key(QStringLiteral("dev-2"))), 1);
    QVERIFY(!state.hasChanges(uiTracker));  // creating is not a change; applying is
    state.applyRejectAt(1, RejectReason::BadJson);
    QCOMPARE(state.takeChanged(uiTracker).size(), 1);
}

void TestFleetState::sameIdInTwoSourcesIsTwoDevices()
{
    FleetState state;
    const int a = state.applyStatus(key(QStringLiteral("dev-1"), QStringLiteral("plant-a")),
                                    status(QStringLiteral("dev-1"), true, QStringLiteral("Pump A")), 1);
    const int b = state.applyStatus(key(QStringLiteral("dev-1"), QStringLiteral("plant-b")),
                                    status(QStringLiteral("dev-1"), false, QStringLiteral("Pump B")), 2);
    QVERIFY(a != b);
    QCOMPARE(state.devices().size(), 2);
    QCOMPARE(state.devices().at(a).source, QStringLiteral("plant-a"));
    QCOMPARE(state.devices().at(b).source, QStringLiteral("plant-b"));
    QCOMPARE(state.devices().at(a).id, QStringLiteral("dev-1"));
    QCOMPARE(state.devices().at(b).id, QStringLiteral("dev-1"));
    QCOMPARE(state.devices().at(a).name, QStringLiteral("Pump A"));
    QVERIFY(state.devices().at(a).online);
    QVERIFY(!state.devices().at(b).online);
    QCOMPARE(state.indexOf(QStringLiteral("plant-b"), QByteArrayView("dev-1")), b);
    QCOMPARE(state.indexOf(QStringLiteral("plant-c"), QByteArrayView("dev-1")), -1);
    QCOMPARE(state.deviceCount(QStringLiteral("plant-a")), 1);
    QCOMPARE(state.deviceCount(QStringLiteral("plant-b")), 1);
}

void TestFleetState::trackersAreIndependentAndSeeNewDevices()
{
    FleetState state;
    const FleetState::Tracker first = state.addChangeTracker();
    state.applyStatus(key(QStringLiteral("a")), status(QStringLiteral("a"), true), 1);
    const FleetState::Tracker late = state.addChangeTracker();  // registered after "a" changed
    state.applyStatus(key(QStringLiteral("b")), status(QStringLiteral("b"), true), 2);
    QCOMPARE(state.takeChanged(first).size(), 2);
    const QList<Device> lateChanges = state.takeChanged(late);
    QCOMPARE(lateChanges.size(), 1);
    QCOMPARE(lateChanges.at(0).id, QStringLiteral("b"));
    QVERIFY(!state.hasChanges(first));
    QVERIFY(!state.hasChanges(late));
    state.applyRejectAt(0, RejectReason::BadJson);
    QVERIFY(state.hasChanges(first));
    QVERIFY(state.hasChanges(late));
}

void TestFleetState::pathsKeepTheirSegments()
{
    FleetState state;
    const int node = state.ensureDevice(QStringLiteral("site"), QByteArrayView("plant/gw-1"));
    const int child = state.ensureDevice(QStringLiteral("site"), QByteArrayView("plant/gw-1/dev-1"));
    const int v1 = state.ensureDevice(QStringLiteral("site"), QByteArrayView("dev-1"));
    QCOMPARE(state.devices().size(), 3);
    QCOMPARE(state.devices().at(node).id, QStringLiteral("gw-1"));
    QCOMPARE(state.devices().at(child).id, QStringLiteral("dev-1"));
    QCOMPARE(state.devices().at(child).key().segments(),
             (QStringList{QStringLiteral("plant"), QStringLiteral("gw-1"), QStringLiteral("dev-1")}));
    QCOMPARE(state.devices().at(v1).key().path, QStringLiteral("dev-1"));
    QVERIFY(state.devices().at(v1).key() != state.devices().at(child).key());
}

void TestFleetState::metricLimitRefusesNewNamesOnly()
{
    FleetState state;
    state.setMaxMetricsPerDevice(3);
    const int i = state.ensureDevice(key(QStringLiteral("a")));
    TelemetrySample s;
    s.deviceId = QStringLiteral("a");
    s.seq = 1;
    s.metrics = {{QStringLiteral("a"), 1}, {QStringLiteral("b"), 2}};
    QCOMPARE(state.applyTelemetryAt(i, s, 10), 0);
    QCOMPARE(s.metrics.size(), 2);

    // One new name fits, the next two do not: they are refused and taken out of the sample
    // (which is what storage and charts get); the known and the fitting names are applied.
    s.seq = 2;
    s.metrics = {{QStringLiteral("d"), 4}, {QStringLiteral("a"), 10}, {QStringLiteral("c"), 3}, {QStringLiteral("e"), 5}};
    QCOMPARE(state.applyTelemetryAt(i, s, 20), 2);
    QCOMPARE(s.metrics.size(), 2);
    QCOMPARE(s.metrics.at(0).name, QStringLiteral("d"));
    QCOMPARE(s.metrics.at(1).name, QStringLiteral("a"));
    const Device &d = state.devices().at(i);
    QCOMPARE(d.metrics.size(), 3);
    QCOMPARE(*findMetric(d.metrics, QStringLiteral("a")), 10.0);
    QVERIFY(!findMetric(d.metrics, QStringLiteral("c")));  // "d" took the last place
    QCOMPARE(*findMetric(d.metrics, QStringLiteral("d")), 4.0);
    QVERIFY(!findMetric(d.metrics, QStringLiteral("e")));
    QCOMPARE(d.messageCount, 2u);

    // Only new names: nothing of the message is applied.
    s.seq = 3;
    s.metrics = {{QStringLiteral("x"), 1}, {QStringLiteral("y"), 2}};
    QCOMPARE(state.applyTelemetryAt(i, s, 30), 2);
    QVERIFY(s.metrics.isEmpty());
    QCOMPARE(state.devices().at(i).messageCount, 2u);
    QCOMPARE(state.devices().at(i).lastSeq, 2u);
    QCOMPARE(state.devices().at(i).lastSeenMs, 20);

    // A lower limit removes nothing; known metrics keep updating.
    state.setMaxMetricsPerDevice(1);
    s.seq = 4;
    s.metrics = {{QStringLiteral("b"), 20}};
    QCOMPARE(state.applyTelemetryAt(i, s, 40), 0);
    QCOMPARE(state.devices().at(i).metrics.size(), 3);
    QCOMPARE(*findMetric(state.devices().at(i).metrics, QStringLiteral("b")), 20.0);
}

void TestFleetState::manyMetricsKeepTheirOrderAndValues()
{
    // Past kLinearMetrics a device's metrics are found through an index: same answers.
    FleetState state;
    const int i = state.ensureDevice(key(QStringLiteral("big")));
    TelemetrySample s;
    s.deviceId = QStringLiteral("big");
    for (int n = 0; n < 100; ++n) {
        s.metrics = {{QStringLiteral("m%1").arg(n), double(n)}, {QStringLiteral("m%1").arg(n / 2), double(-n)}};
        state.applyTelemetryAt(i, s, n);
    }
    const Device &d = state.devices().at(i);
    QCOMPARE(d.metrics.size(), 100);
    for (int n = 0; n < 100; ++n)
        QCOMPARE(d.metrics.at(n).name, QStringLiteral("m%1").arg(n));  // first-seen order
    QCOMPARE(*findMetric(d.metrics, QStringLiteral("m49")), -99.0);
    QCOMPARE(*findMetric(d.metrics, QStringLiteral("m99")), 99.0);
    // From the cache: the index is built when first needed.
    FleetState loaded;
    loaded.reset({d});
    TelemetrySample update;
    update.deviceId = QStringLiteral("big");
    update.metrics = {{QStringLiteral("m70"), 7.0}, {QStringLiteral("new"), 1.0}};
    loaded.applyTelemetryAt(0, update, 1);
    QCOMPARE(loaded.devices().at(0).metrics.size(), 101);
    QCOMPARE(loaded.devices().at(0).metrics.at(70).value, 7.0);
    QCOMPARE(loaded.devices().at(0).metrics.constLast().name, QStringLiteral("new"));
}

void TestFleetState::removedDevicesAreForgotten()
{
    FleetState state;
    const FleetState::Tracker tracker = state.addChangeTracker();
    const QString other = QStringLiteral("other");
    for (const QString &id : {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")})
        state.applyStatus(key(id), status(id, true), 1);
    state.applyStatus(key(QStringLiteral("b"), other), status(QStringLiteral("b"), true), 1);
    TelemetrySample big;
    big.deviceId = QStringLiteral("d");
    big.seq = 5;
    for (int n = 0; n < 40; ++n)  // past kLinearMetrics: an index that must follow the device
        big.metrics.append(MetricValue(QStringLiteral("m%1").arg(n), n));
    state.applyTelemetry(big, 2);
    QVERIFY(state.takeChanged(tracker).size() == 5);
    state.applyStatus(key(QStringLiteral("c")), status(QStringLiteral("c"), false), 3);  // pending change
    state.applyStatus(key(QStringLiteral("b")), status(QStringLiteral("b"), false), 3);  // pending, deleted

    const QList<DeviceKey> removed =
        state.removeDevices({key(QStringLiteral("b")), key(QStringLiteral("a")), key(QStringLiteral("zz"))});
    QCOMPARE(removed, (QList<DeviceKey>{key(QStringLiteral("a")), key(QStringLiteral("b"))}));
    QCOMPARE(state.devices().size(), 3);
    QCOMPARE(state.deviceCount(DeviceKey::defaultSource()), 2);
    QCOMPARE(state.deviceCount(other), 1);
    QCOMPARE(state.indexOf(key(QStringLiteral("a"))), -1);
    QCOMPARE(state.indexOf(key(QStringLiteral("c"))), 0);
    QCOMPARE(state.indexOf(key(QStringLiteral("d"))), 1);
    QCOMPARE(state.indexOf(key(QStringLiteral("b"), other)), 2);  // the same id elsewhere stays
    const QList<Device> changed = state.takeChanged(tracker);
    QCOMPARE(changed.size(), 1);  // the deleted device's pending change is gone
    QCOMPARE(changed.at(0).id, QStringLiteral("c"));

    // The big device's metrics are still found where they are.
    big.seq = 6;
    big.metrics = {MetricValue(QStringLiteral("m39"), -1.0), MetricValue(QStringLiteral("new"), 1.0)};
    state.applyTelemetry(big, 4);
    const Device &d = state.devices().at(1);
    QCOMPARE(d.metrics.size(), 41);
    QCOMPARE(d.metrics.at(39).value, -1.0);

    // It reports again: a new device, seq a new baseline.
    TelemetrySample again;
    again.deviceId = QStringLiteral("a");
    again.seq = 100;
    state.applyTelemetry(again, 5);
    const Device &a = state.devices().at(state.indexOf(key(QStringLiteral("a"))));
    QCOMPARE(a.messageCount, 1u);
    QCOMPARE(a.gapCount, 0u);
    QVERIFY(a.name.isEmpty());
    QCOMPARE(state.totalGaps(), 0u);
    QVERIFY(state.removeDevices({}).isEmpty());
}

// The decoder counts births and deaths of this run; a device loaded from the cache keeps
// counting from its stored totals, a new one from zero.
void TestFleetState::sparkplugCountsGoOnFromTheCache()
{
    Device cached;
    cached.source = QStringLiteral("plant");
    cached.path = QStringLiteral("grp/gw-1");
    cached.id = QStringLiteral("gw-1");
    cached.sparkplug.births = 3;
    cached.sparkplug.deaths = 2;
    FleetState state;
    state.reset({cached});
    SparkplugSession run;
    run.bdSeq = 4;
    run.births = 1;
    state.applySessionAt(0, run);
    QCOMPARE(state.devices().at(0).sparkplug.births, 4u);
    QCOMPARE(state.devices().at(0).sparkplug.deaths, 2u);
    QCOMPARE(state.devices().at(0).sparkplug.bdSeq, 4);
    const int fresh = state.ensureDevice(DeviceKey(QStringLiteral("plant"), QStringLiteral("grp/gw-2")));
    state.applySessionAt(fresh, run);
    QCOMPARE(state.devices().at(fresh).sparkplug.births, 1u);
}

QTEST_GUILESS_MAIN(TestFleetState)
#include "test_fleet_state.moc"
