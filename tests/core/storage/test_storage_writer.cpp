// Tests of fd::StorageWriter: batching, flush, concurrent readers, retention, upserts,
// failure and retry, stop, and a throughput measurement (printed, not asserted).

#include "core/storage/database.h"
#include "core/storage/inventory_store.h"
#include "core/storage/storage_writer.h"
#include "storage_test_data.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace fd;
using namespace fd::storagetest;

class TestStorageWriter : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void batchesSubmittedBeforeStartCommitInOneTransaction();
    void submitsWhileBlockedCoalesce();
    void flushMakesDataVisibleToSecondConnection();
    void concurrentReaderSeesWholeTransactions();
    void upsertsAttributesMetricsAndRejects();
    void duplicateTimestampKeepsLatestValue();
    void retentionDeletesOldRowsInChunks();
    void retentionOffKeepsEverything();
    void failedWriteIsReportedAndRetried();
    void unstorableSampleIsRejectedAndTheRestSaved();
    void unstorableDeviceStateIsRejectedAndTheRestSaved();
    void nonFiniteRollupSplitsTheCommitAndKeepsEveryRow();
    void fileFaultIsNeverTurnedIntoRejects();
    void commitsOnItsOwnWithoutFlush();
    void deviceStatesAreCoalescedUntilFlush();
    void deletionDropsHeldBackStates();
    void stopCommitsQueuedData();
    void submitAfterStopIsReported();
    void destructorCommitsQueuedData();
    void startFailsOnUnreadableFile();
    void throughput_data();
    void throughput();

private:
    QString dbPath() const { return m_dir->filePath(u"cache.db"_s); }
    qint64 rowCount()
    {
        Database db;
        const auto r = db.open(dbPath(), true);
        if (!r.ok())
            return -1;
        return InventoryStore(db).sampleCount();
    }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestStorageWriter::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestStorageWriter::batchesSubmittedBeforeStartCommitInOneTransaction()
{
    StorageWriter writer;
    constexpr int kBatches = 500;
    for (int i = 0; i < kBatches; ++i) {
        StorageBatch b;
        b.samples.append(makeSample(deviceId(i % 10), t0() + i, threeMetrics(i)));
        writer.submit(std::move(b));
    }
    writer.submit(StorageBatch{});  // empty: ignored
    QString error;
    QVERIFY2(writer.start(dbPath(), &error), qPrintable(error));
    QVERIFY(writer.flush());
    QCOMPARE(writer.committedTransactions(), quint64(1));
    QCOMPARE(writer.committedSamples(), quint64(kBatches));
    QCOMPARE(writer.committedRows(), quint64(kBatches * 3));
    QCOMPARE(rowCount(), qint64(kBatches * 3));
}

void TestStorageWriter::submitsWhileBlockedCoalesce()
{
    StorageWriter writer;
    QVERIFY(writer.start(dbPath()));
    QVERIFY(writer.flush());
    const quint64 before = writer.committedTransactions();

    // Another writer holds the lock: everything submitted meanwhile must go in one go.
    RawDb blocker(dbPath());
    QCOMPARE(blocker.exec("BEGIN IMMEDIATE"), QString());
    constexpr int kBatches = 200;
    for (int i = 0; i < kBatches; ++i) {
        StorageBatch b;
        b.devices.append(makeDevice(deviceId(i), i));
        b.samples.append(makeSample(deviceId(i), t0() + 5000 + i, threeMetrics(i)));
        writer.submit(std::move(b));
    }
    QCOMPARE(blocker.exec("COMMIT"), QString());
    QVERIFY(writer.flush());
    const quint64 transactions = writer.committedTransactions() - before;
    qInfo() << kBatches << "submits while the file was locked ->" << transactions << "transactions";
    QVERIFY(transactions >= 1 && transactions <= 2);
    QCOMPARE(rowCount(), qint64(kBatches * 3));
}

