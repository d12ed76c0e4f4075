// Tests of the telemetry rollups (schema v2): the writer keeps telemetry_1m / telemetry_1h
// equal to the aggregates of the raw points (also with replaced values, NaN, many commits
// and packs into blocks), the v1 -> v2 migration fills them from existing raw rows, and
// retention keeps rollups longer than raw points.

#include "core/storage/database.h"
#include "core/storage/schema.h"
#include "core/storage/storage_writer.h"
#include "storage_test_data.h"

#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <limits>

using namespace Qt::StringLiterals;
using namespace fd;
using namespace fd::storagetest;

namespace {

// Rows of the rollup table that differ from the aggregate of the raw rows, both ways
// (raw_points: materializeRawPoints() first).
qint64 mismatches(RawDb &raw, qint64 widthMs)
{
    const QByteArray table = widthMs == 60000 ? "telemetry_1m" : "telemetry_1h";
    const QByteArray w = QByteArray::number(widthMs);
    const QByteArray expected =
        "SELECT device_key, metric_key, ts_ms - ts_ms % " + w + ", min(value), max(value), "
        "sum(value), count(value) FROM raw_points WHERE value IS NOT NULL "
        "GROUP BY device_key, metric_key, ts_ms - ts_ms % " + w;
    const QByteArray actual =
        "SELECT device_key, metric_key, bucket_ms, min, max, sum, count FROM " + table;
    const QByteArray sql = "SELECT (SELECT count(*) FROM (" + expected + " EXCEPT " + actual
                           + ")) + (SELECT count(*) FROM (" + actual + " EXCEPT " + expected + "))";
    return raw.integer(sql.constData());
}

} // namespace

class TestRollups : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void rollupsEqualRawAggregates();
    void replacedValueIsRecomputed();
    void migrationFillsRollupsFromV1();
    void rollupsOutliveRawRows();

