// fleetdeck-sim against a real mosquitto, observed through MqttClient.
#include "core/transport/mqtt_client.h"
#include "tests/support/broker_fixture.h"

#include <QFileInfo>

#include <algorithm>
#include <cmath>

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;
using namespace Qt::StringLiterals;

namespace {

// Everything seen under the prefix, sorted by kind.
struct Observer
{
    explicit Observer(MqttClient &client)
    {
        QObject::connect(&client, &MqttClient::messagesReceived, &client, [this](const MqttMessageBatch &batch) {
            for (const MqttMessage &m : batch) {
                const QList<QByteArray> parts = m.topic.split('/');
                const QByteArray id = parts.size() == 4 ? parts.at(2) : QByteArray();
                if (m.topic.endsWith("/status")) {
                    status[id] = QJsonDocument::fromJson(m.payload).object();
                    statusRetained[id] = m.retained;
                } else if (m.topic.endsWith("/telemetry")) {
                    const QJsonObject o = QJsonDocument::fromJson(m.payload).object();
                    if (o.value(u"seq"_s).isDouble() && o.value(u"metrics"_s).isObject()
                        && m.payloadBytes() < 256 * 1024) {
                        telemetry[id].append(o);
                    } else {
                        ++malformed;
                        if (m.payloadBytes() > 256 * 1024)  // not copied: see InboundLimits
                            ++oversize;
                    }
                    if (id.contains(' '))
                        ++badIds;
                }
            }
        });
    }
    int onlineCount(bool online) const
    {
        int n = 0;
        for (const QJsonObject &o : status)
            n += o.value(u"online"_s).toBool() == online ? 1 : 0;
        return n;
    }
    QHash<QByteArray, QJsonObject> status;
    QHash<QByteArray, bool> statusRetained;
    QHash<QByteArray, QList<QJsonObject>> telemetry;
    int malformed = 0;
    int oversize = 0;
    int badIds = 0;
};

} // namespace

class TestSimulator : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void publishesStatusAndOrderedTelemetry();
    void lastWillWhenKilled();
    void offlineOnExitWithSigterm();
    void injectsEveryFaultKind();
    void deterministicFromSeed();
    void historyContinuesIntoLiveData();
    void rejectsBadArguments();
    void logsInWithUserAndPasswordFromTheEnvironment();

private:
    bool startSim(QProcess &process, const QStringList &extra);
    std::unique_ptr<MqttClient> subscribe(std::unique_ptr<Observer> *observer);
    static QJsonArray readManifest(const QString &path);

    QString m_sim;
    std::unique_ptr<test::BrokerFixture> m_broker;
    QTemporaryDir m_dir;
};

void TestSimulator::initTestCase()
{
    if (!test::BrokerFixture::mosquittoAvailable())
        QSKIP("mosquitto is not installed");
    m_sim = QStringLiteral(FLEETDECK_BIN_DIR) + u"/fleetdeck-sim"_s;
    QVERIFY2(QFileInfo(m_sim).isExecutable(), "build fleetdeck-sim first");
}

void TestSimulator::init()
{
    // A fresh broker per test: no retained messages from the previous one.
    m_broker = std::make_unique<test::BrokerFixture>();
    QString error;
    QVERIFY2(m_broker->start(&error), qPrintable(error));
}

void TestSimulator::cleanup()
{
    m_broker.reset();
}

bool TestSimulator::startSim(QProcess &process, const QStringList &extra)
{
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(m_sim, QStringList{u"--broker"_s, m_broker->url()} + extra);
    return process.waitForStarted(5000);
}

std::unique_ptr<MqttClient> TestSimulator::subscribe(std::unique_ptr<Observer> *observer)
{
    auto client = std::make_unique<MqttClient>();
    *observer = std::make_unique<Observer>(*client);
    client->subscribe(u"fleetdeck/v1/#"_s, 1);
    client->connectToBroker(m_broker->profile(5));
    return client;
}

QJsonArray TestSimulator::readManifest(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object().value(u"devices"_s).toArray();
}

