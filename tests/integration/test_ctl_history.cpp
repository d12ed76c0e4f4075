// `fleetdeckctl history --db CACHE --device ID [--source NAME] --metric M [--from ISO --to ISO]
// [--resolution raw|1m|1h] --csv` against real caches written by the real StorageWriter (and
// a v3 cache written with the old schema): the exact CSV of known points (raw doubles with
// a NaN, typed values, rollups from staged points and from packed blocks), inclusive time
// bounds, device resolution across sources, and the exit codes and messages of refusals.
// The CSV cells themselves (HistoryCsv, app/ctl) are checked directly too: app/ctl has no
// library of its own, so history_csv.cpp is compiled into this test.
#include "app/ctl/history_csv.h"
#include "core/storage/database.h"
#include "core/storage/schema.h"
#include "core/storage/storage_writer.h"
#include "tests/support/raw_db.h"

#include <QDateTime>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <limits>

using namespace Qt::StringLiterals;
using namespace fd;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run ctl(const QStringList &arguments, const QString &timeZone = QString())
{
    QProcess process;
    if (!timeZone.isEmpty()) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"TZ"_s, timeZone);
        process.setProcessEnvironment(env);
    }
    process.start(QStringLiteral(FLEETDECK_BIN_DIR "/fleetdeckctl"), QStringList{u"history"_s} + arguments);
    Run run;
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit)
        return run;
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

qint64 at(const char *iso)  // "2026-11-20T10:00:01.250Z" -> ms since epoch
{
    const QDateTime t = QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODateWithMs);
    Q_ASSERT(t.isValid() && t.timeSpec() == Qt::UTC);
    return t.toMSecsSinceEpoch();
}

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const qint64 kBig = (qint64(1) << 53) + 1;  // 9007199254740993: not a double
const DeviceKey kSensor(u"plant-a"_s, u"sensor-7"_s);
const DeviceKey kADev1(u"plant-a"_s, u"dev-1"_s);
const DeviceKey kBDev1(u"plant-b"_s, u"dev-1"_s);
const DeviceKey kClock(u"plant-a"_s, u"clock"_s);
const QString kNote = u"a,b \"c\"\nd"_s;

Device device(const DeviceKey &key, const MetricValues &latest)
{
    Device d;
    d.source = key.source;
    d.path = key.path;
    d.id = key.id();
    d.metrics = latest;
    return d;
}

TelemetrySample sample(const DeviceKey &key, qint64 ts, const MetricValues &metrics)
{
    TelemetrySample s;
    s.source = key.source;
    s.path = key.path;
    s.deviceId = key.id();
    s.timestampMs = ts;
    s.metrics = metrics;
    return s;
}

// The temperature of sensor-7: doubles with a NaN (alone in its minute at 10:05), the last
// ms of a day, midnight, and points in three minutes of 10:00-10:59 and one of 11:00.
StorageBatch temperatures()
{
    StorageBatch batch;
    batch.devices = {device(kSensor, {MetricValue(u"temp"_s, 0.1)})};
    const QList<std::pair<const char *, double>> points{
        {"2026-11-19T23:59:59.999Z", 7},       {"2026-11-20T00:00:00.000Z", 8},
        {"2026-11-20T10:00:00.000Z", 21.5},    {"2026-11-20T10:00:01.250Z", kNaN},
        {"2026-11-20T10:00:02.999Z", -3},      {"2026-11-20T10:01:00.000Z", 22.25},
        {"2026-11-20T10:01:59.999Z", 100},     {"2026-11-20T10:05:00.000Z", kNaN},
        {"2026-11-20T11:30:00.001Z", 0.1},
    };
    for (const auto &[iso, value] : points)
        batch.samples.append(sample(kSensor, at(iso), {MetricValue(u"temp"_s, value)}));
    return batch;
}

