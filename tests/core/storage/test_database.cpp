// Tests of fd::Database: open, integrity and schema checks, migrations, moveAside.

#include "core/storage/background_integrity_check.h"
#include "core/storage/database.h"
#include "storage_test_data.h"

#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>

#include <unistd.h>

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace Qt::StringLiterals;
using namespace fd;
using namespace fd::storagetest;

class TestDatabase : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void memoryDatabase();
    void migratesEmptyFileAndCreatesFolder();
    void migratesZeroByteFile();
    void reopenKeepsData();
    void newerSchemaIsRefusedAndUntouched();
    void garbageFileIsUnreadableAndUntouched_data();
    void garbageFileIsUnreadableAndUntouched();
    void damagedDatabaseIsUnreadableAndUntouched();
    void failedMigrationRollsBack();
    void sqliteFileWithoutSchemaVersionIsNotOurs();
    void readOnlyFileIsRefusedAtOpen();
    void bigFileChecksSmallTablesAtOpen();
    void backgroundCheckFindsDamageInHistory();
    void fileOfAnotherApplicationIsRefusedAndUntouched();
    void schemaWithApplicationIdSetsAndChecksIt();
    void readOnlyOpen();
    void readOnlyRefusesMissingOrUnmigratedFile();
    void twoConnectionsMigrateConcurrently();
    void moveAsideRenamesDatabaseWalAndShm();
    void moveAsideTwiceInOneSecond();
    void moveAsideMissingFile();

private:
    QString file(const QString &name) const { return m_dir->filePath(name); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestDatabase::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestDatabase::memoryDatabase()
{
    Database db;
    const auto r = db.open(u":memory:"_s);
    QVERIFY2(r.ok(), qPrintable(r.message));
    QCOMPARE(r.schemaVersion, Database::kSchemaVersion);
    QVERIFY(db.isOpen());
    QVERIFY(db.exec("INSERT INTO devices(source, path, id) VALUES('default', 'a', 'a')"));
    db.close();
    QVERIFY(!db.isOpen());
}

void TestDatabase::migratesEmptyFileAndCreatesFolder()
{
    const QString path = file(u"nested/deeper/cache.db"_s);
    {
        Database db;
        const auto r = db.open(path);
        QVERIFY2(r.ok(), qPrintable(r.message));
        QCOMPARE(r.schemaVersion, Database::kSchemaVersion);
        QCOMPARE(db.path(), path);
    }
    QVERIFY(QFileInfo::exists(path));
    RawDb raw(path);
    QCOMPARE(raw.integer("PRAGMA user_version"), Database::kSchemaVersion);
    QCOMPARE(raw.texts("PRAGMA journal_mode"), QStringList{u"wal"_s});
    QStringList tables = raw.texts("SELECT name FROM sqlite_master WHERE type = 'table'");
    tables.sort();
    const QStringList expected = {u"device_keys"_s, u"device_metrics"_s, u"device_rejects"_s,
                                  u"devices"_s,     u"meta"_s,           u"metrics"_s,
                                  u"series"_s,      u"telemetry"_s,      u"telemetry_1h"_s,
                                  u"telemetry_1m"_s, u"telemetry_blocks"_s, u"telemetry_staging"_s};
    QCOMPARE(tables, expected);
    QCOMPARE(raw.texts("SELECT value FROM meta WHERE key = 'migrated_by'"),
             QStringList{u"FleetDeck " FLEETDECK_VERSION ""_s});
}

void TestDatabase::migratesZeroByteFile()
{
    const QString path = file(u"empty.db"_s);
    QVERIFY(writeAll(path, QByteArray()));
    Database db;
    const auto r = db.open(path);
    QVERIFY2(r.ok(), qPrintable(r.message));
    QCOMPARE(r.schemaVersion, Database::kSchemaVersion);
}

void TestDatabase::reopenKeepsData()
{
    const QString path = file(u"cache.db"_s);
    {
        Database db;
        QVERIFY(db.open(path).ok());
        QVERIFY(db.exec("INSERT INTO devices(source, path, id, name) VALUES('default', 'dev-1', 'dev-1', 'Pump')"));
    }
    Database db;
    const auto r = db.open(path);
    QVERIFY2(r.ok(), qPrintable(r.message));
    QCOMPARE(r.schemaVersion, Database::kSchemaVersion);
    db.close();
    RawDb raw(path);
    QCOMPARE(raw.texts("SELECT name FROM devices"), QStringList{u"Pump"_s});
}

void TestDatabase::newerSchemaIsRefusedAndUntouched()
{
    const QString path = file(u"newer.db"_s);
    {
        Database db;
        QVERIFY(db.open(path).ok());
        QVERIFY(db.exec("INSERT INTO devices(source, path, id) VALUES('default', 'dev-1', 'dev-1'); PRAGMA user_version = 7;"));
    }
    const QByteArray before = readAll(path);
    QVERIFY(!before.isEmpty());
    for (bool readOnly : {false, true}) {
        Database db;
        const auto r = db.open(path, readOnly);
        QCOMPARE(r.status, Database::OpenStatus::NewerSchema);
        QCOMPARE(r.schemaVersion, 7);
        QVERIFY2(r.message.contains(path), qPrintable(r.message));
        QVERIFY2(r.message.contains(QStringLiteral("newer FleetDeck (schema 7, this version understands up to %1)").arg(Database::kSchemaVersion)),
                 qPrintable(r.message));
        QVERIFY(!db.isOpen());
    }
    QCOMPARE(readAll(path), before);
}

void TestDatabase::garbageFileIsUnreadableAndUntouched_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("short text") << QByteArray("hello, I am not a database\n");
    QByteArray noise(16384, '\0');
    for (int i = 0; i < noise.size(); ++i)
        noise[i] = char((i * 7919 + 13) % 251);
    QTest::newRow("16 KiB noise") << noise;
    QTest::newRow("json") << QByteArray("{\"devices\": []}");
}

