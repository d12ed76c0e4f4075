// Telemetry store v3 (schema v4): points are staged per commit and packed into compressed
// per-series blocks; every read (raw, rollups, CSV) sees blocks, staged rows and the v3
// rows of a cache being converted as one series, later writes winning; rollups stay exact;
// damaged rows and blocks are dropped, never retried forever; a v3 cache is converted in
// interruptible steps with identical query answers; a recorder killed between a staging
// commit and packing loses nothing.
#include "core/compression/series_block_codec.h"
#include "core/storage/block_packer.h"
#include "core/storage/database.h"
#include "core/storage/history_query.h"
#include "core/storage/legacy_telemetry_migrator.h"
#include "core/storage/legacy_telemetry_table.h"
#include "core/storage/raw_series_reader.h"
#include "core/storage/schema.h"
#include "core/storage/storage_writer.h"
#include "core/storage/telemetry_layout.h"
#include "storage_test_data.h"

#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;
using namespace fd;
using namespace fd::storagetest;

namespace {

constexpr qint64 kMinute = 60000;
constexpr qint64 kHour = 3600000;
constexpr qint64 kAll[2] = {std::numeric_limits<qint64>::min(), std::numeric_limits<qint64>::max()};

SeriesPoints readRaw(const QString &path, const DeviceKey &device, const QString &metric, qint64 from = kAll[0],
                     qint64 to = kAll[1])
{
    Database db;
    if (!db.open(path, true).ok())
        return {};
    SeriesPoints points;
    QString error;
    if (!HistoryQuery(db).readRaw(device, metric, from, to, &points, &error))
        qWarning() << error;
    return points;
}

TelemetryBuckets readLevel(const QString &path, const DeviceKey &device, const QString &metric,
                           HistoryResolution resolution, qint64 from = kAll[0], qint64 to = kAll[1])
{
    Database db;
    if (!db.open(path, true).ok())
        return {};
    TelemetryBuckets rows;
    QString error;
    if (!HistoryQuery(db).read(device, metric, from, to, resolution, &rows, &error))
        qWarning() << error;
    return rows;
}

// Rollup rows that differ from the aggregates of the raw points (see test_rollups).
qint64 rollupMismatches(const QString &path)
{
    if (materializeRawPoints(path) < 0)
        return -1;
    RawDb raw(path);
    qint64 total = 0;
    for (const char *w : {"60000", "3600000"}) {
        const QByteArray width(w);
        const QByteArray table = width == "60000" ? "telemetry_1m" : "telemetry_1h";
        const QByteArray expected = "SELECT device_key, metric_key, ts_ms - ts_ms % " + width
                                    + ", min(value), max(value), sum(value), count(value) FROM raw_points"
                                      " WHERE value IS NOT NULL GROUP BY device_key, metric_key, ts_ms - ts_ms % "
                                    + width;
        const QByteArray actual = "SELECT device_key, metric_key, bucket_ms, min, max, sum, count FROM " + table;
        total += raw.integer("SELECT (SELECT count(*) FROM (" + expected + " EXCEPT " + actual
                             + ")) + (SELECT count(*) FROM (" + actual + " EXCEPT " + expected + "))");
    }
    return total;
}

} // namespace

class TestTelemetryStore : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void packsIntoFewBlocksAndReadsBack();
    void bigWindowIsSplitAtTheBlockLimit();
    void stagedPointsAreReadBeforePacking();
    void laterWritesWinAcrossStagingAndBlocks();
    void backfillIntoPackedWindowsKeepsRollupsExact();
    void typedValuesRoundTrip();
    void damagedStagingRowAndBlockAreDropped();
    void retentionTrimsBlocks();
    void v3CacheConvertsWithIdenticalAnswers();
    void writerConvertsV3CacheInTheBackground();
    void killBetweenStagingAndPackingLosesNothing();

