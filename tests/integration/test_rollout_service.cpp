// RolloutService, the GUI's side of rollouts (issue 13), against a real mosquitto and the
// real fleetdeck-sim OTA agent: a rollout created and started from the service runs through
// its runner; the service is then shut down mid-rollout as FleetDeck is when it quits, a new
// service over the same store resumes it once the source's broker is known again, and it
// completes with every job received once (--ota-report). Operator actions without a broker
// say why they cannot run.
#include "core/operations/operations_store.h"
#include "core/ota/release_catalog.h"
#include "core/ota/rollout_builder.h"
#include "core/ota/rollout_service.h"
#include "tests/support/broker_fixture.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;
using namespace Qt::StringLiterals;

class TestRolloutService : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void resumesAfterTheServiceRestarted();
    void actionsWithoutABrokerSayWhy();

private:
    QByteArray ctl(const QStringList &args, int *exitCode);
    std::optional<FirmwareArtifact> artifact(OperationsStore *store);
    std::unique_ptr<RolloutService> service(OperationsStore *store);
    std::optional<RolloutSnapshot> waitFor(RolloutService *service, qint64 id,
                                           const std::function<bool(const RolloutSnapshot &)> &done, int timeoutMs);

    QTemporaryDir m_dir;
    std::unique_ptr<test::BrokerFixture> m_broker;
    QProcess m_sim;
    QString m_cache;
    QString m_report;
    QString m_artifactId;
    QList<Device> m_inventory;
    QProcessEnvironment m_env;
};

QByteArray TestRolloutService::ctl(const QStringList &args, int *exitCode)
{
    QProcess p;
    p.setProcessEnvironment(m_env);
    p.start(QStringLiteral(FLEETDECK_BIN_DIR) + u"/fleetdeckctl"_s, args);
    *exitCode = -1;
    if (!p.waitForStarted(5000) || !p.waitForFinished(30000))
        return {};
    *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    if (*exitCode != 0)
        qWarning().noquote() << "fleetdeckctl" << args.join(u' ') << ":" << p.readAllStandardError();
    return p.readAllStandardOutput();
}

void TestRolloutService::initTestCase()
{
    if (!test::BrokerFixture::mosquittoAvailable())
        QSKIP("mosquitto is not installed");
    QVERIFY(m_dir.isValid());
    m_cache = m_dir.filePath(u"fleet.sqlite"_s);
    m_report = m_dir.filePath(u"ota-report.json"_s);
    m_env = QProcessEnvironment::systemEnvironment();
    m_env.insert(u"FLEETDECK_RELEASE_KEY_PASSPHRASE"_s, u"correct horse battery staple"_s);
    m_env.insert(u"QT_LOGGING_RULES"_s, u"fleetdeck.*.debug=false;fleetdeck.*.info=false"_s);
    m_broker = std::make_unique<test::BrokerFixture>();
    QString error;
    QVERIFY2(m_broker->start(&error, MosquittoLauncher::Options()), qPrintable(error));

    int rc = 0;
    ctl({u"keys"_s, u"create"_s, u"--db"_s, m_cache, u"--name"_s, u"release"_s}, &rc);
    QCOMPARE(rc, 0);
    const QString pub = m_dir.filePath(u"release.pub.pem"_s);
    ctl({u"keys"_s, u"export"_s, u"--db"_s, m_cache, u"--name"_s, u"release"_s, u"--out"_s, pub}, &rc);
    QCOMPARE(rc, 0);
    QByteArray firmware(64 * 1024, Qt::Uninitialized);
    for (char &c : firmware)
        c = char(QRandomGenerator::global()->bounded(256));
    const QString fw = m_dir.filePath(u"fw.bin"_s);
    QFile f(fw);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(firmware);
    f.close();
    m_artifactId = QString::fromUtf8(ctl({u"artifact"_s, u"import"_s, u"--db"_s, m_cache, fw, u"--version"_s,
                                          u"9.1.0"_s, u"--models"_s, u"TH-100,TH-200,GW-5,PM-10"_s,
                                          u"--sign-with"_s, u"release"_s},
                                         &rc))
                       .trimmed();
    QCOMPARE(rc, 0);

    m_sim.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_sim.setProcessEnvironment(m_env);
    m_sim.start(QStringLiteral(FLEETDECK_BIN_DIR) + u"/fleetdeck-sim"_s,
                {u"--broker"_s, m_broker->url(), u"--devices"_s, u"6"_s, u"--rate"_s, u"0.2"_s, u"--seed"_s, u"9"_s,
                 u"--ota-trust"_s, pub, u"--ota-bandwidth"_s, u"4000000"_s, u"--ota-install-ms"_s, u"100"_s,
                 u"--ota-reboot-ms"_s, u"200"_s, u"--ota-report"_s, m_report});
    QVERIFY(m_sim.waitForStarted(5000));
    ctl({u"record"_s, u"--db"_s, m_cache, u"--broker"_s, m_broker->url(), u"--duration"_s, u"3"_s}, &rc);
    QCOMPARE(rc, 0);
    const QJsonArray devices = QJsonDocument::fromJson(ctl({u"devices"_s, u"--db"_s, m_cache, u"--json"_s}, &rc)).array();
    QCOMPARE(devices.size(), 6);
    for (const QJsonValue &v : devices) {
        const QJsonObject o = v.toObject();
        Device d;
        d.source = o.value(u"source"_s).toString();
        d.id = o.value(u"id"_s).toString();
        d.path = d.id;
        d.model = o.value(u"model"_s).toString();
        d.fwVersion = o.value(u"fw_version"_s).toString();
        d.online = true;
        m_inventory.append(d);
    }
}

