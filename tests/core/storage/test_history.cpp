// Tests of history reads: resolution choice, raw vs rollup rows, reads across the boundary
// where raw rows were pruned (older part from rollups), unknown series, and the
// asynchronous HistoryReader (own thread and connection, results by signal, cancel).

#include "core/storage/database.h"
#include "core/storage/history_query.h"
#include "core/storage/history_reader.h"
#include "core/storage/legacy_telemetry_table.h"
#include "core/storage/retention_pruner.h"
#include "core/storage/storage_writer.h"
#include "storage_test_data.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;
using namespace fd;
using namespace fd::storagetest;

namespace {
constexpr qint64 kMinute = 60000;
constexpr qint64 kHour = 3600000;
} // namespace

class TestHistory : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void chooseResolution();
    void rawRows();
    void minuteAndHourRollups();
    void acrossTheRawRollupBoundary();
    void unknownSeriesIsEmpty();
    void readerDeliversOffTheGuiThread();
    void readerCancel();
    void readerReportsOpenFailure();

private:
    QString dbPath() const { return m_dir.filePath(u"cache.db"_s); }
    QTemporaryDir m_dir;
    qint64 m_base = 0;  // start of the data, on an hour boundary
};

// Device "a", metric "temp": one sample every 10 s for 3 hours; value = minute index
// within the hour + (second / 100), so minute aggregates are easy to predict.
void TestHistory::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_base = t0() - t0() % kHour - 3 * kHour;
    StorageWriter writer;
    QVERIFY(writer.start(dbPath()));
    StorageBatch batch;
    for (qint64 t = m_base; t < m_base + 3 * kHour; t += 10000) {
        const double v = double((t - m_base) / kMinute % 60) + double((t % kMinute) / 1000) / 100.0;
        batch.samples.append(makeSample(u"a"_s, t, {{u"temp"_s, v}, {u"hum"_s, 50}}));
    }
    writer.submit(std::move(batch));
    QVERIFY(writer.flush());
}

void TestHistory::chooseResolution()
{
    QCOMPARE(HistoryQuery::chooseResolution(0, kMinute), HistoryResolution::Raw);
    QCOMPARE(HistoryQuery::chooseResolution(0, 3 * kHour), HistoryResolution::Raw);
    QCOMPARE(HistoryQuery::chooseResolution(0, 24 * kHour), HistoryResolution::Minute);
    QCOMPARE(HistoryQuery::chooseResolution(0, 7 * 24 * kHour), HistoryResolution::Minute);
    QCOMPARE(HistoryQuery::chooseResolution(0, 30 * 24 * kHour), HistoryResolution::Hour);
    HistoryThresholds t;
    t.maxRawSpanMs = kMinute;
    QCOMPARE(HistoryQuery::chooseResolution(0, 2 * kMinute, t), HistoryResolution::Minute);
    QCOMPARE(HistoryQuery::bucketWidthMs(HistoryResolution::Raw), 0);
    QCOMPARE(HistoryQuery::bucketWidthMs(HistoryResolution::Hour), kHour);
}

void TestHistory::rawRows()
{
    Database db;
    QVERIFY(db.open(dbPath(), true).ok());
    HistoryQuery q(db);
    TelemetryBuckets rows;
    QString error;
    QVERIFY2(q.read(v1(u"a"_s), u"temp"_s, m_base + kMinute, m_base + 2 * kMinute, HistoryResolution::Raw,
                    &rows, &error),
             qPrintable(error));
    QCOMPARE(rows.size(), 7);  // 60 s .. 120 s inclusive, every 10 s
    QCOMPARE(rows.first().tMs, m_base + kMinute);
    QCOMPARE(rows.first().widthMs, 0);
    QCOMPARE(rows.first().count, 1);
    QCOMPARE(rows.first().mean, 1.0);
    QCOMPARE(rows.at(1).mean, 1.1);
    QCOMPARE(rows.last().mean, 2.0);
}

