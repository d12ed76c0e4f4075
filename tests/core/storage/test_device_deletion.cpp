// Deleting devices from the cache through its single writer (StorageBatch::deletedDevices):
// the device row, its latest values and reject counts (cascade), its raw telemetry and its
// rollups go, other devices stay; the deletion is ordered with the batches queued around
// it, in the same transaction; devicesDeleted() reports it once committed.
#include "core/storage/database.h"
#include "core/storage/device_deleter.h"
#include "core/storage/inventory_store.h"
#include "core/storage/storage_writer.h"
#include "storage_test_data.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace fd;
using namespace fd::storagetest;

namespace {

// Rows of one device (by source and path) in a table keyed by (source, path) or device_key;
// for "telemetry", its raw points (schema v4: in blocks or staged).
qint64 rowsOf(RawDb &db, const char *table, const DeviceKey &device)
{
    const QByteArray where = QByteArray("source = '") + device.source.toUtf8() + "' AND path = '"
                             + device.path.toUtf8() + "'";
    const QByteArray key = "(SELECT id FROM device_keys WHERE " + where + ")";
    if (QByteArray(table) == "telemetry")  // raw points: in blocks or staged
        return db.integer("SELECT (SELECT coalesce(sum(count), 0) FROM telemetry_blocks WHERE device_key = " + key
                          + ") + (SELECT coalesce(sum(count), 0) FROM telemetry_staging WHERE device_key = " + key
                          + ")");
    if (QByteArray(table).startsWith("telemetry"))
        return db.integer(QByteArray("SELECT count(*) FROM ") + table
                          + " WHERE device_key = (SELECT id FROM device_keys WHERE " + where + ")");
    return db.integer(QByteArray("SELECT count(*) FROM ") + table + " WHERE " + where);
}

const char *const kTables[] = {"devices", "device_metrics", "device_rejects", "telemetry", "telemetry_1m",
                               "telemetry_1h"};

} // namespace

class TestDeviceDeletion : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void deletesTheDeviceAndEverythingOfIt();
    void deletionIsOrderedWithTheQueue();
    void unknownDeviceIsNoError();
    void deleterOnItsOwnConnection();

