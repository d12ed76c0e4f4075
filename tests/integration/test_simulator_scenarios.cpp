// fleetdeck-sim's fault scenarios (--scenario, --scenario-file) against a real mosquitto,
// observed the way FleetDeck sees them: through MqttClient on {prefix}/#. Every scenario is
// short (seconds) so each test stays well under 30 s on a loaded 2-core CI machine.
#include "core/transport/mqtt_client.h"
#include "tests/support/broker_fixture.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <limits>

using namespace fd;
using namespace Qt::StringLiterals;

namespace {

struct StatusChange
{
    bool online = false;
    qint64 receivedMs = 0;
    QJsonObject payload;
};

// Everything seen under the prefix: the history of every device's status and its telemetry.
struct Observer
{
    explicit Observer(MqttClient &client)
    {
        QObject::connect(&client, &MqttClient::messagesReceived, &client, [this](const MqttMessageBatch &batch) {
            for (const MqttMessage &m : batch) {
                const QList<QByteArray> parts = m.topic.split('/');
                if (parts.size() != 4)
                    continue;
                const QString id = QString::fromUtf8(parts.at(2));
                const QJsonObject o = QJsonDocument::fromJson(m.payload).object();
                if (m.topic.endsWith("/status")) {
                    statuses[id].append({o.value(u"online"_s).toBool(), m.receivedMs, o});
                    if (o.contains(u"site"_s))
                        site[id] = o.value(u"site"_s).toString();
                } else if (m.topic.endsWith("/telemetry")) {
                    telemetry[id].append(o);
                }
            }
        });
    }
    bool online(const QString &id) const
    {
        return !statuses.value(id).isEmpty() && statuses.value(id).last().online;
    }
    int count(const QString &id, bool online) const
    {
        const QList<StatusChange> &list = statuses[id];
        return int(std::count_if(list.cbegin(), list.cend(), [online](const StatusChange &c) { return c.online == online; }));
    }
    QList<double> values(const QString &id, const QString &metric) const
    {
        QList<double> out;
        for (const QJsonObject &o : telemetry.value(id))
            out << o.value(u"metrics"_s).toObject().value(metric).toDouble();
        return out;
    }
    QHash<QString, QList<StatusChange>> statuses;
    QHash<QString, QString> site;
    QHash<QString, QList<QJsonObject>> telemetry;
};

double maxOf(const QList<double> &values)
{
    return values.isEmpty() ? qQNaN() : *std::max_element(values.cbegin(), values.cend());
}

// Largest gap between two consecutive telemetry timestamps of one device.
qint64 largestGapMs(const QList<QJsonObject> &samples)
{
    qint64 gap = 0;
    for (qsizetype i = 1; i < samples.size(); ++i)
        gap = std::max(gap, samples.at(i).value(u"ts"_s).toInteger() - samples.at(i - 1).value(u"ts"_s).toInteger());
    return gap;
}

} // namespace

class TestSimulatorScenarios : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void overheatingClimbsAndCools();
    void silentDeviceStaysConnectedWithoutTelemetry();
    void flappingDeviceGoesOfflineAndComesBack();
    void siteDownTakesTheWholeSiteOffline();
    void shardsApplyTheSamePlan();
    void scenarioFileAndPrintedPlan();
    void rejectsBadScenarios();

private:
    void startSim(QProcess &process, const QStringList &extra);
    std::unique_ptr<MqttClient> subscribe(std::unique_ptr<Observer> *observer);
    static QHash<QString, QJsonArray> manifestScenarios(const QString &path, QJsonObject *root = nullptr);
    QByteArray runToError(const QStringList &args, int *exitCode);

    QString m_sim;
    std::unique_ptr<test::BrokerFixture> m_broker;
    QTemporaryDir m_dir;
};

void TestSimulatorScenarios::initTestCase()
{
    if (!test::BrokerFixture::mosquittoAvailable())
        QSKIP("mosquitto is not installed");
    m_sim = QStringLiteral(FLEETDECK_BIN_DIR) + u"/fleetdeck-sim"_s;
    QVERIFY2(QFileInfo(m_sim).isExecutable(), "build fleetdeck-sim first");
}

