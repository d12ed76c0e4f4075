// fleetdeck-sim's OTA agent against a real mosquitto, with this test as a minimal console:
// it signs manifests with a fresh release key, publishes retained job documents, serves
// chunk requests from memory and watches the devices' OTA and v1 statuses, then reads
// --ota-report. Bandwidth is high and the install/reboot delays short, so each case runs a
// few seconds.
#include "core/ota/release_key.h"
#include "core/transport/mqtt_client.h"
#include "tests/support/broker_fixture.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;
using namespace Qt::StringLiterals;

namespace {

const QString kPrefix = u"fleetdeck/v1"_s;

struct Firmware
{
    QString version;
    QByteArray bytes;
    QStringList models;
};

// The console: job documents out, chunks served, statuses collected.
class Console
{
public:
    explicit Console(MqttClient &client) : m_client(client)
    {
        QObject::connect(&client, &MqttClient::messagesReceived, &client, [this](const MqttMessageBatch &batch) {
            for (const MqttMessage &m : batch)
                onMessage(m);
        });
    }

    QByteArray jobDocument(const QString &jobId, const Firmware &fw, const ReleaseKey &signer, bool rollback = false,
                           const QByteArray &sha256Override = {}) const
    {
        const QByteArray sha = QCryptographicHash::hash(fw.bytes, QCryptographicHash::Sha256).toHex();
        QJsonObject manifest{{u"models"_s, QJsonArray::fromStringList(fw.models)},
                             {u"notes"_s, u"test build"_s},
                             {u"sha256"_s, QString::fromLatin1(sha)},
                             {u"size"_s, double(fw.bytes.size())},
                             {u"version"_s, fw.version}};
        const QByteArray manifestBytes = QJsonDocument(manifest).toJson(QJsonDocument::Compact);  // sorted keys
        QString error;
        const QByteArray signature = signer.sign(manifestBytes, &error);
        Q_ASSERT(!signature.isEmpty());
        QJsonObject job{{u"job_id"_s, jobId},
                        {u"rollout"_s, 1},
                        {u"version"_s, fw.version},
                        {u"size"_s, double(fw.bytes.size())},
                        {u"sha256"_s, QString::fromLatin1(sha256Override.isEmpty() ? sha : sha256Override)},
                        {u"manifest"_s, QString::fromLatin1(manifestBytes.toBase64())},
                        {u"signature"_s, QString::fromLatin1(signature.toBase64())},
                        {u"key_id"_s, signer.keyId()},
                        {u"chunk_size"_s, 16384},
                        {u"rollback"_s, rollback},
                        {u"timeout_s"_s, 600},
                        {u"ts"_s, double(QDateTime::currentMSecsSinceEpoch())}};
        return QJsonDocument(job).toJson(QJsonDocument::Compact);
    }

    void sendJob(const QString &device, const QString &jobId, const QByteArray &doc, const QByteArray &served)
    {
        m_served.insert(jobId, served);
        m_client.publish(kPrefix + u'/' + device + u"/ota/job"_s, doc, 1, true);
    }

    QStringList states(const QString &device) const
    {
        QStringList out;
        for (const QJsonObject &s : m_statuses.value(device)) {
            const QString st = s.value(u"state"_s).toString();
            if (out.isEmpty() || out.last() != st)
                out << st;
        }
        return out;
    }
    QJsonObject lastStatus(const QString &device) const { return m_statuses.value(device).value(m_statuses.value(device).size() - 1); }
    QString lastState(const QString &device) const { return lastStatus(device).value(u"state"_s).toString(); }

    QHash<QString, QList<QJsonObject>> m_statuses;   // device -> OTA statuses, in order
    QHash<QString, QList<QJsonObject>> m_v1Status;   // device -> v1 statuses, in order
    QHash<QString, QList<qint64>> m_requests;        // device -> requested offsets, in order
    QHash<QString, QByteArray> m_served;             // job id -> the bytes served
    bool m_answer = true;

private:
    void onMessage(const MqttMessage &m)
    {
        const QStringList parts = QString::fromUtf8(m.topic).split(u'/');
        if (parts.size() < 4)
            return;
        const QString device = parts.at(2);
        const QString rest = parts.mid(3).join(u'/');
        QJsonObject o = QJsonDocument::fromJson(m.payload).object();
        if (rest == u"status") {
            o.insert(u"_rx"_s, double(QDateTime::currentMSecsSinceEpoch()));  // when it came
            m_v1Status[device].append(o);
        }
        else if (rest == u"ota/status")
            m_statuses[device].append(o);
        else if (rest == u"ota/chunk/request")
            serve(device, o);
    }

    void serve(const QString &device, const QJsonObject &request)
    {
        const QString jobId = request.value(u"job_id"_s).toString();
        const qint64 offset = request.value(u"offset"_s).toInteger();
        const qint64 length = request.value(u"length"_s).toInteger();
        m_requests[device].append(offset);
        if (!m_answer)
            return;
        QJsonObject answer{{u"job_id"_s, jobId}, {u"offset"_s, double(offset)}};
        const auto it = m_served.constFind(jobId);
        if (it == m_served.cend() || offset < 0 || offset >= it->size() || length <= 0 || length > 65536) {
            answer.insert(u"error"_s, u"unknown job"_s);
        } else {
            answer.insert(u"total"_s, double(it->size()));
            answer.insert(u"data"_s, QString::fromLatin1(it->mid(offset, length).toBase64()));
        }
        m_client.publish(kPrefix + u'/' + device + u"/ota/chunk"_s, QJsonDocument(answer).toJson(QJsonDocument::Compact), 1,
                         false);
    }

