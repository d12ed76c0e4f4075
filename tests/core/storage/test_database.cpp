// Tests of fd::Database: open, integrity and schema checks, migrations, moveAside.

#include "core/storage/database.h"
#include "storage_test_data.h"

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
                                  u"telemetry_1m"_s};
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
        QCOMPARE(raw.exec("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT);"
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
        // A schema-0 file that already has a conflicting table: step 0 -> 1 must fail whole.
        QCOMPARE(raw.exec("CREATE TABLE telemetry(x)"), QString());
    }
    Database db;
    const auto r = db.open(path);
    QCOMPARE(r.status, Database::OpenStatus::MigrationFailed);
    QVERIFY2(r.message.contains(path), qPrintable(r.message));
    QVERIFY2(r.message.contains(u"schema 1"_s), qPrintable(r.message));
    QVERIFY(!db.isOpen());
    RawDb raw(path);
    QCOMPARE(raw.integer("PRAGMA user_version"), 0);
    QCOMPARE(raw.texts("SELECT name FROM sqlite_master WHERE type = 'table'"),
             QStringList{u"telemetry"_s});
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
    const DatabaseSchema notes{steps, 0x4E4F5445, true, "notes file", "notes file"};
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
