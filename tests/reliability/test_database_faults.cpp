// Promise 5 (docs/reliability.md): database faults. For the cache and the operations store
// beside it, with the real executables (fleetdeckctl record and its readers devices / alerts /
// audit, the fleetdeck GUI under QT_QPA_PLATFORM=offscreen with private HOME/XDG folders):
// a damaged file, a newer schema, another application's SQLite file, a file that is no
// database, a file this user may not write, a file locked by another process and a full
// disk. Each refusal names the file and says what to do, ends with the documented exit code
// and leaves the file byte for byte as it was (SHA-256 before and after); a fault that clears
// (the lock released, disk space freed) loses nothing that was received, checked message by
// message (fleetdeck-sim --seq-metric + --manifest); the GUI starts, reports the problem and
// quits cleanly when asked.

#include "tests/reliability/child_process.h"
#include "tests/reliability/integrity_check.h"
#include "tests/reliability/reliability_config.h"
#include "tests/reliability/reliability_report.h"
#include "tests/reliability/seq_audit.h"

#include "core/broker/mosquitto_launcher.h"
#include "core/operations/operations_store.h"
#include "core/storage/database.h"
#include "tests/support/raw_db.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>
#include <unistd.h>

using namespace fd;
using namespace fd::test;

namespace {
const QString kSource = QStringLiteral("rel");

QByteArray sha256(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return "(unreadable)";
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&f);
    return hash.result().toHex();
}

bool run(const QString &program, const QStringList &arguments, QString *output = nullptr)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, arguments);
    const bool ok = p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    if (output)
        *output = QString::fromLocal8Bit(p.readAll());
    return ok;
}

// True while another connection holds the write lock of `path` (BEGIN IMMEDIATE fails at once).
bool writeLocked(const QString &path)
{
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        return false;
    }
    sqlite3_busy_timeout(db, 0);
    const int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK)
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    return (rc & 0xff) == SQLITE_BUSY;
}

// A small tmpfs mounted for the test (root only), unmounted when it goes out of scope.
class SmallDisk
{
public:
    bool mount(const QString &dir, int megabytes, QString *error)
    {
        QDir().mkpath(dir);
        QString out;
        if (!run(QStringLiteral("mount"),
                 {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
                  QStringLiteral("size=%1m,mode=0777").arg(megabytes), QStringLiteral("tmpfs"), dir},
                 &out)) {
            *error = out.trimmed();
            return false;
        }
        m_dir = dir;
        return true;
    }
    // Fills the rest of the disk; the write that fails is the proof it is full.
    qint64 fill()
    {
        QFile filler(filler_());
        if (!filler.open(QIODevice::WriteOnly | QIODevice::Append))
            return -1;
        qint64 written = 0;
        for (const int size : {1024 * 1024, 64 * 1024, 4096, 512}) {  // to the last block
            const QByteArray chunk(size, 'x');
            for (;;) {
                const qint64 n = filler.write(chunk);
                if (n <= 0 || !filler.flush())
                    break;
                written += n;
            }
            filler.close();
            if (!filler.open(QIODevice::WriteOnly | QIODevice::Append))
                break;
        }
        return written;
    }
    void free() { QFile::remove(filler_()); }
    ~SmallDisk()
    {
        if (!m_dir.isEmpty())
            run(QStringLiteral("umount"), {QStringLiteral("-l"), m_dir});
    }

private:
    QString filler_() const { return m_dir + QStringLiteral("/filler"); }
    QString m_dir;
};
} // namespace

class TestDatabaseFaults : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void refusedFileIsExplainedAndUntouched_data();
    void refusedFileIsExplainedAndUntouched();
    void emptyFileBecomesANewCache();
    void lockedCacheIsRetriedAndLosesNothing();
    void diskFullIsReportedAndRetriedAndLosesNothing();
    void diskFullUntilExitSaysWhatWasNotSaved();
    void diskFullInTheGuiIsShownAndRetried();
    void diskFullAtOpenIsExplained();