void TestSimulatorScenarios::init()
{
    m_broker = std::make_unique<test::BrokerFixture>();  // fresh: no retained statuses from before
    QString error;
    QVERIFY2(m_broker->start(&error), qPrintable(error));
}

void TestSimulatorScenarios::cleanup()
{
    m_broker.reset();
}

void TestSimulatorScenarios::startSim(QProcess &process, const QStringList &extra)
{
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(m_sim, QStringList{u"--broker"_s, m_broker->url()} + extra);
    QVERIFY(process.waitForStarted(5000));
}

std::unique_ptr<MqttClient> TestSimulatorScenarios::subscribe(std::unique_ptr<Observer> *observer)
{
    auto client = std::make_unique<MqttClient>();
    *observer = std::make_unique<Observer>(*client);
    client->subscribe(u"fleetdeck/v1/#"_s, 1);
    client->connectToBroker(m_broker->profile(5));
    return client;
}

// id -> the "scenarios" array of the manifest's device.
QHash<QString, QJsonArray> TestSimulatorScenarios::manifestScenarios(const QString &path, QJsonObject *root)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QJsonObject doc = QJsonDocument::fromJson(file.readAll()).object();
    if (root)
        *root = doc;
    QHash<QString, QJsonArray> out;
    for (const QJsonValue &d : doc.value(u"devices"_s).toArray())
        out.insert(d.toObject().value(u"id"_s).toString(), d.toObject().value(u"scenarios"_s).toArray());
    return out;
}

QByteArray TestSimulatorScenarios::runToError(const QStringList &args, int *exitCode)
{
    QProcess sim;
    sim.start(m_sim, args);
    if (!sim.waitForFinished(10000)) {
        sim.kill();
        sim.waitForFinished();
    }
    *exitCode = sim.exitCode();
    return sim.readAllStandardError();
}