void TestStorageWriter::flushMakesDataVisibleToSecondConnection()
{
    Database reader;
    StorageWriter writer;
    QVERIFY(writer.start(dbPath()));
    QVERIFY2(reader.open(dbPath(), true).ok(), "reader");
    InventoryStore store(reader);
    QCOMPARE(store.sampleCount(), 0);

    for (int i = 0; i < 50; ++i) {
        StorageBatch b;
        b.devices.append(makeDevice(deviceId(i), i));
        b.samples.append(makeSample(deviceId(i), t0(), threeMetrics(i)));
        writer.submit(std::move(b));
    }
    QVERIFY(writer.flush());
    QCOMPARE(store.sampleCount(), 150);
    const QList<Device> devices = store.loadDevices();
    QCOMPARE(devices.size(), 50);
    QCOMPARE(devices.first().id, deviceId(0));
    QCOMPARE(devices.last().id, deviceId(49));
}

void TestStorageWriter::concurrentReaderSeesWholeTransactions()
{
    StorageWriter writer;
    QVERIFY(writer.start(dbPath()));
    Database reader;
    QVERIFY(reader.open(dbPath(), true).ok());
    InventoryStore store(reader);

    constexpr int kBatches = 300;
    constexpr int kRowsPerBatch = 40 * 3;  // 40 samples of 3 metrics
    qint64 last = 0;
    int reads = 0;
    for (int i = 0; i < kBatches; ++i) {
        StorageBatch b;
        for (int s = 0; s < 40; ++s)
            b.samples.append(makeSample(deviceId(s), t0() + i, threeMetrics(i)));
        writer.submit(std::move(b));
        const qint64 now = store.sampleCount();
        QVERIFY2(now >= last, "the row count never goes back");
        QCOMPARE(now % kRowsPerBatch, 0);  // never half a batch
        last = now;
        ++reads;
        if (i % 50 == 0) {
            QString error;
            store.loadDevices(&error);
            QVERIFY2(error.isEmpty(), qPrintable(error));
        }
    }
    QVERIFY(writer.flush());
    QCOMPARE(store.sampleCount(), qint64(kBatches * kRowsPerBatch));
    qInfo() << reads << "reads during writing;" << writer.committedTransactions() << "transactions";
}

void TestStorageWriter::upsertsAttributesMetricsAndRejects()
{
    StorageWriter writer;
    QVERIFY(writer.start(dbPath()));
    Database reader;
    QVERIFY(reader.open(dbPath(), true).ok());
    InventoryStore store(reader);

    Device d = makeDevice(u"pump-7"_s, 1);
    d.metrics = {MetricValue{u"temp"_s, 1.5}};
    d.rejects[size_t(RejectReason::BadJson)] = 3;
    writer.submit(StorageBatch{{d}, {}});
    QVERIFY(writer.flush());
    QList<Device> loaded = store.loadDevices();
    QCOMPARE(loaded.size(), 1);
    QCOMPARE(loaded[0].metrics, d.metrics);
    QCOMPARE(loaded[0].rejects, d.rejects);

    d.name = u"Pump seven"_s;
    d.online = false;
    d.lastSeq = (quint64(1) << 63) + 5;  // beyond qint64: stored as the same 64 bits
    d.messageCount = 42;
    d.metrics = {MetricValue{u"temp"_s, 2.5}, MetricValue{u"hum"_s, 50}};
    d.rejects[size_t(RejectReason::BadJson)] = 5;
    d.rejects[size_t(RejectReason::Oversize)] = 1;
    writer.submit(StorageBatch{{d}, {}});
    QVERIFY(writer.flush());
    loaded = store.loadDevices();
    QCOMPARE(loaded.size(), 1);
    QCOMPARE(loaded[0].name, u"Pump seven"_s);
    QCOMPARE(loaded[0].online, false);
    QCOMPARE(loaded[0].lastSeq, d.lastSeq);
    QCOMPARE(loaded[0].messageCount, quint64(42));
    const MetricValues expectedMetrics = {MetricValue{u"hum"_s, 50}, MetricValue{u"temp"_s, 2.5}};
    QCOMPARE(loaded[0].metrics, expectedMetrics);  // sorted by name
    QCOMPARE(loaded[0].rejects, d.rejects);

    // Counters that went back to zero disappear; reasons are stored by key, not number.
    d.rejects = {};
    d.rejects[size_t(RejectReason::UnknownTopic)] = 9;
    writer.submit(StorageBatch{{d}, {}});
    QVERIFY(writer.flush());
    QCOMPARE(store.loadDevices().at(0).rejects, d.rejects);
    RawDb raw(dbPath());
    QCOMPARE(raw.texts("SELECT reason || '=' || count FROM device_rejects"),
             QStringList{u"unknown_topic=9"_s});
    QCOMPARE(raw.integer("SELECT count(*) FROM devices"), 1);
}