    MqttClient &m_client;
};

QByteArray randomBytes(qsizetype n, quint32 seed)
{
    QRandomGenerator rng(seed);
    QByteArray out(n, Qt::Uninitialized);
    for (qsizetype i = 0; i < n; ++i)
        out[i] = char(rng.bounded(256));
    return out;
}

} // namespace

class TestSimulatorOta : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void updatesDevicesAndCountsEachJobOnce();
    void rejectsBadSignatureOlderVersionAndOtherModels();
    void tamperedFirmwareFailsTheHashCheck();
    void resumesTheDownloadAfterABrokerRestart();
    void simulatesFailures_data();
    void simulatesFailures();
    void withoutATrustedKeyEveryJobIsRejected();
    void shardsMergeTheirReports();
    void otaStateKeepsFirmwareAndFinishedJobsAcrossRuns();
    void shardsKeepTheirOtaStateInParts();
    void rejectsBadOtaOptions_data();
    void rejectsBadOtaOptions();

private:
    bool startSim(QProcess &process, int devices, const QStringList &extra);
    std::unique_ptr<MqttClient> connectConsole(std::unique_ptr<Console> *console);
    bool waitOnline(const Console &console, int devices);
    QJsonObject stopAndReadReport(QProcess &sim);
    static QJsonObject readJson(const QString &path);
    static QString id(int n) { return u"dev-%1"_s.arg(n, 5, 10, QChar(u'0')); }

    QString m_sim;
    std::unique_ptr<test::BrokerFixture> m_broker;
    QTemporaryDir m_dir;
    std::optional<ReleaseKey> m_key;
    std::optional<ReleaseKey> m_otherKey;
    QString m_trustPem;
    QString m_report;
};

void TestSimulatorOta::initTestCase()
{
    if (!test::BrokerFixture::mosquittoAvailable())
        QSKIP("mosquitto is not installed");
    m_sim = QStringLiteral(FLEETDECK_BIN_DIR) + u"/fleetdeck-sim"_s;
    QVERIFY2(QFileInfo(m_sim).isExecutable(), "build fleetdeck-sim first");
    m_key = ReleaseKey::generate(ReleaseKey::Algorithm::Ed25519);
    m_otherKey = ReleaseKey::generate(ReleaseKey::Algorithm::EcdsaP256);
    m_trustPem = m_dir.filePath(u"release.pub.pem"_s);
    QFile pem(m_trustPem);
    QVERIFY(pem.open(QIODevice::WriteOnly));
    pem.write(m_key->publicPem());
    pem.close();
    const QList<std::pair<QString, QByteArray>> states{
        {u"damaged-state.json"_s, R"({"format":"fleetdeck-sim-ota-state","version":1,"devices":{"dev-0)"},
        {u"foreign-state.json"_s, R"({"dev-00001":{"fw_version":"1.0.0","jobs":{},"installs":0}})"},
        {u"bad-device-state.json"_s,
         R"({"format":"fleetdeck-sim-ota-state","version":1,"devices":{"dev-00001":{"fw_version":7,"installs":0,"received":{},"finished":{}}}})"},
    };
    for (const auto &[name, content] : states) {
        QFile file(m_dir.filePath(name));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
    }
}

void TestSimulatorOta::init()
{
    m_broker = std::make_unique<test::BrokerFixture>();
    QString error;
    QVERIFY2(m_broker->start(&error), qPrintable(error));
    m_report = m_dir.filePath(u"report-%1.json"_s.arg(QString::fromLatin1(QTest::currentTestFunction())));
    QFile::remove(m_report);
}

void TestSimulatorOta::cleanup()
{
    m_broker.reset();
}

bool TestSimulatorOta::startSim(QProcess &process, int devices, const QStringList &extra)
{
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(m_sim, QStringList{u"--broker"_s, m_broker->url(), u"--devices"_s, QString::number(devices),
                                     u"--rate"_s, u"1"_s, u"--seed"_s, u"5"_s, u"--ota-bandwidth"_s, u"20000000"_s,
                                     u"--ota-install-ms"_s, u"100"_s, u"--ota-reboot-ms"_s, u"200"_s,
                                     u"--ota-report"_s, m_report}
                                 + extra);
    return process.waitForStarted(5000);
}

std::unique_ptr<MqttClient> TestSimulatorOta::connectConsole(std::unique_ptr<Console> *console)
{
    auto client = std::make_unique<MqttClient>();
    *console = std::make_unique<Console>(*client);
    client->subscribe(kPrefix + u"/+/status"_s, 1);
    client->subscribe(kPrefix + u"/+/ota/status"_s, 1);
    client->subscribe(kPrefix + u"/+/ota/chunk/request"_s, 1);
    client->connectToBroker(m_broker->profile(5));
    return client;
}

