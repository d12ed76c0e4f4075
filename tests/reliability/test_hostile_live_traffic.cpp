// Promise 3, live path (docs/reliability.md): hostile traffic through a real mosquitto into
// `fleetdeckctl record`: malformed JSON, payloads over the size limit up to several MB, binary
// garbage, Unicode-heavy payloads and topics (emoji, right-to-left text, combining marks,
// bidi overrides, lone surrogates in JSON escapes, invalid UTF-8), very deep nesting and huge
// arrays, interleaved with well-behaved devices (fleetdeck-sim, whose --faults add the
// device misbehaviour of its own). record never crashes or stalls (every round ends with a
// probe stored within seconds; the good devices lose no message: SeqAudit), rejects are
// counted per device (devices --json) and in its summary, and its resident memory stays under
// a stated bound.
//
// Sizes: MQTT allows payloads up to 256 MB (a 4-byte remaining length, 268,435,455 bytes);
// mosquitto 2.0 forwards any size unless message_size_limit / max_packet_size says otherwise
// (the default: no limit). Paho reads a whole PUBLISH into memory before it hands it over, so
// one big message costs its size once, transiently, in Paho; FleetDeck never copies a payload
// over 256 KiB (InboundLimits::maxPayloadBytes): only its size travels, and it is rejected as
// `oversize` against its device.

#include "tests/reliability/bulk_publisher.h"
#include "tests/reliability/child_process.h"
#include "tests/reliability/integrity_check.h"
#include "tests/reliability/reliability_config.h"
#include "tests/reliability/reliability_report.h"
#include "tests/reliability/seq_audit.h"

#include "core/broker/mosquitto_launcher.h"
#include "tests/support/raw_db.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;
using namespace fd::test;