// One device heats up to the peak (well above 45 °C) within the ramp, then cools back below
// 35 °C; the others stay normal; the manifest says who had which scenario when.
void TestSimulatorScenarios::overheatingClimbsAndCools()
{
    std::unique_ptr<Observer> seen;
    auto client = subscribe(&seen);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), ConnectionState::Connected, 10000);

    const QString manifest = m_dir.filePath(u"overheating.json"_s);
    QProcess sim;
    startSim(sim, {u"--devices"_s, u"4"_s, u"--rate"_s, u"5"_s, u"--seed"_s, u"3"_s, u"--qos"_s, u"1"_s,
                   u"--scenario"_s, u"overheating:device=dev-00002;start=0;duration=3;ramp=1"_s, u"--duration"_s,
                   u"6"_s, u"--manifest"_s, manifest});
    // Hot while it runs (a subscriber sees it live) ...
    QTRY_VERIFY_WITH_TIMEOUT(maxOf(seen->values(u"dev-00002"_s, u"temperature"_s)) > 50, 10000);
    QVERIFY(sim.waitForFinished(20000));
    QCOMPARE(sim.exitCode(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(seen->telemetry.value(u"dev-00002"_s).size() >= 20, 5000);

    // ... at the peak (55 °C) after the 1 s ramp, and cooled down in the last second (t > 5 s).
    const QList<QJsonObject> &samples = seen->telemetry[u"dev-00002"_s];
    const qint64 lastTs = samples.last().value(u"ts"_s).toInteger();
    const qint64 firstTs = samples.first().value(u"ts"_s).toInteger();
    int hot = 0;
    for (const QJsonObject &o : samples) {
        const qint64 ts = o.value(u"ts"_s).toInteger();
        const double t = o.value(u"metrics"_s).toObject().value(u"temperature"_s).toDouble();
        if (ts >= firstTs + 1200 && ts <= firstTs + 2000) {  // peak at 1 s, cooling from 3 s
            QVERIFY2(t >= 54 && t <= 56, qPrintable(QString::number(t)));
            ++hot;
        }
        if (ts >= lastTs - 700)
            QVERIFY2(t < 35, qPrintable(QString::number(t)));
    }
    QVERIFY(hot >= 3);
    for (const QString &id : {u"dev-00001"_s, u"dev-00003"_s, u"dev-00004"_s})
        QVERIFY2(maxOf(seen->values(id, u"temperature"_s)) < 45, qPrintable(id));

    QJsonObject root;
    const QHash<QString, QJsonArray> scenarios = manifestScenarios(manifest, &root);
    QCOMPARE(root.value(u"scenarios"_s).toArray(),
             QJsonArray{u"overheating:device=dev-00002;start=0;duration=3;peak=55;ramp=1"_s});
    QCOMPARE(scenarios.size(), 4);
    QCOMPARE(scenarios.value(u"dev-00002"_s).size(), 1);
    const QJsonObject applied = scenarios.value(u"dev-00002"_s).first().toObject();
    QCOMPARE(applied.value(u"kind"_s).toString(), u"overheating"_s);
    QCOMPARE(applied.value(u"start_s"_s).toDouble(), 0.0);
    QCOMPARE(applied.value(u"end_s"_s).toDouble(), 3.0);
    QCOMPARE(applied.value(u"peak_c"_s).toDouble(), 55.0);
    for (const QString &id : {u"dev-00001"_s, u"dev-00003"_s, u"dev-00004"_s})
        QVERIFY(scenarios.value(id).isEmpty());
}

// Silent: connected and online all along, but not a single telemetry message for the
// window; seq goes on without a gap afterwards (nothing was sent, nothing lost).
void TestSimulatorScenarios::silentDeviceStaysConnectedWithoutTelemetry()
{
    std::unique_ptr<Observer> seen;
    auto client = subscribe(&seen);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), ConnectionState::Connected, 10000);

    QProcess sim;
    startSim(sim, {u"--devices"_s, u"3"_s, u"--rate"_s, u"10"_s, u"--qos"_s, u"1"_s, u"--scenario"_s,
                   u"silent:device=dev-00001;start=1;duration=2.5"_s, u"--duration"_s, u"5"_s});
    QVERIFY(sim.waitForFinished(20000));
    QCOMPARE(sim.exitCode(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(seen->telemetry.value(u"dev-00001"_s).size() >= 10, 5000);

    const QList<QJsonObject> &quiet = seen->telemetry[u"dev-00001"_s];
    const qint64 gap = largestGapMs(quiet);
    QVERIFY2(gap >= 2300 && gap <= 3500, qPrintable(QString::number(gap)));  // the 2.5 s window
    for (qsizetype i = 0; i < quiet.size(); ++i)
        QCOMPARE(quiet.at(i).value(u"seq"_s).toInteger(), qint64(i + 1));
    for (const QString &id : {u"dev-00002"_s, u"dev-00003"_s})
        QVERIFY2(largestGapMs(seen->telemetry.value(id)) < 1000, qPrintable(id));
    // Never offline: one retained online status, no goodbye.
    QCOMPARE(seen->count(u"dev-00001"_s, false), 0);
    QCOMPARE(seen->count(u"dev-00001"_s, true), 1);
}

// Flapping: {"online":false} (the Last Will's payload) and a disconnect, then back online
// (retained status with its attributes) a second later, again and again.
void TestSimulatorScenarios::flappingDeviceGoesOfflineAndComesBack()
{
    std::unique_ptr<Observer> seen;
    auto client = subscribe(&seen);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), ConnectionState::Connected, 10000);

    QProcess sim;
    startSim(sim, {u"--devices"_s, u"3"_s, u"--rate"_s, u"5"_s, u"--scenario"_s,
                   u"flapping:device=dev-00002;start=0.5;period=3;down=1"_s, u"--duration"_s, u"30"_s});
    const QString id = u"dev-00002"_s;
    // Online, offline, online, offline, online: two full flaps.
    QTRY_VERIFY_WITH_TIMEOUT(seen->count(id, false) >= 2 && seen->count(id, true) >= 3 && seen->online(id), 15000);
    sim.terminate();
    QVERIFY(sim.waitForFinished(15000));
    QCOMPARE(sim.exitCode(), 0);

    const QList<StatusChange> history = seen->statuses.value(id);
    for (qsizetype i = 1; i < history.size(); ++i)
        QVERIFY2(history.at(i).online != history.at(i - 1).online, "the status alternates");
    for (const StatusChange &c : history) {
        if (!c.online)
            QCOMPARE(c.payload, QJsonObject({{u"online"_s, false}}));  // exactly what the Last Will says
        else
            QVERIFY(!c.payload.value(u"name"_s).toString().isEmpty());  // a fresh connect announces itself
    }
    // Offline for about a second each time (down=1) plus the reconnect (Paho notices a new
    // connection on its next network cycle: up to ~2 s), back within the period.
    const qint64 downFor = history.at(2).receivedMs - history.at(1).receivedMs;
    QVERIFY2(downFor >= 700 && downFor <= 4000, qPrintable(QString::number(downFor)));
    // The others never flapped.
    for (const QString &other : {u"dev-00001"_s, u"dev-00003"_s}) {
        QCOMPARE(seen->count(other, false), 0);
        QVERIFY(seen->online(other));
    }
}