void TestDatabase::garbageFileIsUnreadableAndUntouched()
{
    QFETCH(QByteArray, content);
    const QString path = file(u"garbage.db"_s);
    QVERIFY(writeAll(path, content));
    for (bool readOnly : {false, true}) {
        Database db;
        const auto r = db.open(path, readOnly);
        QCOMPARE(r.status, Database::OpenStatus::Unreadable);
        QVERIFY2(r.message.contains(path), qPrintable(r.message));
        QVERIFY2(r.message.contains(u"file is not a database"_s), qPrintable(r.message));
        QVERIFY2(r.message.contains(u"Move it aside"_s), qPrintable(r.message));
        QVERIFY(!db.isOpen());
    }
    QCOMPARE(readAll(path), content);
}

void TestDatabase::damagedDatabaseIsUnreadableAndUntouched()
{
    const QString path = file(u"damaged.db"_s);
    {
        RawDb raw(path);  // rollback journal, so everything is in the main file
        QCOMPARE(raw.exec("PRAGMA user_version = 3; CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT);"
                          "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c"
                          " WHERE x < 2000) INSERT INTO t SELECT x, printf('row %08d', x) FROM c;"
                          "CREATE INDEX tb ON t(b);"),
                 QString());
    }
    QByteArray bytes = readAll(path);
    QVERIFY(bytes.size() >= 8 * 4096);
    for (qsizetype i = 2 * 4096; i < 5 * 4096; ++i)  // pages 3..5: b-tree pages
        bytes[i] = char(0xA5 ^ (i & 0xFF));
    QVERIFY(writeAll(path, bytes));

    Database db;
    const auto r = db.open(path);
    QCOMPARE(r.status, Database::OpenStatus::Unreadable);
    QVERIFY2(r.message.contains(path), qPrintable(r.message));
    QVERIFY2(r.message.contains(u"Move it aside"_s), qPrintable(r.message));
    QCOMPARE(readAll(path), bytes);
}