void TestSimulator::publishesStatusAndOrderedTelemetry()
{
    std::unique_ptr<Observer> seen;
    auto client = subscribe(&seen);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), ConnectionState::Connected, 10000);
    QTest::qWait(200);  // SUBACK before the fleet starts

    const QString manifest = m_dir.filePath(u"run1.json"_s);
    QProcess sim;
    QVERIFY(startSim(sim, {u"--devices"_s, u"20"_s, u"--rate"_s, u"5"_s, u"--seed"_s, u"11"_s, u"--qos"_s, u"1"_s,
                           u"--duration"_s, u"3"_s, u"--manifest"_s, manifest}));
    QVERIFY(sim.waitForFinished(30000));
    QCOMPARE(sim.exitStatus(), QProcess::NormalExit);
    QCOMPARE(sim.exitCode(), 0);

    QTRY_COMPARE_WITH_TIMEOUT(seen->status.size(), 20, 5000);
    QCOMPARE(seen->onlineCount(true), 20);
    for (const QJsonObject &st : std::as_const(seen->status)) {
        for (const QString &field : {u"name"_s, u"model"_s, u"fw_version"_s, u"site"_s})
            QVERIFY2(!st.value(field).toString().isEmpty(), qPrintable(field));
        // One kind tag, "pilot" on some: ["freezer"], ["ambient","pilot"], ...
        const QJsonArray tags = st.value(u"tags"_s).toArray();
        QVERIFY(tags.size() == 1 || (tags.size() == 2 && tags.at(1).toString() == u"pilot"_s));
        QVERIFY2((QStringList{u"freezer"_s, u"cold-room"_s, u"ambient"_s}).contains(tags.at(0).toString()),
                 qPrintable(tags.at(0).toString()));
    }

    const QJsonArray devices = readManifest(manifest);
    QCOMPARE(devices.size(), 20);
    for (const QJsonValue &v : devices) {
        const QJsonObject d = v.toObject();
        const QByteArray id = d.value(u"id"_s).toString().toUtf8();
        const int published = d.value(u"published"_s).toInt();
        QVERIFY2(published >= 5, id.constData());  // ~15 expected in 3 s at 5 Hz
        QVERIFY(d.value(u"online"_s).toBool());
        QCOMPARE(d.value(u"name"_s).toString(), seen->status.value(id).value(u"name"_s).toString());
        QCOMPARE(d.value(u"tags"_s).toArray(), seen->status.value(id).value(u"tags"_s).toArray());
        // QoS 1 end to end: everything confirmed arrived, seq 1..N in order, no gaps.
        QTRY_COMPARE_WITH_TIMEOUT(seen->telemetry.value(id).size(), published, 5000);
        const QList<QJsonObject> &samples = seen->telemetry[id];
        qint64 lastTs = 0;
        for (int i = 0; i < samples.size(); ++i) {
            QCOMPARE(samples.at(i).value(u"seq"_s).toInteger(), qint64(i + 1));
            const qint64 ts = samples.at(i).value(u"ts"_s).toInteger();
            QVERIFY(ts >= lastTs);
            lastTs = ts;
        }
        QCOMPARE(samples.last().value(u"metrics"_s).toObject(), d.value(u"metrics"_s).toObject());
        QCOMPARE(d.value(u"last_seq"_s).toInt(), published);
    }

    // Evenly spread: at 20 devices x 5 Hz, no 100 ms window holds a burst of the whole fleet.
    QHash<qint64, int> perWindow;
    for (const QList<QJsonObject> &samples : std::as_const(seen->telemetry)) {
        for (const QJsonObject &o : samples)
            ++perWindow[o.value(u"ts"_s).toInteger() / 100];
    }
    int busiest = 0;
    for (int n : std::as_const(perWindow))
        busiest = std::max(busiest, n);
    QVERIFY2(busiest <= 20, qPrintable(QString::number(busiest)));  // ~10 expected

    // After a clean exit the retained status still says online (no --offline-on-exit).
    std::unique_ptr<Observer> late;
    auto lateClient = subscribe(&late);
    QTRY_COMPARE_WITH_TIMEOUT(late->status.size(), 20, 5000);
    QCOMPARE(late->onlineCount(true), 20);
    for (bool retained : std::as_const(late->statusRetained))
        QVERIFY(retained);
}