void TestHistory::minuteAndHourRollups()
{
    Database db;
    QVERIFY(db.open(dbPath(), true).ok());
    HistoryQuery q(db);
    TelemetryBuckets rows;
    QString error;
    QVERIFY(q.read(v1(u"a"_s), u"temp"_s, m_base, m_base + 3 * kHour, HistoryResolution::Minute, &rows, &error));
    QCOMPARE(rows.size(), 180);
    const TelemetryBucket &m5 = rows.at(5);
    QCOMPARE(m5.tMs, m_base + 5 * kMinute);
    QCOMPARE(m5.widthMs, kMinute);
    QCOMPARE(m5.count, 6);
    QCOMPARE(m5.min, 5.0);
    QCOMPARE(m5.max, 5.5);
    QVERIFY(qAbs(m5.mean - 5.25) < 1e-9);
    // A range starting mid-bucket includes the bucket it starts in.
    QVERIFY(q.read(v1(u"a"_s), u"temp"_s, m_base + 5 * kMinute + 30000, m_base + 7 * kMinute,
                   HistoryResolution::Minute, &rows, &error));
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows.first().tMs, m_base + 5 * kMinute);

    QVERIFY(q.read(v1(u"a"_s), u"temp"_s, m_base, m_base + 3 * kHour, HistoryResolution::Hour, &rows, &error));
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows.first().count, 360);
    QCOMPARE(rows.first().min, 0.0);
    QCOMPARE(rows.first().max, 59.5);
}

void TestHistory::acrossTheRawRollupBoundary()
{
    // A copy of the cache whose raw rows before base + 90 min are gone (as after retention).
    const QString copy = m_dir.filePath(u"pruned.db"_s);
    {
        RawDb raw(dbPath());
        const QByteArray sql = "VACUUM INTO '" + copy.toUtf8() + "'";
        QCOMPARE(raw.exec(sql.constData()), QString());
    }
    const qint64 cut = m_base + 90 * kMinute;
    {
        Database pruned;
        QVERIFY(pruned.open(copy).ok());
        LegacyTelemetryTable legacy(pruned);
        RetentionPruner pruner(pruned, legacy);
        QString why;
        QVERIFY2(legacy.prepare(&why) && pruner.prepare(&why), qPrintable(why));
        RetentionPruner::Cutoffs cutoffs;
        cutoffs.rawMs = cut;
        RetentionPruner::Cursor cursor;
        for (bool finished = false; !finished;) {
            qint64 deleted = 0;
            qint64 rollups = 0;
            QVERIFY2(pruner.step(cutoffs, &cursor, 100000, &deleted, &rollups, &finished, &why), qPrintable(why));
        }
    }
    Database db;
    QVERIFY(db.open(copy, true).ok());
    HistoryQuery q(db);
    TelemetryBuckets rows;
    QString error;
    // A raw read of 80 .. 100 min: 80 .. 89 from minute rollups, 90 .. 100 raw.
    QVERIFY(q.read(v1(u"a"_s), u"temp"_s, m_base + 80 * kMinute, m_base + 100 * kMinute,
                   HistoryResolution::Raw, &rows, &error));
    qsizetype rollups = 0;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (i > 0)
            QVERIFY(rows.at(i).tMs > rows.at(i - 1).tMs);
        if (!rows.at(i).isRaw()) {
            ++rollups;
            QCOMPARE(rows.at(i).widthMs, kMinute);
            QVERIFY(rows.at(i).tMs + kMinute <= cut);
        } else {
            QVERIFY(rows.at(i).tMs >= cut);
        }
    }
    QCOMPARE(rollups, 10);
    QCOMPARE(rows.size() - rollups, 10 * 6 + 1);
    QCOMPARE(rows.first().tMs, m_base + 80 * kMinute);
    QCOMPARE(rows.at(10).tMs, cut);

    // Minute rollups gone too before 60 min: those come from hour rollups.
    {
        RawDb raw(copy);
        const QByteArray sql =
            "DELETE FROM telemetry_1m WHERE bucket_ms < " + QByteArray::number(m_base + 2 * kHour);
        QCOMPARE(raw.exec(sql.constData()), QString());
    }
    QVERIFY(q.read(v1(u"a"_s), u"temp"_s, m_base, m_base + 100 * kMinute, HistoryResolution::Raw, &rows, &error));
    QCOMPARE(rows.first().widthMs, kHour);
    QCOMPARE(rows.first().tMs, m_base);
    QCOMPARE(rows.first().count, 360);
    QCOMPARE(rows.at(1).widthMs, 0);  // then raw from 90 min (the 1 h .. 2 h bucket overlaps raw)
    QCOMPARE(rows.at(1).tMs, cut);
}