void TestRolloutService::cleanupTestCase()
{
    if (m_sim.state() != QProcess::NotRunning) {
        m_sim.kill();
        m_sim.waitForFinished(5000);
    }
}

std::optional<FirmwareArtifact> TestRolloutService::artifact(OperationsStore *store)
{
    ReleaseCatalog catalog(store, nullptr, m_cache, u"tester"_s);
    QSignalSpy read(&catalog, &ReleaseCatalog::catalogRead);
    catalog.refresh();
    if (!read.wait(10000) || !catalog.artifact(m_artifactId))
        return std::nullopt;
    return *catalog.artifact(m_artifactId);
}

std::unique_ptr<RolloutService> TestRolloutService::service(OperationsStore *store)
{
    auto s = std::make_unique<RolloutService>(store, m_cache, u"tester"_s);
    QSignalSpy loaded(s.get(), &RolloutService::rolloutsLoaded);
    s->load();
    if (!loaded.wait(10000))
        return nullptr;
    return s;
}

std::optional<RolloutSnapshot> TestRolloutService::waitFor(RolloutService *service, qint64 id,
                                                           const std::function<bool(const RolloutSnapshot &)> &done,
                                                           int timeoutMs)
{
    (void)QTest::qWaitFor(
        [&] {
            const std::optional<RolloutSnapshot> s = service->rollout(id);
            return s && done(*s);
        },
        timeoutMs);
    return service->rollout(id);
}