bool TestSimulatorOta::waitOnline(const Console &console, int devices)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 15000) {
        int online = 0;
        for (int i = 1; i <= devices; ++i) {
            const QList<QJsonObject> &st = console.m_v1Status.value(id(i));
            online += !st.isEmpty() && st.last().value(u"online"_s).toBool() ? 1 : 0;
        }
        if (online == devices)
            return true;
        QTest::qWait(50);
    }
    return false;
}

QJsonObject TestSimulatorOta::stopAndReadReport(QProcess &sim)
{
    sim.terminate();  // SIGTERM: the report is written on the way out
    if (!sim.waitForFinished(20000) || sim.exitCode() != 0)
        return {};
    QFile file(m_report);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

void TestSimulatorOta::updatesDevicesAndCountsEachJobOnce()
{
    std::unique_ptr<Console> console;
    auto client = connectConsole(&console);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), ConnectionState::Connected, 10000);
    QProcess sim;
    QVERIFY(startSim(sim, 3, {u"--ota-trust"_s, m_trustPem}));
    QVERIFY(waitOnline(*console, 3));

    Firmware fw{u"9.1.0"_s, randomBytes(200 * 1024, 1), {}};
    QHash<QString, QString> oldVersion;
    for (int i = 1; i <= 3; ++i) {
        const QJsonObject st = console->m_v1Status.value(id(i)).last();
        oldVersion.insert(id(i), st.value(u"fw_version"_s).toString());
        fw.models << st.value(u"model"_s).toString();
    }
    fw.models.removeDuplicates();  // a valid manifest lists each model once
    for (int i = 1; i <= 3; ++i) {
        const QString job = u"a1b2c3d4-%1"_s.arg(i);
        console->sendJob(id(i), job, console->jobDocument(job, fw, *m_key), fw.bytes);
    }
    for (int i = 1; i <= 3; ++i)
        QTRY_COMPARE_WITH_TIMEOUT(console->lastState(id(i)), u"UPDATED"_s, 20000);

    for (int i = 1; i <= 3; ++i) {
        const QString d = id(i);
        QCOMPARE(console->states(d), (QStringList{u"QUEUED"_s, u"DOWNLOADING"_s, u"DOWNLOADED"_s, u"VERIFIED"_s,
                                                  u"UPDATING"_s, u"UPDATED"_s}));
        const QList<QJsonObject> &statuses = console->m_statuses.value(d);
        int lastProgress = -1;
        for (const QJsonObject &s : statuses) {
            QCOMPARE(s.value(u"job_id"_s).toString(), u"a1b2c3d4-%1"_s.arg(i));
            QVERIFY(s.value(u"ts"_s).toInteger() > 0);
            const int progress = s.value(u"progress"_s).toInt();
            QVERIFY2(progress >= lastProgress, qPrintable(d));
            lastProgress = progress;
        }
        // Before the reboot the old firmware runs, after it the new one.
        QCOMPARE(statuses.first().value(u"fw_version"_s).toString(), oldVersion.value(d));
        QCOMPARE(statuses.last().value(u"fw_version"_s).toString(), u"9.1.0"_s);
        QCOMPARE(statuses.last().value(u"progress"_s).toInt(), 100);
        // The reboot: the Last Will (offline), then the v1 status with the new version.
        const QList<QJsonObject> &v1 = console->m_v1Status.value(d);
        QVERIFY2(v1.size() >= 3, qPrintable(d));
        QCOMPARE(v1.at(v1.size() - 2).value(u"online"_s).toBool(), false);
        QCOMPARE(v1.last().value(u"online"_s).toBool(), true);
        QCOMPARE(v1.last().value(u"fw_version"_s).toString(), u"9.1.0"_s);
        // Every chunk asked for once: 200 KiB in 16 KiB chunks.
        QCOMPARE(console->m_requests.value(d).size(), 13);
    }

    // The same job again, live: the device counts it but does not run it a second time.
    const int before = int(console->m_statuses.value(id(1)).size());
    console->sendJob(id(1), u"a1b2c3d4-1"_s, console->jobDocument(u"a1b2c3d4-1"_s, fw, *m_key), fw.bytes);
    QTest::qWait(500);
    QCOMPARE(console->m_statuses.value(id(1)).size(), before);

    const QJsonObject report = stopAndReadReport(sim);
    QCOMPARE(report.size(), 3);
    for (int i = 1; i <= 3; ++i) {
        const QJsonObject r = report.value(id(i)).toObject();
        QCOMPARE(r.value(u"fw_version"_s).toString(), u"9.1.0"_s);
        QCOMPARE(r.value(u"installs"_s).toInt(), 1);
        // Delivered once live (plus, for dev-00001, the republish), and again retained after
        // the reboot's reconnect, which does not count.
        QCOMPARE(r.value(u"jobs"_s).toObject(),
                 (QJsonObject{{u"a1b2c3d4-%1"_s.arg(i), i == 1 ? 2 : 1}}));
    }
}