const QByteArray kRawTemps = "time,value\n"
                             "2026-11-19T23:59:59.999Z,7\n"
                             "2026-11-20T00:00:00.000Z,8\n"
                             "2026-11-20T10:00:00.000Z,21.5\n"
                             "2026-11-20T10:00:01.250Z,\n"
                             "2026-11-20T10:00:02.999Z,-3\n"
                             "2026-11-20T10:01:00.000Z,22.25\n"
                             "2026-11-20T10:01:59.999Z,100\n"
                             "2026-11-20T10:05:00.000Z,\n"
                             "2026-11-20T11:30:00.001Z,0.1\n";
// NaN is in no rollup: the minute of 10:05 holds nothing else, so it has no row.
const QByteArray kMinuteTemps = "time,min,max,mean,count\n"
                                "2026-11-19T23:59:00.000Z,7,7,7,1\n"
                                "2026-11-20T00:00:00.000Z,8,8,8,1\n"
                                "2026-11-20T10:00:00.000Z,-3,21.5,9.25,2\n"
                                "2026-11-20T10:01:00.000Z,22.25,100,61.125,2\n"
                                "2026-11-20T11:30:00.000Z,0.1,0.1,0.1,1\n";
const QByteArray kHourTemps = "time,min,max,mean,count\n"
                              "2026-11-19T23:00:00.000Z,7,7,7,1\n"
                              "2026-11-20T00:00:00.000Z,8,8,8,1\n"
                              "2026-11-20T10:00:00.000Z,-3,100,35.1875,4\n"
                              "2026-11-20T11:00:00.000Z,0.1,0.1,0.1,1\n";

// Everything else: typed values of sensor-7, the same id on two sources, and a device with
// points around a daylight-saving gap of Europe/Berlin (2026-03-29 02:00-03:00 local).
StorageBatch others()
{
    StorageBatch batch;
    const qint64 t = at("2026-11-20T10:00:00.000Z");
    batch.devices = {
        device(kSensor, {MetricValue(u"temp"_s, 0.1), MetricValue::ofInt64(u"count"_s, -42),
                         MetricValue::ofBool(u"on"_s, false), MetricValue::ofString(u"note"_s, u"plain"_s)}),
        device(kADev1, {MetricValue(u"temp"_s, 1.0)}),
        device(kBDev1, {MetricValue(u"temp"_s, 2.0)}),
        device(kClock, {MetricValue(u"t"_s, 3.0)}),
    };
    batch.samples = {
        sample(kSensor, t, {MetricValue::ofInt64(u"count"_s, kBig), MetricValue::ofBool(u"on"_s, true),
                            MetricValue::ofString(u"note"_s, kNote)}),
        sample(kSensor, t + 1000, {MetricValue::ofInt64(u"count"_s, -42), MetricValue::ofBool(u"on"_s, false),
                                   MetricValue::ofString(u"note"_s, u"=1+1"_s)}),
        sample(kSensor, t + 2000, {MetricValue::ofString(u"note"_s, u"-5,6"_s)}),
        sample(kSensor, t + 3000, {MetricValue::ofString(u"note"_s, u"plain"_s)}),
        sample(kADev1, t, {MetricValue(u"temp"_s, 1.0)}),
        sample(kBDev1, t, {MetricValue(u"temp"_s, 2.0)}),
        sample(kClock, at("2026-03-29T00:30:00.000Z"), {MetricValue(u"t"_s, 1.0)}),
        sample(kClock, at("2026-03-29T01:30:00.000Z"), {MetricValue(u"t"_s, 2.0)}),
        sample(kClock, at("2026-03-29T02:30:00.000Z"), {MetricValue(u"t"_s, 3.0)}),
    };
    return batch;
}

