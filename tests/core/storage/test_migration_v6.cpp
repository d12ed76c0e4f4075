// Schema v6 (issue 12: stale marking, Sparkplug B session facts): a v5 cache is migrated in
// place (every device current, no session); the writer stores staleSinceMs and the session
// facts and the inventory loads them back; a Sparkplug device stored online opens offline
// and stale since it was last seen (no session survives a restart), a protocol v1 one as it was;
// loaded AsStored (fleetdeckctl devices, beside a running recorder), as it was stored.
#include "core/storage/database.h"
#include "core/storage/inventory_store.h"
#include "core/storage/schema.h"
#include "core/storage/storage_writer.h"
#include "storage_test_data.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace fd;
using namespace fd::storagetest;

class TestMigrationV6 : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void v5CacheHasCurrentValuesAndNoSession();
    void staleMarkingAndSessionRoundTrip();

private:
    QString dbPath() const { return m_dir->filePath(u"v5.sqlite"_s); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestMigrationV6::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    RawDb raw(dbPath());
    QVERIFY(raw.isOpen());
    const auto steps = schemaMigrations();
    QVERIFY(steps.size() >= 6);
    for (size_t i = 0; i < 5; ++i)
        QCOMPARE(raw.exec(steps[i].sql), QString());
    QCOMPARE(raw.exec("PRAGMA user_version = 5;"
                      "INSERT INTO devices(source, path, id, name, online, last_seen_ms, updated_ms) VALUES"
                      " ('default', 'dev-1', 'dev-1', 'Cold room', 1, 1700000003000, 1700000003000),"
                      " ('plant', 'grp/node-1', 'node-1', 'Gateway', 1, 1700000001000, 1700000001000);"),
             QString());
}

void TestMigrationV6::v5CacheHasCurrentValuesAndNoSession()
{
    Database db;
    const Database::OpenResult r = db.open(dbPath());
    QVERIFY2(r.ok(), qPrintable(r.message));
    QCOMPARE(r.schemaVersion, Database::kSchemaVersion);
    QString error;
    const QList<Device> devices = InventoryStore(db).loadDevices(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(devices.size(), 2);
    for (const Device &d : devices) {
        QCOMPARE(d.staleSinceMs, 0);
        QVERIFY(!d.sparkplug.isSparkplug());
        QVERIFY(d.online);  // nothing known of a session: as it was
    }
    RawDb raw(dbPath());
    QCOMPARE(raw.texts("PRAGMA integrity_check"), QStringList{u"ok"_s});
}

void TestMigrationV6::staleMarkingAndSessionRoundTrip()
{
    StorageWriter writer;
    writer.setCommitIntervalMs(0);
    writer.setRetention(RetentionPolicy{0, 0, 0});
    QString error;
    QVERIFY2(writer.start(dbPath(), &error), qPrintable(error));  // migrates

    Device node = makeDevice(u"node-1"_s);
    node.source = u"plant"_s;
    node.path = u"grp/node-1"_s;
    node.online = true;  // alive in the session of this run
    node.lastSeenMs = 1700000005000;
    node.sparkplug.bdSeq = 7;
    node.sparkplug.births = 3;
    node.sparkplug.deaths = 2;
    node.sparkplug.lastBirthMs = 1700000004000;
    node.sparkplug.lastDeathMs = 1700000002000;
    node.sparkplug.lastRebirthCause = u"seq gap: expected 17, got 19"_s;
    node.sparkplug.lastRebirthMs = 1700000003500;
    Device dead = makeDevice(u"pump"_s);
    dead.source = u"plant"_s;
    dead.path = u"grp/node-1/pump"_s;
    dead.online = false;
    dead.staleSinceMs = 1700000002000;
    dead.sparkplug.bdSeq = 7;
    dead.sparkplug.births = 1;
    dead.sparkplug.deaths = 1;
    writer.submit(StorageBatch{{node, dead}, {}});
    QVERIFY(writer.flush());
    writer.stop();

    Database db;
    QVERIFY(db.open(dbPath(), true).ok());
    const QList<Device> devices = InventoryStore(db).loadDevices(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(devices.size(), 3);
    const auto find = [&](const QString &path) {
        for (const Device &d : devices) {
            if (d.path == path)
                return d;
        }
        return Device{};
    };
    const Device n = find(u"grp/node-1"_s);
    QCOMPARE(n.sparkplug.bdSeq, 7);
    QCOMPARE(n.sparkplug.births, 3u);
    QCOMPARE(n.sparkplug.deaths, 2u);
    QCOMPARE(n.sparkplug.lastBirthMs, 1700000004000);
    QCOMPARE(n.sparkplug.lastDeathMs, 1700000002000);
    QCOMPARE(n.sparkplug.lastRebirthCause, u"seq gap: expected 17, got 19"_s);
    QCOMPARE(n.sparkplug.lastRebirthMs, 1700000003500);
    QVERIFY(n.sparkplug.metrics == nullptr);  // definitions need a live BIRTH
    // Its session did not survive: offline, values stale since it was last heard from.
    QVERIFY(!n.online);
    QCOMPARE(n.staleSinceMs, 1700000005000);
    const Device p = find(u"grp/node-1/pump"_s);
    QVERIFY(!p.online);
    QCOMPARE(p.staleSinceMs, 1700000002000);  // the death it had, kept
    const Device v1Device = find(u"dev-1"_s);
    QVERIFY(v1Device.online);  // protocol v1: its retained status tells after a reconnect
    QCOMPARE(v1Device.staleSinceMs, 0);

    // A reader of a recorder's cache (fleetdeckctl devices) gets what was stored.
    const QList<Device> stored = InventoryStore(db).loadDevices(&error, InventoryStore::SparkplugState::AsStored);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(stored.size(), 3);
    for (const Device &d : stored) {
        if (d.path == u"grp/node-1") {
            QVERIFY(d.online);
            QCOMPARE(d.staleSinceMs, 0);
            QCOMPARE(d.sparkplug.bdSeq, 7);
        } else if (d.path == u"grp/node-1/pump") {
            QVERIFY(!d.online);
            QCOMPARE(d.staleSinceMs, 1700000002000);
        } else {
            QVERIFY(d.online);
            QCOMPARE(d.staleSinceMs, 0);
        }
    }
}

QTEST_GUILESS_MAIN(TestMigrationV6)
#include "test_migration_v6.moc"