// site_down: every device of one site (picked: the smallest with 3 or more) drops at once,
// everyone else stays; all come back at the end.
void TestSimulatorScenarios::siteDownTakesTheWholeSiteOffline()
{
    std::unique_ptr<Observer> seen;
    auto client = subscribe(&seen);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), ConnectionState::Connected, 10000);

    constexpr int kDevices = 20;
    const QString manifest = m_dir.filePath(u"site.json"_s);
    QProcess sim;
    startSim(sim, {u"--devices"_s, QString::number(kDevices), u"--rate"_s, u"2"_s, u"--seed"_s, u"42"_s,
                   u"--scenario"_s, u"site_down:start=1.5;duration=3"_s, u"--duration"_s, u"8"_s, u"--manifest"_s,
                   manifest});
    QTRY_COMPARE_WITH_TIMEOUT(seen->site.size(), kDevices, 10000);

    // The moment a site is down: all of its devices offline, all others online.
    QString downSite;
    auto siteIsDown = [&] {
        QHash<QString, int> offline;
        QHash<QString, int> total;
        for (auto it = seen->site.cbegin(); it != seen->site.cend(); ++it) {
            ++total[it.value()];
            if (!seen->online(it.key()))
                ++offline[it.value()];
        }
        if (offline.size() != 1)
            return false;
        downSite = offline.cbegin().key();
        return offline.value(downSite) == total.value(downSite) && total.value(downSite) >= 3;
    };
    QTRY_VERIFY_WITH_TIMEOUT(siteIsDown(), 10000);
    QSet<QString> dropped;
    qint64 firstOffline = std::numeric_limits<qint64>::max();
    qint64 lastOffline = 0;
    for (auto it = seen->site.cbegin(); it != seen->site.cend(); ++it) {
        if (it.value() != downSite)
            continue;
        dropped.insert(it.key());
        for (const StatusChange &c : seen->statuses.value(it.key())) {
            if (!c.online) {
                firstOffline = std::min(firstOffline, c.receivedMs);
                lastOffline = std::max(lastOffline, c.receivedMs);
            }
        }
    }
    QVERIFY2(lastOffline - firstOffline < 1000, "the whole site drops at once");
    // And comes back.
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(dropped.cbegin(), dropped.cend(), [&](const QString &id) { return seen->online(id); }),
                             10000);
    QVERIFY(sim.waitForFinished(20000));
    QCOMPARE(sim.exitCode(), 0);
    for (auto it = seen->site.cbegin(); it != seen->site.cend(); ++it) {
        if (!dropped.contains(it.key()))
            QCOMPARE(seen->count(it.key(), false), 0);
    }

    const QHash<QString, QJsonArray> scenarios = manifestScenarios(manifest);
    QSet<QString> planned;
    for (auto it = scenarios.cbegin(); it != scenarios.cend(); ++it) {
        if (it.value().isEmpty())
            continue;
        planned.insert(it.key());
        const QJsonObject a = it.value().first().toObject();
        QCOMPARE(a.value(u"kind"_s).toString(), u"site_down"_s);
        QCOMPARE(a.value(u"site"_s).toString(), downSite);
        QCOMPARE(a.value(u"start_s"_s).toDouble(), 1.5);
        QCOMPARE(a.value(u"end_s"_s).toDouble(), 4.5);
    }
    QCOMPARE(planned, dropped);
}