void TestStorageWriter::duplicateTimestampKeepsLatestValue()
{
    StorageWriter writer;
    const QString id = u"dev-dup"_s;
    StorageBatch first;
    first.samples.append(makeSample(id, t0(), {MetricValue{u"temp"_s, 1}}));
    first.samples.append(makeSample(id, t0(), {MetricValue{u"temp"_s, 2}}));
    writer.submit(std::move(first));
    QVERIFY(writer.start(dbPath()));
    QVERIFY(writer.flush());
    StorageBatch second;
    second.samples.append(makeSample(id, t0(), {MetricValue{u"temp"_s, 3}}));
    writer.submit(std::move(second));
    QVERIFY(writer.flush());

    Database reader;
    QVERIFY(reader.open(dbPath(), true).ok());
    const QList<TelemetrySample> samples = InventoryStore(reader).samples(v1(id), t0() - 1, t0() + 1);
    QCOMPARE(samples.size(), 1);
    QCOMPARE(samples[0].metrics, (MetricValues{MetricValue{u"temp"_s, 3}}));
}

void TestStorageWriter::retentionDeletesOldRowsInChunks()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 day = 24LL * 3600 * 1000;
    StorageWriter writer;
    // pruned() is emitted on the writer thread: count it on this thread (queued), not with
    // a QSignalSpy, which would append from the writer thread while we read.
    int prunedSignals = 0;
    // The writer is the context: events still queued when it is destroyed are dropped with it.
    connect(&writer, &StorageWriter::pruned, &writer, [&prunedSignals] { ++prunedSignals; }, Qt::QueuedConnection);
    writer.setRetention({7, 90, 730});
    QCOMPARE(writer.retention().rawDays, 7);
    QVERIFY(writer.start(dbPath()));

    // One series with more old rows than a chunk, plus old and new rows on other devices.
    constexpr int kOldInOneSeries = StorageWriter::kPruneChunkRows + 5000;
    StorageBatch big;
    for (int i = 0; i < kOldInOneSeries; ++i)
        big.samples.append(makeSample(u"old-timer"_s, now - 30 * day + i, {MetricValue{u"temp"_s, 1}}));
    qint64 oldRows = kOldInOneSeries;
    qint64 newRows = 0;
    for (int dev = 0; dev < 300; ++dev) {
        big.samples.append(makeSample(deviceId(dev), now - 8 * day - dev, threeMetrics(dev)));
        big.samples.append(makeSample(deviceId(dev), now - 6 * day, threeMetrics(dev)));
        big.samples.append(makeSample(deviceId(dev), now + 1000, threeMetrics(dev)));
        oldRows += 3;
        newRows += 6;
    }
    writer.submit(std::move(big));
    QVERIFY(writer.flush(60000));
    writer.pruneNow();
    QVERIFY(writer.flush(60000));
    QCOMPARE(rowCount(), newRows);
    // The pass at start may have run after the commit and done part of the work.
    QCOMPARE(writer.prunedRows(), quint64(oldRows));
    QTRY_VERIFY(prunedSignals > 0);

    Database reader;
    QVERIFY(reader.open(dbPath(), true).ok());
    InventoryStore store(reader);
    QCOMPARE(store.samples(v1(deviceId(5)), 0, now + day).size(), 2);
    QVERIFY(store.samples(v1(u"old-timer"_s), 0, now + day).isEmpty());
}