void TestDatabase::failedMigrationRollsBack()
{
    const QString path = file(u"clash.db"_s);
    {
        RawDb raw(path);
        // A schema-1 file whose tables are not what schema 1 made: step 1 -> 2 must fail whole.
        QCOMPARE(raw.exec("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                          "CREATE TABLE telemetry_1m(x); PRAGMA user_version = 1"),
                 QString());
    }
    Database db;
    const auto r = db.open(path);
    QCOMPARE(r.status, Database::OpenStatus::MigrationFailed);
    QVERIFY2(r.message.contains(path), qPrintable(r.message));
    QVERIFY2(r.message.contains(u"schema 2"_s), qPrintable(r.message));
    QVERIFY(!db.isOpen());
    RawDb raw(path);
    QCOMPARE(raw.integer("PRAGMA user_version"), 1);
    QCOMPARE(raw.texts("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"),
             (QStringList{u"meta"_s, u"telemetry_1m"_s}));
}

// Any SQLite file at user_version 0 that has tables is someone else's (issue 8: it used to
// be turned into a FleetDeck cache). Refused, and not one byte changes.
void TestDatabase::sqliteFileWithoutSchemaVersionIsNotOurs()
{
    const QString path = file(u"notes.db"_s);
    {
        RawDb raw(path);
        QCOMPARE(raw.exec("CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT);"
                          "INSERT INTO notes(body) VALUES('keep me')"),
                 QString());
    }
    const QByteArray before = readAll(path);
    Database db;
    const auto r = db.open(path);
    QCOMPARE(r.status, Database::OpenStatus::NotOurs);
    QVERIFY2(r.message.contains(path), qPrintable(r.message));
    QVERIFY2(r.message.contains(u"not a FleetDeck cache"_s), qPrintable(r.message));
    QVERIFY(!db.isOpen());
    QCOMPARE(readAll(path), before);
    QVERIFY(!QFileInfo::exists(path + u"-wal"_s));
}

// A cache this user may not write opened "fine" and then failed every commit (issue 8).
// Root may write anything, so the check runs as an unprivileged user when the test is root.
void TestDatabase::readOnlyFileIsRefusedAtOpen()
{
    const QString path = file(u"readonly.db"_s);
    {
        Database db;
        QVERIFY(db.open(path).ok());
    }
    const QByteArray before = readAll(path);
    QVERIFY(QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther));
    if (::geteuid() != 0) {
        Database db;
        const auto r = db.open(path);
        QCOMPARE(r.status, Database::OpenStatus::ReadOnly);
        QVERIFY2(r.message.contains(u"read-only"_s), qPrintable(r.message));
        QVERIFY2(r.message.contains(path), qPrintable(r.message));
    } else {
        // As root: the same check through fleetdeckctl, run as "nobody" (setpriv, util-linux).
        const QString setpriv = QStandardPaths::findExecutable(u"setpriv"_s);
        if (setpriv.isEmpty())
            QSKIP("running as root without setpriv: cannot make a file read-only for the test");
        QVERIFY(QFile::setPermissions(QFileInfo(path).absolutePath(),
                                      QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                          | QFileDevice::ReadOther | QFileDevice::ExeOther
                                          | QFileDevice::ReadGroup | QFileDevice::ExeGroup));
        QProcess ctl;
        ctl.start(setpriv, {u"--reuid=65534"_s, u"--regid=65534"_s, u"--clear-groups"_s,
                            QStringLiteral(FLEETDECK_BIN_DIR "/fleetdeckctl"), u"record"_s, u"--broker"_s,
                            u"mqtt://127.0.0.1:1"_s, u"--db"_s, path, u"--duration"_s, u"1"_s});
        QVERIFY(ctl.waitForFinished(30000));
        const QByteArray err = ctl.readAllStandardError();
        QCOMPARE(ctl.exitCode(), 2);
        QVERIFY2(err.contains("cannot be written") && err.contains("read-only"), err.constData());
    }
    QCOMPARE(readAll(path), before);
}

