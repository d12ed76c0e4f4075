// Promise 1 (docs/reliability.md), rollouts: no firmware job is sent twice, whatever moment
// the runner dies. `fleetdeckctl rollout run` (the headless runner, docs/ota.md) drives a
// rollout of a signed artifact to fleetdeck-sim's OTA agents through a real mosquitto; the
// rollout is rate limited (the rate grows with every two devices updated, so dispatches come
// in bursts over its whole life) and every device takes a few seconds (download at a bounded
// bandwidth, install, reboot). The test kills the runner with SIGKILL at random moments and
// starts it again each time, until a run exits 0 (completed). Then the simulator's
// --ota-report says every device got its job exactly once and installed it once, the
// operations store passes integrity_check, every device is updated with one attempt, and
// the rollout's timeline holds no transition twice.

#include "tests/reliability/child_process.h"
#include "tests/reliability/integrity_check.h"
#include "tests/reliability/reliability_config.h"
#include "tests/reliability/reliability_report.h"

#include "core/broker/mosquitto_launcher.h"
#include "core/operations/operations_store.h"
#include "tests/support/raw_db.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;
using namespace fd::test;
using namespace Qt::StringLiterals;

namespace {

const QString kNewVersion = u"9.1.0"_s;
const QString kModels = u"TH-100,TH-200,GW-5,PM-10"_s;  // every model fleetdeck-sim makes
const QString kSource = u"rel"_s;

struct Result
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

} // namespace

class TestCrashRollout : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void sigkilledRunnerSendsNoJobTwice();

private:
    Result ctl(const QStringList &args, int timeoutMs = 30000);
    QStringList environment() const;
    QString broker() const { return kSource + u'=' + m_broker.url(); }

    QTemporaryDir m_dir;
    QString m_cache;
    MosquittoLauncher m_broker;
};

void TestCrashRollout::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (MosquittoLauncher::findExecutable().isEmpty())
        QFAIL(qPrintable(MosquittoLauncher::installHint()));
    QString error;
    QVERIFY2(m_broker.start({}, &error), qPrintable(error));
    m_cache = m_dir.filePath(u"fleet.sqlite"_s);
}

void TestCrashRollout::cleanupTestCase()
{
    m_broker.stop();
}

QStringList TestCrashRollout::environment() const
{
    QStringList env = QProcessEnvironment::systemEnvironment().toStringList();
    env.append(u"FLEETDECK_RELEASE_KEY_PASSPHRASE=reliability-release"_s);
    env.append(u"QT_LOGGING_RULES=fleetdeck.*.debug=false;fleetdeck.*.info=false"_s);
    return env;
}