void TestSimulatorOta::rejectsBadSignatureOlderVersionAndOtherModels()
{
    std::unique_ptr<Console> console;
    auto client = connectConsole(&console);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), ConnectionState::Connected, 10000);
    QProcess sim;
    QVERIFY(startSim(sim, 4, {u"--ota-trust"_s, m_trustPem}));
    QVERIFY(waitOnline(*console, 4));
    auto model = [&](int i) { return console->m_v1Status.value(id(i)).last().value(u"model"_s).toString(); };
    auto version = [&](int i) { return console->m_v1Status.value(id(i)).last().value(u"fw_version"_s).toString(); };
    const QByteArray bytes = randomBytes(40 * 1024, 2);

    // dev-00001: signed by a key the device does not trust.
    const Firmware newer{u"9.0.0"_s, bytes, {model(1)}};
    console->sendJob(id(1), u"bad-sig-1"_s, console->jobDocument(u"bad-sig-1"_s, newer, *m_otherKey), bytes);
    // dev-00002: older than what it runs (0.0.1), no rollback flag.
    const Firmware older{u"0.0.1"_s, bytes, {model(2)}};
    console->sendJob(id(2), u"older-1"_s, console->jobDocument(u"older-1"_s, older, *m_key), bytes);
    // dev-00003: for another model only.
    const Firmware otherModel{u"9.0.0"_s, bytes, {u"XX-999"_s}};
    console->sendJob(id(3), u"model-1"_s, console->jobDocument(u"model-1"_s, otherModel, *m_key), bytes);
    // dev-00004: the version it already runs.
    const Firmware same{version(4), bytes, {model(4)}};
    console->sendJob(id(4), u"same-1"_s, console->jobDocument(u"same-1"_s, same, *m_key), bytes);

    QTRY_COMPARE_WITH_TIMEOUT(console->lastState(id(1)), u"REJECTED"_s, 10000);
    QVERIFY2(console->lastStatus(id(1)).value(u"reason"_s).toString().startsWith(u"signature check failed"_s),
             qPrintable(console->lastStatus(id(1)).value(u"reason"_s).toString()));
    QTRY_COMPARE_WITH_TIMEOUT(console->lastState(id(2)), u"REJECTED"_s, 10000);
    QCOMPARE(console->lastStatus(id(2)).value(u"reason"_s).toString(),
             u"version 0.0.1 is older than the installed %1"_s.arg(version(2)));
    QTRY_COMPARE_WITH_TIMEOUT(console->lastState(id(3)), u"REJECTED"_s, 10000);
    QCOMPARE(console->lastStatus(id(3)).value(u"reason"_s).toString(),
             u"model %1 is not in the artifact's compatible models"_s.arg(model(3)));
    QTRY_COMPARE_WITH_TIMEOUT(console->lastState(id(4)), u"UPDATED"_s, 10000);
    QCOMPARE(console->lastStatus(id(4)).value(u"reason"_s).toString(), u"already on %1"_s.arg(version(4)));
    for (int i = 1; i <= 4; ++i) {
        QCOMPARE(console->states(id(i)).first(), u"QUEUED"_s);
        QVERIFY(console->m_requests.value(id(i)).isEmpty());  // nothing downloaded
    }

    // An explicit rollback to the older version is taken.
    console->sendJob(id(2), u"older-2"_s, console->jobDocument(u"older-2"_s, older, *m_key, true), bytes);
    QTRY_COMPARE_WITH_TIMEOUT(console->lastState(id(2)), u"UPDATED"_s, 15000);
    QCOMPARE(console->lastStatus(id(2)).value(u"fw_version"_s).toString(), u"0.0.1"_s);

    const QJsonObject report = stopAndReadReport(sim);
    QCOMPARE(report.value(id(1)).toObject().value(u"installs"_s).toInt(), 0);
    QCOMPARE(report.value(id(4)).toObject().value(u"installs"_s).toInt(), 0);  // "already on" is no install
    QCOMPARE(report.value(id(4)).toObject().value(u"fw_version"_s).toString(), version(4));
    QCOMPARE(report.value(id(2)).toObject().value(u"installs"_s).toInt(), 1);
    QCOMPARE(report.value(id(2)).toObject().value(u"fw_version"_s).toString(), u"0.0.1"_s);
    QCOMPARE(report.value(id(2)).toObject().value(u"jobs"_s).toObject(),
             (QJsonObject{{u"older-1"_s, 1}, {u"older-2"_s, 1}}));
}

void TestSimulatorOta::tamperedFirmwareFailsTheHashCheck()
{
    std::unique_ptr<Console> console;
    auto client = connectConsole(&console);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), ConnectionState::Connected, 10000);
    QProcess sim;
    QVERIFY(startSim(sim, 1, {u"--ota-trust"_s, m_trustPem}));
    QVERIFY(waitOnline(*console, 1));
    const QString model = console->m_v1Status.value(id(1)).last().value(u"model"_s).toString();
    const QString running = console->m_v1Status.value(id(1)).last().value(u"fw_version"_s).toString();
    const Firmware fw{u"9.0.0"_s, randomBytes(100 * 1024, 3), {model}};
    QByteArray tampered = fw.bytes;
    tampered[50000] = char(tampered.at(50000) ^ 0x01);
    console->sendJob(id(1), u"tamper-1"_s, console->jobDocument(u"tamper-1"_s, fw, *m_key), tampered);
    QTRY_COMPARE_WITH_TIMEOUT(console->lastState(id(1)), u"FAILED"_s, 10000);
    QCOMPARE(console->lastStatus(id(1)).value(u"reason"_s).toString(), u"SHA-256 mismatch"_s);
    QCOMPARE(console->states(id(1)), (QStringList{u"QUEUED"_s, u"DOWNLOADING"_s, u"DOWNLOADED"_s, u"FAILED"_s}));
    QCOMPARE(console->lastStatus(id(1)).value(u"fw_version"_s).toString(), running);
    const QJsonObject report = stopAndReadReport(sim);
    QCOMPARE(report.value(id(1)).toObject().value(u"installs"_s).toInt(), 0);
    QCOMPARE(report.value(id(1)).toObject().value(u"fw_version"_s).toString(), running);
}