// A cache of FleetDeck 0.2 (schema v3): raw rows in `telemetry`, rollups beside them, no
// latest values of the device (device_metrics is empty).
void writeV3Cache(const QString &path)
{
    test::RawDb raw(path);
    QVERIFY(raw.isOpen());
    const auto steps = schemaMigrations();
    for (int i = 0; i < 3; ++i)
        QCOMPARE(raw.exec(steps[i].sql), QString());
    const QByteArray t = QByteArray::number(at("2026-11-20T10:00:00.000Z"));
    QCOMPARE(raw.exec("PRAGMA user_version = 3;"
                      "INSERT INTO devices(source, path, id) VALUES ('default', 'a', 'a');"
                      "INSERT INTO device_keys(id, source, path) VALUES (1, 'default', 'a');"
                      "INSERT INTO metrics(id, name) VALUES (1, 'temp'), (2, 'hum');"
                      "INSERT INTO series VALUES (1, 1), (1, 2);"
                      "INSERT INTO telemetry VALUES (1, 1, " + t + ", 1.5), (1, 1, " + t + " + 250, NULL),"
                      " (1, 1, " + t + " + 61000, -0.125), (1, 2, " + t + ", 40);"
                      "INSERT INTO telemetry_1m SELECT device_key, metric_key, ts_ms - ts_ms % 60000, min(value),"
                      " max(value), sum(value), count(value) FROM telemetry WHERE value IS NOT NULL"
                      " GROUP BY device_key, metric_key, ts_ms - ts_ms % 60000;"
                      "INSERT INTO telemetry_1h SELECT device_key, metric_key, bucket_ms - bucket_ms % 3600000,"
                      " min(min), max(max), sum(sum), sum(count) FROM telemetry_1m"
                      " GROUP BY device_key, metric_key, bucket_ms - bucket_ms % 3600000;"),
             QString());
}

SeriesPoint point(qint64 ts, const MetricValue &m)
{
    return SeriesPoint::fromMetric(ts, m);
}

} // namespace

class TestCtlHistory : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();

    // HistoryCsv on its own.
    void csvCellsOfEveryType();
    void csvRollupRows();

    // The command.
    void rawDoubles();
    void inclusiveTimeBounds();
    void timeWithoutOffsetIsUtc();
    void typedValues();
    void rollups();
    void stagedAndPackedPrintTheSame();
    void sameIdOnTwoSources();
    void unknownDeviceOrMetric();
    void emptyRangeIsNotAnError();
    void badArguments_data();
    void badArguments();
    void help();
    void v3CachePrintsItsRows();

private:
    QStringList args(const DeviceKey &key, const QString &metric, const QStringList &more = {}) const;

    QTemporaryDir m_dir;
    QString m_cache;
};

void TestCtlHistory::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_cache = m_dir.filePath(u"fleet.sqlite"_s);
    StorageWriter writer;
    writer.setRetention({0, 0, 0});  // keep the fixed dates of 2026 forever
    QVERIFY(writer.start(m_cache));
    writer.submit(temperatures());
    writer.submit(others());
    writer.packNow();
    QVERIFY(writer.flush());
    test::RawDb raw(m_cache);
    QCOMPARE(raw.integer("SELECT count(*) FROM telemetry_staging"), 0);
}

QStringList TestCtlHistory::args(const DeviceKey &key, const QString &metric, const QStringList &more) const
{
    return QStringList{u"--db"_s, m_cache, u"--device"_s, key.path, u"--metric"_s, metric, u"--csv"_s} + more;
}

