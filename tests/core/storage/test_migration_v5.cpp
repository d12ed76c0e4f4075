// Schema v5 (device tags): a v4 cache is migrated in place: every device keeps its
// attributes, latest values and reject counts and has no tags (devices.tags = ''); the
// writer then stores tags and the inventory loads them.
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

class TestMigrationV5 : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void v4CacheGetsNoTags();
    void tagsAreWrittenAfterTheMigration();

private:
    void writeV4Cache();
    QString dbPath() const { return m_dir->filePath(u"v4.sqlite"_s); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestMigrationV5::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    writeV4Cache();
}

// What FleetDeck with schema v4 wrote: two devices of two sources, latest values, a reject
// count, a series with a staged point.
void TestMigrationV5::writeV4Cache()
{
    RawDb raw(dbPath());
    QVERIFY(raw.isOpen());
    const auto steps = schemaMigrations();
    QVERIFY(steps.size() >= 4);
    for (size_t i = 0; i < 4; ++i) {
        QCOMPARE(steps[i].toVersion, int(i) + 1);
        QCOMPARE(raw.exec(steps[i].sql), QString());
    }
    QCOMPARE(raw.exec("PRAGMA user_version = 4;"
                      "INSERT INTO devices(source, path, id, name, model, fw_version, site, online, last_seen_ms,"
                      " last_telemetry_ms, last_seq, message_count, updated_ms) VALUES"
                      " ('default', 'dev-1', 'dev-1', 'Cold room', 'TH-100', '2.3.1', 'Lyon', 1, 1700000003000,"
                      "  1700000002000, 3, 4, 1700000003000),"
                      " ('plant-b', 'grp/node-1/pump', 'pump', 'Pump', 'PM-2', '1.0.0', 'Gent', 0, 1700000001000,"
                      "  0, 0, 1, 1700000001000);"
                      "INSERT INTO device_metrics(source, path, metric, type, value) VALUES"
                      " ('default', 'dev-1', 'temperature', 0, 21.5), ('default', 'dev-1', 'rssi', 1, -67);"
                      "INSERT INTO device_rejects VALUES ('plant-b', 'grp/node-1/pump', 'oversize', 1);"
                      "INSERT INTO device_keys(id, source, path) VALUES (1, 'default', 'dev-1');"
                      "INSERT INTO metrics(id, name) VALUES (1, 'temperature');"
                      "INSERT INTO series VALUES (1, 1);"),
             QString());
    QCOMPARE(raw.integer("PRAGMA user_version"), 4);
    QCOMPARE(raw.integer("SELECT count(*) FROM pragma_table_info('devices') WHERE name = 'tags'"), 0);
}

void TestMigrationV5::v4CacheGetsNoTags()
{
    Database db;
    const Database::OpenResult r = db.open(dbPath());
    QVERIFY2(r.ok(), qPrintable(r.message));
    QCOMPARE(r.schemaVersion, Database::kSchemaVersion);
    QVERIFY(Database::kSchemaVersion >= 5);

    QString error;
    const QList<Device> devices = InventoryStore(db).loadDevices(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(devices.size(), 2);
    const Device &d1 = devices.at(0);
    QCOMPARE(d1.key(), v1(u"dev-1"_s));
    QCOMPARE(d1.name, u"Cold room"_s);
    QCOMPARE(d1.model, u"TH-100"_s);
    QCOMPARE(d1.fwVersion, u"2.3.1"_s);
    QCOMPARE(d1.site, u"Lyon"_s);
    QVERIFY(d1.online);
    QCOMPARE(d1.lastSeq, 3u);
    QCOMPARE(d1.messageCount, 4u);
    QCOMPARE(*findMetric(d1.metrics, u"temperature"_s), 21.5);
    QVERIFY(d1.tags.isEmpty());
    const Device &d2 = devices.at(1);
    QCOMPARE(d2.key(), DeviceKey(u"plant-b"_s, u"grp/node-1/pump"_s));
    QCOMPARE(d2.id, u"pump"_s);
    QCOMPARE(d2.rejects[std::size_t(RejectReason::Oversize)], 1u);
    QVERIFY(d2.tags.isEmpty());

    RawDb raw(dbPath());
    QCOMPARE(raw.integer("PRAGMA user_version"), Database::kSchemaVersion);
    QCOMPARE(raw.texts("SELECT DISTINCT tags FROM devices"), QStringList{QString()});
    QCOMPARE(raw.integer("SELECT \"notnull\" FROM pragma_table_info('devices') WHERE name = 'tags'"), 1);
    QCOMPARE(raw.texts("PRAGMA integrity_check"), QStringList{u"ok"_s});
    QCOMPARE(raw.integer("SELECT count(*) FROM pragma_foreign_key_check"), 0);
}

void TestMigrationV5::tagsAreWrittenAfterTheMigration()
{
    StorageWriter writer;
    writer.setCommitIntervalMs(0);
    writer.setRetention(RetentionPolicy{0, 0, 0});
    QString error;
    QVERIFY2(writer.start(dbPath(), &error), qPrintable(error));  // migrates
    Device tagged = makeDevice(u"dev-1"_s);
    tagged.name = u"Cold room"_s;
    tagged.tags = QStringList{u"freezer"_s, u"pilot"_s};
    writer.submit(StorageBatch{{tagged}, {}});
    QVERIFY(writer.flush());
    writer.stop();

    Database db;
    QVERIFY(db.open(dbPath(), true).ok());
    const QList<Device> devices = InventoryStore(db).loadDevices(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(devices.size(), 2);
    QCOMPARE(devices.at(0).tags, (QStringList{u"freezer"_s, u"pilot"_s}));
    QVERIFY(devices.at(1).tags.isEmpty());  // untouched
    // A tag is found in SQL the way schema.cpp says.
    RawDb raw(dbPath());
    QCOMPARE(raw.texts("SELECT path FROM devices WHERE instr(char(31) || tags || char(31),"
                       " char(31) || 'pilot' || char(31)) > 0"),
             QStringList{u"dev-1"_s});
}

QTEST_GUILESS_MAIN(TestMigrationV5)
#include "test_migration_v5.moc"