namespace {

const QString kSource = QStringLiteral("rel");

struct Hostile
{
    QByteArray name;     // what it is (the figures)
    QByteArray topic;
    QByteArray payload;
    bool mustReject;     // on a valid device topic and invalid: one reject against that device
};

QByteArray now()
{
    return QByteArray::number(QDateTime::currentMSecsSinceEpoch());
}

QByteArray telemetry(const QByteArray &metrics)
{
    return "{\"ts\":" + now() + ",\"seq\":1,\"metrics\":" + metrics + "}";
}

QByteArray deviceTopic(const QByteArray &device)
{
    return "fleetdeck/v1/" + device + "/telemetry";
}

// One round of hostile messages. Those that must be rejected each go to a device of their own
// (hostile-<name>), so its reject count is exact.
QList<Hostile> hostileRound(QRandomGenerator &rng, const QList<qsizetype> &oversizes)
{
    QList<Hostile> out;
    const auto reject = [&](const QByteArray &name, const QByteArray &payload) {
        out.append({name, deviceTopic("hostile-" + name), payload, true});
    };
    const auto anyOutcome = [&](const QByteArray &name, const QByteArray &topic, const QByteArray &payload) {
        out.append({name, topic, payload, false});
    };
    // Malformed JSON.
    reject("truncated", "{\"ts\":" + now() + ",\"seq\":");
    reject("not-json", "temperature=21.5");
    reject("empty", QByteArray());
    reject("braces", QByteArray(5000, '{'));
    reject("trailing-garbage", telemetry("{\"t\":1}") + " trailing");
    reject("nan", telemetry("{\"t\":NaN}"));
    reject("seq-string", "{\"ts\":" + now() + ",\"seq\":\"1\",\"metrics\":{\"t\":1}}");
    reject("seq-huge", "{\"ts\":" + now() + ",\"seq\":9007199254740993,\"metrics\":{\"t\":1}}");
    reject("no-metrics", "{\"ts\":" + now() + ",\"seq\":1}");
    reject("array-root", "[1,2,3]");
    // Over the size limit, valid JSON inside.
    for (const qsizetype size : oversizes) {
        const QByteArray filler(size, 'a');
        reject("oversize-" + QByteArray::number(size / 1024) + "k", telemetry("{\"s\":\"" + filler + "\"}"));
    }
    // Binary garbage, with NULs and every byte value.
    QByteArray garbage(64 * 1024, Qt::Uninitialized);
    for (char &c : garbage)
        c = char(rng.bounded(256));
    reject("binary-64k", garbage);
    reject("binary-nul", QByteArray(100, '\0'));
    reject("invalid-utf8", telemetry("{\"t\xff\xfe\":1}"));
    reject("overlong-utf8", telemetry("{\"\xc0\xaf\":1}"));
    // Lone surrogates in JSON escapes (names must be valid Unicode).
    reject("lone-high-surrogate", telemetry("{\"\\ud800\":1}"));
    reject("lone-low-surrogate", telemetry("{\"\\udfff\":1}"));
    reject("reversed-surrogates", telemetry("{\"\\udc00\\ud800\":1}"));
    // Very deep nesting and huge arrays, just under the payload limit.
    reject("deep-arrays", telemetry("{\"t\":" + QByteArray(120000, '[') + QByteArray(120000, ']') + "}"));
    QByteArray deepObjects;
    for (int i = 0; i < 20000; ++i)
        deepObjects += "{\"a\":";
    deepObjects += "1" + QByteArray(20000, '}');
    reject("deep-objects", telemetry("{\"t\":" + deepObjects + "}"));
    QByteArray hugeArray = "{\"t\":[0";
    for (int i = 0; i < 120000; ++i)
        hugeArray += ",0";
    hugeArray += "]}";
    reject("huge-array", telemetry(hugeArray));
    // Unicode-heavy payloads that are valid: FleetDeck may take them (names of 1-128
    // characters) or reject them (a limit); either way no crash and no stall.
    anyOutcome("emoji-metrics", deviceTopic("hostile-emoji"),
               telemetry("{\"\xf0\x9f\x94\xa5\xf0\x9f\x92\xa9\":1,\"\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7\":2}"));
    anyOutcome("rtl-metrics", deviceTopic("hostile-rtl"),
               telemetry("{\"\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d\":1,\"\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7\":2,"
                         "\"\xe2\x80\xaetxt.exe\":3}"));
    QByteArray zalgo = "z";
    for (int i = 0; i < 60; ++i)
        zalgo += "\xcc\x81";
    anyOutcome("combining-metrics", deviceTopic("hostile-combining"), telemetry("{\"" + zalgo + "\":1}"));
    QByteArray many = "{";
    for (int i = 0; i < 5000; ++i)
        many += (i ? ",\"" : "\"") + QByteArray("m\xf0\x9f\x98\x80") + QByteArray::number(i) + "\":" + QByteArray::number(i);
    anyOutcome("5000-metrics", deviceTopic("hostile-many-metrics"), telemetry(many + "}"));
    anyOutcome("string-value", deviceTopic("hostile-strings"),
               telemetry("{\"s\":\"\\u202e\\u0000\\uFFFF<script>\xf0\x9f\x98\x80\"}"));
    // Unicode-heavy and odd topics (valid UTF-8, invalid device ids): counted against the
    // source, never a device.
    const QByteArray good = telemetry("{\"t\":1}");
    anyOutcome("emoji-topic", deviceTopic("\xf0\x9f\x98\x80\xf0\x9f\x94\xa5"), good);
    anyOutcome("rtl-topic", deviceTopic("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d"), good);
    anyOutcome("combining-topic", deviceTopic("e" + zalgo), good);
    anyOutcome("bidi-override-topic", deviceTopic("dev\xe2\x80\xae" "lve"), good);
    // mosquitto 2.0 allows 200 topic levels (more: it drops the publisher's connection).
    anyOutcome("deep-topic", "fleetdeck/v1/" + QByteArray("a/").repeated(190) + "telemetry", good);
    anyOutcome("long-topic", deviceTopic(QByteArray(60000, 'd')), good);
    anyOutcome("empty-levels", "fleetdeck/v1///telemetry", good);
    anyOutcome("unknown-kind", "fleetdeck/v1/hostile-kind/\xf0\x9f\x98\x80", good);
    return out;
}

QJsonObject readJson(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

bool deviceStored(const QString &cache, const QByteArray &path)
{
    if (!QFile::exists(cache))
        return false;
    RawDb raw(cache);
    return raw.integer("SELECT count(*) FROM device_keys WHERE path = '" + path + "'") == 1;
}

} // namespace

class TestHostileLiveTraffic : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void hostileTrafficNeverCrashesStallsOrGrowsMemory();

private:
    QTemporaryDir m_dir;
};