void TestSimulator::lastWillWhenKilled()
{
    std::unique_ptr<Observer> seen;
    auto client = subscribe(&seen);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), ConnectionState::Connected, 10000);
    QTest::qWait(200);

    QProcess sim;
    QVERIFY(startSim(sim, {u"--devices"_s, u"10"_s, u"--rate"_s, u"2"_s, u"--seed"_s, u"5"_s}));
    QTRY_COMPARE_WITH_TIMEOUT(seen->onlineCount(true), 10, 10000);
    sim.kill();  // SIGKILL: no clean disconnect, the broker publishes the Last Wills
    QVERIFY(sim.waitForFinished(5000));
    QTRY_COMPARE_WITH_TIMEOUT(seen->onlineCount(false), 10, 10000);
    for (const QJsonObject &st : std::as_const(seen->status))
        QCOMPARE(st, QJsonObject({{u"online"_s, false}}));
}

void TestSimulator::offlineOnExitWithSigterm()
{
    std::unique_ptr<Observer> seen;
    auto client = subscribe(&seen);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), ConnectionState::Connected, 10000);
    QTest::qWait(200);

    const QString manifest = m_dir.filePath(u"offline.json"_s);
    QProcess sim;
    QVERIFY(startSim(sim, {u"--devices"_s, u"8"_s, u"--rate"_s, u"2"_s, u"--offline-on-exit"_s, u"--manifest"_s,
                           manifest}));
    QTRY_COMPARE_WITH_TIMEOUT(seen->onlineCount(true), 8, 10000);
    sim.terminate();  // SIGTERM: orderly shutdown
    QVERIFY(sim.waitForFinished(15000));
    QCOMPARE(sim.exitStatus(), QProcess::NormalExit);
    QCOMPARE(sim.exitCode(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(seen->onlineCount(false), 8, 5000);
    const QJsonArray devices = readManifest(manifest);
    QCOMPARE(devices.size(), 8);
    for (const QJsonValue &v : devices)
        QVERIFY(!v.toObject().value(u"online"_s).toBool());
}

void TestSimulator::injectsEveryFaultKind()
{
    std::unique_ptr<Observer> seen;
    auto client = subscribe(&seen);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), ConnectionState::Connected, 10000);
    QTest::qWait(200);

    const QString manifest = m_dir.filePath(u"faults.json"_s);
    QProcess sim;
    QVERIFY(startSim(sim, {u"--devices"_s, u"10"_s, u"--rate"_s, u"10"_s, u"--qos"_s, u"1"_s, u"--faults"_s, u"0.3"_s,
                           u"--duration"_s, u"2"_s, u"--manifest"_s, manifest}));
    QVERIFY(sim.waitForFinished(30000));
    QCOMPARE(sim.exitCode(), 0);

    QHash<QString, int> faults;
    int valid = 0;
    for (const QJsonValue &v : readManifest(manifest)) {
        const QJsonObject d = v.toObject();
        valid += d.value(u"published"_s).toInt();
        const QJsonObject f = d.value(u"faults"_s).toObject();
        for (auto it = f.begin(); it != f.end(); ++it)
            faults[it.key()] += it.value().toInt();
    }
    for (const QString &key : {u"bad_json"_s, u"wrong_type"_s, u"oversize"_s, u"bad_device_id"_s, u"missing_field"_s})
        QVERIFY2(faults.value(key) > 0, qPrintable(key));
    int totalFaults = 0;
    for (int n : std::as_const(faults))
        totalFaults += n;
    // Malformed ones (all but bad_device_id, whose payload is fine) arrive as such.
    QTRY_COMPARE_WITH_TIMEOUT(seen->malformed, totalFaults - faults.value(u"bad_device_id"_s), 5000);
    QCOMPARE(seen->oversize, faults.value(u"oversize"_s));
    QCOMPARE(seen->badIds, faults.value(u"bad_device_id"_s));
    int received = 0;
    for (const QList<QJsonObject> &samples : std::as_const(seen->telemetry))
        received += int(samples.size());
    QCOMPARE(received, valid + faults.value(u"bad_device_id"_s));
}

