// Tests of fd::InventoryStore: the persisted inventory and raw telemetry queries.

#include "core/storage/database.h"
#include "core/storage/inventory_store.h"
#include "core/storage/storage_writer.h"
#include "storage_test_data.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;
using namespace fd;
using namespace fd::storagetest;

class TestInventoryStore : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void emptyCache();
    void loadDevicesSortedWithEverything();
    void tagsRoundTrip();
    void nanRoundTrips();
    void samplesRegroupedByTimestamp();
    void samplesOfUnknownDeviceAreEmpty();
    void lastUpdatedAndSampleCount();
    void loads100kDevices();

private:
    QString dbPath() const { return m_dir->filePath(u"cache.db"_s); }
    void write(const StorageBatch &batch)
    {
        StorageWriter writer;
        QString error;
        QVERIFY2(writer.start(dbPath(), &error), qPrintable(error));
        writer.submit(batch);
        QVERIFY(writer.flush(120000));
    }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestInventoryStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestInventoryStore::emptyCache()
{
    Database db;
    QVERIFY(db.open(u":memory:"_s).ok());
    InventoryStore store(db);
    QString error;
    QVERIFY(store.loadDevices(&error).isEmpty());
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(store.lastUpdatedMs(), 0);
    QCOMPARE(store.sampleCount(), 0);
    QVERIFY(store.samples(v1(u"x"_s), 0, std::numeric_limits<qint64>::max()).isEmpty());
}