private:
    QString dbPath() const { return m_dir->filePath(u"cache.db"_s); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestTelemetryStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

// Two hours of 1 Hz data of 3 devices, committed every simulated minute and packed every
// ten: windows end up in one block each (the previous window is merged when a series
// moves on), and the points read back are exactly the ones written.
void TestTelemetryStore::packsIntoFewBlocksAndReadsBack()
{
    const qint64 base = t0() - t0() % kHour - 2 * kHour;
    StorageWriter writer;
    writer.setCommitIntervalMs(0);
    QVERIFY(writer.start(dbPath()));
    for (qint64 minute = 0; minute < 120; ++minute) {
        StorageBatch batch;
        for (qint64 s = 0; s < 60; ++s) {
            const qint64 t = base + minute * kMinute + s * 1000;
            for (int dev = 0; dev < 3; ++dev)
                batch.samples.append(makeSample(deviceId(dev), t, {{u"temp"_s, double(t / 1000 % 500) / 4.0 + dev}}));
        }
        writer.submit(std::move(batch));
        if (minute % 10 == 9)
            writer.packNow();
    }
    writer.packNow();
    QVERIFY(writer.flush(60000));
    QCOMPARE(writer.packedPoints(), quint64(3 * 7200));

    RawDb raw(dbPath());
    QCOMPARE(raw.integer("SELECT count(*) FROM telemetry_staging"), 0);
    QCOMPARE(raw.integer("SELECT sum(count) FROM telemetry_blocks"), 3 * 7200);
    // The first hour of each series was merged when the series moved on; the second is
    // still being appended to (10 packs of 6 minutes: under kMaxSmallBlocks of them).
    QCOMPARE(raw.integer("SELECT count(*) FROM telemetry_blocks WHERE window_ms = " + QByteArray::number(base)), 3);
    QVERIFY(raw.integer("SELECT max(n) FROM (SELECT count(*) AS n FROM telemetry_blocks GROUP BY device_key,"
                        " metric_key, window_ms)")
            <= telemetry_layout::kMaxSmallBlocks);
    // Far below the ~25 bytes per point of one row per point.
    QVERIFY2(raw.integer("SELECT sum(length(data)) FROM telemetry_blocks") < 3 * 7200 * 2,
             qPrintable(QString::number(raw.integer("SELECT sum(length(data)) FROM telemetry_blocks"))));

    const SeriesPoints points = readRaw(dbPath(), v1(deviceId(1)), u"temp"_s);
    QCOMPARE(points.size(), size_t(7200));
    for (size_t i = 0; i < points.size(); ++i) {
        const qint64 t = base + qint64(i) * 1000;
        QCOMPARE(points[i].tsMs, t);
        QCOMPARE(points[i].value, double(t / 1000 % 500) / 4.0 + 1);  // quarters: sums exact in any order
    }
    // A range inside the data, inclusive at both ends.
    const SeriesPoints part = readRaw(dbPath(), v1(deviceId(2)), u"temp"_s, base + 3599000, base + 3601000);
    QCOMPARE(part.size(), size_t(3));
    QCOMPARE(part.front().tsMs, base + 3599000);
    QCOMPARE(rollupMismatches(dbPath()), 0);
}

// 10 points a second for an hour: the window is split into blocks of at most
// kMaxBlockPoints, in order, and read back whole, also across the block boundaries.
void TestTelemetryStore::bigWindowIsSplitAtTheBlockLimit()
{
    const qint64 base = t0() - t0() % kHour - kHour;
    StorageWriter writer;
    writer.setRetention({0, 0, 0});
    QVERIFY(writer.start(dbPath()));
    StorageBatch batch;
    for (qint64 t = base; t < base + kHour; t += 100)
        batch.samples.append(makeSample(u"fast"_s, t, {MetricValue::ofInt64(u"n"_s, (t - base) / 100)}));
    writer.submit(std::move(batch));
    writer.packNow();
    QVERIFY(writer.flush(60000));
    RawDb raw(dbPath());
    const qint64 blocks = raw.integer("SELECT count(*) FROM telemetry_blocks");
    QCOMPARE(blocks, (36000 + telemetry_layout::kMaxBlockPoints - 1) / telemetry_layout::kMaxBlockPoints);
    QCOMPARE(raw.integer("SELECT max(count) FROM telemetry_blocks"), telemetry_layout::kMaxBlockPoints);
    const SeriesPoints points = readRaw(dbPath(), v1(u"fast"_s), u"n"_s);
    QCOMPARE(points.size(), size_t(36000));
    for (size_t i = 0; i < points.size(); ++i)
        QCOMPARE(points[i].integer, qint64(i));
    // A range across the first boundary.
    const qint64 edge = base + qint64(telemetry_layout::kMaxBlockPoints) * 100;
    const SeriesPoints around = readRaw(dbPath(), v1(u"fast"_s), u"n"_s, edge - 200, edge + 200);
    QCOMPARE(around.size(), size_t(5));
    QCOMPARE(around.front().integer, qint64(telemetry_layout::kMaxBlockPoints - 2));
}

void TestTelemetryStore::stagedPointsAreReadBeforePacking()
{
    const qint64 base = t0() - t0() % kMinute;
    StorageWriter writer;
    writer.setRetention({0, 0, 0});  // no retention pass (it packs first)
    QVERIFY(writer.start(dbPath()));
    StorageBatch batch;
    for (int i = 0; i < 90; ++i)
        batch.samples.append(makeSample(u"a"_s, base + i * 1000, {{u"temp"_s, double(i)}}));
    writer.submit(std::move(batch));
    QVERIFY(writer.flush());
    RawDb raw(dbPath());
    QCOMPARE(raw.integer("SELECT count(*) FROM telemetry_blocks"), 0);
    QCOMPARE(raw.integer("SELECT sum(count) FROM telemetry_staging"), 90);

    QCOMPARE(readRaw(dbPath(), v1(u"a"_s), u"temp"_s).size(), size_t(90));
    // Rollup reads reach the present too: the staged points, aggregated on the fly.
    const TelemetryBuckets minutes = readLevel(dbPath(), v1(u"a"_s), u"temp"_s, HistoryResolution::Minute);
    QCOMPARE(minutes.size(), 2);
    QCOMPARE(minutes.at(0).count, 60);
    QCOMPARE(minutes.at(0).min, 0.0);
    QCOMPARE(minutes.at(0).max, 59.0);
    QCOMPARE(minutes.at(0).mean, 29.5);
    QCOMPARE(minutes.at(1).count, 30);
    const TelemetryBuckets hours = readLevel(dbPath(), v1(u"a"_s), u"temp"_s, HistoryResolution::Hour);
    QCOMPARE(hours.size() >= 1, true);
    qint64 counted = 0;
    for (const TelemetryBucket &b : hours)
        counted += b.count;
    QCOMPARE(counted, 90);

    writer.packNow();
    QVERIFY(writer.flush());
    QCOMPARE(raw.integer("SELECT count(*) FROM telemetry_staging"), 0);
    QCOMPARE(readLevel(dbPath(), v1(u"a"_s), u"temp"_s, HistoryResolution::Minute), minutes);
    QCOMPARE(readRaw(dbPath(), v1(u"a"_s), u"temp"_s).size(), size_t(90));
}

void TestTelemetryStore::laterWritesWinAcrossStagingAndBlocks()
{
    const qint64 ts = t0() - t0() % kMinute;
    StorageWriter writer;
    writer.setCommitIntervalMs(0);
    QVERIFY(writer.start(dbPath()));
    writer.submit(StorageBatch{{}, {makeSample(u"a"_s, ts, {{u"temp"_s, 1}}), makeSample(u"a"_s, ts + 1000, {{u"temp"_s, 2}})}});
    writer.packNow();
    QVERIFY(writer.flush());
    // Staged over packed, and the later of two staged values.
    writer.submit(StorageBatch{{}, {makeSample(u"a"_s, ts, {{u"temp"_s, 10}})}});
    writer.submit(StorageBatch{{}, {makeSample(u"a"_s, ts, {{u"temp"_s, 11}})}});
    QVERIFY(writer.flush());
    SeriesPoints points = readRaw(dbPath(), v1(u"a"_s), u"temp"_s);
    QCOMPARE(points.size(), size_t(2));
    QCOMPARE(points[0].value, 11.0);
    QCOMPARE(points[1].value, 2.0);
    writer.packNow();
    QVERIFY(writer.flush());
    points = readRaw(dbPath(), v1(u"a"_s), u"temp"_s);
    QCOMPARE(points.size(), size_t(2));
    QCOMPARE(points[0].value, 11.0);
    QCOMPARE(rollupMismatches(dbPath()), 0);
    RawDb raw(dbPath());
    QCOMPARE(raw.texts("SELECT min || ',' || max || ',' || count FROM telemetry_1m"), QStringList{u"2.0,11.0,2"_s});
}

// Live data packed first, then a backfill of the hours before it and a replay of part of
// it with other values, in random order: reads are sorted, replays win, rollups exact.
void TestTelemetryStore::backfillIntoPackedWindowsKeepsRollupsExact()
{
    const qint64 base = t0() - t0() % kHour - 3 * kHour;
    StorageWriter writer;
    writer.setCommitIntervalMs(0);
    QVERIFY(writer.start(dbPath()));
    StorageBatch live;
    for (qint64 t = base + 2 * kHour; t < base + 3 * kHour; t += 5000)
        live.samples.append(makeSample(u"a"_s, t, {{u"temp"_s, 1.0}}));
    writer.submit(std::move(live));
    writer.packNow();
    QVERIFY(writer.flush());
    QRandomGenerator rng(7);
    for (int round = 0; round < 6; ++round) {
        StorageBatch batch;
        for (int i = 0; i < 200; ++i) {
            const qint64 t = base + qint64(rng.bounded(3 * 720)) * 5000;  // anywhere, on the 5 s grid
            batch.samples.append(makeSample(u"a"_s, t, {{u"temp"_s, double(rng.bounded(100)) / 4.0}}));
        }
        writer.submit(std::move(batch));
        writer.packNow();
        QVERIFY(writer.flush());
    }
    const SeriesPoints points = readRaw(dbPath(), v1(u"a"_s), u"temp"_s);
    QVERIFY(points.size() >= 720);
    for (size_t i = 1; i < points.size(); ++i)
        QVERIFY(points[i - 1].tsMs < points[i].tsMs);
    QCOMPARE(rollupMismatches(dbPath()), 0);
}

void TestTelemetryStore::typedValuesRoundTrip()
{
    const qint64 ts = t0();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const qint64 big = (qint64(1) << 53) + 1;
    const QString text = u"état <b>ok</b>, \"quoted\"\n日本"_s;
    StorageWriter writer;
    QVERIFY(writer.start(dbPath()));
    writer.submit(StorageBatch{{},
                               {makeSample(u"a"_s, ts,
                                           {MetricValue::ofInt64(u"count"_s, big), MetricValue::ofBool(u"door"_s, true),
                                            MetricValue::ofString(u"state"_s, text), MetricValue(u"temp"_s, -0.0)}),
                                makeSample(u"a"_s, ts + 1, {MetricValue(u"temp"_s, nan), MetricValue::ofInt64(u"count"_s, -big)})}});
    QVERIFY(writer.flush());
    for (int packed = 0; packed < 2; ++packed) {
        SeriesPoints count = readRaw(dbPath(), v1(u"a"_s), u"count"_s);
        QCOMPARE(count.size(), size_t(2));
        QCOMPARE(count[0].type, MetricType::Int64);
        QCOMPARE(count[0].integer, big);
        QCOMPARE(count[1].integer, -big);
        const SeriesPoints door = readRaw(dbPath(), v1(u"a"_s), u"door"_s);
        QCOMPARE(door.size(), size_t(1));
        QCOMPARE(door[0].type, MetricType::Bool);
        QCOMPARE(door[0].integer, 1);
        const SeriesPoints state = readRaw(dbPath(), v1(u"a"_s), u"state"_s);
        QCOMPARE(state.size(), size_t(1));
        QCOMPARE(state[0].type, MetricType::String);
        QCOMPARE(state[0].text, text);
        const SeriesPoints temp = readRaw(dbPath(), v1(u"a"_s), u"temp"_s);
        QCOMPARE(temp.size(), size_t(2));
        QVERIFY(std::signbit(temp[0].value) && temp[0].value == 0.0);
        QVERIFY(std::isnan(temp[1].value));
        writer.packNow();
        QVERIFY(writer.flush());
    }
    // Only finite numbers are in rollups: -0.0 and the two integers, not NaN nor the string.
    RawDb raw(dbPath());
    QCOMPARE(raw.integer("SELECT sum(count) FROM telemetry_1m"), 4);
}

void TestTelemetryStore::damagedStagingRowAndBlockAreDropped()
{
    const qint64 ts = t0() - t0() % kHour;
    {
        StorageWriter writer;
        QVERIFY(writer.start(dbPath()));
        writer.submit(StorageBatch{{}, {makeSample(u"a"_s, ts, {{u"temp"_s, 1}}), makeSample(u"b"_s, ts, {{u"temp"_s, 2}})}});
        writer.packNow();
        QVERIFY(writer.flush());
        writer.submit(StorageBatch{{}, {makeSample(u"a"_s, ts + 1000, {{u"temp"_s, 3}}),
                                        makeSample(u"c"_s, ts + 1000, {{u"temp"_s, 4}})}});
        QVERIFY(writer.flush());
    }  // stop() packs: make a staged row by hand below
    RawDb raw(dbPath());
    QCOMPARE(raw.exec("UPDATE telemetry_blocks SET data = x'01ff' WHERE device_key ="
                      " (SELECT id FROM device_keys WHERE path = 'a') AND first_ms = "
                      + QByteArray::number(ts)),
             QString());
    QCOMPARE(raw.exec("INSERT INTO telemetry_staging(device_key, count, first_ms, last_ms, data) VALUES"
                      " ((SELECT id FROM device_keys WHERE path = 'b'), 1, 0, 0, x'0105000000')"),
             QString());
    // A reader names the damaged block; other series read fine.
    {
        Database db;
        QVERIFY(db.open(dbPath(), true).ok());
        SeriesPoints points;
        QString error;
        QVERIFY(!HistoryQuery(db).readRaw(v1(u"a"_s), u"temp"_s, kAll[0], kAll[1], &points, &error));
        QVERIFY2(error.contains(u"damaged"_s), qPrintable(error));
        QVERIFY(HistoryQuery(db).readRaw(v1(u"c"_s), u"temp"_s, kAll[0], kAll[1], &points, &error));
        QCOMPARE(points.size(), size_t(1));
    }
    // The writer drops both when it meets them and goes on: nothing is retried forever.
    QStringList failures;
    StorageWriter writer;
    connect(&writer, &StorageWriter::writeFailed, &writer, [&failures](const QString &m) { failures.append(m); });
    writer.setCommitIntervalMs(0);
    QVERIFY(writer.start(dbPath()));
    writer.submit(StorageBatch{{}, {makeSample(u"a"_s, ts, {{u"temp"_s, 5}})}});  // rewrites a's window
    writer.packNow();
    QVERIFY(writer.flush());
    QTRY_COMPARE(failures.size(), 1);
    QVERIFY2(failures.first().contains(u"damaged"_s), qPrintable(failures.first()));
    QCOMPARE(raw.integer("SELECT count(*) FROM telemetry_staging"), 0);
    const SeriesPoints a = readRaw(dbPath(), v1(u"a"_s), u"temp"_s);
    QCOMPARE(a.size(), size_t(2));  // the new point and the one from the intact block
    QCOMPARE(a[0].value, 5.0);
}

void TestTelemetryStore::retentionTrimsBlocks()
{
    const qint64 day = 24 * kHour;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    StorageWriter writer;
    writer.setRetention({1, 0, 0});
    writer.setCommitIntervalMs(0);
    QVERIFY(writer.start(dbPath()));
    StorageBatch batch;
    // One point a minute from 26 h ago to now: the window holding the cutoff straddles it.
    for (qint64 t = now - day - 2 * kHour; t <= now; t += kMinute)
        batch.samples.append(makeSample(u"a"_s, t, {{u"temp"_s, 1}}));
    const qint64 total = batch.samples.size();
    writer.submit(std::move(batch));
    writer.packNow();
    writer.pruneNow();
    QVERIFY(writer.flush());
    const SeriesPoints left = readRaw(dbPath(), v1(u"a"_s), u"temp"_s);
    QVERIFY(!left.empty());
    QVERIFY2(left.front().tsMs >= now - day - kMinute, qPrintable(QString::number(now - left.front().tsMs)));
    QVERIFY(left.front().tsMs <= now - day + kMinute);
    QCOMPARE(qint64(writer.prunedRows()) + qint64(left.size()), total);
}

namespace {

// A v3 cache as FleetDeck 0.2 wrote it (raw rows in `telemetry`, rollups beside them) for
// 3 series over 5 hours at one point per 30 s, with a NaN now and then.
void writeV3Cache(const QString &path, qint64 base)
{
    RawDb raw(path);
    const auto steps = schemaMigrations();
    for (int i = 0; i < 3; ++i)
        QCOMPARE(raw.exec(steps[i].sql), QString());
    QCOMPARE(raw.exec("PRAGMA user_version = 3;"
                      "INSERT INTO devices(source, path, id) VALUES ('default', 'a', 'a'), ('default', 'b', 'b');"
                      "INSERT INTO device_keys(id, source, path) VALUES (1, 'default', 'a'), (2, 'default', 'b');"
                      "INSERT INTO metrics(id, name) VALUES (1, 'temp'), (2, 'hum');"
                      "INSERT INTO series VALUES (1, 1), (1, 2), (2, 1);"
                      "WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c WHERE x < 599)"
                      " INSERT INTO telemetry SELECT k.d, k.m, " + QByteArray::number(base) + " + x * 30000,"
                      "   CASE WHEN x % 97 = 5 THEN NULL ELSE (x * 7 % 113) / 4.0 + k.d END"
                      " FROM c, (SELECT 1 AS d, 1 AS m UNION ALL SELECT 1, 2 UNION ALL SELECT 2, 1) k;"
                      // Rollups as the v3 writer kept them.
                      "INSERT INTO telemetry_1m SELECT device_key, metric_key, ts_ms - ts_ms % 60000, min(value),"
                      " max(value), sum(value), count(value) FROM telemetry WHERE value IS NOT NULL"
                      " GROUP BY device_key, metric_key, ts_ms - ts_ms % 60000;"
                      "INSERT INTO telemetry_1h SELECT device_key, metric_key, bucket_ms - bucket_ms % 3600000,"
                      " min(min), max(max), sum(sum), sum(count) FROM telemetry_1m"
                      " GROUP BY device_key, metric_key, bucket_ms - bucket_ms % 3600000;"),
             QString());
}

struct Answers
{
    QList<SeriesPoints> raw;
    QList<TelemetryBuckets> rollups;
};

Answers askEverything(const QString &path, qint64 base)
{
    Answers a;
    const QList<QPair<QString, QString>> series{{u"a"_s, u"temp"_s}, {u"a"_s, u"hum"_s}, {u"b"_s, u"temp"_s}};
    const QList<QPair<qint64, qint64>> ranges{{kAll[0], kAll[1]}, {base + 17 * 60000 + 123, base + 2 * kHour + 5},
                                              {base + 4 * kHour, base + 9 * kHour}, {base - kHour, base}};
    for (const auto &[device, metric] : series) {
        for (const auto &[from, to] : ranges) {
            a.raw.append(readRaw(path, v1(device), metric, from, to));
            for (HistoryResolution r : {HistoryResolution::Raw, HistoryResolution::Minute, HistoryResolution::Hour})
                a.rollups.append(readLevel(path, v1(device), metric, r, from, to));
        }
    }
    return a;
}

bool samePoints(const QList<SeriesPoints> &x, const QList<SeriesPoints> &y)
{
    if (x.size() != y.size())
        return false;
    for (qsizetype i = 0; i < x.size(); ++i) {
        if (x[i].size() != y[i].size())
            return false;
        for (size_t j = 0; j < x[i].size(); ++j) {
            if (x[i][j].tsMs != y[i][j].tsMs || !x[i][j].sameValue(y[i][j]))
                return false;
        }
    }
    return true;
}

bool sameBuckets(const TelemetryBuckets &x, const TelemetryBuckets &y)
{
    if (x.size() != y.size())
        return false;
    for (qsizetype i = 0; i < x.size(); ++i) {
        const TelemetryBucket &a = x[i];
        const TelemetryBucket &b = y[i];
        auto same = [](double u, double v) { return (std::isnan(u) && std::isnan(v)) || u == v; };
        if (a.tMs != b.tMs || a.widthMs != b.widthMs || a.count != b.count || !same(a.min, b.min)
            || !same(a.max, b.max) || !same(a.mean, b.mean))
            return false;
    }
    return true;
}

} // namespace

// The migration in small steps, interrupted (connection closed) between them: after every
// step every query gives the v3 answers; at the end the v3 table is gone.
void TestTelemetryStore::v3CacheConvertsWithIdenticalAnswers()
{
    const qint64 base = t0() - t0() % kHour - 6 * kHour;
    writeV3Cache(dbPath(), base);
    {
        Database db;
        QVERIFY(db.open(dbPath()).ok());  // v3 -> v4: new tables only, rows stay where they are
    }
    const Answers before = askEverything(dbPath(), base);
    QCOMPARE(before.raw.first().size(), size_t(600));
    QCOMPARE(rollupMismatches(dbPath()), 0);
    RawDb(dbPath()).exec("DROP TABLE raw_points");

    int steps = 0;
    for (bool finished = false; !finished; ++steps) {
        Database db;
        QVERIFY(db.open(dbPath()).ok());
        LegacyTelemetryTable legacy(db);
        LegacyTelemetryMigrator migrator(db, legacy);
        QString error;
        QVERIFY2(legacy.prepare(&error) && migrator.prepare(&error), qPrintable(error));
        QVERIFY2(migrator.step(250, &finished, &error), qPrintable(error));
        const Answers now = askEverything(dbPath(), base);
        QVERIFY2(samePoints(before.raw, now.raw), qPrintable(u"raw answers differ after step %1"_s.arg(steps)));
        for (qsizetype i = 0; i < before.rollups.size(); ++i)
            QVERIFY2(sameBuckets(before.rollups[i], now.rollups[i]), qPrintable(u"query %1 differs"_s.arg(i)));
        QVERIFY(steps < 100);
    }
    QVERIFY(steps > 3);  // it did go in steps
    RawDb raw(dbPath());
    QCOMPARE(raw.integer("SELECT count(*) FROM sqlite_schema WHERE name = 'telemetry'"), 0);
    QCOMPARE(raw.integer("SELECT sum(count) FROM telemetry_blocks"), 3 * 600);
    QCOMPARE(rollupMismatches(dbPath()), 0);
}

void TestTelemetryStore::writerConvertsV3CacheInTheBackground()
{
    const qint64 base = t0() - t0() % kHour - 6 * kHour;
    writeV3Cache(dbPath(), base);
    StorageWriter writer;
    QList<qint64> progress;
    bool finished = false;
    connect(&writer, &StorageWriter::migrationProgress, &writer, [&](qint64 moved, qint64 total, bool done) {
        progress.append(moved);
        QCOMPARE(total, 3 * 600);
        finished = finished || done;
    });
    QVERIFY(writer.start(dbPath()));
    QTRY_VERIFY(finished);
    QCOMPARE(progress.constLast(), 3 * 600);
    QCOMPARE(readRaw(dbPath(), v1(u"b"_s), u"temp"_s).size(), size_t(600));
}

// A child process stages points and is killed (SIGKILL) at once, or in the middle of
// packing; reopened, the cache holds every committed point exactly once.
void TestTelemetryStore::killBetweenStagingAndPackingLosesNothing()
{
#ifdef Q_OS_WIN
    QSKIP("kill -9 of a child process: POSIX only");
#else
    const QString child = QCoreApplication::applicationDirPath() + u"/storage_crash_child"_s;
    QVERIFY2(QFileInfo::exists(child), qPrintable(child));
    qint64 expected = 0;
    for (int round = 0; round < 6; ++round) {
        QProcess p;
        p.setProgram(child);
        // Rounds alternate: killed right after a commit, or while it packs a big staging.
        p.setArguments({dbPath(), QString::number(round), round % 2 == 0 ? u"commit"_s : u"pack"_s});
        p.start();
        QVERIFY(p.waitForStarted());
        QVERIFY(p.waitForReadyRead(60000));
        const QByteArray line = p.readLine().trimmed();
        QVERIFY2(line.startsWith("committed "), line.constData());
        expected += line.mid(10).toLongLong();
        if (round % 2 == 1) {  // as soon as it starts packing: killed in the middle of it
            QVERIFY(p.canReadLine() || p.waitForReadyRead(60000));
            QCOMPARE(p.readLine().trimmed(), QByteArray("packing"));
        }
        p.kill();  // SIGKILL
        QVERIFY(p.waitForFinished(10000));

        Database db;
        const auto opened = db.open(dbPath());
        QVERIFY2(opened.ok(), qPrintable(opened.message));
        QCOMPARE(RawDb(dbPath()).integer("PRAGMA integrity_check") == -1, false);
        qint64 points = 0;
        QString error;
        QVERIFY(RawSeriesReader(db).countAll(&points, &error));
        QCOMPARE(points, expected);
    }
    QCOMPARE(rollupMismatches(dbPath()) >= 0, true);
#endif
}

QTEST_GUILESS_MAIN(TestTelemetryStore)
#include "test_telemetry_store.moc"