private:
    QStringList environment(const QString &home) const;
    QStringList recordArguments(const QString &cache, int durationS = 0, const QString &source = kSource) const;
    bool startSim(ChildProcess *sim, const QString &manifest, const QString &prefix, int devices, int rate);
    // The manifest is written when the simulator ends: every seq it names is in the cache.
    bool caughtUp(const QString &cache, const QString &manifest, int devices, const QString &source = kSource) const;
    // While it runs: telemetry of that many devices is in the cache.
    bool storing(const QString &cache, int devices, const QString &source = kSource) const;
    void auditComplete(const QString &cache, const QString &manifest, const char *what);
    QString freshCase(const QString &name);
    // A fresh case folder with a tmpfs of sizeMiB mounted at DIR/disk; the reason to skip
    // when it cannot be (not root, no mount allowed), else empty.
    QString smallDiskCase(const QString &name, int sizeMiB, SmallDisk *small, QString *dir);

    QTemporaryDir m_dir;
    MosquittoLauncher m_broker;
    QString m_seedCache;  // a cache with telemetry, and its operations store, made once
    // Figures.
    int m_cases = 0;
    int m_filesCompared = 0;
    int m_processes = 0;
    int m_guiRuns = 0;
    qint64 m_messagesAudited = 0;
    QJsonObject m_figures;
};

QStringList TestDatabaseFaults::environment(const QString &home) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"})
        env.remove(QString::fromLatin1(name));
    QDir().mkpath(home);
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/.local/share"));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), home + QStringLiteral("/.cache"));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    return env.toStringList();
}

QStringList TestDatabaseFaults::recordArguments(const QString &cache, int durationS, const QString &source) const
{
    QStringList a{QStringLiteral("record"), QStringLiteral("--broker"), source + u'=' + m_broker.url(),
                  QStringLiteral("--db"), cache, QStringLiteral("--qos"), QStringLiteral("1"),
                  QStringLiteral("--no-sparkplug"), QStringLiteral("--client-id"),
                  QStringLiteral("rel-dbfault-%1").arg(m_processes)};
    if (durationS > 0)
        a << QStringLiteral("--duration") << QString::number(durationS);
    return a;
}

bool TestDatabaseFaults::startSim(ChildProcess *sim, const QString &manifest, const QString &prefix, int devices,
                                  int rate)
{
    ++m_processes;
    return sim->start(ChildProcess::bin(QStringLiteral("fleetdeck-sim")),
                      {QStringLiteral("--broker"), m_broker.url(), QStringLiteral("--devices"), QString::number(devices),
                       QStringLiteral("--rate"), QString::number(rate), QStringLiteral("--qos"), QStringLiteral("1"),
                       QStringLiteral("--seq-metric"), QStringLiteral("--manifest"), manifest,
                       QStringLiteral("--client-id-prefix"), prefix});
}

bool TestDatabaseFaults::storing(const QString &cache, int devices, const QString &source) const
{
    SeqAudit now;
    QString e;
    return QFileInfo::exists(cache) && now.readCache(cache, source, &e) && now.devicesSeen() >= devices;
}

bool TestDatabaseFaults::caughtUp(const QString &cache, const QString &manifest, int devices,
                                  const QString &source) const
{
    SeqAudit now;
    QString e;
    if (!now.readManifest(manifest, &e) || !now.readCache(cache, source, &e))
        return false;
    const auto result = now.result();
    for (const auto &[id, seqs] : now.storedSeqs().asKeyValueRange())
        if (seqs.isEmpty() || seqs.constLast() < result.value(id).lastSeq)
            return false;
    return now.devicesSeen() >= devices;
}

// Every message the simulator published (QoS 1, a recorder that never died) is in the cache.
void TestDatabaseFaults::auditComplete(const QString &cache, const QString &manifest, const char *what)
{
    SeqAudit audit;
    QString error;
    QVERIFY2(audit.readManifest(manifest, &error), qPrintable(error));
    QVERIFY2(audit.readCache(cache, kSource, &error), qPrintable(error));
    QVERIFY(audit.totalExpected() > 0);
    QVERIFY2(audit.totalMissing() == 0,
             qPrintable(QStringLiteral("%1: %2 of %3 messages missing from the cache")
                            .arg(QLatin1String(what))
                            .arg(audit.totalMissing())
                            .arg(audit.totalExpected())));
    m_messagesAudited += audit.totalExpected();
    m_figures.insert(QLatin1String(what), audit.figures());
}

QString TestDatabaseFaults::freshCase(const QString &name)
{
    const QString dir = m_dir.filePath(name);
    QDir(dir).removeRecursively();
    QDir().mkpath(dir);
    return dir;
}

QString TestDatabaseFaults::smallDiskCase(const QString &name, int sizeMiB, SmallDisk *small, QString *dir)
{
    if (::geteuid() != 0)
        return QStringLiteral("a full disk is a small tmpfs mounted by the test, which needs root (as in CI)");
    *dir = freshCase(name);
    QString error;
    if (!small->mount(*dir + QStringLiteral("/disk"), sizeMiB, &error))
        return QStringLiteral("cannot mount a tmpfs here: ") + error;
    return {};
}