void TestRolloutService::resumesAfterTheServiceRestarted()
{
    OperationsStore store;
    QSignalSpy opened(&store, &OperationsStore::opened);
    store.open(OperationsStore::pathForCache(m_cache));
    QVERIFY(opened.wait(10000));
    const std::optional<FirmwareArtifact> fw = artifact(&store);
    QVERIFY(fw);

    RolloutPlan plan;
    plan.waves = {RolloutWave{true, 50}, RolloutWave{true, 100}};
    plan.ratePerMinute = 20;  // one job every 3 s: the service stops while devices are left
    RolloutBuilder::Result built;
    QString error;
    QVERIFY2(RolloutBuilder::build(*fw, m_inventory, RolloutTargetFilter(), plan, u"service test"_s, u"tester"_s,
                                   &built, &error),
             qPrintable(error));
    QCOMPARE(built.devices.size(), 6);
    const QString source = m_inventory.constFirst().source;
    ConnectionProfile profile;
    profile.name = source;
    profile.broker = *BrokerUrl::parse(m_broker->url());
    profile.sparkplug = false;

    qint64 id = 0;
    {
        std::unique_ptr<RolloutService> first = service(&store);
        QVERIFY(first);
        QSignalSpy created(first.get(), &RolloutService::created);
        const quint64 request = first->create(built.rollout, built.devices, true);
        QVERIFY(created.wait(10000));
        QCOMPARE(created.constFirst().at(0).toULongLong(), request);
        QCOMPARE(created.constFirst().at(2).toString(), QString());
        id = created.constFirst().at(1).toLongLong();
        QVERIFY(id > 0);
        // No broker known yet: it waits, and says so.
        QCOMPARE(first->rollout(id)->rollout.state, RolloutState::Scheduled);
        first->setSourceLink(source, profile, {});
        const std::optional<RolloutSnapshot> partly = waitFor(
            first.get(), id, [](const RolloutSnapshot &s) { return s.count(OtaDeviceState::Updated) >= 2; }, 30000);
        QVERIFY(partly);
        QVERIFY2(partly->count(OtaDeviceState::Updated) >= 2, qPrintable(rolloutStateKey(partly->rollout.state)));
        QVERIFY2(partly->count(OtaDeviceState::Updated) < 6, "the rate limit should leave devices for the restart");
        QCOMPARE(partly->rollout.state, RolloutState::Running);
        first->shutdown();  // FleetDeck quits
    }
    // FleetDeck starts again: the rollout is loaded as committed, and resumes once the
    // window connects its source.
    std::unique_ptr<RolloutService> second = service(&store);
    QVERIFY(second);
    QVERIFY(second->rollout(id));
    QCOMPARE(second->rollout(id)->rollout.state, RolloutState::Running);
    QSignalSpy waiting(second.get(), &RolloutService::runnerMessage);
    second->setSourceLink(source, profile, {});
    const std::optional<RolloutSnapshot> done = waitFor(
        second.get(), id, [](const RolloutSnapshot &s) { return s.rollout.state == RolloutState::Completed; }, 60000);
    QVERIFY(done);
    QCOMPARE(done->rollout.state, RolloutState::Completed);
    QCOMPARE(done->count(OtaDeviceState::Updated), 6);
    for (const RolloutDevice &d : second->devices(id))
        QCOMPARE(d.toVersion, u"9.1.0"_s);
    second->shutdown();
    store.shutdown();

    // The devices' side: one job each, received once, one install.
    m_sim.terminate();
    QVERIFY(m_sim.waitForFinished(20000));
    QFile file(m_report);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject report = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(report.size(), 6);
    for (auto it = report.begin(); it != report.end(); ++it) {
        const QJsonObject device = it.value().toObject();
        QCOMPARE(device.value(u"fw_version"_s).toString(), u"9.1.0"_s);
        QCOMPARE(device.value(u"installs"_s).toInt(), 1);
        const QJsonObject jobs = device.value(u"jobs"_s).toObject();
        QCOMPARE(jobs.size(), 1);
        QCOMPARE(jobs.begin().value().toInt(), 1);
    }
}

void TestRolloutService::actionsWithoutABrokerSayWhy()
{
    OperationsStore store;
    QSignalSpy opened(&store, &OperationsStore::opened);
    store.open(m_dir.filePath(u"other.operations.sqlite"_s));
    QVERIFY(opened.wait(10000));
    RolloutService service(&store, m_dir.filePath(u"other.sqlite"_s), u"tester"_s);
    Rollout r;
    r.name = u"no broker"_s;
    r.artifactId = u"0123456789abcdef"_s;
    r.createdBy = u"tester"_s;
    QList<RolloutDevice> rows;
    RolloutDevice d;
    d.key = DeviceKey(u"far-away"_s, u"dev-1"_s);
    d.deviceId = u"dev-1"_s;
    d.wave = 1;
    rows.append(d);
    QSignalSpy created(&service, &RolloutService::created);
    QSignalSpy message(&service, &RolloutService::runnerMessage);
    service.create(r, rows, false);
    QVERIFY(created.wait(10000));
    const qint64 id = created.constFirst().at(1).toLongLong();
    QVERIFY(id > 0);
    QVERIFY(!message.isEmpty());
    QVERIFY(message.constLast().at(1).toString().contains(u"far-away"_s));
    QSignalSpy failed(&service, &RolloutService::actionFailed);
    service.start(id);
    QCOMPARE(failed.size(), 1);
    QVERIFY2(failed.constFirst().at(1).toString().contains(u"not connected to far-away"_s),
             qPrintable(failed.constFirst().at(1).toString()));
    service.pause(42, u"x"_s);
    QVERIFY(failed.constLast().at(1).toString().contains(u"No rollout 42"_s));
    QCOMPARE(service.activeCount(), 1);
    service.shutdown();
}

QTEST_GUILESS_MAIN(TestRolloutService)
#include "test_rollout_service.moc"
