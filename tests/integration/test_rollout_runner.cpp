// `fleetdeckctl rollout run` end to end (issue 13): a real mosquitto, the real fleetdeck-sim
// with its OTA agent (signature and SHA-256 checks against the exported release key, chunked
// download, install, reboot) and the real fleetdeckctl for everything: keys create/export,
// artifact import, record (the inventory), rollout create/run/status. The simulator's
// --ota-report counts every job document delivery per device, so a console that publishes a
// job twice is caught.
//   cleanRolloutCompletes:  50 devices, two waves -> completed, exit 0, every device on the
//                           new version, each job received once, one install each.
//   failuresTripTheAbort:   --ota-failures download=0.1 with --abort-failure-pct 5
//                           --min-executed 10 -> aborted, exit 4; devices not started never
//                           got a job.
//   killedMidWaveResumes:   SIGKILL of `rollout run` in the middle, a run stopped by SIGTERM
//                           (exit 143), run again -> completed, still every job received
//                           exactly once.
//   pausesForApprovalAndResumes: --pause-between-waves -> exit 3 after wave 1; running it
//                           again approves: wave 2, completed.
// Small firmware, high simulator bandwidth, short install and reboot delays: each case runs
// in a few seconds to a few tens of seconds.
#include "tests/support/broker_fixture.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace fd;
using namespace Qt::StringLiterals;

namespace {

const QString kNewVersion = u"9.0.0"_s;
const QString kModels = u"TH-100,TH-200,GW-5,PM-10"_s;  // every model fleetdeck-sim makes

struct Result
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

} // namespace

class TestRolloutRunner : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void cleanRolloutCompletes();
    void failuresTripTheAbort();
    void killedMidWaveResumes();
    void pausesForApprovalAndResumes();

private:
    Result ctl(const QStringList &args, int timeoutMs = 30000);
    bool prepare(int devices, const QStringList &simExtra, QString *artifactId);
    QString createRollout(const QString &artifactId, const QStringList &plan);
    QJsonObject status(const QString &rolloutId);
    QJsonObject stopSimAndReadReport();
    QStringList runArgs(const QString &rolloutId) const;

    QString m_ctl;
    QString m_sim;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<test::BrokerFixture> m_broker;
    std::unique_ptr<QProcess> m_simProcess;
    QString m_cache;
    QString m_report;
    QProcessEnvironment m_env;
};

void TestRolloutRunner::initTestCase()
{
    if (!test::BrokerFixture::mosquittoAvailable())
        QSKIP("mosquitto is not installed");
    m_ctl = QStringLiteral(FLEETDECK_BIN_DIR) + u"/fleetdeckctl"_s;
    m_sim = QStringLiteral(FLEETDECK_BIN_DIR) + u"/fleetdeck-sim"_s;
    QVERIFY2(QFile::exists(m_ctl), qPrintable(m_ctl));
    QVERIFY2(QFile::exists(m_sim), qPrintable(m_sim));
    m_env = QProcessEnvironment::systemEnvironment();
    m_env.insert(u"FLEETDECK_RELEASE_KEY_PASSPHRASE"_s, u"correct horse battery staple"_s);
    m_env.insert(u"QT_LOGGING_RULES"_s, u"fleetdeck.*.debug=false;fleetdeck.*.info=false"_s);
}

void TestRolloutRunner::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_cache = m_dir->filePath(u"fleet.sqlite"_s);
    m_report = m_dir->filePath(u"ota-report.json"_s);
    m_broker = std::make_unique<test::BrokerFixture>();
    MosquittoLauncher::Options options;
    QString error;
    QVERIFY2(m_broker->start(&error, options), qPrintable(error));
}

void TestRolloutRunner::cleanup()
{
    if (m_simProcess && m_simProcess->state() != QProcess::NotRunning) {
        m_simProcess->kill();
        m_simProcess->waitForFinished(5000);
    }
    m_simProcess.reset();
    m_broker.reset();
    m_dir.reset();
}