void TestHostileLiveTraffic::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (MosquittoLauncher::findExecutable().isEmpty())
        QFAIL(qPrintable(MosquittoLauncher::installHint()));
}

void TestHostileLiveTraffic::hostileTrafficNeverCrashesStallsOrGrowsMemory()
{
    const int rounds = ReliabilityConfig::pick(3, 100);
    QList<qsizetype> oversizes{300 * 1024, 1024 * 1024, 4 * 1024 * 1024};
    if (ReliabilityConfig::torture())
        oversizes << 8 * 1024 * 1024 << 32 * 1024 * 1024;
    // Measured: peak 40 MB in the short form (payloads up to 4 MB); 146 MB in the long form
    // (32 MB payloads; 100 rounds on a loaded machine), reached within the first rounds and
    // not growing after (resident falls back to 60-80 MB between rounds). The bound: 64 MB for
    // the process and its queues, plus three times the largest payload: Paho holds a whole
    // message while reading it and hands it over as copies of its own (C read buffer, C
    // message, C++ message) before FleetDeck sees its size and drops it.
    const qint64 rssBoundKiB = 64 * 1024 + oversizes.constLast() / 1024 * 3;
    constexpr int kDevices = 10;
    QRandomGenerator rng(quint32(ReliabilityConfig::seed()));
    qInfo("seed %llu, %d rounds", static_cast<unsigned long long>(ReliabilityConfig::seed()), rounds);
    const QString cache = m_dir.filePath(QStringLiteral("hostile.sqlite"));
    const QString stats = m_dir.filePath(QStringLiteral("hostile-stats.json"));
    const QString manifest = m_dir.filePath(QStringLiteral("hostile-manifest.json"));

    MosquittoLauncher broker;
    QString error;
    QVERIFY2(broker.start({}, &error), qPrintable(error));
    ChildProcess record(QStringLiteral("record"));
    QVERIFY(record.start(ChildProcess::bin(QStringLiteral("fleetdeckctl")),
                         {QStringLiteral("record"), QStringLiteral("--broker"), kSource + u'=' + broker.url(),
                          QStringLiteral("--db"), cache, QStringLiteral("--qos"), QStringLiteral("1"),
                          QStringLiteral("--stats-json"), stats}));
    QVERIFY(record.waitForStderr("record: connected", 20000));

    BulkPublisher pub(broker.url(), QStringLiteral("rel-hostile-pub"), 500);
    QVERIFY2(pub.connect(&error), qPrintable(error));
    BulkPublisher probePub(broker.url(), QStringLiteral("rel-hostile-probe"), 100);
    QVERIFY2(probePub.connect(&error), qPrintable(error));
    int probes = 0;
    const auto probe = [&]() -> qint64 {  // ms until a new device's telemetry is stored
        const QByteArray path = "probe-" + QByteArray::number(++probes);
        QElapsedTimer t;
        t.start();
        if (!probePub.publish(deviceTopic(path), telemetry("{\"probe\":1}"), 1))
            return -2;
        return QTest::qWaitFor([&] { return deviceStored(cache, path); }, 20000) ? t.elapsed() : -1;
    };
    QVERIFY2(probe() >= 0, "the recorder never stored a probe");

    ChildProcess sim(QStringLiteral("sim"));
    QVERIFY(sim.start(ChildProcess::bin(QStringLiteral("fleetdeck-sim")),
                      {QStringLiteral("--broker"), broker.url(), QStringLiteral("--devices"), QString::number(kDevices),
                       QStringLiteral("--rate"), QStringLiteral("10"), QStringLiteral("--qos"), QStringLiteral("1"),
                       QStringLiteral("--faults"), QStringLiteral("0.2"), QStringLiteral("--seq-metric"),
                       QStringLiteral("--seed"), QStringLiteral("15"), QStringLiteral("--manifest"), manifest,
                       QStringLiteral("--client-id-prefix"), QStringLiteral("rel-hostile-")}));

    QElapsedTimer clock;
    clock.start();
    QHash<QByteArray, qint64> mustReject;  // device -> hostile messages sent to it
    qint64 sent = 0;
    qint64 bytes = 0;
    qint64 worstProbeMs = 0;
    qint64 peakKiB = 0;
    // A device that never sent anything valid is not in the inventory: each hostile device is
    // known first (one good message), so what it sends next is counted against it.
    {
        QSet<QByteArray> known;
        for (const Hostile &h : hostileRound(rng, oversizes))
            if (h.mustReject)
                known.insert(h.topic.split('/').value(2));
        for (const QByteArray &device : std::as_const(known))
            QVERIFY(pub.publish(deviceTopic(device), telemetry("{\"t\":1}"), 1));
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         for (const QByteArray &device : std::as_const(known))
                             if (!deviceStored(cache, device))
                                 return false;
                         return true;
                     },
                     20000),
                 "the hostile devices' first, valid messages were not stored");
    }
    QList<qint64> residentAfterRound;
    for (int round = 0; round < rounds; ++round) {
        const QList<Hostile> messages = hostileRound(rng, oversizes);
        for (const Hostile &h : messages) {
            QVERIFY2(pub.publish(h.topic, h.payload, 1), h.name.constData());
            ++sent;
            bytes += h.payload.size() + h.topic.size();
            if (h.mustReject)
                ++mustReject[h.topic.split('/').value(2)];
        }
        QVERIFY2(pub.waitSettled(30000), "the broker did not take the hostile messages");
        QVERIFY2(record.isRunning(), record.standardError().right(3000).constData());
        // Not stalled: a new device is stored within seconds of the round.
        const qint64 probeMs = probe();
        QVERIFY2(probeMs >= 0, qPrintable(QStringLiteral("round %1: the recorder stalled (%2): %3")
                                              .arg(round)
                                              .arg(probeMs)
                                              .arg(QString::fromUtf8(record.standardError().right(2000)))));
        worstProbeMs = qMax(worstProbeMs, probeMs);
        peakKiB = qMax(peakKiB, record.peakResidentKiB());
        residentAfterRound.append(record.residentKiB());
    }
    QCOMPARE(pub.failed(), 0);  // the broker kept the hostile publisher connected
    pub.disconnect();
    probePub.disconnect();

    QVERIFY(sim.terminate());
    QCOMPARE(sim.exitCode(), 0);
    SeqAudit audit;
    QVERIFY2(audit.readManifest(manifest, &error), qPrintable(error));
    const auto caughtUp = [&] {
        SeqAudit a;
        QString e;
        if (!a.readManifest(manifest, &e) || !a.readCache(cache, kSource, &e))
            return false;
        return a.totalMissing() == 0 && a.devicesSeen() >= kDevices;
    };
    QVERIFY2(QTest::qWaitFor(caughtUp, 30000), "the good devices' telemetry is not all in the cache");
    peakKiB = qMax(peakKiB, record.peakResidentKiB());
    QVERIFY(record.terminate());
    QCOMPARE(record.exitCode(), 0);  // nothing dropped, nothing unsaved
    QCOMPARE(integrityProblems(cache), QString());

    QVERIFY2(audit.readCache(cache, kSource, &error), qPrintable(error));
    QCOMPARE(audit.totalMissing(), 0);
    QCOMPARE(audit.totalDuplicates(), 0);

    // Every hostile message on a valid device topic was rejected against its device.
    QProcess devices;
    devices.start(ChildProcess::bin(QStringLiteral("fleetdeckctl")),
                  {QStringLiteral("devices"), QStringLiteral("--db"), cache, QStringLiteral("--json")});
    QVERIFY(devices.waitForFinished(30000));
    QCOMPARE(devices.exitCode(), 0);
    QHash<QByteArray, qint64> rejectedBy;
    for (const QJsonValue &v : QJsonDocument::fromJson(devices.readAllStandardOutput()).array()) {
        const QJsonObject d = v.toObject();
        rejectedBy.insert(d.value(u"id").toString().toUtf8(), qint64(d.value(u"rejected").toDouble()));
    }
    qint64 mustRejectTotal = 0;
    for (auto it = mustReject.cbegin(); it != mustReject.cend(); ++it) {
        QVERIFY2(rejectedBy.value(it.key(), -1) == it.value(),
                 qPrintable(QStringLiteral("%1: %2 rejects counted, %3 sent")
                                .arg(QString::fromUtf8(it.key()))
                                .arg(rejectedBy.value(it.key(), -1))
                                .arg(it.value())));
        mustRejectTotal += it.value();
    }
    qint64 simFaults = 0;
    for (const QJsonValue &d : readJson(manifest).value(u"devices").toArray())
        for (const QJsonValue &n : d.toObject().value(u"faults").toObject())
            simFaults += qint64(n.toDouble());
    const QJsonObject summary = readJson(stats);
    const qint64 rejected = qint64(summary.value(u"rejected").toDouble());
    QVERIFY2(rejected >= mustRejectTotal + simFaults,
             qPrintable(QStringLiteral("summary: %1 rejected, at least %2 + %3 expected")
                            .arg(rejected)
                            .arg(mustRejectTotal)
                            .arg(simFaults)));
    QCOMPARE(qint64(summary.value(u"dropped").toDouble()), 0);
    if (!ReliabilityConfig::sanitized())
        QVERIFY2(peakKiB < rssBoundKiB,
             qPrintable(QStringLiteral("peak RSS %1 KiB, bound %2 KiB").arg(peakKiB).arg(rssBoundKiB)));

    QJsonObject figures = audit.figures();
    figures.insert(QStringLiteral("rounds"), rounds);
    figures.insert(QStringLiteral("hostile_messages"), double(sent));
    figures.insert(QStringLiteral("hostile_bytes"), double(bytes));
    figures.insert(QStringLiteral("largest_payload_bytes"), double(oversizes.constLast()));
    figures.insert(QStringLiteral("resident_after_first_round_kib"), double(residentAfterRound.value(0)));
    figures.insert(QStringLiteral("resident_after_last_round_kib"), double(residentAfterRound.value(rounds - 1)));
    figures.insert(QStringLiteral("hostile_rejected_exact"), double(mustRejectTotal));
    figures.insert(QStringLiteral("sim_faults"), double(simFaults));
    figures.insert(QStringLiteral("rejected_total"), double(rejected));
    figures.insert(QStringLiteral("worst_probe_ms"), double(worstProbeMs));
    figures.insert(QStringLiteral("peak_rss_kib"), double(peakKiB));
    figures.insert(QStringLiteral("rss_bound_kib"), double(rssBoundKiB));
    figures.insert(QStringLiteral("seconds"), double(clock.elapsed()) / 1000.0);
    ReliabilityReport::write(QStringLiteral("hostile_live_traffic"), figures);
}

// The long form runs longer than Qt Test's default limit of 5 minutes per test function.
int main(int argc, char **argv)
{
    if (!qEnvironmentVariableIsSet("QTEST_FUNCTION_TIMEOUT"))
        qputenv("QTEST_FUNCTION_TIMEOUT", "7200000");
    QCoreApplication app(argc, argv);
    TestHostileLiveTraffic test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "test_hostile_live_traffic.moc"
