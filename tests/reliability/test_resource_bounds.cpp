// Promise 4 (docs/reliability.md): resource bounds on a busy broker. `fleetdeckctl record`
// subscribed to a mosquitto where tens of thousands (short form) to 100,000 (long form)
// distinct devices publish, one message per device topic per round, from a fast publisher
// (one Paho client, QoS 1): its resident memory stays under a stated bound, a second recorder
// with --max-devices-per-source keeps exactly that many devices and counts the rest as
// rejects, retention prunes what is older than --retention-days when the recorder starts
// (and only that), and the WAL (cache.sqlite-wal), sampled during the sustained ingest, stays
// under a stated bound (StorageWriter: journal_size_limit 64 MB, SQLite's automatic
// checkpoints every 1000 pages).

#include "tests/reliability/bulk_publisher.h"
#include "tests/reliability/child_process.h"
#include "tests/reliability/integrity_check.h"
#include "tests/reliability/reliability_config.h"
#include "tests/reliability/reliability_report.h"

#include "core/broker/mosquitto_launcher.h"
#include "tests/support/raw_db.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;
using namespace fd::test;

namespace {

const QString kSource = QStringLiteral("rel");
constexpr qint64 kDayMs = 24LL * 3600 * 1000;

QByteArray deviceTopic(int i)
{
    return "fleetdeck/v1/dev-" + QByteArray::number(i).rightJustified(6, '0') + "/telemetry";
}

QByteArray telemetry(qint64 tsMs, qint64 seq, double value)
{
    return "{\"ts\":" + QByteArray::number(tsMs) + ",\"seq\":" + QByteArray::number(seq)
           + ",\"metrics\":{\"temperature\":" + QByteArray::number(value, 'f', 1) + "}}";
}

QJsonObject readJson(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

// Raw points of the source in the cache (blocks and staged), all or only those before a time.
qint64 rawPoints(const QString &cache, qint64 beforeMs = std::numeric_limits<qint64>::max())
{
    if (!QFile::exists(cache))
        return 0;
    RawDb raw(cache);
    const QByteArray before = QByteArray::number(beforeMs);
    return raw.integer("SELECT (SELECT coalesce(sum(count), 0) FROM telemetry_blocks WHERE last_ms < " + before
                       + ") + (SELECT coalesce(sum(count), 0) FROM telemetry_staging WHERE last_ms < " + before + ")");
}

qint64 devicesIn(const QString &cache)
{
    if (!QFile::exists(cache))
        return 0;
    RawDb raw(cache);
    return raw.integer("SELECT count(*) FROM device_keys WHERE source = 'rel'");
}

qint64 fileKiB(const QString &path)
{
    const QFileInfo info(path);
    return info.exists() ? info.size() / 1024 : 0;
}

} // namespace

class TestResourceBounds : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void busyBrokerWithManyDevicesStaysBounded();

private:
    QTemporaryDir m_dir;
};

void TestResourceBounds::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (MosquittoLauncher::findExecutable().isEmpty())
        QFAIL(qPrintable(MosquittoLauncher::installHint()));
}