void TestStorageWriter::retentionOffKeepsEverything()
{
    const qint64 old = QDateTime::currentMSecsSinceEpoch() - 400LL * 24 * 3600 * 1000;
    StorageWriter writer;
    writer.setRetention({0, 0, 0});
    QVERIFY(writer.start(dbPath()));
    writer.submit(StorageBatch{{}, {makeSample(u"a"_s, old, threeMetrics(1))}});
    QVERIFY(writer.flush());
    writer.pruneNow();
    QVERIFY(writer.flush());
    QCOMPARE(rowCount(), 3);
    QCOMPARE(writer.prunedRows(), quint64(0));
}

void TestStorageWriter::failedWriteIsReportedAndRetried()
{
    // failures outlives writer, and writer is the context: a failure queued by the writer
    // thread but not yet delivered when the test ends is dropped with writer, never run
    // against a destroyed list in a later test's event loop.
    QStringList failures;
    StorageWriter writer;
    connect(&writer, &StorageWriter::writeFailed, &writer,
            [&failures](const QString &message) { failures.append(message); });
    QVERIFY(writer.start(dbPath()));
    QVERIFY(writer.flush());

    // Make every telemetry insert fail, like a full disk would, from outside the writer.
    RawDb raw(dbPath());
    QCOMPARE(raw.exec("CREATE TRIGGER fail_inserts BEFORE INSERT ON telemetry_staging"
                      " BEGIN SELECT RAISE(ABORT, 'simulated disk full'); END;"),
             QString());
    StorageBatch b;
    b.devices.append(makeDevice(u"new-device"_s, 3));
    b.samples.append(makeSample(u"new-device"_s, t0(), threeMetrics(1)));
    writer.submit(std::move(b));
    QVERIFY(!writer.flush(20000));  // the attempt fails: flush says so, without waiting it out
    QTRY_VERIFY(!failures.isEmpty());
    QVERIFY2(failures.first().contains(u"simulated disk full"_s), qPrintable(failures.first()));
    QVERIFY2(failures.first().contains(dbPath()), qPrintable(failures.first()));
    QCOMPARE(raw.integer("SELECT count(*) FROM devices"), 0);  // rolled back as a whole

    QCOMPARE(raw.exec("DROP TRIGGER fail_inserts"), QString());
    QVERIFY(writer.flush(20000));  // kept and retried
    QCOMPARE(rowCount(), 3);
    QCOMPARE(raw.integer("SELECT count(*) FROM devices"), 1);
    QCOMPARE(raw.integer("SELECT count(*) FROM device_keys"), 1);
    QCOMPARE(writer.committedSamples(), quint64(1));
}

// Two metric names that differ as QStrings (lone surrogates a hostile JSON "\ud800" can
// produce) but are the same text once stored as UTF-8: the second breaks UNIQUE(name).
static QString loneSurrogate(char16_t unit)
{
    return u"m"_s + QChar(unit);
}

void TestStorageWriter::unstorableSampleIsRejectedAndTheRestSaved()
{
    StorageWriter writer;
    StorageRejectList rejects;
    connect(&writer, &StorageWriter::rejected, &writer,
            [&rejects](const StorageRejectList &r) { rejects.append(r); });
    QVERIFY(writer.start(dbPath()));
    StorageBatch b;
    for (int i = 0; i < 40; ++i) {
        b.devices.append(makeDevice(deviceId(i), i));
        b.samples.append(makeSample(deviceId(i), t0() + i, threeMetrics(i)));
        if (i == 10)
            b.samples.append(makeSample(u"evil"_s, t0() + i, {MetricValue{loneSurrogate(0xD800), 1.0}}));
        if (i == 30)
            b.samples.append(makeSample(u"evil"_s, t0() + i, {MetricValue{loneSurrogate(0xDBFF), 2.0}}));
    }
    writer.submit(std::move(b));
    QVERIFY(writer.flush());  // before: failed, and was retried forever with everything in it
    QCOMPARE(rowCount(), 40 * 3 + 1);
    QCOMPARE(writer.committedSamples(), quint64(41));
    QCOMPARE(writer.rejectedUnits(), quint64(1));
    QCOMPARE(writer.lostSamples(), quint64(0));
    QTRY_COMPARE(rejects.size(), 1);
    QCOMPARE(rejects.first().device.path, u"evil"_s);
    QVERIFY(!rejects.first().deviceState);
    QCOMPARE(rejects.first().timestampMs, t0() + 30);
    QVERIFY2(rejects.first().error.contains(u"UNIQUE"_s), qPrintable(rejects.first().error));

    // The writer keeps saving afterwards: nothing of the refused sample is left queued.
    writer.submit(StorageBatch{{}, {makeSample(deviceId(1), t0() + 1000, threeMetrics(1))}});
    QVERIFY(writer.flush());
    QCOMPARE(rowCount(), 40 * 3 + 1 + 3);
}