void TestSimulatorOta::resumesTheDownloadAfterABrokerRestart()
{
    std::unique_ptr<Console> console;
    auto client = connectConsole(&console);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), ConnectionState::Connected, 10000);
    QProcess sim;
    // 320 KiB at 64 KiB/s: about 5 s of download, time to restart the broker in the middle.
    QVERIFY(startSim(sim, 1, {u"--ota-trust"_s, m_trustPem, u"--ota-bandwidth"_s, u"65536"_s}));
    QVERIFY(waitOnline(*console, 1));
    const QString model = console->m_v1Status.value(id(1)).last().value(u"model"_s).toString();
    const Firmware fw{u"9.2.0"_s, randomBytes(320 * 1024, 4), {model}};
    console->sendJob(id(1), u"resume-1"_s, console->jobDocument(u"resume-1"_s, fw, *m_key), fw.bytes);
    QTRY_VERIFY_WITH_TIMEOUT(console->m_requests.value(id(1)).size() >= 6, 10000);
    QCOMPARE(console->lastState(id(1)), u"DOWNLOADING"_s);

    QString error;
    QVERIFY2(m_broker->restart(&error), qPrintable(error));  // no persistence: the retained job is gone too
    const qsizetype requestsBefore = console->m_requests.value(id(1)).size();
    const qint64 lastBefore = console->m_requests.value(id(1)).last();
    QTRY_COMPARE_WITH_TIMEOUT(console->lastState(id(1)), u"UPDATED"_s, 30000);

    // After the reconnect it went on from where it was, not from the start.
    const QList<qint64> &requests = console->m_requests.value(id(1));
    QVERIFY(requests.size() > requestsBefore);
    QVERIFY2(requests.at(requestsBefore) > 0, "restarted from offset 0");
    QVERIFY(requests.at(requestsBefore) <= lastBefore + 16384);
    QVERIFY2(requests.size() <= 20 + 4, "more than a window of chunks asked for twice");
    QCOMPARE(console->lastStatus(id(1)).value(u"fw_version"_s).toString(), u"9.2.0"_s);
    const QJsonObject report = stopAndReadReport(sim);
    QCOMPARE(report.value(id(1)).toObject().value(u"installs"_s).toInt(), 1);
}

void TestSimulatorOta::simulatesFailures_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("reason");  // prefix
    QTest::addColumn<QStringList>("states");
    QTest::newRow("download") << u"download=1"_s << u"FAILED"_s << u"download failed: simulated I/O error at offset "_s
                              << QStringList{u"QUEUED"_s, u"DOWNLOADING"_s, u"FAILED"_s};
    QTest::newRow("signature") << u"signature=1"_s << u"REJECTED"_s << u"signature check failed (simulated)"_s
                               << QStringList{u"QUEUED"_s, u"REJECTED"_s};
    QTest::newRow("boot") << u"boot=1,download=0"_s << u"ROLLED_BACK"_s << u"boot failed"_s
                          << QStringList{u"QUEUED"_s, u"DOWNLOADING"_s, u"DOWNLOADED"_s, u"VERIFIED"_s, u"UPDATING"_s,
                                         u"ROLLED_BACK"_s};
    QTest::newRow("silent") << u"silent=1"_s << u"QUEUED"_s << QString() << QStringList{u"QUEUED"_s};
}

