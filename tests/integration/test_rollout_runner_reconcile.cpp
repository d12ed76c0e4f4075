// RolloutRunner's reconciliation after a restart, against a real mosquitto and a real
// operations store (docs/ota.md "Running a rollout"): the engine's first decision (three
// devices `dispatching`) is committed as a killed runner would have left it, then
//   - dev-000: its job document was published before the kill (retained on the broker): the
//     new runner must NOT publish it again (kill between publish and commit);
//   - dev-001, dev-002: never published (kill between commit and publish): published once.
// An observer subscribed to {prefix}/+/ota/job counts live deliveries (retain flag 0), as the
// simulator's --ota-report does. A second restart publishes nothing. A retained status is
// fed to the engine, a job document left retained for a finished device is cleared, and
// garbage statuses are dropped and counted.
#include "core/operations/operations_store.h"
#include "core/operations/operations_transaction.h"
#include "core/ota/artifact_store.h"
#include "core/ota/artifact_table.h"
#include "core/ota/firmware_manifest.h"
#include "core/ota/ota_job_document.h"
#include "core/ota/ota_topics.h"
#include "core/ota/rollout_engine.h"
#include "core/ota/rollout_runner.h"
#include "core/ota/rollout_table.h"
#include "core/transport/mqtt_client.h"
#include "tests/support/broker_fixture.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;
using namespace Qt::StringLiterals;

namespace {

bool runJob(OperationsStore &store, std::function<bool(OperationsTransaction &, QString *)> fn, QString *error)
{
    QSignalSpy committed(&store, &OperationsStore::committed);
    QSignalSpy failed(&store, &OperationsStore::failed);
    const quint64 id = store.submit({u"test"_s, std::move(fn)}, error);
    if (id == 0)
        return false;
    for (int i = 0; i < 100; ++i) {
        for (const auto &c : committed)
            if (c.at(0).toULongLong() == id)
                return true;
        for (const auto &f : failed)
            if (f.at(0).toULongLong() == id) {
                *error = f.at(1).toString();
                return false;
            }
        committed.wait(100);
    }
    *error = u"timed out"_s;
    return false;
}

// Live (not retained) job document deliveries per device, and what is retained now.
struct Observer
{
    explicit Observer(const OtaTopics &topics) : topics(topics)
    {
        QObject::connect(&client, &MqttClient::messagesReceived, &client, [this](const MqttMessageBatch &batch) {
            for (const MqttMessage &m : batch) {
                const OtaTopics::Parsed p = this->topics.parse(m.topic);
                if (p.kind != OtaTopics::Kind::Job)
                    continue;
                const QString device = QString::fromLatin1(p.deviceId);
                if (m.payload.isEmpty()) {
                    ++clears[device];
                    continue;
                }
                const auto doc = OtaJobDocument::parse(m.payload, nullptr);
                if (doc && !m.retained)
                    ++live[device][doc->jobId];
            }
        });
    }
    OtaTopics topics;
    MqttClient client;
    QHash<QString, QHash<QString, int>> live;
    QHash<QString, int> clears;
};

} // namespace

class TestRolloutRunnerReconcile : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void publishesOnlyWhatTheBrokerDoesNotHave();
    void brokerOutageLosesNothing();

private:
    bool createRollout(OperationsStore &store, Rollout *rollout, QList<RolloutDevice> *devices);

    test::BrokerFixture m_broker;
    QTemporaryDir m_dir;
    QString m_cache;
    FirmwareArtifact m_artifact;
};

void TestRolloutRunnerReconcile::initTestCase()
{
    if (!test::BrokerFixture::mosquittoAvailable())
        QSKIP("mosquitto is not installed");
    QString error;
    QVERIFY2(m_broker.start(&error), qPrintable(error));
    QVERIFY(m_dir.isValid());
    m_cache = m_dir.filePath(u"fleet.sqlite"_s);
}