void TestSimulator::deterministicFromSeed()
{
    auto run = [this](const QString &name, QHash<QByteArray, QJsonObject> *firstMetrics) {
        std::unique_ptr<Observer> seen;
        auto client = subscribe(&seen);
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), ConnectionState::Connected, 10000);
        QTest::qWait(200);
        const QString manifest = m_dir.filePath(name);
        QProcess sim;
        QVERIFY(startSim(sim, {u"--devices"_s, u"12"_s, u"--rate"_s, u"4"_s, u"--seed"_s, u"99"_s, u"--qos"_s, u"1"_s,
                               u"--duration"_s, u"1.5"_s, u"--manifest"_s, manifest}));
        QVERIFY(sim.waitForFinished(30000));
        QTRY_COMPARE_WITH_TIMEOUT(seen->telemetry.size(), 12, 5000);
        for (auto it = seen->telemetry.cbegin(); it != seen->telemetry.cend(); ++it)
            firstMetrics->insert(it.key(), it.value().first().value(u"metrics"_s).toObject());
    };
    QHash<QByteArray, QJsonObject> first;
    QHash<QByteArray, QJsonObject> second;
    run(u"seed-a.json"_s, &first);
    init();  // fresh broker for the second run
    run(u"seed-b.json"_s, &second);
    QCOMPARE(first, second);

    const QJsonArray a = readManifest(m_dir.filePath(u"seed-a.json"_s));
    const QJsonArray b = readManifest(m_dir.filePath(u"seed-b.json"_s));
    QCOMPARE(a.size(), b.size());
    for (qsizetype i = 0; i < a.size(); ++i) {
        for (const QString &field : {u"id"_s, u"name"_s, u"site"_s, u"model"_s, u"fw_version"_s, u"tags"_s})
            QCOMPARE(a.at(i).toObject().value(field), b.at(i).toObject().value(field));
    }
}