void TestSimulatorOta::simulatesFailures()
{
    QFETCH(QString, spec);
    QFETCH(QString, state);
    QFETCH(QString, reason);
    QFETCH(QStringList, states);
    std::unique_ptr<Console> console;
    auto client = connectConsole(&console);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), ConnectionState::Connected, 10000);
    QProcess sim;
    const bool boot = spec.startsWith(u"boot"_s);
    // The boot case also shows that the device stays down for --ota-reboot-ms (its own
    // reconnect, not Paho's automatic one a second after the drop).
    QStringList args{u"--ota-trust"_s, m_trustPem, u"--ota-failures"_s, spec};
    if (boot)
        args << u"--ota-reboot-ms"_s << u"3000"_s;
    QVERIFY(startSim(sim, 1, args));
    QVERIFY(waitOnline(*console, 1));
    const QString model = console->m_v1Status.value(id(1)).last().value(u"model"_s).toString();
    const QString running = console->m_v1Status.value(id(1)).last().value(u"fw_version"_s).toString();
    const Firmware fw{u"9.0.0"_s, randomBytes(200 * 1024, 5), {model}};
    console->sendJob(id(1), u"fail-1"_s, console->jobDocument(u"fail-1"_s, fw, *m_key), fw.bytes);
    QTRY_COMPARE_WITH_TIMEOUT(console->lastState(id(1)), state, 15000);
    if (state == u"QUEUED")
        QTest::qWait(1000);  // silent: nothing follows
    QCOMPARE(console->states(id(1)), states);
    QVERIFY2(console->lastStatus(id(1)).value(u"reason"_s).toString().startsWith(reason),
             qPrintable(console->lastStatus(id(1)).value(u"reason"_s).toString()));
    QCOMPARE(console->lastStatus(id(1)).value(u"fw_version"_s).toString(), running);
    if (boot) {  // it did reboot, and came back on the old firmware
        const QList<QJsonObject> &v1 = console->m_v1Status.value(id(1));
        QCOMPARE(v1.at(v1.size() - 2).value(u"online"_s).toBool(), false);
        QCOMPARE(v1.last().value(u"fw_version"_s).toString(), running);
        const qint64 downMs = v1.last().value(u"_rx"_s).toInteger() - v1.at(v1.size() - 2).value(u"_rx"_s).toInteger();
        QVERIFY2(downMs >= 2800, qPrintable(QString::number(downMs)));
    }
    const QJsonObject report = stopAndReadReport(sim);
    QCOMPARE(report.value(id(1)).toObject().value(u"installs"_s).toInt(), 0);
    QCOMPARE(report.value(id(1)).toObject().value(u"fw_version"_s).toString(), running);
    QCOMPARE(report.value(id(1)).toObject().value(u"jobs"_s).toObject(), (QJsonObject{{u"fail-1"_s, 1}}));
}

void TestSimulatorOta::withoutATrustedKeyEveryJobIsRejected()
{
    std::unique_ptr<Console> console;
    auto client = connectConsole(&console);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), ConnectionState::Connected, 10000);
    QProcess sim;
    QVERIFY(startSim(sim, 1, {}));
    QVERIFY(waitOnline(*console, 1));
    const QString model = console->m_v1Status.value(id(1)).last().value(u"model"_s).toString();
    const Firmware fw{u"9.0.0"_s, randomBytes(1000, 6), {model}};
    console->sendJob(id(1), u"untrusted-1"_s, console->jobDocument(u"untrusted-1"_s, fw, *m_key), fw.bytes);
    QTRY_COMPARE_WITH_TIMEOUT(console->lastState(id(1)), u"REJECTED"_s, 10000);
    QCOMPARE(console->lastStatus(id(1)).value(u"reason"_s).toString(), u"no trusted release key configured"_s);
    // Garbage with a readable job id: REJECTED with the reason; without one: ignored.
    client->publish(kPrefix + u'/' + id(1) + u"/ota/job"_s, R"({"job_id":"junk-1","size":"big"})", 1, false);
    QTRY_COMPARE_WITH_TIMEOUT(console->lastStatus(id(1)).value(u"job_id"_s).toString(), u"junk-1"_s, 10000);
    QCOMPARE(console->lastState(id(1)), u"REJECTED"_s);
    QVERIFY2(console->lastStatus(id(1)).value(u"reason"_s).toString().startsWith(u"bad job document: "_s),
             qPrintable(console->lastStatus(id(1)).value(u"reason"_s).toString()));
    client->publish(kPrefix + u'/' + id(1) + u"/ota/job"_s, "not json", 1, false);
    QTest::qWait(300);
    QCOMPARE(console->lastStatus(id(1)).value(u"job_id"_s).toString(), u"junk-1"_s);
    const QJsonObject report = stopAndReadReport(sim);
    QCOMPARE(report.value(id(1)).toObject().value(u"jobs"_s).toObject(),
             (QJsonObject{{u"untrusted-1"_s, 1}, {u"junk-1"_s, 1}}));
}

void TestSimulatorOta::shardsMergeTheirReports()
{
    std::unique_ptr<Console> console;
    auto client = connectConsole(&console);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), ConnectionState::Connected, 10000);
    QProcess sim;
    QVERIFY(startSim(sim, 4, {u"--ota-trust"_s, m_trustPem, u"--devices-per-process"_s, u"2"_s}));
    QVERIFY(waitOnline(*console, 4));
    // One job into the second shard.
    const QString model = console->m_v1Status.value(id(4)).last().value(u"model"_s).toString();
    const Firmware fw{u"9.3.0"_s, randomBytes(20 * 1024, 7), {model}};
    console->sendJob(id(4), u"shard-1"_s, console->jobDocument(u"shard-1"_s, fw, *m_key), fw.bytes);
    QTRY_COMPARE_WITH_TIMEOUT(console->lastState(id(4)), u"UPDATED"_s, 15000);
    const QJsonObject report = stopAndReadReport(sim);
    QCOMPARE(report.size(), 4);
    for (int i = 1; i <= 3; ++i) {
        const QJsonObject r = report.value(id(i)).toObject();
        QCOMPARE(r.value(u"jobs"_s).toObject(), QJsonObject());
        QCOMPARE(r.value(u"installs"_s).toInt(), 0);
        QCOMPARE(r.value(u"fw_version"_s).toString(),
                 console->m_v1Status.value(id(i)).last().value(u"fw_version"_s).toString());
    }
    QCOMPARE(report.value(id(4)).toObject(),
             (QJsonObject{{u"fw_version"_s, u"9.3.0"_s}, {u"jobs"_s, QJsonObject{{u"shard-1"_s, 1}}}, {u"installs"_s, 1}}));
}