// More devices than --devices-per-process: the shard processes apply exactly the plan the
// whole fleet has (--print-scenarios shows it), each for its own devices.
void TestSimulatorScenarios::shardsApplyTheSamePlan()
{
    const QStringList fleet{u"--devices"_s, u"9"_s, u"--seed"_s, u"21"_s, u"--scenario"_s,
                            u"silent:devices=2,overheating:devices=2;ramp=0,stuck_sensor:devices=2;metric=rssi"_s};
    QProcess print;
    print.start(m_sim, fleet + QStringList{u"--print-scenarios"_s});
    QVERIFY(print.waitForFinished(10000));
    QCOMPARE(print.exitCode(), 0);
    const QJsonObject planned = QJsonDocument::fromJson(print.readAllStandardOutput()).object();
    QHash<QString, QString> kindOf;
    for (const QJsonValue &v : planned.value(u"assignments"_s).toArray())
        kindOf.insert(v.toObject().value(u"id"_s).toString(), v.toObject().value(u"kind"_s).toString());
    QCOMPARE(kindOf.size(), 6);

    std::unique_ptr<Observer> seen;
    auto client = subscribe(&seen);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), ConnectionState::Connected, 10000);
    const QString manifest = m_dir.filePath(u"shards.json"_s);
    QProcess sim;
    startSim(sim, fleet + QStringList{u"--devices-per-process"_s, u"4"_s, u"--rate"_s, u"5"_s, u"--qos"_s, u"1"_s,
                                      u"--duration"_s, u"2"_s, u"--manifest"_s, manifest});
    QVERIFY(sim.waitForFinished(25000));
    QCOMPARE(sim.exitCode(), 0);

    const QHash<QString, QJsonArray> scenarios = manifestScenarios(manifest);
    QCOMPARE(scenarios.size(), 9);
    for (auto it = scenarios.cbegin(); it != scenarios.cend(); ++it) {
        const QString kind = it.value().isEmpty() ? QString() : it.value().first().toObject().value(u"kind"_s).toString();
        QCOMPARE(kind, kindOf.value(it.key()));
        // ... and the shard did it.
        QTRY_VERIFY_WITH_TIMEOUT(kind == u"silent" || seen->telemetry.value(it.key()).size() >= 5, 5000);
        if (kind == u"silent")
            QVERIFY2(seen->telemetry.value(it.key()).isEmpty(), qPrintable(it.key()));
        else if (kind == u"overheating")
            QVERIFY2(maxOf(seen->values(it.key(), u"temperature"_s)) >= 54, qPrintable(it.key()));
        else if (kind == u"stuck_sensor") {
            const QList<double> rssi = seen->values(it.key(), u"rssi"_s);
            QCOMPARE(QSet<double>(rssi.cbegin(), rssi.cend()).size(), 1);
        }
    }
}

