// Tests of opening the operations store: file name, schema v1 and its migrations,
// application id, and refusal (untouched, byte for byte) of foreign, newer and damaged files.

#include "core/operations/operations_schema.h"
#include "core/operations/operations_store.h"
#include "core/operations/operations_transaction.h"
#include "core/storage/database.h"
#include "operations_test_support.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace Qt::StringLiterals;
using namespace fd;
using namespace fd::operationstest;

class TestOperationsOpen : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void pathForCache_data();
    void pathForCache();
    void migrationsAreOrdered();
    void createsSchemaV1WithApplicationId();
    void connectionIsWalWithSynchronousFull();
    void reopenKeepsHistory();
    void foreignFileIsRefusedAndUntouched_data();
    void foreignFileIsRefusedAndUntouched();
    void newerSchemaIsRefusedAndUntouched();
    void garbageFileIsRefusedAndUntouched();
    void damagedStoreIsRefusedAndUntouched();
    void jobsFailWhileNotOpen();
    void cacheAndStoreAreIndependent();

private:
    QString file(const QString &name) const { return m_dir->filePath(name); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestOperationsOpen::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestOperationsOpen::pathForCache_data()
{
    QTest::addColumn<QString>("cache");
    QTest::addColumn<QString>("expected");
    QTest::newRow("sqlite") << u"/data/fleet.sqlite"_s << u"/data/fleet.operations.sqlite"_s;
    QTest::newRow("db") << u"/data/cache.db"_s << u"/data/cache.operations.sqlite"_s;
    QTest::newRow("dots") << u"/a/b/demo.cache.sqlite"_s << u"/a/b/demo.cache.operations.sqlite"_s;
    QTest::newRow("no suffix") << u"/a/fleet"_s << u"/a/fleet.operations.sqlite"_s;
    QTest::newRow("relative") << u"fleet.sqlite"_s << u"fleet.operations.sqlite"_s;
}

void TestOperationsOpen::pathForCache()
{
    QFETCH(QString, cache);
    QFETCH(QString, expected);
    QCOMPARE(OperationsStore::pathForCache(cache), expected);
}

void TestOperationsOpen::migrationsAreOrdered()
{
    const DatabaseSchema &schema = operationsSchema();
    QVERIFY(!schema.migrations.empty());
    int previous = 0;
    for (const MigrationStep &step : schema.migrations) {
        QVERIFY2(step.toVersion == previous + 1, step.description);
        previous = step.toVersion;
    }
    QCOMPARE(schema.version(), previous);
    QVERIFY(schema.applicationId != 0);
    QVERIFY(schema.synchronousFull);
}

void TestOperationsOpen::createsSchemaV1WithApplicationId()
{
    const QString path = file(u"sub/fleet.operations.sqlite"_s);
    {
        OperationsStore store;
        const auto r = openStore(store, path);
        QVERIFY2(r.ok(), qPrintable(r.message));
        QCOMPARE(r.schemaVersion, operationsSchema().version());
        QVERIFY(store.isOpen());
        QCOMPARE(store.path(), path);
    }
    RawDb raw(path);
    QCOMPARE(raw.integer("PRAGMA application_id"), qint64(kOperationsApplicationId));
    QCOMPARE(raw.integer("PRAGMA user_version"), qint64(operationsSchema().version()));
    QCOMPARE(raw.texts("PRAGMA journal_mode"), QStringList{u"wal"_s});
    QStringList tables = raw.texts("SELECT name FROM sqlite_master WHERE type = 'table' "
                                   "AND name NOT LIKE 'sqlite_%'");
    tables.sort();
    QCOMPARE(tables, (QStringList{u"alert_events"_s, u"alert_rule_state"_s, u"alert_rules"_s, u"alerts"_s,
                                  u"artifacts"_s, u"audit_log"_s, u"certificates"_s, u"commissioning_reports"_s,
                                  u"expected_devices"_s, u"meta"_s, u"operator_actions"_s, u"pki_authorities"_s,
                                  u"provisioning_requests"_s, u"release_keys"_s, u"rollout_devices"_s,
                                  u"rollout_events"_s, u"rollouts"_s}));
    const QStringList auditColumns = raw.texts("SELECT name FROM pragma_table_info('audit_log')");
    QCOMPARE(auditColumns, (QStringList{u"id"_s, u"ts_ms"_s, u"actor"_s, u"action"_s, u"source"_s,
                                        u"device_path"_s, u"object_kind"_s, u"object_id"_s,
                                        u"before_json"_s, u"after_json"_s, u"detail"_s}));
    const QStringList actionColumns = raw.texts("SELECT name FROM pragma_table_info('operator_actions')");
    QCOMPARE(actionColumns, (QStringList{u"id"_s, u"ts_ms"_s, u"actor"_s, u"kind"_s, u"source"_s,
                                         u"device_path"_s, u"payload_json"_s, u"state"_s,
                                         u"result_detail"_s, u"updated_ms"_s}));
    QCOMPARE(raw.texts("SELECT value FROM meta WHERE key = 'migrated_by'"),
             QStringList{u"FleetDeck " FLEETDECK_VERSION ""_s});
}

void TestOperationsOpen::connectionIsWalWithSynchronousFull()
{
    OperationsStore store;
    QVERIFY(openStore(store, file(u"ops.sqlite"_s)).ok());
    JobOutcomes outcomes(store);
    auto synchronous = std::make_shared<qint64>(-1);
    auto thread = std::make_shared<QString>();
    const quint64 id = store.submit({u"read settings"_s, [=](OperationsTransaction &tx, QString *) {
                                         sqlite3_stmt *st = nullptr;
                                         sqlite3_prepare_v2(tx.handle(), "PRAGMA synchronous", -1, &st, nullptr);
                                         if (sqlite3_step(st) == SQLITE_ROW)
                                             *synchronous = sqlite3_column_int64(st, 0);
                                         sqlite3_finalize(st);
                                         *thread = QThread::currentThread()->objectName();
                                         return true;
                                     }});
    QVERIFY(id > 0);
    QTRY_VERIFY(outcomes.done(id));
    QVERIFY(outcomes.committed.contains(id));
    QCOMPARE(*synchronous, qint64(2));  // FULL
    QCOMPARE(*thread, u"fleetdeck-operations"_s);
}

void TestOperationsOpen::reopenKeepsHistory()
{
    const QString path = file(u"ops.sqlite"_s);
    for (int round = 0; round < 3; ++round) {
        OperationsStore store;
        const auto r = openStore(store, path);
        QVERIFY2(r.ok(), qPrintable(r.message));
        QCOMPARE(r.schemaVersion, operationsSchema().version());
        JobOutcomes outcomes(store);
        const quint64 id = store.recordAudit({0, 0, u"alice"_s, u"test.round"_s, {}, {}, {}, QString::number(round), {}, {}, {}});
        QTRY_VERIFY(outcomes.done(id));
        QVERIFY(outcomes.committed.contains(id));
    }
    RawDb raw(path);
    QCOMPARE(raw.texts("SELECT object_id FROM audit_log ORDER BY id"), (QStringList{u"0"_s, u"1"_s, u"2"_s}));
}

void TestOperationsOpen::foreignFileIsRefusedAndUntouched_data()
{
    QTest::addColumn<QByteArray>("setup");
    QTest::addColumn<bool>("isCache");
    QTest::newRow("another application id")
        << QByteArray("PRAGMA application_id = 1234; CREATE TABLE audit_log(x);") << false;
    QTest::newRow("id 0 with tables") << QByteArray("CREATE TABLE notes(a, b); INSERT INTO notes VALUES(1, 2);")
                                      << false;
    QTest::newRow("id 0 with a schema version") << QByteArray("PRAGMA user_version = 1;") << false;
    QTest::newRow("the telemetry cache") << QByteArray() << true;
}

void TestOperationsOpen::foreignFileIsRefusedAndUntouched()
{
    QFETCH(QByteArray, setup);
    QFETCH(bool, isCache);
    const QString path = file(u"foreign.sqlite"_s);
    if (isCache) {
        Database cache;
        QVERIFY(cache.open(path).ok());
        QVERIFY(cache.exec("PRAGMA wal_checkpoint(TRUNCATE)"));
    } else {
        RawDb raw(path);
        QCOMPARE(raw.exec(setup.constData()), QString());
    }
    const QByteArray before = readAll(path);
    QVERIFY(!before.isEmpty());
    {
        OperationsStore store;
        const auto r = openStore(store, path);
        QCOMPARE(r.status, Database::OpenStatus::NotOurs);
        QVERIFY2(r.message.contains(u"is not a FleetDeck operations store"_s), qPrintable(r.message));
        QVERIFY2(r.message.contains(path), qPrintable(r.message));
        QVERIFY2(r.message.contains(u"left unchanged"_s), qPrintable(r.message));
        QVERIFY(!store.isOpen());
    }
    Database readOnly;
    QCOMPARE(readOnly.open(path, operationsSchema(), true).status, Database::OpenStatus::NotOurs);
    readOnly.close();
    QCOMPARE(readAll(path), before);
    QVERIFY(!QFileInfo::exists(path + u"-wal"_s) || QFileInfo(path + u"-wal"_s).size() == 0);
}

void TestOperationsOpen::newerSchemaIsRefusedAndUntouched()
{
    const QString path = file(u"newer.sqlite"_s);
    {
        OperationsStore store;
        QVERIFY(openStore(store, path).ok());
    }
    {
        RawDb raw(path);
        QCOMPARE(raw.exec("PRAGMA journal_mode = DELETE; PRAGMA user_version = 9;"), QString());
    }
    const QByteArray before = readAll(path);
    OperationsStore store;
    const auto r = openStore(store, path);
    QCOMPARE(r.status, Database::OpenStatus::NewerSchema);
    QCOMPARE(r.schemaVersion, 9);
    QVERIFY2(r.message.contains(u"newer FleetDeck (schema 9, this version understands up to %1)"_s.arg(operationsSchema().version())),
             qPrintable(r.message));
    QVERIFY2(r.message.contains(path), qPrintable(r.message));
    store.shutdown();
    QCOMPARE(readAll(path), before);
}

void TestOperationsOpen::garbageFileIsRefusedAndUntouched()
{
    const QString path = file(u"garbage.sqlite"_s);
    const QByteArray content("this is a shopping list, not a database\n");
    QVERIFY(writeAll(path, content));
    OperationsStore store;
    const auto r = openStore(store, path);
    QCOMPARE(r.status, Database::OpenStatus::Unreadable);
    QVERIFY2(r.message.contains(u"file is not a database"_s), qPrintable(r.message));
    QVERIFY2(r.message.contains(u"operations store"_s), qPrintable(r.message));
    store.shutdown();
    QCOMPARE(readAll(path), content);
}

void TestOperationsOpen::damagedStoreIsRefusedAndUntouched()
{
    const QString healthy = file(u"healthy.sqlite"_s);
    {
        OperationsStore store;
        QVERIFY(openStore(store, healthy).ok());
        JobOutcomes outcomes(store);
        const quint64 id = store.submit({u"fill"_s, [](OperationsTransaction &tx, QString *error) {
                                             return tx.exec("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                                                            "WHERE x < 3000) INSERT INTO audit_log(ts_ms, actor, action, detail) "
                                                            "SELECT x, 'bot', 'fill', printf('row %08d', x) FROM c",
                                                            error);
                                         }});
        QTRY_VERIFY(outcomes.committed.contains(id));
    }
    {
        RawDb raw(healthy);  // everything into the main file, no WAL left
        QCOMPARE(raw.exec("PRAGMA journal_mode = DELETE"), QString());
    }
    // A copy under another name: Database checks a file's integrity once per process.
    const QString path = file(u"damaged.sqlite"_s);
    QByteArray bytes = readAll(healthy);
    QVERIFY(bytes.size() >= 12 * 4096);
    for (qsizetype i = 4 * 4096; i < 8 * 4096; ++i)
        bytes[i] = char(0x5A ^ (i & 0xFF));
    QVERIFY(writeAll(path, bytes));

    OperationsStore store;
    const auto r = openStore(store, path);
    QCOMPARE(r.status, Database::OpenStatus::Unreadable);
    QVERIFY2(r.message.contains(u"damaged"_s), qPrintable(r.message));
    QVERIFY2(r.message.contains(path), qPrintable(r.message));
    store.shutdown();
    QCOMPARE(readAll(path), bytes);
}