void TestDatabaseFaults::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (MosquittoLauncher::findExecutable().isEmpty())
        QFAIL(qPrintable(MosquittoLauncher::installHint()));
    QString error;
    QVERIFY2(m_broker.start({}, &error), qPrintable(error));

    // The seed: a cache with a few seconds of a small fleet, and its operations store.
    const QString dir = freshCase(QStringLiteral("seed"));
    m_seedCache = dir + QStringLiteral("/cache.sqlite");
    const QString manifest = dir + QStringLiteral("/manifest.json");
    ChildProcess sim(QStringLiteral("sim"));
    ChildProcess record(QStringLiteral("record"));
    record.setEnvironment(environment(dir + QStringLiteral("/home")));
    ++m_processes;
    // Its own source name: the tests' simulators start their seqs at 1 again, under "rel".
    const QString seed = QStringLiteral("seed");
    QVERIFY(record.start(ChildProcess::bin(QStringLiteral("fleetdeckctl")), recordArguments(m_seedCache, 0, seed)));
    QVERIFY(record.waitForStderr("record: connected", 20000));
    QVERIFY(startSim(&sim, manifest, QStringLiteral("rel-dbseed-"), 5, 10));
    QVERIFY(QTest::qWaitFor([&] { return storing(m_seedCache, 5, seed); }, 20000));
    QTest::qWait(500);  // a little history
    QVERIFY(sim.terminate());
    QVERIFY(QTest::qWaitFor([&] { return caughtUp(m_seedCache, manifest, 5, seed); }, 20000));
    QVERIFY(record.terminate());
    QCOMPARE(record.exitCode(), 0);
    QVERIFY(QFileInfo::exists(OperationsStore::pathForCache(m_seedCache)));
    QVERIFY(QFileInfo(m_seedCache).size() > 8 * 4096);
}

void TestDatabaseFaults::cleanupTestCase()
{
    m_broker.stop();
    m_figures.insert(QStringLiteral("cases"), m_cases);
    m_figures.insert(QStringLiteral("refused_files_compared_byte_for_byte"), m_filesCompared);
    m_figures.insert(QStringLiteral("processes_run"), m_processes);
    m_figures.insert(QStringLiteral("gui_runs"), m_guiRuns);
    m_figures.insert(QStringLiteral("messages_audited"), double(m_messagesAudited));
    ReliabilityReport::write(QStringLiteral("database_faults"), m_figures);
}

// ---------------------------------------------------------------------------------------------
// Files refused at open.

void TestDatabaseFaults::refusedFileIsExplainedAndUntouched_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<bool>("operations");  // the operations store, else the cache
    QTest::addColumn<QStringList>("says");  // what the message must contain (case-insensitive)
    const QStringList faults{QStringLiteral("damaged"), QStringLiteral("newer"), QStringLiteral("foreign-sqlite"),
                             QStringLiteral("not-sqlite"), QStringLiteral("read-only")};
    const QHash<QString, QStringList> says{
        {QStringLiteral("damaged"), {QStringLiteral("is damaged"), QStringLiteral("Move it aside")}},
        {QStringLiteral("newer"), {QStringLiteral("newer FleetDeck"), QStringLiteral("Use the newer FleetDeck")}},
        {QStringLiteral("foreign-sqlite"), {QStringLiteral("is not a FleetDeck"), QStringLiteral("Choose another file")}},
        {QStringLiteral("not-sqlite"), {QStringLiteral("not a FleetDeck database"), QStringLiteral("Move it aside")}},
        {QStringLiteral("read-only"), {QStringLiteral("cannot be written"), QStringLiteral("make it writable")}},
    };
    for (bool operations : {false, true})
        for (const QString &fault : faults)
            QTest::addRow("%s %s", operations ? "operations store" : "cache", qPrintable(fault))
                << fault << operations << (says.value(fault) << QStringLiteral("the file was left unchanged"));
}