// --history: the backfill ends where the live stream starts. The last history sample and
// the first live sample of a device are one model step apart, so every metric differs by
// no more than one step of noise and drift (it used to jump: history and live data came
// from the same model interleaved, live values starting near the device's initial state).
void TestSimulator::historyContinuesIntoLiveData()
{
    std::unique_ptr<Observer> seen;
    auto client = subscribe(&seen);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), ConnectionState::Connected, 10000);
    QTest::qWait(200);
    constexpr int kDevices = 10;
    constexpr int kHistorySamples = 120;  // 2 h, one a minute
    QProcess sim;
    QVERIFY(startSim(sim, {u"--devices"_s, QString::number(kDevices), u"--rate"_s, u"2"_s, u"--seed"_s, u"7"_s,
                           u"--qos"_s, u"1"_s, u"--duration"_s, u"3"_s, u"--history"_s, u"2"_s,
                           u"--history-interval"_s, u"60"_s}));
    QVERIFY(sim.waitForFinished(30000));
    QCOMPARE(sim.exitCode(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(seen->telemetry.size(), kDevices, 5000);

    // Largest plausible change in one step (4 sigma of the model's noise, plus rounding).
    const QHash<QString, double> maxStep{{u"temperature"_s, 1.0}, {u"humidity"_s, 2.0}, {u"battery"_s, 0.1},
                                         {u"rssi"_s, 6.0}, {u"cpu_load"_s, 0.2}};
    for (auto it = seen->telemetry.cbegin(); it != seen->telemetry.cend(); ++it) {
        const QList<QJsonObject> &arrived = it.value();
        QVERIFY2(arrived.size() > kHistorySamples + 1, it.key().constData());
        // Sequence numbers follow the publish order (history and live interleaved): no gaps.
        for (int i = 0; i < arrived.size(); ++i)
            QCOMPARE(arrived.at(i).value(u"seq"_s).toInteger(), qint64(i + 1));
        QList<QJsonObject> byTime = arrived;
        std::stable_sort(byTime.begin(), byTime.end(), [](const QJsonObject &a, const QJsonObject &b) {
            return a.value(u"ts"_s).toInteger() < b.value(u"ts"_s).toInteger();
        });
        for (int i = 1; i < kHistorySamples; ++i)
            QCOMPARE(byTime.at(i).value(u"ts"_s).toInteger() - byTime.at(i - 1).value(u"ts"_s).toInteger(), 60000);
        const QJsonObject lastHistory = byTime.at(kHistorySamples - 1);
        const QJsonObject firstLive = byTime.at(kHistorySamples);
        const qint64 step = firstLive.value(u"ts"_s).toInteger() - lastHistory.value(u"ts"_s).toInteger();
        QVERIFY2(step > 0 && step <= 60000 + 5000, qPrintable(QString::number(step)));
        const QJsonObject before = lastHistory.value(u"metrics"_s).toObject();
        const QJsonObject after = firstLive.value(u"metrics"_s).toObject();
        QCOMPARE(before.keys(), after.keys());
        for (const QString &metric : before.keys()) {
            const double a = before.value(metric).toDouble();
            const double b = after.value(metric).toDouble();
            if (metric == u"battery"_s && b > a)
                continue;  // a battery swap (back to 100 %) is allowed to jump
            QVERIFY2(std::abs(a - b) <= maxStep.value(metric, 1.0),
                     qPrintable(u"%1 %2: last history %3, first live %4"_s.arg(QString::fromUtf8(it.key()), metric)
                                    .arg(a)
                                    .arg(b)));
        }
    }
}

void TestSimulator::rejectsBadArguments()
{
    QProcess sim;
    sim.start(m_sim, {u"--broker"_s, u"mqtt://h:99999"_s});
    QVERIFY(sim.waitForFinished(5000));
    QCOMPARE(sim.exitCode(), 2);
    QVERIFY(sim.readAllStandardError().contains("65535"));

    sim.start(m_sim, {u"--broker"_s, m_broker->url(), u"--mute-commands"_s, u"1.5"_s});
    QVERIFY(sim.waitForFinished(5000));
    QCOMPARE(sim.exitCode(), 2);
    QVERIFY(sim.readAllStandardError().contains("--mute-commands must be a fraction between 0 and 1"));

    sim.start(m_sim, {u"--help"_s});
    QVERIFY(sim.waitForFinished(5000));
    QCOMPARE(sim.exitCode(), 0);
    const QByteArray help = sim.readAllStandardOutput();
    QVERIFY(help.contains("--offline-on-exit"));
    QVERIFY(help.contains("--mute-commands"));
}

// A broker with an account: the devices log in with --username and FLEETDECK_PASSWORD (never
// on the command line); over mqtt:// only with --allow-plaintext-password.
void TestSimulator::logsInWithUserAndPasswordFromTheEnvironment()
{
    test::BrokerFixture broker;
    MosquittoLauncher::Options options;
    options.credentials = BrokerCredentials::generate(u"sim-"_s);
    QString error;
    QVERIFY2(broker.start(&error, options), qPrintable(error));
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"FLEETDECK_PASSWORD"_s, options.credentials.password);
    const QStringList args{u"--broker"_s, broker.url(), u"--username"_s, options.credentials.username,
                           u"--devices"_s, u"3"_s, u"--rate"_s, u"5"_s, u"--duration"_s, u"2"_s};

    QProcess refused;
    refused.setProcessEnvironment(environment);
    refused.start(m_sim, args);
    QVERIFY(refused.waitForFinished(10000));
    QCOMPARE(refused.exitCode(), 2);
    QVERIFY2(refused.readAllStandardError().contains("--allow-plaintext-password"), "no reason given");

    auto client = std::make_unique<MqttClient>();
    Observer seen(*client);
    client->subscribe(u"fleetdeck/v1/#"_s, 1);
    ConnectionProfile profile = broker.profile(5);
    profile.allowPlaintextPassword = true;
    client->connectToBroker(profile, broker.secrets());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), ConnectionState::Connected, 10000);

    QProcess sim;
    sim.setProcessEnvironment(environment);
    sim.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    sim.start(m_sim, args + QStringList{u"--allow-plaintext-password"_s});
    QVERIFY(sim.waitForFinished(30000));
    QCOMPARE(sim.exitCode(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(seen.status.size(), 3, 5000);
    QVERIFY(!seen.telemetry.isEmpty());
}

QTEST_GUILESS_MAIN(TestSimulator)
#include "test_simulator.moc"