Result TestCrashRollout::ctl(const QStringList &args, int timeoutMs)
{
    QProcess p;
    p.setEnvironment(environment());
    p.start(ChildProcess::bin(u"fleetdeckctl"_s), args);
    Result r;
    if (!p.waitForStarted(5000))
        return r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        r.err = p.readAllStandardError();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

void TestCrashRollout::sigkilledRunnerSendsNoJobTwice()
{
    const int maxKills = ReliabilityConfig::pick(8, 200);
    const int devices = ReliabilityConfig::torture() ? 20 : 12;
    const quint64 seed = ReliabilityConfig::seed();
    QRandomGenerator rng(seed);
    qInfo("seed %llu, up to %d kills, %d devices", static_cast<unsigned long long>(seed), maxKills, devices);
    QElapsedTimer clock;
    clock.start();

    // A release key and a signed firmware image (as `fleetdeckctl keys` / `artifact import`).
    Result r = ctl({u"keys"_s, u"create"_s, u"--db"_s, m_cache, u"--name"_s, u"rel-release"_s});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QString pub = m_dir.filePath(u"rel-release.pub.pem"_s);
    r = ctl({u"keys"_s, u"export"_s, u"--db"_s, m_cache, u"--name"_s, u"rel-release"_s, u"--out"_s, pub});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QByteArray firmware(48 * 1024, Qt::Uninitialized);
    for (qsizetype i = 0; i < firmware.size(); ++i)
        firmware[i] = char(rng.bounded(256));
    const QString fwFile = m_dir.filePath(u"firmware-9.1.0.bin"_s);
    {
        QFile f(fwFile);
        QVERIFY(f.open(QIODevice::WriteOnly) && f.write(firmware) == firmware.size());
    }
    r = ctl({u"artifact"_s, u"import"_s, u"--db"_s, m_cache, fwFile, u"--version"_s, kNewVersion, u"--models"_s,
             kModels, u"--sign-with"_s, u"rel-release"_s});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QString artifact = QString::fromUtf8(r.out).trimmed();

    // The devices: OTA agents trusting the key, a download of ~1.5 s, install and reboot.
    const QString report = m_dir.filePath(u"ota-report.json"_s);
    ChildProcess sim(u"sim"_s);
    sim.setEnvironment(environment());
    QVERIFY(sim.start(ChildProcess::bin(u"fleetdeck-sim"_s),
                      {u"--broker"_s, m_broker.url(), u"--devices"_s, QString::number(devices), u"--rate"_s, u"0.5"_s,
                       u"--seed"_s, u"15"_s, u"--client-id-prefix"_s, u"rel-ota-"_s, u"--ota-trust"_s, pub,
                       u"--ota-bandwidth"_s, u"32768"_s, u"--ota-install-ms"_s, u"400"_s, u"--ota-reboot-ms"_s,
                       u"400"_s, u"--ota-report"_s, report}));
    r = ctl({u"record"_s, u"--db"_s, m_cache, u"--broker"_s, broker(), u"--duration"_s, u"3"_s});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = ctl({u"devices"_s, u"--db"_s, m_cache, u"--json"_s});
    QCOMPARE(QJsonDocument::fromJson(r.out).array().size(), devices);

    // Rate limited: 2 dispatches a minute at first, doubled with every 2 devices updated.
    r = ctl({u"rollout"_s, u"create"_s, u"--db"_s, m_cache, u"--artifact"_s, artifact, u"--rate-per-min"_s, u"2"_s,
             u"--rate-increase"_s, u"2"_s, u"--rate-increase-every"_s, u"2"_s, u"--timeout-s"_s, u"600"_s,
             u"--name"_s, u"crash"_s});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QString id = QString::fromUtf8(r.out).trimmed();

    const QStringList runArgs{u"rollout"_s, u"run"_s,     u"--db"_s,          m_cache, u"--broker"_s,
                              broker(),     u"--settle-ms"_s, u"300"_s,        id};
    int kills = 0;
    int runs = 0;
    int killedBeforeConnect = 0;
    bool completed = false;
    while (!completed) {
        ChildProcess runner(u"rollout-run"_s);
        runner.setEnvironment(environment());
        QVERIFY(runner.start(ChildProcess::bin(u"fleetdeckctl"_s), runArgs));
        ++runs;
        if (kills < maxKills) {
            // A random moment: loading, connecting, reconciling, mid-dispatch, mid-commit.
            const int lifeMs = 200 + int(rng.bounded(2800));
            if (runner.waitForFinished(lifeMs)) {
                QVERIFY2(runner.exitStatus() == QProcess::NormalExit && runner.exitCode() == 0,
                         runner.standardError().right(3000).constData());
                completed = true;
                break;
            }
            if (!runner.standardError().contains("broker connected"))
                ++killedBeforeConnect;
            runner.killHard();
            ++kills;
            const QString problems = integrityProblems(OperationsStore::pathForCache(m_cache));
            QVERIFY2(problems.isEmpty(), qPrintable(u"kill %1: %2"_s.arg(kills).arg(problems)));
            QTest::qWait(int(rng.bounded(300)));
            continue;
        }
        QVERIFY2(runner.waitForFinished(120000), "the last run did not finish the rollout in 2 min");
        QVERIFY2(runner.exitStatus() == QProcess::NormalExit && runner.exitCode() == 0,
                 runner.standardError().right(3000).constData());
        completed = true;
    }

    // The rollout: completed, every device updated by its first and only job.
    const QString store = OperationsStore::pathForCache(m_cache);
    QCOMPARE(integrityProblems(store), QString());
    RawDb db(store);
    QVERIFY(db.isOpen());
    const QByteArray rid = id.toUtf8();
    QCOMPARE(db.texts("SELECT state FROM rollouts WHERE id = " + rid), QStringList{u"completed"_s});
    QCOMPARE(db.integer("SELECT count(*) FROM rollout_devices WHERE rollout_id = " + rid), qint64(devices));
    QCOMPARE(db.integer("SELECT count(*) FROM rollout_devices WHERE rollout_id = " + rid + " AND state = 'updated'"),
             qint64(devices));
    QCOMPARE(db.integer("SELECT count(*) FROM rollout_devices WHERE rollout_id = " + rid + " AND attempt <> 1"),
             qint64(0));
    // One job per device, its first ("<uid>-1"; the device's topic tells the devices apart).
    QCOMPARE(db.integer("SELECT count(*) FROM rollout_devices d JOIN rollouts r ON r.id = d.rollout_id WHERE r.id = "
                        + rid + " AND d.job_id = r.uid || '-1'"),
             qint64(devices));
    // The timeline: no transition twice (started, a wave started or finished, completed).
    const qint64 twice = db.integer("SELECT count(*) FROM (SELECT kind, detail, count(*) AS n FROM rollout_events "
                                    "WHERE rollout_id = "
                                    + rid
                                    + " AND kind IN ('started', 'wave_started', 'wave_finished', 'completed') "
                                      "GROUP BY kind, detail HAVING n > 1)");
    QCOMPARE(twice, qint64(0));
    QCOMPARE(db.integer("SELECT count(*) FROM rollout_events WHERE rollout_id = " + rid + " AND kind = 'completed'"),
             qint64(1));

    // The devices: each job document delivered once, installed once, the new version runs.
    QVERIFY(sim.terminate());
    QCOMPARE(sim.exitCode(), 0);
    QFile file(report);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject o = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(o.size(), devices);
    qint64 jobs = 0;
    qint64 duplicates = 0;
    QStringList wrong;
    for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
        const QJsonObject d = it.value().toObject();
        const QJsonObject deviceJobs = d.value(u"jobs"_s).toObject();
        for (auto j = deviceJobs.constBegin(); j != deviceJobs.constEnd(); ++j) {
            ++jobs;
            duplicates += qMax(0, j.value().toInt() - 1);
        }
        if (d.value(u"fw_version"_s).toString() != kNewVersion || deviceJobs.size() != 1
            || deviceJobs.begin().value().toInt() != 1 || d.value(u"installs"_s).toInt() != 1)
            wrong.append(it.key() + u": "_s + QString::fromUtf8(QJsonDocument(d).toJson(QJsonDocument::Compact)));
    }
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(u'\n')));
    QCOMPARE(duplicates, qint64(0));

    QJsonObject figures;
    figures.insert(u"kills"_s, kills);
    figures.insert(u"kills_before_connected"_s, killedBeforeConnect);
    figures.insert(u"runs"_s, runs);
    figures.insert(u"devices"_s, devices);
    figures.insert(u"jobs"_s, double(jobs));
    figures.insert(u"jobs_delivered_twice"_s, double(duplicates));
    figures.insert(u"installs"_s, devices);
    figures.insert(u"seconds"_s, double(clock.elapsed()) / 1000.0);
    ReliabilityReport::write(u"crash_rollout"_s, figures);
}

QTEST_GUILESS_MAIN(TestCrashRollout)
#include "test_crash_rollout.moc"