void TestStorageWriter::unstorableDeviceStateIsRejectedAndTheRestSaved()
{
    StorageWriter writer;
    StorageRejectList rejects;
    connect(&writer, &StorageWriter::rejected, &writer,
            [&rejects](const StorageRejectList &r) { rejects.append(r); });
    QVERIFY(writer.start(dbPath()));
    QVERIFY(writer.flush());
    // A constraint the device's own row breaks (stands in for any such constraint).
    QCOMPARE(RawDb(dbPath()).exec("CREATE UNIQUE INDEX one_per_name ON devices(name)"), QString());
    Device evil = makeDevice(u"evil"_s, 1);
    evil.name = makeDevice(deviceId(1), 1).name;
    StorageBatch b;
    b.devices = {makeDevice(deviceId(1), 1), evil, makeDevice(deviceId(2), 2)};
    b.samples = {makeSample(deviceId(1), t0(), threeMetrics(1))};
    writer.submit(std::move(b));
    QVERIFY(writer.flush());
    RawDb raw(dbPath());
    QCOMPARE(raw.integer("SELECT count(*) FROM devices"), 2);
    QCOMPARE(rowCount(), 3);
    QTRY_COMPARE(rejects.size(), 1);
    QVERIFY(rejects.first().deviceState);
    QCOMPARE(rejects.first().device.path, u"evil"_s);
}

void TestStorageWriter::nonFiniteRollupSplitsTheCommitAndKeepsEveryRow()
{
    StorageWriter writer;
    StorageRejectList rejects;
    connect(&writer, &StorageWriter::rejected, &writer,
            [&rejects](const StorageRejectList &r) { rejects.append(r); });
    QVERIFY(writer.start(dbPath()));
    const qint64 minute = t0() - t0() % 60000;
    auto sample = [minute](int offsetMs, double v) {
        return makeSample(u"big"_s, minute + offsetMs, {MetricValue{u"x"_s, v}});
    };
    // The rollup sum of this minute overflows to +inf (a finite value each).
    writer.submit(StorageBatch{{}, {sample(1, 1e308), sample(2, 1e308)}});
    QVERIFY(writer.flush());
    // Together these sum to -inf: +inf + -inf is NaN, which SQLite stores as NULL, which
    // the rollup's NOT NULL refuses. Alone, each one is fine.
    writer.submit(StorageBatch{{}, {sample(3, -1e308), sample(4, -1e308), makeSample(deviceId(1), t0(), threeMetrics(1))}});
    QVERIFY(writer.flush());
    QCOMPARE(rowCount(), 4 + 3);
    QCOMPARE(writer.rejectedUnits(), quint64(0));
    QVERIFY(rejects.isEmpty());
}

void TestStorageWriter::fileFaultIsNeverTurnedIntoRejects()
{
    StorageWriter writer;
    QVERIFY(writer.start(dbPath()));
    QVERIFY(writer.flush());
    RawDb raw(dbPath());
    // Not a constraint: SQLITE_ERROR like an I/O or schema fault. Retried, never rejected.
    QCOMPARE(raw.exec("CREATE TRIGGER fail_inserts BEFORE INSERT ON telemetry_staging"
                      " BEGIN SELECT RAISE(FAIL, 'simulated I/O error'); END;"),
             QString());
    writer.submit(StorageBatch{{}, {makeSample(deviceId(1), t0(), threeMetrics(1)),
                                    makeSample(deviceId(2), t0(), threeMetrics(2))}});
    QVERIFY(!writer.flush(20000));
    QCOMPARE(writer.rejectedUnits(), quint64(0));
    QCOMPARE(raw.exec("DROP TRIGGER fail_inserts"), QString());
    QVERIFY(writer.flush(20000));
    QCOMPARE(rowCount(), 6);
    QCOMPARE(writer.rejectedUnits(), quint64(0));
    QCOMPARE(writer.lostSamples(), quint64(0));
}