QJsonObject TestSimulatorOta::readJson(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

// --ota-state: a device that installed a firmware comes back on it after the simulator was
// killed, and the job document still retained on the broker is not installed again.
void TestSimulatorOta::otaStateKeepsFirmwareAndFinishedJobsAcrossRuns()
{
    const QString state = m_dir.filePath(u"ota-state-single.json"_s);
    QFile::remove(state);
    std::unique_ptr<Console> console;
    auto client = connectConsole(&console);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), ConnectionState::Connected, 10000);
    QProcess sim;
    QVERIFY(startSim(sim, 2, {u"--ota-trust"_s, m_trustPem, u"--ota-state"_s, state}));
    QVERIFY(waitOnline(*console, 2));
    const QString oldVersion = console->m_v1Status.value(id(1)).last().value(u"fw_version"_s).toString();
    const QString model = console->m_v1Status.value(id(1)).last().value(u"model"_s).toString();
    const Firmware fw{u"9.5.0"_s, randomBytes(40 * 1024, 11), {model}};
    console->sendJob(id(1), u"keep-1"_s, console->jobDocument(u"keep-1"_s, fw, *m_key), fw.bytes);
    QTRY_COMPARE_WITH_TIMEOUT(console->lastState(id(1)), u"UPDATED"_s, 15000);
    // Written after the install (within a second), before any exit.
    QTRY_COMPARE_WITH_TIMEOUT(readJson(state)[u"devices"_s][id(1)][u"finished"_s][u"keep-1"_s].toString(),
                              u"UPDATED"_s, 5000);
    const QJsonObject saved = readJson(state);
    QCOMPARE(saved.value(u"format"_s).toString(), u"fleetdeck-sim-ota-state"_s);
    QCOMPARE(saved[u"devices"_s][id(1)][u"fw_version"_s].toString(), u"9.5.0"_s);
    QCOMPARE(saved[u"devices"_s][id(1)][u"installs"_s].toInt(), 1);
    QCOMPARE(saved[u"devices"_s][id(2)][u"fw_version"_s].toString(),
             console->m_v1Status.value(id(2)).last().value(u"fw_version"_s).toString());
    sim.kill();  // no goodbye: what is on disk is what was written on the way
    QVERIFY(sim.waitForFinished(10000));

    // Again, on the same broker (the job document is still retained there) and state.
    console->m_v1Status.clear();
    const qsizetype statusesBefore = console->m_statuses.value(id(1)).size();
    QProcess again;
    QVERIFY(startSim(again, 2, {u"--ota-trust"_s, m_trustPem, u"--ota-state"_s, state}));
    QVERIFY(waitOnline(*console, 2));
    QCOMPARE(console->m_v1Status.value(id(1)).last().value(u"fw_version"_s).toString(), u"9.5.0"_s);
    QVERIFY(oldVersion != u"9.5.0"_s);
    // A new job goes through; nothing about keep-1 came before its statuses.
    const Firmware next{u"9.6.0"_s, randomBytes(20 * 1024, 12), {model}};
    console->sendJob(id(1), u"keep-2"_s, console->jobDocument(u"keep-2"_s, next, *m_key), next.bytes);
    QTRY_COMPARE_WITH_TIMEOUT(console->lastStatus(id(1)).value(u"job_id"_s).toString() + u' ' + console->lastState(id(1)),
                              u"keep-2 UPDATED"_s, 15000);
    const QList<QJsonObject> after = console->m_statuses.value(id(1)).mid(statusesBefore);
    QVERIFY(!after.isEmpty());
    for (const QJsonObject &st : after)
        QCOMPARE(st.value(u"job_id"_s).toString(), u"keep-2"_s);
    QCOMPARE(after.first().value(u"fw_version"_s).toString(), u"9.5.0"_s);  // it runs 9.5.0 when it starts

    const QJsonObject report = stopAndReadReport(again);
    // keep-1 was received once (the first run, kept in the state); its retained copy after the
    // restart is no new delivery.
    QCOMPARE(report.value(id(1)).toObject(),
             (QJsonObject{{u"fw_version"_s, u"9.6.0"_s},
                          {u"jobs"_s, QJsonObject{{u"keep-1"_s, 1}, {u"keep-2"_s, 1}}},
                          {u"installs"_s, 2}}));
    QCOMPARE(readJson(state)[u"devices"_s][id(1)][u"fw_version"_s].toString(), u"9.6.0"_s);
}