void TestInventoryStore::loadDevicesSortedWithEverything()
{
    StorageBatch batch;
    for (const QString &id : {u"zeta"_s, u"alpha"_s, u"Mid-3"_s, u"beta.2"_s}) {
        Device d = makeDevice(id, int(id.size()));
        d.rejects[size_t(RejectReason::WrongType)] = quint32(id.size());
        batch.devices.append(d);
    }
    write(batch);

    Database db;
    QVERIFY(db.open(dbPath(), true).ok());
    QString error;
    const QList<Device> loaded = InventoryStore(db).loadDevices(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QStringList ids;
    for (const Device &d : loaded)
        ids.append(d.id);
    QCOMPARE(ids, (QStringList{u"Mid-3"_s, u"alpha"_s, u"beta.2"_s, u"zeta"_s}));

    for (const Device &d : loaded) {
        const Device expected = makeDevice(d.id, int(d.id.size()));
        QCOMPARE(d.name, expected.name);
        QCOMPARE(d.model, expected.model);
        QCOMPARE(d.fwVersion, expected.fwVersion);
        QCOMPARE(d.site, expected.site);
        QCOMPARE(d.online, expected.online);
        QCOMPARE(d.lastSeenMs, expected.lastSeenMs);
        QCOMPARE(d.lastTelemetryMs, expected.lastTelemetryMs);
        QCOMPARE(d.lastSeq, expected.lastSeq);
        QCOMPARE(d.messageCount, expected.messageCount);
        QCOMPARE(d.metrics.size(), 2);
        QCOMPARE(*findMetric(d.metrics, u"temp"_s), *findMetric(expected.metrics, u"temp"_s));
        QCOMPARE(*findMetric(d.metrics, u"hum"_s), *findMetric(expected.metrics, u"hum"_s));
        QCOMPARE(d.rejects[size_t(RejectReason::WrongType)], quint32(d.id.size()));
        QCOMPARE(d.rejectedCount(), quint64(d.id.size()));
    }
}

// Schema v5: tags are stored joined by U+001F ('' = none) and load as they were written, in
// their order; equal tags load as one shared list; a later state with [] clears them.
void TestInventoryStore::tagsRoundTrip()
{
    const QStringList two{u"freezer"_s, u"critical-path"_s};
    const QStringList odd{u"K\u00fchl \"Nord\""_s, u"<b>x</b>"_s, u"a,b"_s, u"\U0001F600"_s, u"cold room"_s};
    StorageBatch batch;
    for (int i = 0; i < 6; ++i) {
        Device d = makeDevice(deviceId(i), i);
        d.tags = i == 0 ? QStringList() : i == 1 ? odd : QStringList(two);  // a list of its own each
        batch.devices.append(d);
    }
    write(batch);
    {
        RawDb raw(dbPath());
        QCOMPARE(raw.texts("SELECT tags FROM devices WHERE path = 'dev-000000'"), QStringList{QString()});
        QCOMPARE(raw.texts("SELECT tags FROM devices WHERE path = 'dev-000002'"),
                 QStringList{u"freezer\x1f" "critical-path"_s});
    }

    Database db;
    QVERIFY(db.open(dbPath(), true).ok());
    QString error;
    QList<Device> loaded = InventoryStore(db).loadDevices(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(loaded.size(), 6);
    QVERIFY(loaded[0].tags.isEmpty());
    QCOMPARE(loaded[1].tags, odd);
    for (int i = 2; i < 6; ++i) {
        QCOMPARE(loaded[i].tags, two);
        QCOMPARE(loaded[i].tags.constData(), loaded[2].tags.constData());  // one list for all
    }
    db.close();

    Device cleared = makeDevice(deviceId(1), 1);  // a status with "tags": [] reached the cache
    Device changed = makeDevice(deviceId(2), 2);
    changed.tags = QStringList{u"ambient"_s};
    write(StorageBatch{{cleared, changed}, {}});
    QVERIFY(db.open(dbPath(), true).ok());
    loaded = InventoryStore(db).loadDevices(&error);
    QVERIFY(loaded[1].tags.isEmpty());
    QCOMPARE(loaded[2].tags, QStringList{u"ambient"_s});
    QCOMPARE(loaded[3].tags, two);
}

void TestInventoryStore::nanRoundTrips()
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    Device d = makeDevice(u"odd"_s);
    d.metrics = {MetricValue{u"a"_s, nan}, MetricValue{u"b"_s, inf}};
    write(StorageBatch{{d}, {makeSample(u"odd"_s, t0() + 10, d.metrics)}});

    Database db;
    QVERIFY(db.open(dbPath(), true).ok());
    InventoryStore store(db);
    const Device loaded = store.loadDevices().value(0);
    QVERIFY(std::isnan(*findMetric(loaded.metrics, u"a"_s)));
    QCOMPARE(*findMetric(loaded.metrics, u"b"_s), inf);
    const QList<TelemetrySample> samples = store.samples(v1(u"odd"_s), t0(), t0() + 100);
    QCOMPARE(samples.size(), 1);
    QVERIFY(std::isnan(*findMetric(samples[0].metrics, u"a"_s)));
}

void TestInventoryStore::samplesRegroupedByTimestamp()
{
    StorageBatch batch;
    const QString a = u"dev-a"_s;
    // Submitted out of order; the third sample has only one metric.
    batch.samples.append(makeSample(a, t0() + 3000, threeMetrics(3)));
    batch.samples.append(makeSample(a, t0() + 1000, threeMetrics(1)));
    batch.samples.append(makeSample(a, t0() + 2000, {MetricValue{u"hum"_s, 42}}));
    batch.samples.append(makeSample(a, t0() + 4000, threeMetrics(4)));
    batch.samples.append(makeSample(u"dev-b"_s, t0() + 2000, threeMetrics(99)));
    write(batch);

    Database db;
    QVERIFY(db.open(dbPath(), true).ok());
    InventoryStore store(db);
    const QList<TelemetrySample> samples = store.samples(v1(a), t0() + 1500, t0() + 3000);  // inclusive range
    QCOMPARE(samples.size(), 2);
    QCOMPARE(samples[0].deviceId, a);
    QCOMPARE(samples[0].timestampMs, t0() + 2000);
    QCOMPARE(samples[0].seq, quint64(0));
    QCOMPARE(samples[0].metrics, (MetricValues{MetricValue{u"hum"_s, 42}}));
    QCOMPARE(samples[1].timestampMs, t0() + 3000);
    QCOMPARE(samples[1].metrics, threeMetrics(3));  // first-seen metric order

    const QList<TelemetrySample> all = store.samples(v1(a), t0(), t0() + 10000);
    QCOMPARE(all.size(), 4);
    for (int i = 1; i < all.size(); ++i)
        QVERIFY(all[i - 1].timestampMs < all[i].timestampMs);
    QCOMPARE(store.samples(v1(u"dev-b"_s), t0(), t0() + 10000).size(), 1);
}

void TestInventoryStore::samplesOfUnknownDeviceAreEmpty()
{
    write(StorageBatch{{}, {makeSample(u"known"_s, t0() + 5, threeMetrics(1))}});
    Database db;
    QVERIFY(db.open(dbPath(), true).ok());
    QVERIFY(InventoryStore(db).samples(v1(u"unknown"_s), t0(), t0() + 10).isEmpty());
    QVERIFY(InventoryStore(db).samples(v1(u"known"_s), t0() + 6, t0() + 10).isEmpty());
}

void TestInventoryStore::lastUpdatedAndSampleCount()
{
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    write(StorageBatch{{makeDevice(u"d1"_s)}, {makeSample(u"d1"_s, t0() + 5, threeMetrics(1)),
                                                makeSample(u"d2"_s, t0() + 5, threeMetrics(1))}});
    const qint64 after = QDateTime::currentMSecsSinceEpoch();
    Database db;
    QVERIFY(db.open(dbPath(), true).ok());
    InventoryStore store(db);
    QVERIFY(store.lastUpdatedMs() >= before);
    QVERIFY(store.lastUpdatedMs() <= after);
    QCOMPARE(store.sampleCount(), 6);
}

void TestInventoryStore::loads100kDevices()
{
    constexpr int kDevices = 100000;
    StorageBatch batch;
    batch.devices.reserve(kDevices);
    for (int i = kDevices - 1; i >= 0; --i) {
        Device d = makeDevice(deviceId(i), i);
        d.metrics.append(MetricValue{u"volt"_s, 3.3});
        d.metrics.append(MetricValue{u"rssi"_s, -60.0 - i % 30});
        if (i % 10 == 0)
            d.rejects[size_t(RejectReason::BadJson)] = quint32(i % 7 + 1);
        batch.devices.append(d);
    }
    QElapsedTimer writeTimer;
    writeTimer.start();
    write(batch);
    const qint64 writeMs = writeTimer.elapsed();

    Database db;
    QVERIFY(db.open(dbPath(), true).ok());
    InventoryStore store(db);
    QElapsedTimer timer;
    timer.start();
    QString error;
    const QList<Device> loaded = store.loadDevices(&error);
    const qint64 loadMs = timer.elapsed();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    qInfo().noquote() << "storage: wrote" << kDevices << "devices (4 metrics each) in" << writeMs
                      << "ms; loadDevices() took" << loadMs << "ms";
    QCOMPARE(loaded.size(), kDevices);
    for (int i = 0; i < kDevices; i += 9973) {
        QCOMPARE(loaded[i].id, deviceId(i));
        QCOMPARE(loaded[i].metrics.size(), 4);
        QCOMPARE(loaded[i].rejects[size_t(RejectReason::BadJson)], i % 10 == 0 ? quint32(i % 7 + 1) : 0u);
        QCOMPARE(loaded[i].messageCount, quint64(i) * 10);
    }
    QCOMPARE(loaded.last().id, deviceId(kDevices - 1));
}

QTEST_GUILESS_MAIN(TestInventoryStore)
#include "test_inventory_store.moc"