// Damage in a cache above 64 MB used to surface only as write retries (the check was
// skipped). Now its small tables are checked at open and the rest in the background.
void TestDatabase::bigFileChecksSmallTablesAtOpen()
{
    const QString path = file(u"big.db"_s);
    {
        Database db;
        QVERIFY(db.open(path).ok());
    }
    {
        RawDb raw(path);
        // About 70 MB of history (blobs stand in for rows), and a few devices.
        QCOMPARE(raw.exec("PRAGMA journal_mode = DELETE;"
                          "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 70)"
                          " INSERT INTO telemetry(device_key, metric_key, ts_ms, value)"
                          " SELECT 1, 1, x, randomblob(1000000) FROM c;"
                          "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000)"
                          " INSERT INTO devices(source, path, id, name) SELECT 'default', 'd' || x, 'd' || x,"
                          " printf('device %08d', x) FROM c;"),
                 QString());
    }
    QVERIFY(QFileInfo(path).size() > Database::kFullCheckMaxBytes);
    {
        Database db;
        const auto r = db.open(path);
        QVERIFY2(r.ok(), qPrintable(r.message));
        QVERIFY(r.integrityCheckDeferred);
    }
    // Damage one page of the devices table's b-tree: found at open, file untouched.
    int page = 0;
    {
        RawDb raw(path);
        const QStringList pages = raw.texts("SELECT pageno FROM dbstat WHERE name = 'devices' AND pagetype = 'leaf'"
                                            " LIMIT 1 OFFSET 3");
        if (pages.isEmpty())
            QSKIP("this SQLite has no dbstat table: cannot find a page of the devices table");
        page = pages.first().toInt();
    }
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadWrite));
    QVERIFY(f.seek(qint64(page - 1) * 4096 + 8));
    QVERIFY(f.write(QByteArray(64, '\xA5')) == 64);
    f.close();
    const QByteArray before = readAll(path);
    Database db;
    const auto r = db.open(path);
    QCOMPARE(r.status, Database::OpenStatus::Unreadable);
    QVERIFY2(r.message.contains(u"damaged"_s), qPrintable(r.message));
    QCOMPARE(readAll(path), before);
}

void TestDatabase::backgroundCheckFindsDamageInHistory()
{
    const QString path = file(u"history.db"_s);
    {
        Database db;
        QVERIFY(db.open(path).ok());
    }
    int page = 0;
    {
        RawDb raw(path);
        QCOMPARE(raw.exec("PRAGMA journal_mode = DELETE;"
                          "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000)"
                          " INSERT INTO telemetry(device_key, metric_key, ts_ms, value) SELECT 1, 1, x, x FROM c;"),
                 QString());
        const QStringList pages = raw.texts("SELECT pageno FROM dbstat WHERE name = 'telemetry' AND pagetype = 'leaf'"
                                            " LIMIT 1 OFFSET 10");
        if (pages.isEmpty())
            QSKIP("this SQLite has no dbstat table: cannot find a page of the telemetry table");
        page = pages.first().toInt();
    }
    BackgroundIntegrityCheck check;
    QSignalSpy done(&check, &BackgroundIntegrityCheck::finished);
    check.start(path);
    QVERIFY(done.wait(20000));
    QCOMPARE(done.first().at(0).toBool(), true);

    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadWrite));
    QVERIFY(f.seek(qint64(page - 1) * 4096 + 8));
    QVERIFY(f.write(QByteArray(64, '\xA5')) == 64);
    f.close();
    done.clear();
    check.start(path);
    QVERIFY(done.wait(20000));
    QCOMPARE(done.first().at(0).toBool(), false);
    const QString message = done.first().at(1).toString();
    QVERIFY2(message.contains(u"damaged"_s) && message.contains(path), qPrintable(message));
}