// Sharded: each shard writes its own part; the parent merges them into the file at exit (and,
// had it been killed, the next run would at its start).
void TestSimulatorOta::shardsKeepTheirOtaStateInParts()
{
    const QString state = m_dir.filePath(u"ota-state-shards.json"_s);
    QFile::remove(state);
    std::unique_ptr<Console> console;
    auto client = connectConsole(&console);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), ConnectionState::Connected, 10000);
    QProcess sim;
    QVERIFY(startSim(sim, 4, {u"--ota-trust"_s, m_trustPem, u"--devices-per-process"_s, u"2"_s, u"--ota-state"_s, state}));
    QVERIFY(waitOnline(*console, 4));
    const QString model = console->m_v1Status.value(id(4)).last().value(u"model"_s).toString();
    const Firmware fw{u"9.7.0"_s, randomBytes(20 * 1024, 13), {model}};
    console->sendJob(id(4), u"part-1"_s, console->jobDocument(u"part-1"_s, fw, *m_key), fw.bytes);
    QTRY_COMPARE_WITH_TIMEOUT(console->lastState(id(4)), u"UPDATED"_s, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(readJson(state + u".shard-2"_s)[u"devices"_s][id(4)][u"fw_version"_s].toString(),
                              u"9.7.0"_s, 5000);
    QVERIFY(!stopAndReadReport(sim).isEmpty());
    QVERIFY(!QFileInfo::exists(state + u".shard-1"_s));
    QVERIFY(!QFileInfo::exists(state + u".shard-2"_s));
    const QJsonObject devices = readJson(state).value(u"devices"_s).toObject();
    QCOMPARE(devices.size(), 4);
    QCOMPARE(devices[id(4)][u"finished"_s].toObject(), (QJsonObject{{u"part-1"_s, u"UPDATED"_s}}));

    // Unsharded on the same state: device 4 comes back on 9.7.0.
    console->m_v1Status.clear();
    QProcess again;
    QVERIFY(startSim(again, 4, {u"--ota-trust"_s, m_trustPem, u"--ota-state"_s, state}));
    QVERIFY(waitOnline(*console, 4));
    QCOMPARE(console->m_v1Status.value(id(4)).last().value(u"fw_version"_s).toString(), u"9.7.0"_s);
    QCOMPARE(stopAndReadReport(again)[id(4)][u"jobs"_s].toObject(), (QJsonObject{{u"part-1"_s, 1}}));
}

void TestSimulatorOta::rejectsBadOtaOptions_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown kind") << QStringList{u"--ota-failures"_s, u"download=0.1,reboot=0.2"_s}
                                  << u"unknown failure kind 'reboot'"_s;
    QTest::newRow("rate above 1") << QStringList{u"--ota-failures"_s, u"boot=1.5"_s}
                                  << u"boot must be a fraction between 0 and 1 (got '1.5')"_s;
    QTest::newRow("not a number") << QStringList{u"--ota-failures"_s, u"silent=often"_s}
                                  << u"silent must be a fraction between 0 and 1 (got 'often')"_s;
    QTest::newRow("twice") << QStringList{u"--ota-failures"_s, u"boot=0.1,boot=0.2"_s} << u"'boot' is given twice"_s;
    QTest::newRow("no rate") << QStringList{u"--ota-failures"_s, u"download"_s} << u"expected KIND=RATE"_s;
    QTest::newRow("missing key file") << QStringList{u"--ota-trust"_s, u"/nonexistent/pub.pem"_s}
                                      << u"--ota-trust /nonexistent/pub.pem: cannot read the file"_s;
    QTest::newRow("bandwidth") << QStringList{u"--ota-bandwidth"_s, u"0"_s} << u"--ota-bandwidth must be between"_s;
    QTest::newRow("install delay") << QStringList{u"--ota-install-ms"_s, u"-1"_s}
                                   << u"--ota-install-ms must be a number of milliseconds"_s;
    // --ota-state files written by initTestCase.
    const QString dir = QFileInfo(m_trustPem).absolutePath();
    QTest::newRow("damaged state") << QStringList{u"--ota-state"_s, dir + u"/damaged-state.json"_s}
                                   << u"damaged-state.json: damaged: not JSON"_s;
    QTest::newRow("foreign state") << QStringList{u"--ota-state"_s, dir + u"/foreign-state.json"_s}
                                   << u"not a fleetdeck-sim OTA state file"_s;
    QTest::newRow("bad device in state") << QStringList{u"--ota-state"_s, dir + u"/bad-device-state.json"_s}
                                         << u"damaged: device dev-00001: fw_version must be a string"_s;
    QTest::newRow("state folder missing") << QStringList{u"--ota-state"_s, u"/nonexistent/dir/state.json"_s}
                                          << u"--ota-state /nonexistent/dir/state.json: the folder does not exist"_s;
}

void TestSimulatorOta::rejectsBadOtaOptions()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    QProcess sim;
    sim.start(m_sim, QStringList{u"--broker"_s, m_broker->url(), u"--devices"_s, u"1"_s} + args);
    QVERIFY(sim.waitForFinished(10000));
    QCOMPARE(sim.exitCode(), 2);
    const QString err = QString::fromUtf8(sim.readAllStandardError());
    QVERIFY2(err.contains(message), qPrintable(err));
}

QTEST_GUILESS_MAIN(TestSimulatorOta)
#include "test_simulator_ota.moc"