bool TestRolloutRunnerReconcile::createRollout(OperationsStore &store, Rollout *rollout, QList<RolloutDevice> *devices)
{
    // A firmware file in the artifact store and its (test-signed) artifact row.
    const QString source = m_dir.filePath(u"fw.bin"_s);
    QFile f(source);
    if (!f.open(QIODevice::WriteOnly) || f.write(QByteArray(64 * 1024, 'f')) != 64 * 1024)
        return false;
    f.close();
    QString sha;
    qint64 size = 0;
    QString error;
    ArtifactStore artifacts(ArtifactStore::dirForCache(m_cache));
    if (!artifacts.import(source, &sha, &size, &error))
        return false;
    FirmwareManifest manifest;
    manifest.version = u"9.0.0"_s;
    manifest.models = {u"TH-100"_s};
    manifest.sha256 = sha;
    manifest.size = size;
    m_artifact = FirmwareArtifact::fromManifest(manifest, u"fw.bin"_s);
    m_artifact.signature = QByteArray(64, 's');  // the devices would check it; this test has none
    m_artifact.keyId = u"0123456789abcdef"_s;
    const FirmwareArtifact artifact = m_artifact;
    if (!runJob(store, [artifact](OperationsTransaction &tx, QString *e) {
            bool existed = false;
            return ArtifactTable::insert(tx, artifact, u"test"_s, &existed, e);
        }, &error))
        return false;

    Rollout r;
    r.name = u"reconcile"_s;
    r.artifactId = m_artifact.id;
    r.createdMs = QDateTime::currentMSecsSinceEpoch();
    r.updatedMs = r.createdMs;
    r.createdBy = u"test"_s;
    r.targetsJson = u"{}"_s;
    QList<RolloutDevice> rows;
    for (int i = 0; i < 4; ++i) {
        RolloutDevice d;
        d.key = DeviceKey(u"test"_s, u"dev-%1"_s.arg(i, 3, 10, QLatin1Char('0')));
        d.deviceId = d.key.path;
        d.model = u"TH-100"_s;
        d.fromVersion = u"2.3.0"_s;
        d.wave = 1;
        d.position = i;
        d.updatedMs = r.createdMs;
        rows.append(d);
    }
    auto out = std::make_shared<std::pair<Rollout, QList<RolloutDevice>>>(r, rows);
    if (!runJob(store, [out](OperationsTransaction &tx, QString *e) {
            return RolloutTable::insertRollout(tx, &out->first, &out->second, e);
        }, &error)) {
        qWarning() << error;
        return false;
    }
    *rollout = out->first;
    *devices = out->second;
    return true;
}