private:
    QString dbPath() const { return m_dir->filePath(u"cache.db"_s); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestDeviceDeletion::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestDeviceDeletion::deletesTheDeviceAndEverythingOfIt()
{
    StorageWriter writer;
    QString error;
    QVERIFY2(writer.start(dbPath(), &error), qPrintable(error));
    StorageBatch batch;
    for (const QString &id : {u"a"_s, u"b"_s}) {
        Device d = makeDevice(id, 1);
        d.rejects[size_t(RejectReason::BadJson)] = 2;
        batch.devices.append(d);
        for (int i = 0; i < 10; ++i)
            batch.samples.append(makeSample(id, t0() + i * 30'000, threeMetrics(i)));
    }
    writer.submit(std::move(batch));
    writer.packNow();  // into blocks and rollups
    QVERIFY(writer.flush());
    RawDb raw(dbPath());
    for (const char *table : kTables)
        QVERIFY2(rowsOf(raw, table, v1(u"a"_s)) > 0, table);

    QSignalSpy deleted(&writer, &StorageWriter::devicesDeleted);
    StorageBatch deletion;
    deletion.deletedDevices = {v1(u"a"_s)};
    deletion.deletionId = 42;
    writer.submit(std::move(deletion));
    QVERIFY(writer.flush());
    QTRY_COMPARE(deleted.size(), 1);  // emitted on the writer thread
    QCOMPARE(deleted.at(0).at(0).toULongLong(), 42u);
    QVERIFY(deleted.at(0).at(1).toBool());
    for (const char *table : kTables) {
        QCOMPARE(rowsOf(raw, table, v1(u"a"_s)), 0);
        QVERIFY2(rowsOf(raw, table, v1(u"b"_s)) > 0, table);  // the other device is untouched
    }
    QCOMPARE(raw.texts("PRAGMA foreign_key_check"), QStringList());
    QCOMPARE(raw.texts("PRAGMA integrity_check"), QStringList{u"ok"_s});
    Database db;
    QVERIFY(db.open(dbPath(), true).ok());
    const QList<Device> devices = InventoryStore(db).loadDevices(&error);
    QCOMPARE(devices.size(), 1);
    QCOMPARE(devices.at(0).id, u"b"_s);
    QVERIFY(InventoryStore(db).samples(v1(u"a"_s), 0, t0() * 2).isEmpty());
}

void TestDeviceDeletion::deletionIsOrderedWithTheQueue()
{
    // Queued together, committed in order (a transaction each: what came before, the
    // deletion, what came after): what came before the deletion goes, what came after it is
    // the device anew, with its own rollups only.
    StorageWriter writer;
    writer.setCommitIntervalMs(60'000);
    QString error;
    QVERIFY2(writer.start(dbPath(), &error), qPrintable(error));
    QVERIFY(writer.flush());  // the first, empty commit is behind us: the rest waits
    const quint64 transactions = writer.committedTransactions();
    StorageBatch before;
    before.devices.append(makeDevice(u"a"_s, 1));
    for (int i = 0; i < 10; ++i)
        before.samples.append(makeSample(u"a"_s, t0() + i * 1000, {MetricValue{u"temp"_s, 100.0}}));
    writer.submit(std::move(before));
    StorageBatch deletion;
    deletion.deletedDevices = {v1(u"a"_s)};
    deletion.deletionId = 7;
    writer.submit(std::move(deletion));
    StorageBatch after;
    Device anew = makeDevice(u"a"_s, 2);
    anew.messageCount = 3;
    after.devices.append(anew);
    for (int i = 0; i < 3; ++i)  // same minute as some of the earlier rows
        after.samples.append(makeSample(u"a"_s, t0() + i * 1000, {MetricValue{u"temp"_s, 1.0 + i}}));
    writer.submit(std::move(after));
    QVERIFY(writer.flush());
    QCOMPARE(writer.committedTransactions(), transactions + 3);
    writer.packNow();  // rollups are kept when staged points are packed
    QVERIFY(writer.flush());

    RawDb raw(dbPath());
    QCOMPARE(rowsOf(raw, "telemetry", v1(u"a"_s)), 3);
    QCOMPARE(raw.integer("SELECT message_count FROM devices WHERE path = 'a'"), 3);
    QCOMPARE(raw.integer("SELECT sum(count) FROM telemetry_1m"), 3);
    QCOMPARE(raw.integer("SELECT sum(count) FROM telemetry_1h"), 3);
    QCOMPARE(raw.integer("SELECT CAST(max(max) AS INTEGER) FROM telemetry_1m"), 3);
}

void TestDeviceDeletion::unknownDeviceIsNoError()
{
    StorageWriter writer;
    QString error;
    QVERIFY2(writer.start(dbPath(), &error), qPrintable(error));
    QSignalSpy deleted(&writer, &StorageWriter::devicesDeleted);
    StorageBatch deletion;
    deletion.deletedDevices = {v1(u"nobody"_s)};
    deletion.deletionId = 1;
    writer.submit(std::move(deletion));
    QVERIFY(writer.flush());
    QTRY_COMPARE(deleted.size(), 1);
    QVERIFY(deleted.at(0).at(1).toBool());
}

void TestDeviceDeletion::deleterOnItsOwnConnection()
{
    // What `fleetdeckctl devices --delete` does: its own connection and transaction.
    {
        StorageWriter writer;
        QString error;
        QVERIFY2(writer.start(dbPath(), &error), qPrintable(error));
        StorageBatch batch;
        batch.devices = {makeDevice(u"a"_s, 1), makeDevice(u"b"_s, 2)};
        batch.samples = {makeSample(u"a"_s, t0(), threeMetrics(1)), makeSample(u"b"_s, t0(), threeMetrics(2))};
        writer.submit(std::move(batch));
        QVERIFY(writer.flush());
    }
    Database db;
    QVERIFY(db.open(dbPath()).ok());
    DeviceDeleter deleter(db);
    QString error;
    QVERIFY2(deleter.prepare(&error), qPrintable(error));
    QVERIFY(db.exec("BEGIN IMMEDIATE", &error));
    DeviceDeleter::Counts counts;
    QVERIFY2(deleter.deleteDevice(v1(u"a"_s), &counts, &error), qPrintable(error));
    QVERIFY(db.exec("COMMIT", &error));
    QCOMPARE(counts.devices, 1);
    QCOMPARE(counts.rawRows, 3);
    QCOMPARE(counts.rollupRows, 6);
    RawDb raw(dbPath());
    QCOMPARE(raw.integer("SELECT count(*) FROM devices"), 1);
    QCOMPARE(raw.integer("SELECT (SELECT coalesce(sum(count), 0) FROM telemetry_blocks)"
                         " + (SELECT coalesce(sum(count), 0) FROM telemetry_staging)"),
             3);
    // The integer keys stay: a writer elsewhere may still use them.
    QCOMPARE(raw.integer("SELECT count(*) FROM device_keys"), 2);
}

QTEST_GUILESS_MAIN(TestDeviceDeletion)
#include "test_device_deletion.moc"