// --scenario-file reads the same scenarios as --scenario; --print-scenarios shows the plan
// without a broker; the demo set plans its mix on a demo-sized fleet.
void TestSimulatorScenarios::scenarioFileAndPrintedPlan()
{
    QFile file(m_dir.filePath(u"scenarios.json"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"scenarios": [{"kind": "overheating", "devices": 2, "start_s": 10, "duration_s": 120},
                                 {"kind": "flapping", "device": "dev-00004", "period_s": 12, "down_s": 4}]})");
    file.close();
    auto printed = [this](const QStringList &args) {
        QProcess p;
        p.start(m_sim, QStringList{u"--devices"_s, u"50"_s, u"--seed"_s, u"42"_s, u"--print-scenarios"_s} + args);
        p.waitForFinished(10000);
        return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    };
    const QJsonObject fromFile = printed({u"--scenario-file"_s, file.fileName()});
    const QJsonObject fromFlags = printed({u"--scenario"_s, u"overheating:devices=2;start=10;duration=120"_s,
                                           u"--scenario"_s, u"flapping:device=dev-00004;period=12;down=4"_s});
    QCOMPARE(fromFile.value(u"assignments"_s).toArray().size(), 3);
    QCOMPARE(fromFile, fromFlags);
    // File first, then --scenario.
    const QJsonObject both = printed({u"--scenario-file"_s, file.fileName(), u"--scenario"_s, u"silent"_s});
    QCOMPARE(both.value(u"scenarios"_s).toArray().size(), 3);
    QVERIFY(both.value(u"scenarios"_s).toArray().last().toString().startsWith(u"silent:"_s));

    const QJsonObject demo = printed({u"--scenario"_s, u"demo"_s});
    QHash<QString, int> kinds;
    for (const QJsonValue &v : demo.value(u"assignments"_s).toArray())
        ++kinds[v.toObject().value(u"kind"_s).toString()];
    QCOMPARE(kinds.value(u"overheating"_s), 2);
    QCOMPARE(kinds.value(u"battery_drain"_s), 2);
    QCOMPARE(kinds.value(u"stuck_sensor"_s), 1);
    QCOMPARE(kinds.value(u"flapping"_s), 1);
    QCOMPARE(kinds.value(u"silent"_s), 1);
    QVERIFY(kinds.value(u"site_down"_s) >= 3);
    QVERIFY(demo.value(u"notes"_s).toArray().isEmpty());
}

void TestSimulatorScenarios::rejectsBadScenarios()
{
    const QStringList base{u"--broker"_s, m_broker->url(), u"--devices"_s, u"5"_s};
    int code = 0;
    QByteArray err = runToError(base + QStringList{u"--scenario"_s, u"overheating:devices=abc"_s}, &code);
    QCOMPARE(code, 2);
    QVERIFY2(err.contains("--scenario 'overheating:devices=abc': devices must be a number (got 'abc')"), err.constData());
    err = runToError(base + QStringList{u"--scenario"_s, u"silent,meltdown"_s}, &code);
    QCOMPARE(code, 2);
    QVERIFY2(err.contains("'meltdown': unknown scenario kind 'meltdown'"), err.constData());
    // Needs the fleet: a device that is not in it, more devices than there are.
    err = runToError(base + QStringList{u"--scenario"_s, u"silent:device=dev-00009"_s}, &code);
    QCOMPARE(code, 2);
    QVERIFY2(err.contains("dev-00009 is not in the fleet (dev-00001 .. dev-00005)"), err.constData());
    err = runToError(base + QStringList{u"--scenario"_s, u"silent:devices=6"_s}, &code);
    QCOMPARE(code, 2);
    QVERIFY2(err.contains("needs 6 device(s)"), err.constData());
    // Files.
    err = runToError(base + QStringList{u"--scenario-file"_s, m_dir.filePath(u"none.json"_s)}, &code);
    QCOMPARE(code, 2);
    QVERIFY2(err.contains("none.json: no such file"), err.constData());
    QFile bad(m_dir.filePath(u"bad.json"_s));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write(R"({"scenarios": [{"kind": "silent", "start_s": "soon"}]})");
    bad.close();
    err = runToError(base + QStringList{u"--scenario-file"_s, bad.fileName()}, &code);
    QCOMPARE(code, 2);
    QVERIFY2(err.contains("bad.json: scenarios[0]: \"start_s\" must be a number, not a string"), err.constData());
    // Help lists the options.
    QProcess help;
    help.start(m_sim, {u"--help"_s});
    QVERIFY(help.waitForFinished(5000));
    const QByteArray text = help.readAllStandardOutput();
    QVERIFY(text.contains("--scenario <SPEC>"));
    QVERIFY(text.contains("--scenario-file <FILE>"));
    QVERIFY(text.contains("--print-scenarios"));
    QVERIFY(!text.contains("--scenario-fleet"));  // internal
}

QTEST_GUILESS_MAIN(TestSimulatorScenarios)
#include "test_simulator_scenarios.moc"
