// Promise 1 (docs/reliability.md), the GUI: `fleetdeck` killed with SIGKILL at random moments
// (during its start-up too) while it ingests telemetry and records alert transitions leaves a
// cache and an operations store that pass PRAGMA integrity_check, never loses telemetry it
// had committed, and starts again without a problem dialog and goes on ingesting. The
// devices are fleetdeck-sim's with --seq-metric (every message's seq is stored, so the cache
// can be audited message by message); alert rules imported beforehand (`fleetdeckctl rules
// import`) fire and clear on the simulated temperatures, so alert rows and their timelines
// are written while the GUI runs. The GUI runs headless (QT_QPA_PLATFORM=offscreen) with its
// own HOME and XDG directories, so its settings are private to the test.

#include "tests/reliability/child_process.h"
#include "tests/reliability/integrity_check.h"
#include "tests/reliability/reliability_config.h"
#include "tests/reliability/reliability_report.h"
#include "tests/reliability/seq_audit.h"

#include "core/broker/mosquitto_launcher.h"
#include "core/operations/operations_store.h"
#include "tests/support/raw_db.h"

#include <QDir>
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

constexpr int kDevices = 20;
constexpr int kRateHz = 5;
// What the GUI says when it refuses a file or cannot use it (app/gui/fleetdeck_gui.cpp,
// core/alerts, ui/main_window.cpp): none of it may appear after a kill.
const QList<QByteArray> kProblems = {"cannot open cache", "operations store:", "cannot read the alerts",
                                     "storage error:", "alert transitions not recorded"};

} // namespace

class TestCrashGui : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void sigkilledGuiLosesNothingCommittedAndStartsAgain();

private:
    bool startGui(ChildProcess *gui);
    // The source the GUI stores the devices under (one broker: one source).
    QString source();

    QTemporaryDir m_dir;
    QString m_cache;
    MosquittoLauncher m_broker;
};

void TestCrashGui::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (MosquittoLauncher::findExecutable().isEmpty())
        QFAIL(qPrintable(MosquittoLauncher::installHint()));
    QString error;
    QVERIFY2(m_broker.start({}, &error), qPrintable(error));
    m_cache = m_dir.filePath(u"fleet.sqlite"_s);
    for (const char *d : {"home", "config", "data", "cache", "runtime"})
        QVERIFY(QDir(m_dir.path()).mkpath(QString::fromLatin1(d)));
    QFile::setPermissions(m_dir.filePath(u"runtime"_s), QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                                            | QFileDevice::ExeOwner);
}

void TestCrashGui::cleanupTestCase()
{
    m_broker.stop();
}

bool TestCrashGui::startGui(ChildProcess *gui)
{
    QStringList env = QProcessEnvironment::systemEnvironment().toStringList();
    env.append(u"QT_QPA_PLATFORM=offscreen"_s);
    env.append(u"HOME="_s + m_dir.filePath(u"home"_s));
    env.append(u"XDG_CONFIG_HOME="_s + m_dir.filePath(u"config"_s));
    env.append(u"XDG_DATA_HOME="_s + m_dir.filePath(u"data"_s));
    env.append(u"XDG_CACHE_HOME="_s + m_dir.filePath(u"cache"_s));
    env.append(u"XDG_RUNTIME_DIR="_s + m_dir.filePath(u"runtime"_s));
    env.append(u"QT_LOGGING_RULES=fleetdeck.*.debug=false;fleetdeck.app.info=true"_s);
    gui->setEnvironment(env);
    return gui->start(ChildProcess::bin(u"fleetdeck"_s), {u"--broker"_s, m_broker.url(), u"--db"_s, m_cache});
}

QString TestCrashGui::source()
{
    RawDb db(m_cache);
    const QStringList sources = db.texts("SELECT DISTINCT source FROM device_keys WHERE path LIKE 'dev-%'");
    return sources.size() == 1 ? sources.first() : QString();
}