void TestCtlHistory::csvCellsOfEveryType()
{
    const qint64 t = at("2026-11-20T10:00:00.123Z");
    QCOMPARE(HistoryCsv::rawHeader(), "time,value\n");
    QCOMPARE(HistoryCsv::rawRow(point(t, MetricValue(u"x"_s, 21.5))), "2026-11-20T10:00:00.123Z,21.5\n");
    QCOMPARE(HistoryCsv::rawRow(point(t, MetricValue(u"x"_s, 0.1 + 0.2))),
             "2026-11-20T10:00:00.123Z,0.30000000000000004\n");
    QCOMPARE(HistoryCsv::rawRow(point(t, MetricValue(u"x"_s, -0.0))), "2026-11-20T10:00:00.123Z,-0\n");
    QCOMPARE(HistoryCsv::rawRow(point(t, MetricValue(u"x"_s, kNaN))), "2026-11-20T10:00:00.123Z,\n");
    QCOMPARE(HistoryCsv::rawRow(point(t, MetricValue::ofInt64(u"x"_s, kBig))),
             "2026-11-20T10:00:00.123Z,9007199254740993\n");
    QCOMPARE(HistoryCsv::rawRow(point(t, MetricValue::ofInt64(u"x"_s, std::numeric_limits<qint64>::min()))),
             "2026-11-20T10:00:00.123Z,-9223372036854775808\n");
    QCOMPARE(HistoryCsv::rawRow(point(t, MetricValue::ofBool(u"x"_s, true))), "2026-11-20T10:00:00.123Z,true\n");
    QCOMPARE(HistoryCsv::rawRow(point(t, MetricValue::ofBool(u"x"_s, false))), "2026-11-20T10:00:00.123Z,false\n");
    QCOMPARE(HistoryCsv::rawRow(point(t, MetricValue::ofString(u"x"_s, kNote))),
             "2026-11-20T10:00:00.123Z,\"a,b \"\"c\"\"\nd\"\n");
    QCOMPARE(HistoryCsv::rawRow(point(t, MetricValue::ofString(u"x"_s, u"=1+1"_s))),
             "2026-11-20T10:00:00.123Z,'=1+1\n");
    QCOMPARE(HistoryCsv::rawRow(point(t, MetricValue::ofString(u"x"_s, u"@cmd,x"_s))),
             "2026-11-20T10:00:00.123Z,\"'@cmd,x\"\n");
    QCOMPARE(HistoryCsv::rawRow(point(t, MetricValue::ofString(u"x"_s, u"Grüße"_s))),
             "2026-11-20T10:00:00.123Z,Gr\xc3\xbc\xc3\x9f" "e\n");
    QCOMPARE(HistoryCsv::rawRow(point(t, MetricValue::ofString(u"x"_s, QString()))), "2026-11-20T10:00:00.123Z,\n");
    // Before 1970 and the first ms of a day.
    QCOMPARE(HistoryCsv::rawRow(point(-1, MetricValue(u"x"_s, 1.0))), "1969-12-31T23:59:59.999Z,1\n");
    QCOMPARE(HistoryCsv::rawRow(point(0, MetricValue(u"x"_s, 1.0))), "1970-01-01T00:00:00.000Z,1\n");
}

void TestCtlHistory::csvRollupRows()
{
    QCOMPARE(HistoryCsv::rollupHeader(), "time,min,max,mean,count\n");
    TelemetryBucket b;
    b.tMs = at("2026-11-20T10:00:00.000Z");
    b.widthMs = 60000;
    b.min = -3;
    b.max = 21.5;
    b.mean = 9.25;
    b.count = 2;
    QCOMPARE(HistoryCsv::rollupRow(b), "2026-11-20T10:00:00.000Z,-3,21.5,9.25,2\n");
    b.count = 0;  // a bucket without values: empty cells, whatever min/max/mean hold
    b.mean = kNaN;
    QCOMPARE(HistoryCsv::rollupRow(b), "2026-11-20T10:00:00.000Z,,,,0\n");
}

void TestCtlHistory::rawDoubles()
{
    const Run run = ctl(args(kSensor, u"temp"_s));
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, kRawTemps);
    QCOMPARE(run.err, QByteArray());
    // The source may be given although the id is unique; raw is the default resolution.
    const Run withSource = ctl(args(kSensor, u"temp"_s, {u"--source"_s, u"plant-a"_s, u"--resolution"_s, u"raw"_s}));
    QCOMPARE(withSource.exitCode, 0);
    QCOMPARE(withSource.out, kRawTemps);
}