void TestRolloutRunnerReconcile::publishesOnlyWhatTheBrokerDoesNotHave()
{
    OperationsStore store;
    QSignalSpy opened(&store, &OperationsStore::opened);
    store.open(OperationsStore::pathForCache(m_cache));
    QVERIFY(opened.wait(10000));
    Rollout rollout;
    QList<RolloutDevice> devices;
    QVERIFY(createRollout(store, &rollout, &devices));

    // The first runner's life: start() decided to dispatch every device; the decision was
    // committed, then the runner was killed before (or while) publishing.
    RolloutEngine engine(rollout, devices);
    const qint64 t0 = QDateTime::currentMSecsSinceEpoch();
    RolloutDecision first = engine.start(t0, u"test"_s);
    QCOMPARE(first.publishJobs.size(), 4);
    QString error;
    const RolloutChanges changes = first.changes;
    QVERIFY2(runJob(store, [changes](OperationsTransaction &tx, QString *e) { return RolloutTable::applyChanges(tx, changes, e); },
                    &error),
             qPrintable(error));
    engine.committed(first.changes);
    const QString job0 = first.publishJobs.at(0).jobId;
    const QString job3 = first.publishJobs.at(3).jobId;
    QCOMPARE(job0, rollout.uid + u"-1"_s);

    const OtaTopics topics;
    Observer observer(topics);
    QSignalSpy observerSubscribed(&observer.client, &MqttClient::subscribed);
    observer.client.subscribe(topics.jobFilter(), 1);
    ConnectionProfile profile = m_broker.profile();
    profile.clientId = u"test-observer"_s;
    observer.client.connectToBroker(profile);
    QVERIFY(observerSubscribed.wait(10000));

    // dev-000's job document reached the broker before the kill (a retained publish, done as
    // the runner does it), and dev-003 had even reported: its retained status says QUEUED.
    MqttClient helper;
    profile.clientId = u"test-helper"_s;
    helper.connectToBroker(profile);
    QTRY_COMPARE_WITH_TIMEOUT(helper.state(), ConnectionState::Connected, 10000);
    OtaJobDocument doc;
    doc.jobId = job0;
    doc.version = m_artifact.version;
    doc.size = m_artifact.size;
    doc.sha256 = m_artifact.sha256;
    doc.manifest = m_artifact.manifest;
    doc.signature = m_artifact.signature;
    doc.keyId = m_artifact.keyId;
    QSignalSpy helperDone(&helper, &MqttClient::publishFinished);
    QVERIFY(helper.publishTracked(topics.jobTopic(u"dev-000"_s), doc.toJson(), 1, true) > 0);
    doc.jobId = job3;
    QVERIFY(helper.publishTracked(topics.jobTopic(u"dev-003"_s), doc.toJson(), 1, true) > 0);
    QVERIFY(helper.publishTracked(topics.statusTopic(u"dev-003"_s),
                                  QJsonDocument(QJsonObject{{u"job_id"_s, job3}, {u"state"_s, u"QUEUED"_s},
                                                            {u"progress"_s, 0}, {u"fw_version"_s, u"2.3.0"_s}})
                                      .toJson(QJsonDocument::Compact),
                                  1, true) > 0);
    // And garbage next to it: a status that is not JSON, one of another rollout.
    QVERIFY(helper.publishTracked(topics.statusTopic(u"dev-001"_s), "\x01garbage", 1, true) > 0);
    QVERIFY(helper.publishTracked(topics.statusTopic(u"dev-002"_s), R"({"job_id":"ffffffff-1","state":"QUEUED"})", 1, true) > 0);
    QTRY_COMPARE_WITH_TIMEOUT(helperDone.size(), 5, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(observer.live.value(u"dev-000"_s).value(job0), 1, 10000);
    observer.live.clear();

    // The restart.
    RolloutRunner::Options options;
    options.rolloutId = rollout.id;
    options.cachePath = m_cache;
    options.profile = m_broker.profile();
    options.actor = u"test"_s;
    options.settleQuietMs = 300;
    {
        RolloutRunner runner(&store, options);
        QSignalSpy errors(&runner, &RolloutRunner::error);
        QElapsedTimer clock;
        clock.start();
        QList<qint64> changedAt;
        connect(&runner, &RolloutRunner::changed, this, [&] { changedAt << clock.elapsed(); });
        runner.start();
        auto stateOf = [&runner](int i) { return runner.devices().value(i).state; };
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(0), OtaDeviceState::Sent, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(1), OtaDeviceState::Sent, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(2), OtaDeviceState::Sent, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(3), OtaDeviceState::Queued, 15000);  // its retained status
        QTRY_VERIFY_WITH_TIMEOUT(runner.isIdle(), 10000);
        QVERIFY2(errors.isEmpty(), errors.isEmpty() ? "" : qPrintable(errors.first().first().toString()));
        // dev-000 found on the broker; dev-003's retained QUEUED moved it past `dispatching` already.
        QCOMPARE(runner.stats().reconciledPublished, 1u);
        QCOMPARE(runner.stats().jobsPublished, 2u);
        QCOMPARE(runner.stats().droppedStatuses, 2u);
        // changed() at most 4 times a second, and the last state was reported.
        QVERIFY(changedAt.size() >= 2);
        for (qsizetype i = 1; i < changedAt.size(); ++i)
            QVERIFY2(changedAt[i] - changedAt[i - 1] >= 235, qPrintable(u"%1 ms apart"_s.arg(changedAt[i] - changedAt[i - 1])));
        QTRY_COMPARE_WITH_TIMEOUT(observer.live.value(u"dev-001"_s).value(rollout.uid + u"-1"_s), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(observer.live.value(u"dev-002"_s).value(rollout.uid + u"-1"_s), 1, 10000);
        runner.stop();
    }
    QCOMPARE(observer.live.value(u"dev-000"_s).size(), 0);  // not published again
    QCOMPARE(observer.live.value(u"dev-003"_s).size(), 0);

    // What the store has: the runner committed every move.
    {
        Rollout r;
        QList<RolloutDevice> rows;
        bool found = false;
        auto out = std::make_shared<QList<RolloutDevice>>();
        const qint64 id = rollout.id;
        QVERIFY(runJob(store, [out, id](OperationsTransaction &tx, QString *e) {
            Rollout ignored;
            bool f = false;
            return RolloutTable::loadRollout(tx.handle(), id, &ignored, out.get(), &f, e) && f;
        }, &error));
        Q_UNUSED(r);
        Q_UNUSED(found);
        rows = *out;
        QCOMPARE(rows.size(), 4);
        QCOMPARE(rows.at(0).state, OtaDeviceState::Sent);
        QCOMPARE(rows.at(1).state, OtaDeviceState::Sent);
        QCOMPARE(rows.at(3).state, OtaDeviceState::Queued);
    }

    // dev-003 rejects the job while no runner runs; the next runner reads the retained status,
    // the device's row becomes terminal and its job document is cleared; nothing is published.
    observer.live.clear();
    QVERIFY(helper.publishTracked(topics.statusTopic(u"dev-003"_s),
                                  QJsonDocument(QJsonObject{{u"job_id"_s, job3}, {u"state"_s, u"REJECTED"_s},
                                                            {u"reason"_s, u"model not listed"_s}})
                                      .toJson(QJsonDocument::Compact),
                                  1, true) > 0);
    QTRY_COMPARE_WITH_TIMEOUT(helperDone.size(), 6, 10000);
    {
        RolloutRunner runner(&store, options);
        runner.start();
        QTRY_COMPARE_WITH_TIMEOUT(runner.devices().value(3).state, OtaDeviceState::Rejected, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(observer.clears.value(u"dev-003"_s), 1, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(runner.isIdle() && !runner.isReconciling(), 10000);
        QCOMPARE(runner.stats().jobsPublished, 0u);
        runner.stop();
    }
    QTest::qWait(300);  // anything published late would show now
    QVERIFY2(observer.live.isEmpty(), "a job document was published again after a restart");

    // A clear lost with a kill (the row committed as rejected, its job document still
    // retained): the next runner clears it at reconciliation.
    doc.jobId = job3;
    QVERIFY(helper.publishTracked(topics.jobTopic(u"dev-003"_s), doc.toJson(), 1, true) > 0);
    QTRY_COMPARE_WITH_TIMEOUT(observer.live.value(u"dev-003"_s).value(job3), 1, 10000);
    observer.live.clear();
    {
        RolloutRunner runner(&store, options);
        runner.start();
        QTRY_COMPARE_WITH_TIMEOUT(observer.clears.value(u"dev-003"_s), 2, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(runner.isIdle() && !runner.isReconciling(), 10000);
        QCOMPARE(runner.stats().jobsPublished, 0u);
        QCOMPARE(runner.stats().jobsCleared, 1u);
        runner.stop();
    }
    QVERIFY(observer.live.isEmpty());
    helper.disconnectFromBroker();
    observer.client.disconnectFromBroker();
}

// The broker is down when the runner starts: it loads, starts the rollout (the dispatches are
// committed), publishes nothing, keeps trying; when the broker is back it reconciles and
// publishes every job document once.
void TestRolloutRunnerReconcile::brokerOutageLosesNothing()
{
    QTemporaryDir dir;
    m_cache = dir.filePath(u"outage.sqlite"_s);
    OperationsStore store;
    QSignalSpy opened(&store, &OperationsStore::opened);
    store.open(OperationsStore::pathForCache(m_cache));
    QVERIFY(opened.wait(10000));
    Rollout rollout;
    QList<RolloutDevice> devices;
    QVERIFY(createRollout(store, &rollout, &devices));

    m_broker.stop();
    RolloutRunner::Options options;
    options.rolloutId = rollout.id;
    options.cachePath = m_cache;
    options.profile = m_broker.profile();
    options.actor = u"test"_s;
    options.settleQuietMs = 200;
    RolloutRunner runner(&store, options);
    QSignalSpy errors(&runner, &RolloutRunner::error);
    runner.start();
    QTRY_VERIFY_WITH_TIMEOUT(runner.isLoaded(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(runner.rollout().state, RolloutState::Running, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(runner.devices().value(3).state, OtaDeviceState::Dispatching, 10000);
    QVERIFY(!runner.isConnected());
    QVERIFY(!runner.isIdle());  // four job documents wait for the broker

    QString error;
    QVERIFY2(m_broker.restart(&error), qPrintable(error));
    const OtaTopics topics;
    Observer observer(topics);
    QSignalSpy observerSubscribed(&observer.client, &MqttClient::subscribed);
    observer.client.subscribe(topics.jobFilter(), 1);
    ConnectionProfile profile = m_broker.profile();
    profile.clientId = u"test-observer-2"_s;
    observer.client.connectToBroker(profile);
    QVERIFY(observerSubscribed.wait(10000));

    // MqttClient retries after 1 s, 2 s, 4 s...
    for (int i = 0; i < 4; ++i)
        QTRY_COMPARE_WITH_TIMEOUT(runner.devices().value(i).state, OtaDeviceState::Sent, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(runner.isIdle(), 10000);
    QVERIFY(errors.isEmpty());
    for (int i = 0; i < 4; ++i) {
        const QString device = u"dev-%1"_s.arg(i, 3, 10, QLatin1Char('0'));
        QTRY_COMPARE_WITH_TIMEOUT(observer.live.value(device).value(rollout.uid + u"-1"_s), 1, 10000);
    }
    QCOMPARE(runner.stats().jobsPublished, 4u);
    runner.stop();
    observer.client.disconnectFromBroker();
}

QTEST_GUILESS_MAIN(TestRolloutRunnerReconcile)
#include "test_rollout_runner_reconcile.moc"