void TestStorageWriter::commitsOnItsOwnWithoutFlush()
{
    StorageWriter writer;
    QCOMPARE(writer.commitIntervalMs(), StorageWriter::kDefaultCommitIntervalMs);
    writer.setCommitIntervalMs(200);
    QVERIFY(writer.start(dbPath()));
    for (int i = 0; i < 10; ++i)
        writer.submit(StorageBatch{{}, {makeSample(deviceId(i), t0(), threeMetrics(i))}});
    QTRY_COMPARE_WITH_TIMEOUT(rowCount(), 30, 10000);
    writer.submit(StorageBatch{{}, {makeSample(deviceId(99), t0(), threeMetrics(1))}});
    QTRY_COMPARE_WITH_TIMEOUT(rowCount(), 33, 10000);
}

void TestStorageWriter::stopCommitsQueuedData()
{
    StorageWriter writer;
    QVERIFY(writer.start(dbPath()));
    for (int i = 0; i < 100; ++i)
        writer.submit(StorageBatch{{makeDevice(deviceId(i), i)}, {makeSample(deviceId(i), t0(), threeMetrics(i))}});
    writer.stop();
    QVERIFY(!writer.isRunning());
    QCOMPARE(writer.committedSamples(), quint64(100));
    QCOMPARE(rowCount(), 300);
    writer.stop();  // twice is harmless
}

void TestStorageWriter::submitAfterStopIsReported()
{
    // failures outlives writer, and writer is the context: a failure queued by the writer
    // thread but not yet delivered when the test ends is dropped with writer, never run
    // against a destroyed list in a later test's event loop.
    QStringList failures;
    StorageWriter writer;
    connect(&writer, &StorageWriter::writeFailed, &writer,
            [&failures](const QString &message) { failures.append(message); });
    QVERIFY(writer.start(dbPath()));
    writer.stop();
    writer.submit(StorageBatch{{}, {makeSample(u"late"_s, t0(), threeMetrics(1))}});
    QTRY_COMPARE(failures.size(), 1);
    QVERIFY2(failures.first().contains(u"after the cache writer stopped"_s), qPrintable(failures.first()));
}

void TestStorageWriter::destructorCommitsQueuedData()
{
    {
        StorageWriter writer;
        QVERIFY(writer.start(dbPath()));
        for (int i = 0; i < 20; ++i)
            writer.submit(StorageBatch{{}, {makeSample(deviceId(i), t0(), threeMetrics(i))}});
    }
    QCOMPARE(rowCount(), 60);
}

void TestStorageWriter::startFailsOnUnreadableFile()
{
    QVERIFY(writeAll(dbPath(), "definitely not sqlite"));
    StorageWriter writer;
    QString error;
    QVERIFY(!writer.start(dbPath(), &error));
    QVERIFY2(error.contains(dbPath()), qPrintable(error));
    QVERIFY(!writer.isRunning());
    QVERIFY(writer.flush(100));  // nothing submitted: returns at once
    QCOMPARE(readAll(dbPath()), QByteArray("definitely not sqlite"));
}

void TestStorageWriter::throughput_data()
{
    QTest::addColumn<bool>("flushEachBatch");
    QTest::newRow("queued") << false;          // the writer takes whatever is queued
    QTest::newRow("flush each batch") << true;  // one transaction per 10,000 rows
}