void TestCtlHistory::inclusiveTimeBounds()
{
    // With Z: both ends are in.
    Run run = ctl(args(kSensor, u"temp"_s,
                       {u"--from"_s, u"2026-11-20T10:00:00Z"_s, u"--to"_s, u"2026-11-20T10:00:02.999Z"_s}));
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, "time,value\n"
                      "2026-11-20T10:00:00.000Z,21.5\n"
                      "2026-11-20T10:00:01.250Z,\n"
                      "2026-11-20T10:00:02.999Z,-3\n");
    // One ms inside at both ends leaves them out.
    run = ctl(args(kSensor, u"temp"_s,
                   {u"--from"_s, u"2026-11-20T10:00:00.001Z"_s, u"--to"_s, u"2026-11-20T10:00:02.998Z"_s}));
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, "time,value\n2026-11-20T10:00:01.250Z,\n");
    // With an offset: 12:00:01.250+02:00 is 10:00:01.250 UTC; the output is in UTC.
    run = ctl(args(kSensor, u"temp"_s,
                   {u"--from"_s, u"2026-11-20T12:00:01.250+02:00"_s, u"--to"_s, u"2026-11-20T12:01:00+02:00"_s}));
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, "time,value\n"
                      "2026-11-20T10:00:01.250Z,\n"
                      "2026-11-20T10:00:02.999Z,-3\n"
                      "2026-11-20T10:01:00.000Z,22.25\n");
    // A date alone is its midnight UTC, inclusive: --to keeps midnight, --from leaves the
    // last ms of the day before out.
    run = ctl(args(kSensor, u"temp"_s, {u"--to"_s, u"2026-11-20"_s}));
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, "time,value\n2026-11-19T23:59:59.999Z,7\n2026-11-20T00:00:00.000Z,8\n");
    run = ctl(args(kSensor, u"temp"_s, {u"--from"_s, u"2026-11-20"_s, u"--to"_s, u"2026-11-20T10:00Z"_s}));
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, "time,value\n2026-11-20T00:00:00.000Z,8\n2026-11-20T10:00:00.000Z,21.5\n");
    // One end only.
    run = ctl(args(kSensor, u"temp"_s, {u"--from"_s, u"2026-11-20T10:05:00.000Z"_s}));
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, "time,value\n2026-11-20T10:05:00.000Z,\n2026-11-20T11:30:00.001Z,0.1\n");
    // --from equal to --to: the one point at that time.
    run = ctl(args(kSensor, u"temp"_s, {u"--from"_s, u"2026-11-20T11:30:00.001Z"_s, u"--to"_s,
                                         u"2026-11-20T11:30:00.001Z"_s}));
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, "time,value\n2026-11-20T11:30:00.001Z,0.1\n");
}

// A time or date without an offset is UTC, whatever the machine's time zone, also at a
// local time that does not exist there (Europe/Berlin skips 02:00-03:00 on 2026-03-29).
void TestCtlHistory::timeWithoutOffsetIsUtc()
{
    for (const QString &zone : {u"UTC"_s, u"America/New_York"_s, u"Europe/Berlin"_s, u"Asia/Kolkata"_s}) {
        Run run = ctl(args(kClock, u"t"_s, {u"--from"_s, u"2026-03-29T02:30:00"_s, u"--to"_s,
                                            u"2026-03-29T02:30:00.000"_s}),
                      zone);
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out == "time,value\n2026-03-29T02:30:00.000Z,3\n", qPrintable(zone + u": "_s + QString::fromUtf8(run.out)));
        run = ctl(args(kClock, u"t"_s, {u"--from"_s, u"2026-03-29"_s, u"--to"_s, u"2026-03-29T01:30:00"_s}), zone);
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out == "time,value\n2026-03-29T00:30:00.000Z,1\n2026-03-29T01:30:00.000Z,2\n",
                 qPrintable(zone + u": "_s + QString::fromUtf8(run.out)));
    }
}

