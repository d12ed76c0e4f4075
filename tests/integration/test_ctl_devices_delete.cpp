// `fleetdeckctl devices --db CACHE --delete ID [--source NAME]` against a real cache (written
// by the real StorageWriter) and a real operations store: ambiguous and unknown ids are
// refused with a reason and a non-zero exit, touching nothing; a deletion takes the device's
// rows out of every table, leaves the others, and is in the audit log (`fleetdeckctl audit`).
// Deleting beside a running recorder is in test_record_integration.
#include "core/operations/operations_store.h"
#include "core/storage/storage_writer.h"
#include "tests/support/raw_db.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace fd;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run ctl(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral(FLEETDECK_BIN_DIR "/fleetdeckctl"), arguments);
    Run run;
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit)
        return run;
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

const DeviceKey kADev1(u"plant-a"_s, u"dev-1"_s);
const DeviceKey kBDev1(u"plant-b"_s, u"dev-1"_s);
const DeviceKey kADev2(u"plant-a"_s, u"dev-2"_s);
const DeviceKey kNode1Pump(u"plant-a"_s, u"grp/node-1/pump"_s);
const DeviceKey kNode2Pump(u"plant-a"_s, u"grp/node-2/pump"_s);

bool fillCache(const QString &path)
{
    StorageWriter writer;
    if (!writer.start(path))
        return false;
    StorageBatch batch;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const DeviceKey &key : {kADev1, kBDev1, kADev2, kNode1Pump, kNode2Pump}) {
        Device d;
        d.source = key.source;
        d.path = key.path;
        d.id = key.id();
        d.metrics = {MetricValue(u"temperature"_s, 20.0)};
        d.rejects[size_t(RejectReason::BadJson)] = 1;
        if (key == kADev2)
            d.tags = QStringList{u"freezer"_s, u"critical-path"_s, u"<b>\"x\"</b>"_s};
        batch.devices.append(d);
        for (int m = 0; m < 30; ++m) {
            TelemetrySample s;
            s.source = key.source;
            s.path = key.path;
            s.deviceId = d.id;
            s.timestampMs = now - m * 60'000;
            s.metrics = {MetricValue(u"temperature"_s, 20.0 + m)};
            batch.samples.append(s);
        }
    }
    writer.submit(std::move(batch));
    return writer.flush();
}

// Rows of the device in every table that holds some of it.
qint64 rowsOf(const QString &cache, const DeviceKey &device)
{
    test::RawDb raw(cache);
    const QByteArray where = "source = '" + device.source.toUtf8() + "' AND path = '" + device.path.toUtf8() + "'";
    qint64 rows = 0;
    for (const char *table : {"devices", "device_metrics", "device_rejects"})
        rows += raw.integer(QByteArray("SELECT count(*) FROM ") + table + " WHERE " + where);
    rows += raw.rawPoints(where);
    for (const char *table : {"telemetry_1m", "telemetry_1h"})
        rows += raw.integer(QByteArray("SELECT count(*) FROM ") + table
                            + " WHERE device_key = (SELECT id FROM device_keys WHERE " + where + ")");
    return rows;
}

} // namespace

class TestCtlDevicesDelete : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void ambiguousIdIsRefused();
    void unknownIdIsRefused();
    void deletesOneDeviceAndRecordsIt();
    void pathOrIdWithinOneSource();
    void listingBySource();
    void listingPrintsTags();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_cache;
    qint64 m_rowsPerDevice = 0;
};

void TestCtlDevicesDelete::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_cache = m_dir->filePath(u"fleet.sqlite"_s);
    QVERIFY(fillCache(m_cache));
    m_rowsPerDevice = rowsOf(m_cache, kADev1);
    QVERIFY(m_rowsPerDevice > 30);
}

void TestCtlDevicesDelete::ambiguousIdIsRefused()
{
    const Run run = ctl({u"devices"_s, u"--db"_s, m_cache, u"--delete"_s, u"dev-1"_s});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains("dev-1 names 2 devices") && run.err.contains("plant-a / dev-1")
                 && run.err.contains("plant-b / dev-1") && run.err.contains("--source"),
             run.err.constData());
    QCOMPARE(rowsOf(m_cache, kADev1), m_rowsPerDevice);
    QCOMPARE(rowsOf(m_cache, kBDev1), m_rowsPerDevice);
    QVERIFY(!QFileInfo::exists(OperationsStore::pathForCache(m_cache)));  // nothing recorded either
}

void TestCtlDevicesDelete::unknownIdIsRefused()
{
    Run run = ctl({u"devices"_s, u"--db"_s, m_cache, u"--delete"_s, u"dev-7"_s});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains("no device dev-7 in"), run.err.constData());
    run = ctl({u"devices"_s, u"--db"_s, m_cache, u"--delete"_s, u"dev-2"_s, u"--source"_s, u"plant-b"_s});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains("no device dev-2 of the source plant-b"), run.err.constData());
    QCOMPARE(rowsOf(m_cache, kADev2), m_rowsPerDevice);
    run = ctl({u"devices"_s, u"--db"_s, m_dir->filePath(u"missing.sqlite"_s), u"--delete"_s, u"dev-2"_s});
    QCOMPARE(run.exitCode, 2);
}

