// Schema v3 (devices identified by source + path): a v2 cache with known rows is migrated
// in place, keeps every device, latest value, reject count, raw row and rollup, and its
// devices belong to the source "default"; afterwards the same id from another source is a
// second device with its own series.
#include "core/storage/database.h"
#include "core/storage/history_query.h"
#include "core/storage/inventory_store.h"
#include "core/storage/schema.h"
#include "core/storage/storage_writer.h"
#include "storage_test_data.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace fd;
using namespace fd::storagetest;

class TestMigrationV3 : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void v2CacheKeepsEverything();
    void sameIdFromAnotherSourceIsAnotherDevice();

private:
    void writeV2Cache();
    QString dbPath() const { return m_dir->filePath(u"v2.sqlite"_s); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestMigrationV3::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    writeV2Cache();
}

// What FleetDeck 0.1 (schema v2) wrote: two devices, metrics, rejects, 3 raw rows of
// dev-1 and their rollups.
void TestMigrationV3::writeV2Cache()
{
    RawDb raw(dbPath());
    QVERIFY(raw.isOpen());
    const auto steps = schemaMigrations();
    QCOMPARE(raw.exec(steps[0].sql), QString());
    QCOMPARE(raw.exec(steps[1].sql), QString());
    QCOMPARE(raw.exec("PRAGMA user_version = 2;"
                      "INSERT INTO devices(id, name, model, fw_version, site, online, last_seen_ms,"
                      " last_telemetry_ms, last_seq, message_count, updated_ms) VALUES"
                      " ('dev-1', 'Cold room', 'TH-100', '2.3.1', 'Lyon', 1, 1700000003000, 1700000002000, 3, 4, 1700000003000),"
                      " ('dev-2', 'Pump', 'PM-2', '1.0.0', 'Gent', 0, 1700000001000, 0, 0, 1, 1700000001000);"
                      "INSERT INTO device_metrics VALUES ('dev-1', 'temperature', 21.5), ('dev-1', 'rssi', -67);"
                      "INSERT INTO device_rejects VALUES ('dev-1', 'bad_json', 2), ('dev-2', 'oversize', 1);"
                      "INSERT INTO device_keys(id, device_id) VALUES (1, 'dev-1'), (2, 'dev-2');"
                      "INSERT INTO metrics(id, name) VALUES (1, 'temperature');"
                      "INSERT INTO series VALUES (1, 1);"
                      "INSERT INTO telemetry VALUES (1, 1, 1700000000000, 20.0), (1, 1, 1700000001000, 21.0),"
                      " (1, 1, 1700000002000, 21.5);"
                      "INSERT INTO telemetry_1m VALUES (1, 1, 1699999980000, 20.0, 21.5, 62.5, 3);"
                      "INSERT INTO telemetry_1h VALUES (1, 1, 1699999200000, 20.0, 21.5, 62.5, 3);"),
             QString());
}

void TestMigrationV3::v2CacheKeepsEverything()
{
    Database db;
    const Database::OpenResult r = db.open(dbPath());
    QVERIFY2(r.ok(), qPrintable(r.message));
    QCOMPARE(r.schemaVersion, Database::kSchemaVersion);

    QString error;
    const QList<Device> devices = InventoryStore(db).loadDevices(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(devices.size(), 2);
    const Device &d1 = devices.at(0);
    QCOMPARE(d1.source, u"default"_s);
    QCOMPARE(d1.path, u"dev-1"_s);
    QCOMPARE(d1.id, u"dev-1"_s);
    QCOMPARE(d1.name, u"Cold room"_s);
    QCOMPARE(d1.site, u"Lyon"_s);
    QCOMPARE(d1.fwVersion, u"2.3.1"_s);
    QVERIFY(d1.online);
    QCOMPARE(d1.lastSeq, 3u);
    QCOMPARE(d1.messageCount, 4u);
    QCOMPARE(*findMetric(d1.metrics, u"temperature"_s), 21.5);
    QCOMPARE(*findMetric(d1.metrics, u"rssi"_s), -67.0);
    QCOMPARE(d1.rejects[std::size_t(RejectReason::BadJson)], 2u);
    QCOMPARE(devices.at(1).key(), v1(u"dev-2"_s));
    QCOMPARE(devices.at(1).rejects[std::size_t(RejectReason::Oversize)], 1u);

    HistoryQuery history(db);
    TelemetryBuckets rows;
    QVERIFY(history.read(v1(u"dev-1"_s), u"temperature"_s, 1700000000000, 1700000002000,
                         HistoryResolution::Raw, &rows, &error));
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows.at(2).mean, 21.5);
    QVERIFY(history.read(v1(u"dev-1"_s), u"temperature"_s, 1699999980000, 1700000040000,
                         HistoryResolution::Minute, &rows, &error));
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.at(0).count, 3);
    QCOMPARE(InventoryStore(db).samples(v1(u"dev-1"_s), 0, 1800000000000).size(), 3);

    // Foreign keys survived the table rebuild: deleting a device takes its children.
    QVERIFY(db.exec("DELETE FROM devices WHERE path = 'dev-2'"));
    RawDb raw(dbPath());
    QCOMPARE(raw.integer("SELECT count(*) FROM device_rejects WHERE path = 'dev-2'"), 0);
    QCOMPARE(raw.integer("SELECT count(*) FROM pragma_foreign_key_check"), 0);
}

void TestMigrationV3::sameIdFromAnotherSourceIsAnotherDevice()
{
    StorageWriter writer;
    writer.setCommitIntervalMs(0);
    writer.setRetention(RetentionPolicy{0, 0, 0});  // keep the 2023 rows of this test
    QString error;
    QVERIFY2(writer.start(dbPath(), &error), qPrintable(error));  // migrates
    Device other = makeDevice(u"dev-1"_s);
    other.source = u"plant-b"_s;
    other.path = other.id;
    other.name = u"Other dev-1"_s;
    TelemetrySample sample = makeSample(u"dev-1"_s, 1700000005000, {{u"temperature"_s, 99.0}});
    sample.source = u"plant-b"_s;
    writer.submit(StorageBatch{{other}, {sample}});
    QVERIFY(writer.flush());
    writer.stop();

    Database db;
    QVERIFY(db.open(dbPath(), true).ok());
    const QList<Device> devices = InventoryStore(db).loadDevices(&error);
    QCOMPARE(devices.size(), 3);
    QCOMPARE(devices.at(0).key(), v1(u"dev-1"_s));
    QCOMPARE(devices.at(0).name, u"Cold room"_s);  // untouched by the other source
    QCOMPARE(devices.at(2).key(), DeviceKey(u"plant-b"_s, u"dev-1"_s));
    QCOMPARE(devices.at(2).name, u"Other dev-1"_s);

    HistoryQuery history(db);
    TelemetryBuckets rows;
    QVERIFY(history.read(DeviceKey(u"plant-b"_s, u"dev-1"_s), u"temperature"_s, 0, 1800000000000,
                         HistoryResolution::Raw, &rows, &error));
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.at(0).mean, 99.0);
    QVERIFY(history.read(v1(u"dev-1"_s), u"temperature"_s, 0, 1800000000000, HistoryResolution::Raw, &rows, &error));
    QCOMPARE(rows.size(), 3);  // the default source's dev-1 keeps its own series
}

QTEST_GUILESS_MAIN(TestMigrationV3)
#include "test_migration_v3.moc"