Result TestRolloutRunner::ctl(const QStringList &args, int timeoutMs)
{
    QProcess p;
    p.setProcessEnvironment(m_env);
    p.start(m_ctl, args);
    Result r;
    if (!p.waitForStarted(5000))
        return r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        r.err = p.readAllStandardError();
        qWarning().noquote() << "fleetdeckctl" << args.join(u' ') << "did not finish:" << r.err.right(2000);
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// Release key, firmware, signed artifact; the simulator trusting the key; the inventory
// recorded into the cache (rollout create targets the cache's devices).
bool TestRolloutRunner::prepare(int devices, const QStringList &simExtra, QString *artifactId)
{
    Result r = ctl({u"keys"_s, u"create"_s, u"--db"_s, m_cache, u"--name"_s, u"release"_s});
    if (r.exitCode != 0) {
        qWarning() << "keys create:" << r.err;
        return false;
    }
    const QString pub = m_dir->filePath(u"release.pub.pem"_s);
    r = ctl({u"keys"_s, u"export"_s, u"--db"_s, m_cache, u"--name"_s, u"release"_s, u"--out"_s, pub});
    if (r.exitCode != 0) {
        qWarning() << "keys export:" << r.err;
        return false;
    }
    QByteArray firmware(128 * 1024, Qt::Uninitialized);
    for (qsizetype i = 0; i < firmware.size(); ++i)
        firmware[i] = char(QRandomGenerator::global()->bounded(256));
    const QString fwFile = m_dir->filePath(u"firmware-9.0.0.bin"_s);
    QFile f(fwFile);
    if (!f.open(QIODevice::WriteOnly) || f.write(firmware) != firmware.size())
        return false;
    f.close();
    r = ctl({u"artifact"_s, u"import"_s, u"--db"_s, m_cache, fwFile, u"--version"_s, kNewVersion, u"--models"_s, kModels,
             u"--sign-with"_s, u"release"_s});
    if (r.exitCode != 0) {
        qWarning() << "artifact import:" << r.err;
        return false;
    }
    *artifactId = QString::fromUtf8(r.out).trimmed();

    m_simProcess = std::make_unique<QProcess>();
    m_simProcess->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_simProcess->setProcessEnvironment(m_env);
    m_simProcess->start(m_sim, QStringList{u"--broker"_s, m_broker->url(), u"--devices"_s, QString::number(devices),
                                           u"--rate"_s, u"0.2"_s, u"--seed"_s, u"7"_s, u"--ota-trust"_s, pub,
                                           u"--ota-bandwidth"_s, u"4000000"_s, u"--ota-install-ms"_s, u"100"_s,
                                           u"--ota-reboot-ms"_s, u"200"_s, u"--ota-report"_s, m_report}
                                   + simExtra);
    if (!m_simProcess->waitForStarted(5000))
        return false;
    // The inventory: record until every device was seen (a few seconds).
    r = ctl({u"record"_s, u"--db"_s, m_cache, u"--broker"_s, m_broker->url(), u"--duration"_s, u"3"_s});
    if (r.exitCode != 0) {
        qWarning() << "record:" << r.err;
        return false;
    }
    r = ctl({u"devices"_s, u"--db"_s, m_cache, u"--json"_s});
    const QJsonArray inventory = QJsonDocument::fromJson(r.out).array();
    if (inventory.size() != devices) {
        qWarning() << "recorded" << inventory.size() << "devices of" << devices;
        return false;
    }
    return true;
}

QString TestRolloutRunner::createRollout(const QString &artifactId, const QStringList &plan)
{
    const Result r = ctl(QStringList{u"rollout"_s, u"create"_s, u"--db"_s, m_cache, u"--artifact"_s, artifactId} + plan);
    if (r.exitCode != 0) {
        qWarning() << "rollout create:" << r.err;
        return {};
    }
    return QString::fromUtf8(r.out).trimmed();
}

QJsonObject TestRolloutRunner::status(const QString &rolloutId)
{
    const Result r = ctl({u"rollout"_s, u"status"_s, u"--db"_s, m_cache, rolloutId, u"--json"_s});
    return QJsonDocument::fromJson(r.out).object();
}

QStringList TestRolloutRunner::runArgs(const QString &rolloutId) const
{
    return {u"rollout"_s, u"run"_s, u"--db"_s, m_cache, u"--broker"_s, m_broker->url(), u"--settle-ms"_s, u"300"_s, rolloutId};
}

QJsonObject TestRolloutRunner::stopSimAndReadReport()
{
    m_simProcess->terminate();  // SIGTERM: the report is written on the way out
    if (!m_simProcess->waitForFinished(20000) || m_simProcess->exitCode() != 0)
        return {};
    QFile file(m_report);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

void TestRolloutRunner::cleanRolloutCompletes()
{
    QString artifact;
    QVERIFY(prepare(50, {}, &artifact));
    const QString id = createRollout(artifact, {u"--waves"_s, u"40%,100%"_s, u"--name"_s, u"clean"_s});
    QVERIFY(!id.isEmpty());
    QElapsedTimer timer;
    timer.start();
    const Result run = ctl(runArgs(id), 50000);
    QVERIFY2(run.exitCode == 0, run.err.right(3000).constData());
    QVERIFY2(run.err.contains("completed"), run.err.right(2000).constData());
    qInfo() << "rollout of 50 devices took" << timer.elapsed() << "ms";

    const QJsonObject st = status(id);
    QCOMPARE(st.value(u"state"_s).toString(), u"completed"_s);
    QCOMPARE(st.value(u"counts"_s).toObject().value(u"updated"_s).toInt(), 50);
    const QJsonObject report = stopSimAndReadReport();
    QCOMPARE(report.size(), 50);
    for (auto it = report.constBegin(); it != report.constEnd(); ++it) {
        const QJsonObject d = it.value().toObject();
        QCOMPARE(d.value(u"fw_version"_s).toString(), kNewVersion);
        QCOMPARE(d.value(u"installs"_s).toInt(), 1);
        const QJsonObject jobs = d.value(u"jobs"_s).toObject();
        QVERIFY2(jobs.size() == 1, qPrintable(it.key()));
        QCOMPARE(jobs.begin().value().toInt(), 1);
        QVERIFY(jobs.begin().key().endsWith(u"-1"_s));
    }
    // Run again: nothing to do, same answer.
    const Result again = ctl(runArgs(id));
    QCOMPARE(again.exitCode, 0);
}

void TestRolloutRunner::failuresTripTheAbort()
{
    QString artifact;
    QVERIFY(prepare(50, {u"--ota-failures"_s, u"download=0.1"_s}, &artifact));
    // Five waves of 10 devices. The abort criterion (5 % of at least 10 finished) trips in the
    // first wave with a failed download (the draws are per device from --seed; with seed 7 the
    // first failing devices are in wave 4, two more in wave 5); later waves never start.
    const QString id = createRollout(artifact, {u"--waves"_s, u"20%,40%,60%,80%,100%"_s, u"--abort-failure-pct"_s, u"5"_s,
                                                u"--min-executed"_s, u"10"_s});
    QVERIFY(!id.isEmpty());
    const Result run = ctl(runArgs(id), 50000);
    QVERIFY2(run.exitCode == 4, run.err.right(3000).constData());
    const QJsonObject st = status(id);
    QCOMPARE(st.value(u"state"_s).toString(), u"aborted"_s);
    const QJsonObject counts = st.value(u"counts"_s).toObject();
    const int failed = counts.value(u"failed"_s).toInt();
    const int updated = counts.value(u"updated"_s).toInt();
    const int skipped = counts.value(u"skipped"_s).toInt();
    QVERIFY2(failed >= 1, "the abort needs a failure");
    QVERIFY2(failed + updated >= 10, "the abort may trip only after the minimum executed count");
    QCOMPARE(failed + updated + skipped, 50);
    qInfo() << "aborted with counts" << counts;
    QVERIFY2(skipped >= 10, "an abort leaves the devices not started yet");

    const QJsonObject devices = st.value(u"devices"_s).toObject();
    const QJsonObject report = stopSimAndReadReport();
    QCOMPARE(report.size(), 50);
    int withJob = 0;
    for (auto it = devices.constBegin(); it != devices.constEnd(); ++it) {
        const QJsonObject jobs = report.value(it.key()).toObject().value(u"jobs"_s).toObject();
        if (it.value().toString() == u"skipped"_s) {
            QVERIFY2(jobs.isEmpty(), qPrintable(u"%1 was never started but got a job"_s.arg(it.key())));
            continue;
        }
        ++withJob;
        QCOMPARE(jobs.size(), 1);
        QCOMPARE(jobs.begin().value().toInt(), 1);
    }
    QCOMPARE(withJob, failed + updated);
    // Running an aborted rollout again says so.
    QCOMPARE(ctl(runArgs(id)).exitCode, 4);
}

void TestRolloutRunner::killedMidWaveResumes()
{
    QString artifact;
    // Slower downloads (128 KiB at 64 KiB/s: 2 s per device) so the kill lands mid-wave.
    QVERIFY(prepare(50, {u"--ota-bandwidth"_s, u"65536"_s}, &artifact));
    const QString id = createRollout(artifact, {u"--waves"_s, u"20%,50%,100%"_s});
    QVERIFY(!id.isEmpty());

    QProcess run;
    run.setProcessEnvironment(m_env);
    run.setProcessChannelMode(QProcess::ForwardedOutputChannel);
    run.start(m_ctl, runArgs(id));
    QVERIFY(run.waitForStarted(5000));
    // Kill -9 once some devices updated and others are in flight.
    QDeadlineTimer deadline(40000);
    int updated = 0;
    while (!deadline.hasExpired()) {
        const QJsonObject counts = status(id).value(u"counts"_s).toObject();
        updated = counts.value(u"updated"_s).toInt();
        if (updated >= 12)
            break;
        QTest::qWait(100);
    }
    QVERIFY2(updated >= 12 && updated < 50, qPrintable(u"updated %1 before the kill"_s.arg(updated)));
    run.kill();  // SIGKILL: no clean shutdown at all
    QVERIFY(run.waitForFinished(5000));
    const QJsonObject killed = status(id);
    QCOMPARE(killed.value(u"state"_s).toString(), u"running"_s);
    qInfo() << "killed with counts" << killed.value(u"counts"_s).toObject();

    // Run again, stopped cleanly this time (SIGTERM) once it is connected: exit 128 + 15.
    QProcess stopped;
    stopped.setProcessEnvironment(m_env);
    stopped.start(m_ctl, runArgs(id));
    QVERIFY(stopped.waitForStarted(5000));
    QByteArray stoppedErr;
    QDeadlineTimer connectedBy(20000);
    while (!stoppedErr.contains("broker connected") && !connectedBy.hasExpired() && stopped.state() == QProcess::Running) {
        stopped.waitForReadyRead(200);
        stoppedErr += stopped.readAllStandardError();
    }
    QVERIFY2(stoppedErr.contains("broker connected"), stoppedErr.right(2000).constData());
    stopped.terminate();
    QVERIFY(stopped.waitForFinished(10000));
    stoppedErr += stopped.readAllStandardError();
    QVERIFY2(stopped.exitCode() == 128 + 15, stoppedErr.right(2000).constData());
    QVERIFY(stoppedErr.contains("run it again to go on"));

    const Result again = ctl(runArgs(id), 50000);
    QVERIFY2(again.exitCode == 0, again.err.right(3000).constData());
    const QJsonObject st = status(id);
    QCOMPARE(st.value(u"state"_s).toString(), u"completed"_s);
    QCOMPARE(st.value(u"counts"_s).toObject().value(u"updated"_s).toInt(), 50);
    const QJsonObject report = stopSimAndReadReport();
    QCOMPARE(report.size(), 50);
    for (auto it = report.constBegin(); it != report.constEnd(); ++it) {
        const QJsonObject d = it.value().toObject();
        QCOMPARE(d.value(u"fw_version"_s).toString(), kNewVersion);
        QCOMPARE(d.value(u"installs"_s).toInt(), 1);
        const QJsonObject jobs = d.value(u"jobs"_s).toObject();
        QVERIFY2(jobs.size() == 1 && jobs.begin().value().toInt() == 1,
                 qPrintable(u"%1: %2"_s.arg(it.key(), QString::fromUtf8(QJsonDocument(jobs).toJson(QJsonDocument::Compact)))));
    }
}

void TestRolloutRunner::pausesForApprovalAndResumes()
{
    QString artifact;
    QVERIFY(prepare(10, {}, &artifact));
    const QString id = createRollout(artifact, {u"--waves"_s, u"50%,100%"_s, u"--pause-between-waves"_s});
    QVERIFY(!id.isEmpty());
    const Result first = ctl(runArgs(id), 40000);
    QVERIFY2(first.exitCode == 3, first.err.right(3000).constData());
    QVERIFY2(first.err.contains("run it again to approve"), first.err.right(2000).constData());
    QJsonObject st = status(id);
    QCOMPARE(st.value(u"state"_s).toString(), u"paused"_s);
    QCOMPARE(st.value(u"counts"_s).toObject().value(u"updated"_s).toInt(), 5);
    QCOMPARE(st.value(u"counts"_s).toObject().value(u"pending"_s).toInt(), 5);

    const Result second = ctl(runArgs(id), 40000);
    QVERIFY2(second.exitCode == 0, second.err.right(3000).constData());
    st = status(id);
    QCOMPARE(st.value(u"state"_s).toString(), u"completed"_s);
    QCOMPARE(st.value(u"counts"_s).toObject().value(u"updated"_s).toInt(), 10);
    const QJsonObject report = stopSimAndReadReport();
    QCOMPARE(report.size(), 10);
    for (auto it = report.constBegin(); it != report.constEnd(); ++it) {
        const QJsonObject jobs = it.value().toObject().value(u"jobs"_s).toObject();
        QVERIFY2(jobs.size() == 1 && jobs.begin().value().toInt() == 1, qPrintable(it.key()));
    }
}

QTEST_GUILESS_MAIN(TestRolloutRunner)
#include "test_rollout_runner.moc"