void TestCrashGui::sigkilledGuiLosesNothingCommittedAndStartsAgain()
{
    const int cycles = ReliabilityConfig::pick(6, 150);
    const quint64 seed = ReliabilityConfig::seed();
    QRandomGenerator rng(seed);
    qInfo("seed %llu, %d cycles", static_cast<unsigned long long>(seed), cycles);
    QElapsedTimer clock;
    clock.start();
    const QString store = OperationsStore::pathForCache(m_cache);

    // Rules every degree from -20 to 40 (hysteresis 0.2): every simulated temperature wanders
    // across a few of them, so alerts are raised and cleared all the time.
    QJsonArray rules;
    for (int t = -20; t <= 40; ++t)
        rules.append(QJsonObject{{u"name"_s, u"temperature above %1"_s.arg(t)},
                                 {u"severity"_s, u"MINOR"_s},
                                 {u"metric"_s, u"temperature"_s},
                                 {u"kind"_s, u"above"_s},
                                 {u"threshold"_s, t},
                                 {u"clear_below"_s, t - 0.2}});
    const QString rulesFile = m_dir.filePath(u"rules.json"_s);
    {
        QFile f(rulesFile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument(QJsonObject{{u"rules"_s, rules}}).toJson());
    }
    {
        QProcess ctl;
        ctl.start(ChildProcess::bin(u"fleetdeckctl"_s), {u"rules"_s, u"import"_s, u"--db"_s, m_cache, rulesFile});
        QVERIFY(ctl.waitForFinished(30000));
        QVERIFY2(ctl.exitCode() == 0, ctl.readAllStandardError().constData());
    }

    const QString manifest = m_dir.filePath(u"manifest.json"_s);
    ChildProcess sim(u"sim"_s);
    QVERIFY(sim.start(ChildProcess::bin(u"fleetdeck-sim"_s),
                      {u"--broker"_s, m_broker.url(), u"--devices"_s, QString::number(kDevices), u"--rate"_s,
                       QString::number(kRateHz), u"--qos"_s, u"1"_s, u"--seq-metric"_s, u"--seed"_s, u"15"_s,
                       u"--manifest"_s, manifest, u"--client-id-prefix"_s, u"rel-gui-"_s}));

    QHash<QString, QList<qint64>> before;
    QString src;
    int killedDuringStartup = 0;
    int cyclesIngesting = 0;
    qint64 maxPoints = 0;
    for (int cycle = 0; cycle <= cycles; ++cycle) {
        const bool last = cycle == cycles;
        ChildProcess gui(u"gui"_s);
        QVERIFY(startGui(&gui));
        if (!last) {
            // A random moment: opening the files (integrity check, migration), the window,
            // connecting, ingesting and committing, recording alert transitions.
            const int lifeMs = 500 + int(rng.bounded(3500));
            QTest::qWait(lifeMs);
            QVERIFY2(gui.isRunning(), gui.standardError().right(3000).constData());
        } else {
            // The last start: it opens both files and goes on ingesting (new messages are
            // committed) and recording alert transitions.
            const qint64 eventsBefore = RawDb(store).integer("SELECT count(*) FROM alert_events");
            qint64 maxBefore = 0;
            for (const QList<qint64> &seqs : std::as_const(before))
                maxBefore += seqs.isEmpty() ? 0 : seqs.constLast();
            const auto ingesting = [&] {
                SeqAudit now;
                QString e;
                const QString s = src.isEmpty() ? source() : src;
                if (s.isEmpty() || !now.readCache(m_cache, s, &e))
                    return false;
                qint64 maxNow = 0;
                for (const QList<qint64> &seqs : now.storedSeqs())
                    maxNow += seqs.isEmpty() ? 0 : seqs.constLast();
                return maxNow > maxBefore + kDevices && RawDb(store).integer("SELECT count(*) FROM alert_events") > eventsBefore;
            };
            QVERIFY2(QTest::qWaitFor(ingesting, 60000), gui.standardError().right(3000).constData());
        }
        const QByteArray err = gui.standardError();
        if (!last && !err.contains("schema"))
            ++killedDuringStartup;
        gui.killHard();
        for (const QByteArray &problem : kProblems)
            QVERIFY2(!err.contains(problem), qPrintable(u"start %1: %2"_s.arg(cycle).arg(QString::fromUtf8(err.right(3000)))));

        QString problems = integrityProblems(m_cache);
        QVERIFY2(problems.isEmpty(), qPrintable(u"cycle %1, cache: %2"_s.arg(cycle).arg(problems)));
        problems = integrityProblems(store);
        QVERIFY2(problems.isEmpty(), qPrintable(u"cycle %1, operations store: %2"_s.arg(cycle).arg(problems)));
        if (src.isEmpty())
            src = source();
        if (src.isEmpty())
            continue;  // nothing committed yet
        SeqAudit audit;
        QString error;
        QVERIFY2(audit.readCache(m_cache, src, &error), qPrintable(error));
        const qint64 lost = SeqAudit::lostSince(before, audit.storedSeqs());
        QVERIFY2(lost == 0, qPrintable(u"cycle %1: %2 committed points disappeared"_s.arg(cycle).arg(lost)));
        qint64 points = 0;
        for (const QList<qint64> &seqs : audit.storedSeqs())
            points += seqs.size();
        if (points > maxPoints)
            ++cyclesIngesting;
        maxPoints = qMax(maxPoints, points);
        before = audit.storedSeqs();
    }
    QVERIFY(!src.isEmpty());
    QVERIFY(sim.terminate());

    SeqAudit audit;
    QString error;
    QVERIFY2(audit.readManifest(manifest, &error), qPrintable(error));
    QVERIFY2(audit.readCache(m_cache, src, &error), qPrintable(error));
    QCOMPARE(audit.totalDuplicates(), 0);
    RawDb ops(store);
    QJsonObject figures = audit.figures();
    figures.insert(u"cycles"_s, cycles);
    figures.insert(u"kills_during_startup"_s, killedDuringStartup);
    figures.insert(u"starts_that_committed_telemetry"_s, cyclesIngesting);
    figures.insert(u"points_committed"_s, double(maxPoints));
    figures.insert(u"committed_points_lost"_s, 0);
    figures.insert(u"alerts"_s, double(ops.integer("SELECT count(*) FROM alerts")));
    figures.insert(u"alert_events"_s, double(ops.integer("SELECT count(*) FROM alert_events")));
    figures.insert(u"problem_dialogs"_s, 0);
    figures.insert(u"seconds"_s, double(clock.elapsed()) / 1000.0);
    ReliabilityReport::write(u"crash_gui"_s, figures);
}

QTEST_GUILESS_MAIN(TestCrashGui)
#include "test_crash_gui.moc"