void TestCtlDevicesDelete::deletesOneDeviceAndRecordsIt()
{
    const Run run = ctl({u"devices"_s, u"--db"_s, m_cache, u"--delete"_s, u"dev-1"_s, u"--source"_s, u"plant-b"_s});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains("deleted plant-b / dev-1: 30 raw telemetry rows"), run.out.constData());
    QCOMPARE(rowsOf(m_cache, kBDev1), 0);
    QCOMPARE(rowsOf(m_cache, kADev1), m_rowsPerDevice);  // the same id elsewhere stays
    QCOMPARE(rowsOf(m_cache, kADev2), m_rowsPerDevice);
    test::RawDb raw(m_cache);
    QCOMPARE(raw.texts("PRAGMA integrity_check"), QStringList{u"ok"_s});
    QCOMPARE(raw.texts("PRAGMA foreign_key_check"), QStringList());

    const Run audit = ctl({u"audit"_s, u"--db"_s, m_cache, u"--json"_s});
    QCOMPARE(audit.exitCode, 0);
    const QJsonArray entries = QJsonDocument::fromJson(audit.out).array();
    QStringList actions;
    for (const QJsonValue &v : entries) {
        const QJsonObject e = v.toObject();
        actions.append(e.value("action"_L1).toString());
        QCOMPARE(e.value("source"_L1).toString(), u"plant-b"_s);
        QCOMPARE(e.value("device_path"_L1).toString(), u"dev-1"_s);
    }
    actions.sort();
    QCOMPARE(actions, (QStringList{u"device.delete.requested"_s, u"device.delete.succeeded"_s}));

    // The listing agrees.
    const Run list = ctl({u"devices"_s, u"--db"_s, m_cache, u"--json"_s});
    QCOMPARE(QJsonDocument::fromJson(list.out).array().size(), 4);
}

void TestCtlDevicesDelete::pathOrIdWithinOneSource()
{
    // Two gateways with a "pump" each: the id is ambiguous within the source, the path is not.
    Run run = ctl({u"devices"_s, u"--db"_s, m_cache, u"--delete"_s, u"pump"_s, u"--source"_s, u"plant-a"_s});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains("give the device's full path"), run.err.constData());
    run = ctl({u"devices"_s, u"--db"_s, m_cache, u"--delete"_s, u"grp/node-2/pump"_s});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(rowsOf(m_cache, kNode2Pump), 0);
    QCOMPARE(rowsOf(m_cache, kNode1Pump), m_rowsPerDevice);
    // The one pump left is found by its id.
    run = ctl({u"devices"_s, u"--db"_s, m_cache, u"--delete"_s, u"pump"_s});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(rowsOf(m_cache, kNode1Pump), 0);
}

void TestCtlDevicesDelete::listingBySource()
{
    const Run run = ctl({u"devices"_s, u"--db"_s, m_cache, u"--json"_s, u"--source"_s, u"plant-b"_s});
    QCOMPARE(run.exitCode, 0);
    const QJsonArray devices = QJsonDocument::fromJson(run.out).array();
    QCOMPARE(devices.size(), 1);
    QCOMPARE(devices.at(0).toObject().value("source"_L1).toString(), u"plant-b"_s);
}

// `devices --json` prints every device's tags as an array of strings, in their order, []
// for a device without tags.
void TestCtlDevicesDelete::listingPrintsTags()
{
    const Run run = ctl({u"devices"_s, u"--db"_s, m_cache, u"--json"_s, u"--source"_s, u"plant-a"_s});
    QCOMPARE(run.exitCode, 0);
    const QJsonArray devices = QJsonDocument::fromJson(run.out).array();
    QCOMPARE(devices.size(), 4);
    int tagged = 0;
    for (const QJsonValue &v : devices) {
        const QJsonObject d = v.toObject();
        QVERIFY2(d.value("tags"_L1).isArray(), qPrintable(d.value("path"_L1).toVariant().toString()));
        if (d.value("id"_L1).toString() == kADev2.path) {
            ++tagged;
            QCOMPARE(d.value("tags"_L1).toArray(),
                     (QJsonArray{u"freezer"_s, u"critical-path"_s, u"<b>\"x\"</b>"_s}));
        } else {
            QCOMPARE(d.value("tags"_L1).toArray(), QJsonArray());
        }
    }
    QCOMPARE(tagged, 1);
}

QTEST_GUILESS_MAIN(TestCtlDevicesDelete)
#include "test_ctl_devices_delete.moc"