void TestCtlHistory::typedValues()
{
    Run run = ctl(args(kSensor, u"count"_s));
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, "time,value\n2026-11-20T10:00:00.000Z,9007199254740993\n2026-11-20T10:00:01.000Z,-42\n");
    run = ctl(args(kSensor, u"on"_s));
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, "time,value\n2026-11-20T10:00:00.000Z,true\n2026-11-20T10:00:01.000Z,false\n");
    run = ctl(args(kSensor, u"note"_s));
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, "time,value\n"
                      "2026-11-20T10:00:00.000Z,\"a,b \"\"c\"\"\nd\"\n"
                      "2026-11-20T10:00:01.000Z,'=1+1\n"
                      "2026-11-20T10:00:02.000Z,\"'-5,6\"\n"
                      "2026-11-20T10:00:03.000Z,plain\n");
}

void TestCtlHistory::rollups()
{
    Run run = ctl(args(kSensor, u"temp"_s, {u"--resolution"_s, u"1m"_s}));
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, kMinuteTemps);
    run = ctl(args(kSensor, u"temp"_s, {u"--resolution"_s, u"1h"_s}));
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, kHourTemps);
    // A bucket that starts before --from but reaches into the range is in.
    run = ctl(args(kSensor, u"temp"_s, {u"--resolution"_s, u"1m"_s, u"--from"_s, u"2026-11-20T10:00:30Z"_s,
                                         u"--to"_s, u"2026-11-20T10:01:00Z"_s}));
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, "time,min,max,mean,count\n"
                      "2026-11-20T10:00:00.000Z,-3,21.5,9.25,2\n"
                      "2026-11-20T10:01:00.000Z,22.25,100,61.125,2\n");
    run = ctl(args(kSensor, u"temp"_s, {u"--resolution"_s, u"1h"_s, u"--from"_s, u"2026-11-20T10:59:59.999Z"_s,
                                         u"--to"_s, u"2026-11-20T11:00Z"_s}));
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, "time,min,max,mean,count\n"
                      "2026-11-20T10:00:00.000Z,-3,100,35.1875,4\n"
                      "2026-11-20T11:00:00.000Z,0.1,0.1,0.1,1\n");
}

// Points still in the staging table (a recorder is running and has not packed yet) print
// the same as after packing.
void TestCtlHistory::stagedAndPackedPrintTheSame()
{
    const QString cache = m_dir.filePath(u"staged.sqlite"_s);
    StorageWriter writer;
    writer.setRetention({0, 0, 0});  // no retention pass (it would pack first)
    QVERIFY(writer.start(cache));
    writer.submit(temperatures());
    QVERIFY(writer.flush());
    test::RawDb raw(cache);
    QCOMPARE(raw.integer("SELECT count(*) FROM telemetry_blocks"), 0);
    QCOMPARE(raw.integer("SELECT sum(count) FROM telemetry_staging"), 9);

    const QStringList common{u"--db"_s, cache, u"--device"_s, u"sensor-7"_s, u"--metric"_s, u"temp"_s, u"--csv"_s};
    const QList<std::pair<QString, QByteArray>> expected{
        {u"raw"_s, kRawTemps}, {u"1m"_s, kMinuteTemps}, {u"1h"_s, kHourTemps}};
    for (const auto &[resolution, csv] : expected) {
        const Run run = ctl(common + QStringList{u"--resolution"_s, resolution});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out == csv, qPrintable(u"staged, "_s + resolution + u":\n"_s + QString::fromUtf8(run.out)));
    }

    writer.packNow();
    QVERIFY(writer.flush());
    QCOMPARE(raw.integer("SELECT count(*) FROM telemetry_staging"), 0);
    QCOMPARE(raw.integer("SELECT sum(count) FROM telemetry_blocks"), 9);
    for (const auto &[resolution, csv] : expected) {
        const Run run = ctl(common + QStringList{u"--resolution"_s, resolution});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out == csv, qPrintable(u"packed, "_s + resolution + u":\n"_s + QString::fromUtf8(run.out)));
    }
}