void TestHistory::unknownSeriesIsEmpty()
{
    Database db;
    QVERIFY(db.open(dbPath(), true).ok());
    HistoryQuery q(db);
    TelemetryBuckets rows{TelemetryBucket{}};
    QString error;
    QVERIFY(q.read(v1(u"nobody"_s), u"temp"_s, 0, m_base * 2, HistoryResolution::Raw, &rows, &error));
    QVERIFY(rows.isEmpty());
    QVERIFY(q.read(v1(u"a"_s), u"nothing"_s, 0, m_base * 2, HistoryResolution::Minute, &rows, &error));
    QVERIFY(rows.isEmpty());
}

void TestHistory::readerDeliversOffTheGuiThread()
{
    HistoryReader reader;
    reader.setDatabasePath(dbPath());
    QSignalSpy spy(&reader, &HistoryReader::finished);
    HistoryRequest request;
    request.series = {{v1(u"a"_s), u"temp"_s}, {v1(u"a"_s), u"hum"_s}, {v1(u"b"_s), u"temp"_s}};
    request.fromMs = m_base;
    request.toMs = m_base + 3 * kHour;
    const quint64 id = reader.request(request);
    QVERIFY(spy.wait(10000));
    const auto result = spy.at(0).at(0).value<HistoryResult>();
    QCOMPARE(result.id, id);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(result.resolution, HistoryResolution::Raw);  // 3 h: raw
    QCOMPARE(result.rows.size(), 3);
    QCOMPARE(result.rows.at(0).size(), 3 * 360);
    QCOMPARE(result.rows.at(1).size(), 3 * 360);
    QVERIFY(result.rows.at(2).isEmpty());

    request.toMs = m_base + 24 * kHour;
    reader.request(request);
    QVERIFY(spy.wait(10000));
    QCOMPARE(spy.at(1).at(0).value<HistoryResult>().resolution, HistoryResolution::Minute);
    QCOMPARE(spy.at(1).at(0).value<HistoryResult>().rows.at(0).size(), 180);
}

void TestHistory::readerCancel()
{
    HistoryReader reader;
    reader.setDatabasePath(dbPath());
    QSignalSpy spy(&reader, &HistoryReader::finished);
    HistoryRequest request;
    request.series = {{v1(u"a"_s), u"temp"_s}};
    request.fromMs = m_base;
    request.toMs = m_base + kHour;
    for (int i = 0; i < 5; ++i)
        reader.request(request);
    reader.cancelAll();
    const quint64 last = reader.request(request);
    const quint64 cancelled = reader.request(request);
    reader.cancel(cancelled);
    QVERIFY(spy.wait(10000));
    QTest::qWait(200);
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.at(0).at(0).value<HistoryResult>().id, last);
}

void TestHistory::readerReportsOpenFailure()
{
    HistoryReader reader;
    reader.setDatabasePath(m_dir.filePath(u"missing.db"_s));
    QSignalSpy spy(&reader, &HistoryReader::finished);
    HistoryRequest request;
    request.series = {{v1(u"a"_s), u"temp"_s}};
    reader.request(request);
    QVERIFY(spy.wait(10000));
    const auto result = spy.at(0).at(0).value<HistoryResult>();
    QVERIFY(!result.error.isEmpty());
    QCOMPARE(result.rows.size(), 1);
}

QTEST_GUILESS_MAIN(TestHistory)
#include "test_history.moc"