void TestResourceBounds::busyBrokerWithManyDevicesStaysBounded()
{
    const int devices = ReliabilityConfig::pick(30000, 100000);
    const int rounds = ReliabilityConfig::pick(2, 5);
    const int limited = devices / 2;  // the second recorder's --max-devices-per-source
    const int aged = qMin(1000, devices);  // devices that also send one point 3 days old
    // Measured first: 30,000 devices, 2 rounds: peak 115 MB (85 MB after the first round; the
    // SQLite page cache of the writer is 64 MB). Bound about 1.5 times that; for 100,000
    // devices the per-device share (~1.8 KB) scaled, times 1.5.
    const qint64 rssBoundKiB = devices <= 30000 ? 175 * 1024 : 360 * 1024;
    // journal_size_limit (64 MB) once a checkpoint has run; one commit of many new devices can
    // make it larger for a moment.
    constexpr qint64 kWalBoundKiB = 96 * 1024;
    qInfo("%d devices, %d rounds", devices, rounds);

    MosquittoLauncher broker;
    MosquittoLauncher::Options options;
    options.maxQueuedMessages = 2 * devices * rounds;  // the broker loses nothing for a slow subscriber
    options.maxInflightMessages = 1000;
    QString error;
    QVERIFY2(broker.start(options, &error), qPrintable(error));

    const QString cache = m_dir.filePath(QStringLiteral("busy.sqlite"));
    const QString wal = cache + QStringLiteral("-wal");
    const QString stats = m_dir.filePath(QStringLiteral("busy-stats.json"));
    const QString limitedCache = m_dir.filePath(QStringLiteral("limited.sqlite"));
    const QString limitedStats = m_dir.filePath(QStringLiteral("limited-stats.json"));
    const QStringList retention{QStringLiteral("--retention-days"), QStringLiteral("1"),
                                QStringLiteral("--minute-rollup-retention-days"), QStringLiteral("1"),
                                QStringLiteral("--hour-rollup-retention-days"), QStringLiteral("1")};
    const auto recordArgs = [&](const QString &db, const QString &statsFile, int maxDevices) {
        return QStringList{QStringLiteral("record"), QStringLiteral("--broker"), kSource + u'=' + broker.url(),
                           QStringLiteral("--db"), db, QStringLiteral("--qos"), QStringLiteral("1"),
                           QStringLiteral("--no-sparkplug"), QStringLiteral("--stats-json"), statsFile,
                           QStringLiteral("--max-devices-per-source"), QString::number(maxDevices)}
            + retention;
    };
    ChildProcess record(QStringLiteral("record"));
    QVERIFY(record.start(ChildProcess::bin(QStringLiteral("fleetdeckctl")), recordArgs(cache, stats, 2 * devices)));
    ChildProcess limitedRecord(QStringLiteral("record-limited"));
    QVERIFY(limitedRecord.start(ChildProcess::bin(QStringLiteral("fleetdeckctl")),
                                recordArgs(limitedCache, limitedStats, limited)));
    QVERIFY(record.waitForStderr("record: connected", 20000));
    QVERIFY(limitedRecord.waitForStderr("record: connected", 20000));

    BulkPublisher pub(broker.url(), QStringLiteral("rel-busy-pub"), 20000);
    QVERIFY2(pub.connect(&error), qPrintable(error));
    // Subscribed (SUBACK) before the load: a probe device is stored by both recorders.
    const qint64 startMs = QDateTime::currentMSecsSinceEpoch();
    int probeSeq = 0;
    QVERIFY(QTest::qWaitFor(
        [&] {
            pub.publish("fleetdeck/v1/probe/telemetry", telemetry(QDateTime::currentMSecsSinceEpoch(), ++probeSeq, 1), 1);
            return QTest::qWaitFor([&] { return devicesIn(cache) == 1 && devicesIn(limitedCache) == 1; }, 1000);
        },
        20000));
    QVERIFY(pub.waitSettled(10000));
    QTest::qWait(2500);  // the probes' last commit (one commit interval, 1 s)
    const qint64 basePoints = rawPoints(cache);

    qint64 peakRssKiB = 0;
    qint64 peakWalKiB = 0;
    int walSamples = 0;
    QElapsedTimer sampleClock;
    sampleClock.start();
    const auto sample = [&] {
        peakRssKiB = qMax(peakRssKiB, record.residentKiB());
        peakWalKiB = qMax(peakWalKiB, fileKiB(wal));
        ++walSamples;
    };
    QElapsedTimer clock;
    clock.start();
    // The aged points first (3 days old, seq 1), then one current point per device and round.
    for (int i = 0; i < aged; ++i)
        QVERIFY(pub.publish(deviceTopic(i), telemetry(startMs - 3 * kDayMs, 1, 1.0), 1));
    qint64 expectedPoints = basePoints + aged;
    for (int round = 0; round < rounds; ++round) {
        const qint64 ts = QDateTime::currentMSecsSinceEpoch();
        for (int i = 0; i < devices; ++i) {
            QVERIFY(pub.publish(deviceTopic(i), telemetry(ts, round + 2, 20.0 + (i % 100) / 10.0), 1));
            if (sampleClock.elapsed() >= 50) {
                sampleClock.restart();
                sample();
            }
        }
        expectedPoints += devices;
        QVERIFY2(pub.waitSettled(120000), "the broker did not take the load");
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         sample();
                         return rawPoints(cache) >= expectedPoints;
                     },
                     180000),
                 qPrintable(QStringLiteral("round %1: %2 of %3 points stored")
                                .arg(round)
                                .arg(rawPoints(cache))
                                .arg(expectedPoints)));
        qInfo("round %d: %lld points, RSS %lld KiB, WAL peak %lld KiB, %.1f s", round,
              static_cast<long long>(expectedPoints), static_cast<long long>(record.residentKiB()),
              static_cast<long long>(peakWalKiB), double(clock.elapsed()) / 1000.0);
    }
    const double ingestS = double(clock.elapsed()) / 1000.0;
    QVERIFY(QTest::qWaitFor([&] { return devicesIn(limitedCache) >= limited; }, 60000));
    peakRssKiB = qMax(peakRssKiB, record.peakResidentKiB());
    const qint64 limitedPeakKiB = limitedRecord.peakResidentKiB();
    pub.disconnect();
    QVERIFY(record.terminate(60000));
    QCOMPARE(record.exitCode(), 0);
    QVERIFY(limitedRecord.terminate(60000));
    QCOMPARE(limitedRecord.exitCode(), 0);

    // Every device and point stored; the WAL and memory stayed bounded.
    QCOMPARE(devicesIn(cache), qint64(devices) + 1);  // and the probe
    QCOMPARE(rawPoints(cache), expectedPoints);
    const QJsonObject summary = readJson(stats);
    QCOMPARE(qint64(summary.value(u"dropped").toDouble()), 0);
    if (!ReliabilityConfig::sanitized())
        QVERIFY2(peakRssKiB < rssBoundKiB, qPrintable(QStringLiteral("peak RSS %1 KiB, bound %2 KiB")
                                                     .arg(peakRssKiB)
                                                     .arg(rssBoundKiB)));
    QVERIFY2(peakWalKiB < kWalBoundKiB,
             qPrintable(QStringLiteral("WAL reached %1 KiB, bound %2 KiB").arg(peakWalKiB).arg(kWalBoundKiB)));

    // The device limit: exactly that many devices, every message of the others rejected.
    QCOMPARE(devicesIn(limitedCache), qint64(limited));
    const QJsonObject limitedSummary = readJson(limitedStats);
    const qint64 limitedRejected = qint64(limitedSummary.value(u"rejected").toDouble());
    const qint64 overLimitMessages = qint64(devices - (limited - 1)) * rounds;  // the probe is one of them
    QVERIFY2(limitedRejected >= overLimitMessages,
             qPrintable(QStringLiteral("%1 rejected, %2 messages of devices over the limit")
                            .arg(limitedRejected)
                            .arg(overLimitMessages)));

    // Retention (run when record starts): the aged points go, everything newer stays.
    const qint64 cutoffMs = QDateTime::currentMSecsSinceEpoch() - kDayMs;
    const qint64 agedBefore = rawPoints(cache, cutoffMs);
    QCOMPARE(agedBefore, qint64(aged));
    ChildProcess pruning(QStringLiteral("record-retention"));
    QVERIFY(pruning.start(ChildProcess::bin(QStringLiteral("fleetdeckctl")), recordArgs(cache, stats, 2 * devices)));
    QVERIFY2(QTest::qWaitFor([&] { return rawPoints(cache, cutoffMs) == 0; }, 60000),
             qPrintable(QStringLiteral("%1 points older than the retention are still there")
                            .arg(rawPoints(cache, cutoffMs))));
    QVERIFY(pruning.terminate(60000));
    QCOMPARE(pruning.exitCode(), 0);
    QCOMPARE(rawPoints(cache), expectedPoints - agedBefore);
    QCOMPARE(integrityProblems(cache), QString());

    const QJsonObject figures{{QStringLiteral("devices"), devices},
                              {QStringLiteral("rounds"), rounds},
                              {QStringLiteral("messages"), double(expectedPoints)},
                              {QStringLiteral("ingest_seconds"), ingestS},
                              {QStringLiteral("peak_rss_kib"), double(peakRssKiB)},
                              {QStringLiteral("rss_bound_kib"), double(rssBoundKiB)},
                              {QStringLiteral("peak_wal_kib"), double(peakWalKiB)},
                              {QStringLiteral("wal_bound_kib"), double(kWalBoundKiB)},
                              {QStringLiteral("wal_samples"), walSamples},
                              {QStringLiteral("cache_kib"), double(fileKiB(cache))},
                              {QStringLiteral("limit"), limited},
                              {QStringLiteral("limited_rejected"), double(limitedRejected)},
                              {QStringLiteral("limited_peak_rss_kib"), double(limitedPeakKiB)},
                              {QStringLiteral("aged_points_pruned"), double(agedBefore)}};
    ReliabilityReport::write(QStringLiteral("resource_bounds"), figures);
}

// The long form runs longer than Qt Test's default limit of 5 minutes per test function.
int main(int argc, char **argv)
{
    if (!qEnvironmentVariableIsSet("QTEST_FUNCTION_TIMEOUT"))
        qputenv("QTEST_FUNCTION_TIMEOUT", "7200000");
    QCoreApplication app(argc, argv);
    TestResourceBounds test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "test_resource_bounds.moc"