void TestCtlHistory::sameIdOnTwoSources()
{
    Run run = ctl(args(kADev1, u"temp"_s));
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.out, QByteArray());
    QVERIFY2(run.err.contains("dev-1 names 2 devices") && run.err.contains("plant-a / dev-1")
                 && run.err.contains("plant-b / dev-1") && run.err.contains("--source NAME"),
             run.err.constData());
    run = ctl(args(kADev1, u"temp"_s, {u"--source"_s, u"plant-b"_s}));
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, "time,value\n2026-11-20T10:00:00.000Z,2\n");
    run = ctl(args(kADev1, u"temp"_s, {u"--source"_s, u"plant-a"_s}));
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, "time,value\n2026-11-20T10:00:00.000Z,1\n");
}

void TestCtlHistory::unknownDeviceOrMetric()
{
    Run run = ctl(args(DeviceKey(u"plant-a"_s, u"nope"_s), u"temp"_s));
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.out, QByteArray());
    QVERIFY2(run.err.contains("no device nope in"), run.err.constData());
    run = ctl(args(kSensor, u"temp"_s, {u"--source"_s, u"plant-b"_s}));
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains("no device sensor-7 of the source plant-b"), run.err.constData());

    // An unknown metric: the device's metrics are listed.
    run = ctl(args(kSensor, u"humidity"_s));
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.out, QByteArray());
    QVERIFY2(run.err.contains("plant-a / sensor-7 has no history of humidity (its metrics: count, note, on, temp)"),
             run.err.constData());
    // A metric other devices have, this one not; also at a resolution and in a range.
    run = ctl(args(kADev1, u"note"_s, {u"--source"_s, u"plant-a"_s, u"--resolution"_s, u"1h"_s, u"--from"_s,
                                        u"2026-11-20"_s}));
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains("plant-a / dev-1 has no history of note (its metrics: temp)"), run.err.constData());
}

void TestCtlHistory::emptyRangeIsNotAnError()
{
    for (const QString &resolution : {u"raw"_s, u"1m"_s, u"1h"_s}) {
        const Run run = ctl(args(kSensor, u"temp"_s, {u"--from"_s, u"2027-01-01"_s, u"--resolution"_s, resolution}));
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out, resolution == u"raw" ? HistoryCsv::rawHeader() : HistoryCsv::rollupHeader());
        QCOMPARE(run.err, QByteArray());
    }
    // A string series has no rollups: only the header.
    const Run run = ctl(args(kSensor, u"note"_s, {u"--resolution"_s, u"1m"_s}));
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, HistoryCsv::rollupHeader());
}

void TestCtlHistory::badArguments_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    const QString cache = m_dir.filePath(u"fleet.sqlite"_s);
    const QStringList device{u"--device"_s, u"sensor-7"_s};
    const QStringList metric{u"--metric"_s, u"temp"_s};
    const QStringList db{u"--db"_s, cache};
    const QStringList csv{u"--csv"_s};
    QTest::newRow("no --db") << device + metric + csv << u"--db FILE is required"_s;
    QTest::newRow("no --device") << db + metric + csv << u"--device ID is required"_s;
    QTest::newRow("no --metric") << db + device + csv << u"--metric M is required"_s;
    QTest::newRow("no --csv") << db + device + metric << u"--csv"_s;
    QTest::newRow("bad --from") << db + device + metric + csv + QStringList{u"--from"_s, u"yesterday"_s}
                                << u"--from yesterday is not an ISO 8601 time"_s;
    QTest::newRow("bad --to") << db + device + metric + csv + QStringList{u"--to"_s, u"2026-13-01"_s}
                              << u"--to 2026-13-01 is not an ISO 8601 time"_s;
    QTest::newRow("--from after --to")
        << db + device + metric + csv
               + QStringList{u"--from"_s, u"2026-11-20T10:00:00.001Z"_s, u"--to"_s, u"2026-11-20T10:00:00Z"_s}
        << u"--from is after --to"_s;
    QTest::newRow("bad --resolution") << db + device + metric + csv + QStringList{u"--resolution"_s, u"5m"_s}
                                      << u"--resolution must be raw, 1m or 1h, not 5m"_s;
    QTest::newRow("--resolution without value") << db + device + metric + csv + QStringList{u"--resolution"_s}
                                                << u"--resolution"_s;
    QTest::newRow("unknown option") << db + device + metric + csv + QStringList{u"--json"_s} << u"json"_s;
    QTest::newRow("stray argument") << db + device + metric + csv + QStringList{u"extra"_s} << u"extra"_s;
    QTest::newRow("no such file") << QStringList{u"--db"_s, m_dir.filePath(u"missing.sqlite"_s)} + device + metric
                                         + csv
                                  << u"missing.sqlite does not exist"_s;
}