private:
    QString dbPath() const { return m_dir->filePath(u"cache.db"_s); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestRollups::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestRollups::rollupsEqualRawAggregates()
{
    StorageWriter writer;
    writer.setCommitIntervalMs(0);
    QVERIFY(writer.start(dbPath()));
    QRandomGenerator rng(42);
    const qint64 base = t0() - t0() % 3600000 - 2 * 3600000;  // 2 h before, on an hour
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (int commit = 0; commit < 40; ++commit) {
        StorageBatch batch;
        for (int i = 0; i < 300; ++i) {
            const int dev = rng.bounded(5);
            // Mostly moving forward, sometimes back into older buckets and onto existing
            // timestamps (replacements), across three hours.
            const qint64 ts = base + qint64(rng.bounded(3 * 3600)) * 1000;
            MetricValues metrics;
            for (const char *name : {"temp", "hum", "volt"}) {
                // Multiples of 1/4: sums are exact in any order.
                const double v = rng.bounded(50) == 0 ? nan : (rng.bounded(4000) - 2000) / 4.0;
                metrics.append({QString::fromLatin1(name), v});
            }
            batch.samples.append(makeSample(deviceId(dev), ts, metrics));
        }
        writer.submit(std::move(batch));
        QVERIFY(writer.flush());
        if (commit % 7 == 0) {  // pack now and then: rewrites of packed windows too
            writer.packNow();
            QVERIFY(writer.flush());
        }
    }
    writer.packNow();
    QVERIFY(writer.flush());
    QVERIFY(materializeRawPoints(dbPath()) > 0);
    RawDb raw(dbPath());
    QVERIFY(raw.integer("SELECT count(*) FROM telemetry_1m") > 100);
    QVERIFY(raw.integer("SELECT count(*) FROM telemetry_1h") >= 5 * 3 * 3);
    QCOMPARE(mismatches(raw, 60000), 0);
    QCOMPARE(mismatches(raw, 3600000), 0);
}

void TestRollups::replacedValueIsRecomputed()
{
    StorageWriter writer;
    writer.setCommitIntervalMs(0);
    QVERIFY(writer.start(dbPath()));
    const qint64 ts = t0() - t0() % 60000;
    writer.submit(StorageBatch{{}, {makeSample(u"a"_s, ts, {{u"temp"_s, 100}}),
                                    makeSample(u"a"_s, ts + 1000, {{u"temp"_s, 1}})}});
    QVERIFY(writer.flush());
    writer.packNow();  // the first values in blocks and rollups, the later ones replace them
    QVERIFY(writer.flush());
    // The same timestamp again, in a later commit and twice within one batch: later wins.
    writer.submit(StorageBatch{{}, {makeSample(u"a"_s, ts, {{u"temp"_s, 7}}),
                                    makeSample(u"a"_s, ts + 1000, {{u"temp"_s, 3}}),
                                    makeSample(u"a"_s, ts + 1000, {{u"temp"_s, 5}})}});
    QVERIFY(writer.flush());
    writer.packNow();
    QVERIFY(writer.flush());
    QCOMPARE(materializeRawPoints(dbPath()), 2);
    RawDb raw(dbPath());
    QCOMPARE(raw.texts("SELECT min || ',' || max || ',' || sum || ',' || count FROM telemetry_1m"),
             QStringList{u"5.0,7.0,12.0,2"_s});
    QCOMPARE(raw.texts("SELECT min || ',' || max || ',' || sum || ',' || count FROM telemetry_1h"),
             QStringList{u"5.0,7.0,12.0,2"_s});
    QCOMPARE(mismatches(raw, 60000), 0);
}

void TestRollups::migrationFillsRollupsFromV1()
{
    {
        RawDb raw(dbPath());
        QCOMPARE(raw.exec(schemaMigrations()[0].sql), QString());
        QCOMPARE(raw.exec("PRAGMA user_version = 1;"
                          "INSERT INTO device_keys(id, device_id) VALUES(1, 'a'), (2, 'b');"
                          "INSERT INTO metrics(id, name) VALUES(1, 'temp');"
                          "INSERT INTO series VALUES(1, 1), (2, 1);"
                          "WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c"
                          " WHERE x < 9999) INSERT INTO telemetry"
                          " SELECT 1 + x % 2, 1, 1700000000000 + x * 1500, (x % 97) / 4.0 FROM c;"
                          "INSERT INTO telemetry VALUES(1, 1, 1600000000000, NULL);"),
                 QString());
    }
    Database db;
    const auto r = db.open(dbPath());
    QVERIFY2(r.ok(), qPrintable(r.message));
    QCOMPARE(r.schemaVersion, Database::kSchemaVersion);
    db.close();
    QCOMPARE(materializeRawPoints(dbPath()), 10001);  // the v3 rows, read where they are
    RawDb raw(dbPath());
    QVERIFY(raw.integer("SELECT count(*) FROM telemetry_1m") > 200);
    QCOMPARE(mismatches(raw, 60000), 0);
    QCOMPARE(mismatches(raw, 3600000), 0);
}

void TestRollups::rollupsOutliveRawRows()
{
    const qint64 day = 24LL * 3600 * 1000;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    StorageWriter writer;
    writer.setRetention({1, 2, 7});
    QCOMPARE(writer.retention(), (RetentionPolicy{1, 2, 7}));
    QVERIFY(writer.start(dbPath()));
    StorageBatch batch;
    for (qint64 age : {day / 2, day + day / 2, 5 * day, 30 * day})
        batch.samples.append(makeSample(u"a"_s, now - age, {{u"temp"_s, 1}}));
    writer.submit(std::move(batch));
    QVERIFY(writer.flush());
    writer.packNow();
    writer.pruneNow();
    QVERIFY(writer.flush());
    QCOMPARE(materializeRawPoints(dbPath()), 1);  // < 1 day
    RawDb raw(dbPath());
    QCOMPARE(raw.integer("SELECT count(*) FROM telemetry_1m"), 2);  // < 2 days
    // < 7 days (the bucket start may be up to an hour older than the sample)
    QCOMPARE(raw.integer("SELECT count(*) FROM telemetry_1h"), 3);
    QCOMPARE(writer.prunedRows(), quint64(3));
    QCOMPARE(writer.prunedRollupRows(), quint64(2 + 1));
}

QTEST_GUILESS_MAIN(TestRollups)
#include "test_rollups.moc"