void TestStorageWriter::throughput()
{
    QFETCH(bool, flushEachBatch);
    // 2,000 devices x 5 metrics reporting every second for 100 s: 1,000,000 rows, handed
    // over one second (10,000 rows) per batch as ingest would.
    constexpr int kDevices = 2000;
    constexpr int kSeconds = 100;
    const QStringList names = {u"temp"_s, u"hum"_s, u"volt"_s, u"rssi"_s, u"load"_s};
    QList<StorageBatch> batches;
    for (int s = 0; s < kSeconds; ++s) {
        StorageBatch b;
        b.samples.reserve(kDevices);
        for (int dev = 0; dev < kDevices; ++dev) {
            MetricValues metrics;
            for (int m = 0; m < names.size(); ++m)
                metrics.append(MetricValue{names[m], dev * 0.5 + s + m});
            b.samples.append(makeSample(deviceId(dev), t0() - kSeconds * 1000 + s * 1000, metrics));
        }
        batches.append(std::move(b));
    }

    StorageWriter writer;
    QVERIFY(writer.start(dbPath()));
    QVERIFY(writer.flush());
    QElapsedTimer timer;
    timer.start();
    for (StorageBatch &b : batches) {
        writer.submit(std::move(b));
        if (flushEachBatch)
            QVERIFY(writer.flush(60000));
    }
    QVERIFY(writer.flush(600000));
    const qint64 ms = qMax<qint64>(1, timer.elapsed());
    const quint64 rows = writer.committedRows();
    QCOMPARE(rows, quint64(kDevices * kSeconds * names.size()));
    qInfo().noquote() << "storage throughput:" << rows << "rows in" << ms << "ms ="
                      << qint64(rows * 1000 / quint64(ms)) << "rows/s in"
                      << writer.committedTransactions() << "transactions";
}

// A device's state is written at once the first time and when its identity changes; other
// updates within BatchCommitter::kDeviceStateIntervalMs are held back (its telemetry is
// staged regardless) until the interval passes or flush() writes them.
void TestStorageWriter::deviceStatesAreCoalescedUntilFlush()
{
    StorageWriter writer;
    writer.setCommitIntervalMs(0);
    QVERIFY(writer.start(dbPath()));
    RawDb raw(dbPath());
    auto submit = [&](quint64 count, const QString &name) {
        Device d = makeDevice(u"c"_s, 1);
        d.messageCount = count;
        d.name = name;
        StorageBatch b;
        b.devices.append(d);
        b.samples.append(makeSample(u"c"_s, t0() + qint64(count) * 1000, threeMetrics(double(count))));
        writer.submit(std::move(b));
        QTRY_COMPARE(writer.committedSamples(), count);
    };
    submit(1, u"Pump"_s);
    QCOMPARE(raw.integer("SELECT message_count FROM devices WHERE path = 'c'"), 1);
    submit(2, u"Pump"_s);
    QCOMPARE(raw.integer("SELECT message_count FROM devices WHERE path = 'c'"), 1);  // held back
    QCOMPARE(rowCount(), 6);                                                         // not its telemetry
    submit(3, u"Pump 2"_s);                                                         // renamed: at once
    QCOMPARE(raw.integer("SELECT message_count FROM devices WHERE path = 'c'"), 3);
    submit(4, u"Pump 2"_s);
    QCOMPARE(raw.integer("SELECT message_count FROM devices WHERE path = 'c'"), 3);
    QVERIFY(writer.flush());
    QCOMPARE(raw.integer("SELECT message_count FROM devices WHERE path = 'c'"), 4);
    QCOMPARE(raw.texts("SELECT name FROM devices WHERE path = 'c'"), QStringList{u"Pump 2"_s});
}

void TestStorageWriter::deletionDropsHeldBackStates()
{
    StorageWriter writer;
    writer.setCommitIntervalMs(0);
    QVERIFY(writer.start(dbPath()));
    writer.submit(StorageBatch{{makeDevice(u"d"_s, 1)}, {}});
    QTRY_COMPARE(RawDb(dbPath()).integer("SELECT count(*) FROM devices WHERE path = 'd'"), 1);
    Device again = makeDevice(u"d"_s, 1);
    again.messageCount = 99;
    writer.submit(StorageBatch{{again}, {}});  // held back ...
    StorageBatch deletion;
    deletion.deletedDevices = {v1(u"d"_s)};
    deletion.deletionId = 5;
    writer.submit(std::move(deletion));        // ... and deleted before it was written
    QVERIFY(writer.flush());
    QCOMPARE(RawDb(dbPath()).integer("SELECT count(*) FROM devices WHERE path = 'd'"), 0);
}

QTEST_GUILESS_MAIN(TestStorageWriter)
#include "test_storage_writer.moc"