void TestCtlHistory::badArguments()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const Run run = ctl(arguments);
    QCOMPARE(run.exitCode, 2);
    QCOMPARE(run.out, QByteArray());
    QVERIFY2(run.err.startsWith("fleetdeckctl history: ") && QString::fromUtf8(run.err).contains(message),
             run.err.constData());
}

void TestCtlHistory::help()
{
    const Run run = ctl({u"--help"_s});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains("--resolution <raw|1m|1h>") && run.out.contains("--source <NAME>"), run.out.constData());
}

// A cache of the previous schema: its raw rows (not converted to blocks; the command does
// not convert them) and its rollups print as they are.
void TestCtlHistory::v3CachePrintsItsRows()
{
    const QString cache = m_dir.filePath(u"v3.sqlite"_s);
    writeV3Cache(cache);
    if (QTest::currentTestFailed())
        return;
    const QStringList common{u"--db"_s, cache, u"--device"_s, u"a"_s, u"--csv"_s};
    Run run = ctl(common + QStringList{u"--metric"_s, u"temp"_s});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(!run.err.contains("fleetdeckctl history:"), run.err.constData());
    QCOMPARE(run.out, "time,value\n"
                      "2026-11-20T10:00:00.000Z,1.5\n"
                      "2026-11-20T10:00:00.250Z,\n"
                      "2026-11-20T10:01:01.000Z,-0.125\n");
    run = ctl(common + QStringList{u"--metric"_s, u"temp"_s, u"--resolution"_s, u"1m"_s});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, "time,min,max,mean,count\n"
                      "2026-11-20T10:00:00.000Z,1.5,1.5,1.5,1\n"
                      "2026-11-20T10:01:00.000Z,-0.125,-0.125,-0.125,1\n");
    run = ctl(common + QStringList{u"--metric"_s, u"temp"_s, u"--resolution"_s, u"1h"_s});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, "time,min,max,mean,count\n2026-11-20T10:00:00.000Z,-0.125,1.5,0.6875,2\n");
    run = ctl(common + QStringList{u"--metric"_s, u"hum"_s, u"--source"_s, u"default"_s});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, "time,value\n2026-11-20T10:00:00.000Z,40\n");
    // The cache has no latest values: the metrics listed are the ones with history.
    run = ctl(common + QStringList{u"--metric"_s, u"volt"_s});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains("default / a has no history of volt (its metrics: hum, temp)"), run.err.constData());
    // The command upgraded the file to the current schema (new tables and columns only); the
    // raw rows are still where the old FleetDeck wrote them (the next writer converts them).
    test::RawDb raw(cache);
    QCOMPARE(raw.integer("PRAGMA user_version"), Database::kSchemaVersion);
    QCOMPARE(raw.integer("SELECT count(*) FROM telemetry"), 4);
}

QTEST_GUILESS_MAIN(TestCtlHistory)
#include "test_ctl_history.moc"