void TestDatabase::fileOfAnotherApplicationIsRefusedAndUntouched()
{
    const QString path = file(u"other.db"_s);
    {
        RawDb raw(path);
        QCOMPARE(raw.exec("PRAGMA application_id = 1179603023; CREATE TABLE x(a);"), QString());
    }
    const QByteArray before = readAll(path);
    for (bool readOnly : {false, true}) {
        Database db;
        const auto r = db.open(path, readOnly);
        QCOMPARE(r.status, Database::OpenStatus::NotOurs);
        QVERIFY2(r.message.contains(u"is not a FleetDeck cache file"_s), qPrintable(r.message));
        QVERIFY2(r.message.contains(path), qPrintable(r.message));
        QVERIFY(!db.isOpen());
    }
    QCOMPARE(readAll(path), before);
}

void TestDatabase::schemaWithApplicationIdSetsAndChecksIt()
{
    static constexpr MigrationStep steps[] = {
        {1, "notes v1", "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL); CREATE TABLE notes(t TEXT);"},
        {2, "notes v2", "ALTER TABLE notes ADD COLUMN ts INTEGER;"},
    };
    const DatabaseSchema notes{steps, 0x4E4F5445, true, "notes file", "notes file", {}};
    const QString path = file(u"notes.db"_s);
    {
        Database db;
        const auto r = db.open(path, notes);
        QVERIFY2(r.ok(), qPrintable(r.message));
        QCOMPARE(r.schemaVersion, 2);
        sqlite3_stmt *st = nullptr;
        QCOMPARE(sqlite3_prepare_v2(db.handle(), "PRAGMA synchronous", -1, &st, nullptr), SQLITE_OK);
        QCOMPARE(sqlite3_step(st), SQLITE_ROW);
        QCOMPARE(sqlite3_column_int(st, 0), 2);  // FULL
        sqlite3_finalize(st);
    }
    {
        RawDb raw(path);
        QCOMPARE(raw.integer("PRAGMA application_id"), 0x4E4F5445);
        QCOMPARE(raw.integer("PRAGMA user_version"), 2);
    }
    Database again;
    QVERIFY(again.open(path, notes).ok());
    again.close();
    // Neither schema opens the other's file.
    const QString cachePath = file(u"cache.db"_s);
    {
        Database cache;
        QVERIFY(cache.open(cachePath).ok());
    }
    Database db;
    QCOMPARE(db.open(cachePath, notes).status, Database::OpenStatus::NotOurs);
    QCOMPARE(db.open(path).status, Database::OpenStatus::NotOurs);
}