void TestDatabaseFaults::refusedFileIsExplainedAndUntouched()
{
    QFETCH(QString, fault);
    QFETCH(bool, operations);
    QFETCH(QStringList, says);
    const bool root = ::geteuid() == 0;
    const QString setpriv = QStandardPaths::findExecutable(QStringLiteral("setpriv"));
    if (fault == u"read-only" && root && setpriv.isEmpty())
        QSKIP("root writes any file: the read-only case runs the executables as nobody through setpriv, not found");

    const QString dir = freshCase(QStringLiteral("refused-%1-%2").arg(operations ? QStringLiteral("ops") : QStringLiteral("cache"), fault));
    const QString cache = dir + QStringLiteral("/cache.sqlite");
    const QString ops = OperationsStore::pathForCache(cache);
    QVERIFY(QFile::copy(m_seedCache, cache));
    QVERIFY(QFile::copy(OperationsStore::pathForCache(m_seedCache), ops));
    const QString target = operations ? ops : cache;

    if (fault == u"damaged") {
        // Bytes overwritten in the middle: the middle third of the pages, page headers included.
        QFile f(target);
        QVERIFY(f.open(QIODevice::ReadWrite));
        const qint64 pages = f.size() / 4096;
        QVERIFY(pages >= 3);
        QVERIFY(f.seek(pages / 3 * 4096));
        QVERIFY(f.write(QByteArray((pages / 3 + 1) * 4096, char(0xA5))) > 0);
    } else if (fault == u"newer") {
        RawDb raw(target);
        QCOMPARE(raw.exec("PRAGMA user_version = 99"), QString());
    } else if (fault == u"foreign-sqlite") {
        QVERIFY(QFile::remove(target));
        RawDb raw(target);
        QCOMPARE(raw.exec("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT);"
                          "INSERT INTO contacts (name) VALUES ('Ada'), ('Grace');"),
                 QString());
    } else if (fault == u"not-sqlite") {
        QVERIFY(QFile::remove(target));
        QFile f(target);
        QVERIFY(f.open(QIODevice::WriteOnly));
        for (int i = 0; i < 200; ++i)
            f.write("Quarterly report, not a database. Quarterly report, not a database.\n");
    } else if (fault == u"read-only") {
        QVERIFY(QFile::setPermissions(target, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
        if (root) {  // nobody may write the folder and its other file, not the target
            QVERIFY(run(QStringLiteral("chmod"), {QStringLiteral("-R"), QStringLiteral("a+rwX"), m_dir.path()}));
            QVERIFY(QFile::setPermissions(target, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
        }
    }
    const QByteArray before = sha256(target);
    const QString home = dir + QStringLiteral("/home");
    const QStringList env = environment(home);
    if (fault == u"read-only" && root)
        QVERIFY(run(QStringLiteral("chmod"), {QStringLiteral("-R"), QStringLiteral("a+rwX"), home}));
    // As nobody for a read-only file when we are root (root may write any file).
    const auto command = [&](const QString &program, QStringList arguments) {
        if (fault == u"read-only" && root) {
            arguments.prepend(program);
            arguments.prepend(QStringLiteral("--"));
            arguments.prepend(QStringLiteral("--clear-groups"));
            arguments.prepend(QStringLiteral("--regid=nogroup"));
            arguments.prepend(QStringLiteral("--reuid=nobody"));
            return std::make_pair(setpriv, arguments);
        }
        return std::make_pair(program, arguments);
    };
    const auto saysAll = [&](const QByteArray &text, const QString &who) {
        const QString s = QString::fromLocal8Bit(text);
        QVERIFY2(s.contains(target), qPrintable(who + QStringLiteral(" does not name the file: ") + s));
        for (const QString &part : says)
            QVERIFY2(s.contains(part, Qt::CaseInsensitive),
                     qPrintable(who + QStringLiteral(" does not say \"") + part + QStringLiteral("\": ") + s));
    };
    const QString ctl = ChildProcess::bin(QStringLiteral("fleetdeckctl"));

    // fleetdeckctl record.
    {
        ChildProcess record(QStringLiteral("record"));
        record.setEnvironment(env);
        ++m_processes;
        const auto [program, arguments] = command(ctl, recordArguments(cache, 1));
        QVERIFY(record.start(program, arguments));
        QVERIFY(record.waitForFinished(30000));
        QCOMPARE(record.exitStatus(), QProcess::NormalExit);
        const QByteArray err = record.standardError();
        if (operations) {
            // The telemetry is recorded; without the store there are no rules, so no alert is lost.
            QVERIFY2(err.contains("operations store: ") && err.contains("alerts are not recorded"), err.constData());
            saysAll(err, QStringLiteral("record"));
            QCOMPARE(record.exitCode(), 0);
        } else {
            saysAll(err, QStringLiteral("record"));
            QCOMPARE(record.exitCode(), 2);
            QVERIFY2(!err.contains("record: connected"), "record connected without a cache");
        }
    }
    QCOMPARE(sha256(target), before);

    // The readers: `devices` reads the cache, `alerts` and `audit` the operations store.
    // Reading needs no write access: a read-only file is read.
    for (const char *reader : {"devices", "alerts", "audit"}) {
        const bool readsTarget = (QByteArrayView(reader) == "devices") != operations;
        ChildProcess child(QString::fromLatin1(reader));
        child.setEnvironment(env);
        ++m_processes;
        const auto [program, arguments] =
            command(ctl, {QString::fromLatin1(reader), QStringLiteral("--db"), cache, QStringLiteral("--json")});
        QVERIFY(child.start(program, arguments));
        QVERIFY(child.waitForFinished(30000));
        QCOMPARE(child.exitStatus(), QProcess::NormalExit);
        const QByteArray err = child.standardError();
        if (!readsTarget || fault == u"read-only") {
            QVERIFY2(child.exitCode() == 0, err.constData());
        } else if (fault == u"damaged" && child.exitCode() == 0) {
            // A reader skips the whole-file check (the writer's job): the damage may lie
            // outside what it reads. Then what it printed must be well-formed.
            QVERIFY(child.standardOutput().trimmed().startsWith('['));
        } else {
            QVERIFY2(child.exitCode() == 2, err.constData());
            const QString s = QString::fromLocal8Bit(err);
            QVERIFY2(s.contains(target), err.constData());
            if (fault != u"damaged")  // a reader finds damage while reading: SQLite's words
                for (const QString &part : says)
                    if (!part.contains(u"writable"))
                        QVERIFY2(s.contains(part, Qt::CaseInsensitive), err.constData());
        }
        QCOMPARE(sha256(target), before);
    }

    // The GUI: starts, shows the problem (the cache: a dialog before the window; the
    // operations store: the window with a warning), quits cleanly on SIGTERM.
    {
        ChildProcess gui(QStringLiteral("gui"));
        gui.setEnvironment(env);
        ++m_processes;
        ++m_guiRuns;
        const auto [program, arguments] =
            command(ChildProcess::bin(QStringLiteral("fleetdeck")),
                    {QStringLiteral("--db"), cache, QStringLiteral("--broker"), m_broker.url()});
        QVERIFY(gui.start(program, arguments));
        const QByteArray shown = operations ? "operations store problem shown:" : "cannot open cache";
        QVERIFY2(gui.waitForStderr(shown, 30000), gui.standardError().constData());
        saysAll(gui.standardError(), QStringLiteral("fleetdeck"));
        QVERIFY2(gui.isRunning(), "the GUI ended instead of showing the problem");
        QVERIFY(gui.terminate());
        QCOMPARE(gui.exitStatus(), QProcess::NormalExit);
        QVERIFY2(!gui.standardError().contains("QSqlDatabase") && !gui.standardError().contains("ASSERT"),
                 gui.standardError().constData());
    }
    QCOMPARE(sha256(target), before);
    ++m_filesCompared;
    ++m_cases;
    if (fault == u"read-only" && root)
        QVERIFY(QFile::setPermissions(target, QFile::ReadOwner | QFile::WriteOwner));
}

// An empty file holds nothing to lose: SQLite takes it for a new database, and so does
// FleetDeck (`touch cache.sqlite` then `record --db cache.sqlite`).
void TestDatabaseFaults::emptyFileBecomesANewCache()
{
    const QString dir = freshCase(QStringLiteral("empty"));
    const QString cache = dir + QStringLiteral("/cache.sqlite");
    {
        QFile f(cache);
        QVERIFY(f.open(QIODevice::WriteOnly));
    }
    ChildProcess record(QStringLiteral("record"));
    record.setEnvironment(environment(dir + QStringLiteral("/home")));
    ++m_processes;
    QVERIFY(record.start(ChildProcess::bin(QStringLiteral("fleetdeckctl")), recordArguments(cache, 1)));
    QVERIFY(record.waitForFinished(30000));
    QVERIFY2(record.exitCode() == 0, record.standardError().constData());
    QCOMPARE(integrityProblems(cache), QString());
    RawDb raw(cache);
    QCOMPARE(raw.integer("PRAGMA user_version"), qint64(Database::kSchemaVersion));
    ++m_cases;
}

// ---------------------------------------------------------------------------------------------
// Faults while writing: they clear, and nothing received is lost.

// Another process holds the cache's write lock (BEGIN EXCLUSIVE in the sqlite3 shell): the
// recorder says so, keeps what it receives and saves it once the lock is released; readers
// keep reading meanwhile (WAL).
void TestDatabaseFaults::lockedCacheIsRetriedAndLosesNothing()
{
    const QString shell = QStandardPaths::findExecutable(QStringLiteral("sqlite3"));
    if (shell.isEmpty())
        QSKIP("the sqlite3 shell (package sqlite3) holds the lock from another process; not installed");
    const QString dir = freshCase(QStringLiteral("locked"));
    const QString cache = dir + QStringLiteral("/cache.sqlite");
    const QString manifest = dir + QStringLiteral("/manifest.json");
    QVERIFY(QFile::copy(m_seedCache, cache));
    const QStringList env = environment(dir + QStringLiteral("/home"));

    ChildProcess record(QStringLiteral("record"));
    record.setEnvironment(env);
    ++m_processes;
    QVERIFY(record.start(ChildProcess::bin(QStringLiteral("fleetdeckctl")), recordArguments(cache)));
    QVERIFY(record.waitForStderr("record: connected", 20000));
    ChildProcess sim(QStringLiteral("sim"));
    QVERIFY(startSim(&sim, manifest, QStringLiteral("rel-dblock-"), 5, 10));
    QVERIFY(QTest::qWaitFor([&] { return storing(cache, 5); }, 20000));

    QProcess locker;
    ++m_processes;
    locker.start(shell, {cache});
    QVERIFY(locker.waitForStarted());
    locker.write(".timeout 20000\nBEGIN EXCLUSIVE;\n");
    QVERIFY2(QTest::qWaitFor([&] { return writeLocked(cache); }, 20000), "the sqlite3 shell did not take the lock");
    QElapsedTimer locked;
    locked.start();

    // Readers read.
    {
        ChildProcess devices(QStringLiteral("devices"));
        devices.setEnvironment(env);
        ++m_processes;
        QVERIFY(devices.start(ChildProcess::bin(QStringLiteral("fleetdeckctl")),
                              {QStringLiteral("devices"), QStringLiteral("--db"), cache, QStringLiteral("--json")}));
        QVERIFY(devices.waitForFinished(30000));
        QVERIFY2(devices.exitCode() == 0, devices.standardError().constData());
        QVERIFY(devices.standardOutput().contains("rel-dblock-") || devices.standardOutput().contains("dev-"));
    }
    // The writer waits for the lock (busy timeout), then reports and retries.
    QVERIFY2(record.waitForStderr("cache write failed", 30000), record.standardError().constData());
    const QString err = QString::fromLocal8Bit(record.standardError());
    QVERIFY2(err.contains(cache), qPrintable(err));
    QVERIFY2(err.contains(u"locked"), qPrintable(err));
    QVERIFY2(err.contains(u"another program"), qPrintable(err));  // who to look for
    QVERIFY2(err.contains(u"kept in memory"), qPrintable(err));
    QVERIFY(record.isRunning());

    locker.write("COMMIT;\n.quit\n");
    locker.closeWriteChannel();
    QVERIFY(locker.waitForFinished(10000));
    const qint64 lockedMs = locked.elapsed();

    QVERIFY(sim.terminate());
    QVERIFY2(QTest::qWaitFor([&] { return caughtUp(cache, manifest, 5); }, 45000),
             "the recorder did not save what it received while the cache was locked");
    QVERIFY(record.terminate());
    QVERIFY2(record.exitCode() == 0, record.standardError().right(2000).constData());
    auditComplete(cache, manifest, "locked");
    QCOMPARE(integrityProblems(cache), QString());
    m_figures.insert(QStringLiteral("locked_ms"), double(lockedMs));
    ++m_cases;
}

void TestDatabaseFaults::diskFullIsReportedAndRetriedAndLosesNothing()
{
    SmallDisk small;
    QString dir;
    if (const QString why = smallDiskCase(QStringLiteral("full"), 16, &small, &dir); !why.isEmpty())
        QSKIP(qPrintable(why));
    const QString disk = dir + QStringLiteral("/disk");
    QString error;
    const QString cache = disk + QStringLiteral("/cache.sqlite");
    const QString manifest = dir + QStringLiteral("/manifest.json");

    ChildProcess record(QStringLiteral("record"));
    record.setEnvironment(environment(dir + QStringLiteral("/home")));
    ++m_processes;
    QVERIFY(record.start(ChildProcess::bin(QStringLiteral("fleetdeckctl")), recordArguments(cache)));
    QVERIFY(record.waitForStderr("record: connected", 20000));
    ChildProcess sim(QStringLiteral("sim"));
    QVERIFY(startSim(&sim, manifest, QStringLiteral("rel-dbfull-"), 20, 20));
    QVERIFY(QTest::qWaitFor([&] { return storing(cache, 20); }, 20000));

    QVERIFY(small.fill() >= 0);
    QElapsedTimer full;
    full.start();
    QVERIFY2(record.waitForStderr("cache write failed", 30000), "the recorder never noticed the full disk");
    const qint64 noticedMs = full.elapsed();
    const QString err = QString::fromLocal8Bit(record.standardError());
    QVERIFY2(err.contains(cache), qPrintable(err));
    QVERIFY2(err.contains(u"full"), qPrintable(err));
    QVERIFY2(err.contains(u"free disk space"), qPrintable(err));
    QVERIFY2(err.contains(u"kept in memory"), qPrintable(err));
    QTest::qWait(1000);  // a retry fails too
    QVERIFY(record.isRunning());

    small.free();
    QVERIFY(sim.terminate());
    QVERIFY2(QTest::qWaitFor([&] { return caughtUp(cache, manifest, 20); }, 45000),
             "what arrived while the disk was full was not saved once it had space");
    QVERIFY(record.terminate());
    QVERIFY2(record.exitCode() == 0, record.standardError().right(2000).constData());
    auditComplete(cache, manifest, "disk_full_cleared");
    QCOMPARE(integrityProblems(cache), QString());
    m_figures.insert(QStringLiteral("disk_full_noticed_ms"), double(noticedMs));
    ++m_cases;
}

// The disk stays full until the recorder stops: it says how much was not saved and exits 5;
// the cache is intact and keeps everything committed before.
void TestDatabaseFaults::diskFullUntilExitSaysWhatWasNotSaved()
{
    SmallDisk small;
    QString dir;
    if (const QString why = smallDiskCase(QStringLiteral("full-exit"), 16, &small, &dir); !why.isEmpty())
        QSKIP(qPrintable(why));
    const QString disk = dir + QStringLiteral("/disk");
    QString error;
    const QString cache = disk + QStringLiteral("/cache.sqlite");
    const QString manifest = dir + QStringLiteral("/manifest.json");
    ChildProcess record(QStringLiteral("record"));
    record.setEnvironment(environment(dir + QStringLiteral("/home")));
    ++m_processes;
    QVERIFY(record.start(ChildProcess::bin(QStringLiteral("fleetdeckctl")), recordArguments(cache)));
    QVERIFY(record.waitForStderr("record: connected", 20000));
    ChildProcess sim(QStringLiteral("sim"));
    QVERIFY(startSim(&sim, manifest, QStringLiteral("rel-dbfull2-"), 20, 20));
    QVERIFY(QTest::qWaitFor([&] { return storing(cache, 20); }, 20000));
    SeqAudit committed;
    QVERIFY2(committed.readCache(cache, kSource, &error), qPrintable(error));

    QVERIFY(small.fill() >= 0);
    QVERIFY2(record.waitForStderr("cache write failed", 30000), "the recorder never noticed the full disk");
    QVERIFY(sim.terminate());
    QVERIFY(record.terminate());
    QCOMPARE(record.exitStatus(), QProcess::NormalExit);
    QCOMPARE(record.exitCode(), 5);
    const QString err = QString::fromLocal8Bit(record.standardError());
    QVERIFY2(err.contains(u"were received but NOT saved to " + cache), qPrintable(err.right(2000)));

    small.free();
    QCOMPARE(integrityProblems(cache), QString());
    SeqAudit after;
    QVERIFY2(after.readCache(cache, kSource, &error), qPrintable(error));
    QCOMPARE(SeqAudit::lostSince(committed.storedSeqs(), after.storedSeqs()), 0);
    // And it opens again for writing.
    ChildProcess again(QStringLiteral("record"));
    again.setEnvironment(environment(dir + QStringLiteral("/home")));
    ++m_processes;
    QVERIFY(again.start(ChildProcess::bin(QStringLiteral("fleetdeckctl")), recordArguments(cache, 1)));
    QVERIFY(again.waitForFinished(30000));
    QVERIFY2(again.exitCode() == 0, again.standardError().constData());
    ++m_cases;
}

// The GUI on a full disk: it says so (status bar and a dialog; the log line is what the test
// can read), keeps showing live data, and saves everything once there is space again.
void TestDatabaseFaults::diskFullInTheGuiIsShownAndRetried()
{
    SmallDisk small;
    QString dir;
    if (const QString why = smallDiskCase(QStringLiteral("full-gui"), 16, &small, &dir); !why.isEmpty())
        QSKIP(qPrintable(why));
    const QString disk = dir + QStringLiteral("/disk");
    QString error;
    const QString cache = disk + QStringLiteral("/cache.sqlite");
    const QString manifest = dir + QStringLiteral("/manifest.json");
    ChildProcess gui(QStringLiteral("gui"));
    gui.setEnvironment(environment(dir + QStringLiteral("/home")));
    ++m_processes;
    ++m_guiRuns;
    QVERIFY(gui.start(ChildProcess::bin(QStringLiteral("fleetdeck")),
                      {QStringLiteral("--db"), cache, QStringLiteral("--broker"), m_broker.url()}));
    ChildProcess sim(QStringLiteral("sim"));
    QVERIFY(startSim(&sim, manifest, QStringLiteral("rel-dbfullgui-"), 20, 20));
    // The GUI names its source after the broker; find it from what it stored.
    QString source;
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     if (!QFileInfo::exists(cache))  // RawDb would create it
                         return false;
                     RawDb raw(cache);
                     if (!raw.isOpen())
                         return false;
                     const QStringList sources = raw.texts("SELECT DISTINCT source FROM device_keys");
                     if (sources.isEmpty() || sources.constFirst().startsWith(u"error: "))
                         return false;
                     source = sources.constFirst();
                     return true;
                 },
                 30000),
             gui.standardError().right(2000).constData());
    QVERIFY(small.fill() >= 0);
    QVERIFY2(gui.waitForStderr("storage error:", 30000), "the GUI never noticed the full disk");
    const QString err = QString::fromLocal8Bit(gui.standardError());
    QVERIFY2(err.contains(cache) && err.contains(u"full"), qPrintable(err.right(2000)));
    QTest::qWait(1000);
    QVERIFY(gui.isRunning());
    small.free();
    QVERIFY(sim.terminate());
    // Missing after the first message the GUI got: what was published before it subscribed
    // (a run from seq 1) was never its to lose.
    const auto lostAfterSubscribing = [](const SeqAudit &audit) {
        qint64 lost = 0;
        for (const SeqAudit::Device &d : audit.result())
            for (const auto &run : d.missingRuns)
                if (run.first > 1)
                    lost += run.second - run.first + 1;
        return lost;
    };
    const auto allSaved = [&] {
        SeqAudit now;
        QString e;
        if (!now.readManifest(manifest, &e) || !now.readCache(cache, source, &e))
            return false;
        const auto result = now.result();
        for (const auto &[id, seqs] : now.storedSeqs().asKeyValueRange())
            if (seqs.isEmpty() || seqs.constLast() < result.value(id).lastSeq)
                return false;
        return now.devicesSeen() >= 20 && lostAfterSubscribing(now) == 0;
    };
    QVERIFY2(QTest::qWaitFor(allSaved, 45000), "the GUI did not save what arrived while the disk was full");
    QVERIFY(gui.terminate());
    QCOMPARE(gui.exitStatus(), QProcess::NormalExit);
    SeqAudit audit;
    QVERIFY(audit.readManifest(manifest, &error));
    QVERIFY(audit.readCache(cache, source, &error));
    QCOMPARE(lostAfterSubscribing(audit), 0);
    m_messagesAudited += audit.totalExpected();
    QJsonObject guiFigures = audit.figures();
    guiFigures.insert(QStringLiteral("published_before_the_gui_subscribed"),
                      guiFigures.value(QStringLiteral("messages_missing")));
    guiFigures.insert(QStringLiteral("messages_missing"), 0);
    m_figures.insert(QStringLiteral("gui_disk_full_cleared"), guiFigures);
    QCOMPARE(integrityProblems(cache), QString());
    ++m_cases;
}

// A new cache on a disk that is already full: refused at open with what to do (exit 2).
void TestDatabaseFaults::diskFullAtOpenIsExplained()
{
    SmallDisk small;
    QString dir;
    if (const QString why = smallDiskCase(QStringLiteral("full-open"), 4, &small, &dir); !why.isEmpty())
        QSKIP(qPrintable(why));
    const QString disk = dir + QStringLiteral("/disk");
    QString error;
    QVERIFY(small.fill() >= 0);
    const QString cache = disk + QStringLiteral("/cache.sqlite");
    ChildProcess record(QStringLiteral("record"));
    record.setEnvironment(environment(dir + QStringLiteral("/home")));
    ++m_processes;
    QVERIFY(record.start(ChildProcess::bin(QStringLiteral("fleetdeckctl")), recordArguments(cache, 1)));
    QVERIFY(record.waitForFinished(30000));
    QCOMPARE(record.exitCode(), 2);
    const QString err = QString::fromLocal8Bit(record.standardError());
    QVERIFY2(err.contains(cache) && err.contains(u"disk is full") && err.contains(u"Free disk space"), qPrintable(err));
    ++m_cases;
}

QTEST_GUILESS_MAIN(TestDatabaseFaults)
#include "test_database_faults.moc"