void TestOperationsOpen::jobsFailWhileNotOpen()
{
    const QString path = file(u"garbage.sqlite"_s);
    QVERIFY(writeAll(path, "garbage"));
    OperationsStore store;
    JobOutcomes outcomes(store);
    const quint64 before = store.recordAudit({0, 0, u"alice"_s, u"too.early"_s, {}, {}, {}, {}, {}, {}, {}});
    QTRY_VERIFY(outcomes.done(before));
    QVERIFY2(outcomes.failed.value(before).contains(u"not open"_s), qPrintable(outcomes.failed.value(before)));
    QVERIFY(!openStore(store, path).ok());
    const quint64 after = store.recordAudit({0, 0, u"alice"_s, u"after.failure"_s, {}, {}, {}, {}, {}, {}, {}});
    QTRY_VERIFY(outcomes.done(after));
    // The reason names what went wrong with the file.
    QVERIFY2(outcomes.failed.value(after).contains(u"file is not a database"_s),
             qPrintable(outcomes.failed.value(after)));
    QVERIFY(outcomes.committed.isEmpty());
    QCOMPARE(store.pendingJobs(), 0);
}

void TestOperationsOpen::cacheAndStoreAreIndependent()
{
    const QString cachePath = file(u"fleet.sqlite"_s);
    const QString opsPath = OperationsStore::pathForCache(cachePath);
    {
        Database cache;
        QVERIFY(cache.open(cachePath).ok());
        OperationsStore store;
        QVERIFY(openStore(store, opsPath).ok());
        JobOutcomes outcomes(store);
        const quint64 id = store.recordAudit({0, 0, u"alice"_s, u"kept"_s, {}, {}, {}, {}, {}, {}, {}});
        QTRY_VERIFY(outcomes.committed.contains(id));
    }
    // The cache is destroyed (garbage) and then lost: the history stays.
    QVERIFY(writeAll(cachePath, "overwritten"));
    QVERIFY(QFile::remove(cachePath));
    OperationsStore store;
    QVERIFY(openStore(store, opsPath).ok());
    RawDb raw(opsPath);
    QCOMPARE(raw.texts("SELECT action FROM audit_log"), QStringList{u"kept"_s});
}

QTEST_GUILESS_MAIN(TestOperationsOpen)
#include "test_operations_open.moc"