void TestDatabase::readOnlyOpen()
{
    const QString path = file(u"ro.db"_s);
    {
        Database db;
        QVERIFY(db.open(path).ok());
        QVERIFY(db.exec("INSERT INTO devices(source, path, id) VALUES('default', 'dev-1', 'dev-1')"));
    }
    Database db;
    const auto r = db.open(path, true);
    QVERIFY2(r.ok(), qPrintable(r.message));
    QVERIFY(db.isReadOnly());
    QCOMPARE(r.schemaVersion, Database::kSchemaVersion);
    QString error;
    QVERIFY(!db.exec("INSERT INTO devices(id) VALUES('dev-2')", &error));
    QVERIFY2(error.contains(u"readonly"_s), qPrintable(error));

    sqlite3_stmt *st = nullptr;
    QCOMPARE(sqlite3_prepare_v2(db.handle(), "SELECT count(*) FROM devices", -1, &st, nullptr), SQLITE_OK);
    QCOMPARE(sqlite3_step(st), SQLITE_ROW);
    QCOMPARE(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
}

void TestDatabase::readOnlyRefusesMissingOrUnmigratedFile()
{
    const QString missing = file(u"sub/missing.db"_s);
    Database db;
    auto r = db.open(missing, true);
    QCOMPARE(r.status, Database::OpenStatus::Unreadable);
    QVERIFY2(r.message.contains(missing), qPrintable(r.message));
    QVERIFY(!QFileInfo::exists(missing));
    QVERIFY(!QFileInfo::exists(file(u"sub"_s)));

    const QString empty = file(u"empty.db"_s);
    QVERIFY(writeAll(empty, QByteArray()));
    r = db.open(empty, true);
    QCOMPARE(r.status, Database::OpenStatus::Unreadable);
    QVERIFY2(r.message.contains(u"schema 0"_s), qPrintable(r.message));
    QCOMPARE(QFileInfo(empty).size(), 0);
}

void TestDatabase::twoConnectionsMigrateConcurrently()
{
    const QString path = file(u"race.db"_s);
    Database a;
    Database b;
    Database::OpenResult ra;
    std::unique_ptr<QThread> t(QThread::create([&] { ra = a.open(path); }));
    t->start();
    const auto rb = b.open(path);
    QVERIFY(t->wait(30000));
    QVERIFY2(ra.ok(), qPrintable(ra.message));
    QVERIFY2(rb.ok(), qPrintable(rb.message));
    QVERIFY(a.exec("INSERT INTO devices(source, path, id) VALUES('default', 'x', 'x')"));
    QVERIFY(b.exec("INSERT INTO devices(source, path, id) VALUES('default', 'y', 'y')"));
}

void TestDatabase::moveAsideRenamesDatabaseWalAndShm()
{
    const QString path = file(u"cache.db"_s);
    QVERIFY(writeAll(path, "main"));
    QVERIFY(writeAll(path + u"-wal"_s, "wal"));
    QVERIFY(writeAll(path + u"-shm"_s, "shm"));
    QString error;
    const QString moved = Database::moveAside(path, &error);
    QVERIFY2(!moved.isEmpty(), qPrintable(error));
    QVERIFY2(QRegularExpression(u"^"_s + QRegularExpression::escape(path)
                                + u"\\.broken-\\d{8}-\\d{6}$"_s)
                 .match(moved)
                 .hasMatch(),
             qPrintable(moved));
    QVERIFY(!QFileInfo::exists(path));
    QVERIFY(!QFileInfo::exists(path + u"-wal"_s));
    QVERIFY(!QFileInfo::exists(path + u"-shm"_s));
    QCOMPARE(readAll(moved), QByteArray("main"));
    QCOMPARE(readAll(moved + u"-wal"_s), QByteArray("wal"));
    QCOMPARE(readAll(moved + u"-shm"_s), QByteArray("shm"));

    // The operator can start fresh at the same path.
    Database db;
    QVERIFY(db.open(path).ok());
}

void TestDatabase::moveAsideTwiceInOneSecond()
{
    const QString path = file(u"cache.db"_s);
    QVERIFY(writeAll(path, "first"));
    const QString first = Database::moveAside(path);
    QVERIFY(writeAll(path, "second"));
    const QString second = Database::moveAside(path);
    QVERIFY(!first.isEmpty());
    QVERIFY(!second.isEmpty());
    QVERIFY(first != second);
    QCOMPARE(readAll(first), QByteArray("first"));
    QCOMPARE(readAll(second), QByteArray("second"));
}

void TestDatabase::moveAsideMissingFile()
{
    QString error;
    QVERIFY(Database::moveAside(file(u"nope.db"_s), &error).isEmpty());
    QVERIFY2(error.contains(u"nope.db"_s), qPrintable(error));
    QVERIFY(Database::moveAside(u":memory:"_s, &error).isEmpty());
    QVERIFY(!error.isEmpty());
}

QTEST_GUILESS_MAIN(TestDatabase)
#include "test_database.moc"
