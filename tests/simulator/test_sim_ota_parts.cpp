// fleetdeck-sim's OTA parts without a broker: --ota-* options and failure specs, the version
// rule, the report writer and its shard merge, and OtaAgent over a fake link (the counting
// rule, the whole update with the reboot, re-asks and the timeout, bandwidth pacing, limits).
#include "core/ota/release_key.h"
#include "simulator/ota_agent.h"
#include "simulator/ota_failure_spec.h"
#include "simulator/ota_report_writer.h"
#include "simulator/ota_state_file.h"
#include "simulator/ota_state_keeper.h"
#include "simulator/sim_options.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;
using namespace fd::sim;
using namespace Qt::StringLiterals;

namespace {

class FakeLink : public OtaAgent::Link
{
public:
    bool isConnected() const override { return connected; }
    bool publish(const std::string &topic, const QByteArray &payload, int qos, bool retained) override
    {
        if (!connected)
            return false;
        Q_UNUSED(qos);
        if (topic.ends_with("/ota/status")) {
            statusesRetained = statusesRetained && retained;
            statuses.append(QJsonDocument::fromJson(payload).object());
        } else if (topic.ends_with("/ota/chunk/request")) {
            requests.append(QJsonDocument::fromJson(payload).object());
        }
        return true;
    }
    bool dropWithWill(std::function<void()> d) override
    {
        dropped = std::move(d);
        connected = false;
        return true;
    }
    void stayDown() override { connected = false; }
    bool reconnect(std::function<void(bool ok)> done) override
    {
        reconnectDone = std::move(done);
        return true;
    }
    void setFirmwareVersion(const QString &v) override { firmware = v; }

    QStringList states() const
    {
        QStringList out;
        for (const QJsonObject &s : statuses) {
            const QString st = s.value(u"state"_s).toString();
            if (out.isEmpty() || out.last() != st)
                out << st;
        }
        return out;
    }

    bool connected = true;
    bool statusesRetained = true;
    QList<QJsonObject> statuses;
    QList<QJsonObject> requests;
    std::function<void()> dropped;
    std::function<void(bool)> reconnectDone;
    QString firmware;
};

} // namespace

class TestSimOtaParts : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void parsesFailureSpecs();
    void rejectsBadFailureSpecs_data();
    void rejectsBadFailureSpecs();
    void otaOptionsDefaultsAndShardArguments();
    void comparesVersions();
    void writesAndMergesReports();
    void countsDeliveriesByTheRule();
    void updatesThroughTheReboot();
    void reasksAndTimesOut();
    void pacesRequestsToTheBandwidth();
    void resumesFromTheFirstMissingChunkAfterAReconnect();
    void refusesOversizeAndMismatchedJobs();
    void stateFileRoundTripsAndRefusesBadFiles();
    void stateFilePartsAreMergedAndRemoved();
    void keeperSavesAtMostOncePerSecond();
    void restoredDeviceKeepsItsFirmwareAndFinishedJobs();
    void reportsTheEndOfAJobOnlyAfterTheFlash();

private:
    OtaAgent::Config config() const;
    QByteArray job(const QString &id, const QByteArray &firmware, const QString &version, int chunkSize = 1000,
                   qint64 size = -1) const;
    void answer(OtaAgent &agent, const QJsonObject &request, const QByteArray &firmware);

    std::optional<ReleaseKey> m_key;
    QTemporaryDir m_dir;
};

void TestSimOtaParts::initTestCase()
{
    m_key = ReleaseKey::generate(ReleaseKey::Algorithm::Ed25519);
}

OtaAgent::Config TestSimOtaParts::config() const
{
    OtaAgent::Config c;
    c.deviceId = u"dev-00001"_s;
    c.model = u"TH-100"_s;
    c.fwVersion = u"2.3.1"_s;
    c.prefix = u"fleetdeck/v1"_s;
    c.options.trustedPem = m_key->publicPem();
    c.options.bandwidth = OtaOptions::kMaxBandwidth;
    c.options.installMs = 0;
    c.options.rebootMs = 0;
    c.seed = 42;
    return c;
}

QByteArray TestSimOtaParts::job(const QString &id, const QByteArray &firmware, const QString &version, int chunkSize,
                                qint64 size) const
{
    const qint64 n = size >= 0 ? size : firmware.size();
    const QString sha = QString::fromLatin1(QCryptographicHash::hash(firmware, QCryptographicHash::Sha256).toHex());
    const QByteArray manifest = QJsonDocument(QJsonObject{{u"models"_s, QJsonArray{u"TH-100"_s}},
                                                          {u"notes"_s, u""_s},
                                                          {u"sha256"_s, sha},
                                                          {u"size"_s, double(n)},
                                                          {u"version"_s, version}})
                                    .toJson(QJsonDocument::Compact);
    QString error;
    const QByteArray signature = m_key->sign(manifest, &error);
    return QJsonDocument(QJsonObject{{u"job_id"_s, id},
                                     {u"version"_s, version},
                                     {u"size"_s, double(n)},
                                     {u"sha256"_s, sha},
                                     {u"manifest"_s, QString::fromLatin1(manifest.toBase64())},
                                     {u"signature"_s, QString::fromLatin1(signature.toBase64())},
                                     {u"chunk_size"_s, chunkSize}})
        .toJson(QJsonDocument::Compact);
}

void TestSimOtaParts::answer(OtaAgent &agent, const QJsonObject &request, const QByteArray &firmware)
{
    const qint64 offset = request.value(u"offset"_s).toInteger();
    const qint64 length = request.value(u"length"_s).toInteger();
    const QJsonObject a{{u"job_id"_s, request.value(u"job_id"_s)},
                        {u"offset"_s, double(offset)},
                        {u"total"_s, double(firmware.size())},
                        {u"data"_s, QString::fromLatin1(firmware.mid(offset, length).toBase64())}};
    agent.handleMessage("fleetdeck/v1/dev-00001/ota/chunk", QJsonDocument(a).toJson(QJsonDocument::Compact), false);
}

void TestSimOtaParts::parsesFailureSpecs()
{
    QString error;
    const std::optional<OtaFailureSpec> spec = OtaFailureSpec::parse(u"download=0.1,signature=0,boot=0.05,silent=0"_s, &error);
    QVERIFY2(spec, qPrintable(error));
    QCOMPARE(spec->download, 0.1);
    QCOMPARE(spec->signature, 0.0);
    QCOMPARE(spec->boot, 0.05);
    QCOMPARE(spec->silent, 0.0);
    QVERIFY(spec->any());
    const std::optional<OtaFailureSpec> again = OtaFailureSpec::parse(spec->toString(), &error);
    QVERIFY(again);
    QCOMPARE(again->download, 0.1);
    QCOMPARE(again->boot, 0.05);
    const std::optional<OtaFailureSpec> one = OtaFailureSpec::parse(u" boot = 1 "_s, &error);
    QVERIFY(one);
    QCOMPARE(one->boot, 1.0);
    QCOMPARE(one->download, 0.0);
    QVERIFY(!OtaFailureSpec().any());
}

void TestSimOtaParts::rejectsBadFailureSpecs_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("error");
    QTest::newRow("empty") << u""_s << u"is empty (expected e.g. download=0.1,boot=0.05)"_s;
    QTest::newRow("unknown") << u"crash=0.1"_s << u"'crash=0.1': unknown failure kind 'crash' (known: download, signature, boot, silent)"_s;
    QTest::newRow("negative") << u"download=-0.1"_s << u"download must be a fraction between 0 and 1 (got '-0.1')"_s;
    QTest::newRow("above one") << u"silent=2"_s << u"silent must be a fraction between 0 and 1 (got '2')"_s;
    QTest::newRow("nan") << u"boot=nan"_s << u"boot must be a fraction between 0 and 1 (got 'nan')"_s;
    QTest::newRow("twice") << u"boot=0.1,boot=0.1"_s << u"'boot' is given twice"_s;
    QTest::newRow("no value") << u"signature"_s << u"'signature': expected KIND=RATE"_s;
    QTest::newRow("empty entry") << u"boot=0.1,,silent=0"_s << u"'boot=0.1,,silent=0': empty entry"_s;
}

void TestSimOtaParts::rejectsBadFailureSpecs()
{
    QFETCH(QString, spec);
    QFETCH(QString, error);
    QString why;
    QVERIFY(!OtaFailureSpec::parse(spec, &why));
    QCOMPARE(why, error);
}

void TestSimOtaParts::otaOptionsDefaultsAndShardArguments()
{
    const QString pem = m_dir.filePath(u"pub.pem"_s);
    QFile f(pem);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(m_key->publicPem());
    f.close();
    SimOptions o;
    int code = -1;
    QVERIFY(SimOptions::parse({u"fleetdeck-sim"_s, u"--broker"_s, u"mqtt://127.0.0.1:1883"_s}, &o, &code));
    QVERIFY(o.ota.trustedPem.isEmpty());
    QCOMPARE(o.ota.bandwidth, 262144);
    QCOMPARE(o.ota.installMs, 2000);
    QCOMPARE(o.ota.rebootMs, 1500);
    QVERIFY(!o.ota.failures.any());
    QVERIFY(o.ota.reportPath.isEmpty());
    QVERIFY(SimOptions::parse({u"fleetdeck-sim"_s, u"--broker"_s, u"mqtt://127.0.0.1:1883"_s, u"--ota-trust"_s, pem,
                               u"--ota-failures"_s, u"boot=0.5"_s, u"--ota-bandwidth"_s, u"5000"_s,
                               u"--ota-install-ms"_s, u"10"_s, u"--ota-reboot-ms"_s, u"20"_s, u"--ota-report"_s,
                               u"r.json"_s},
                              &o, &code));
    QCOMPARE(o.ota.trustedPem, m_key->publicPem());
    QCOMPARE(o.ota.failures.boot, 0.5);
    const QStringList args = o.shardArguments(0, 5, QString(), u"1/2"_s, u"/tmp/shard-0-ota.json"_s);
    for (const QString &expected : {u"--ota-trust"_s, u"--ota-failures"_s, u"--ota-bandwidth"_s, u"--ota-install-ms"_s,
                                    u"--ota-reboot-ms"_s, u"--ota-report"_s}) {
        QVERIFY2(args.contains(expected), qPrintable(expected));
    }
    QCOMPARE(args.at(args.indexOf(u"--ota-report"_s) + 1), u"/tmp/shard-0-ota.json"_s);
    QCOMPARE(args.at(args.indexOf(u"--ota-bandwidth"_s) + 1), u"5000"_s);
    // A shard parses what its parent passes.
    SimOptions child;
    QVERIFY(SimOptions::parse(QStringList{u"fleetdeck-sim"_s} + args, &child, &code));
    QCOMPARE(child.ota.failures.boot, 0.5);
    QCOMPARE(child.ota.trustedPem, m_key->publicPem());
    // A file that is no public key.
    const QString junk = m_dir.filePath(u"junk.pem"_s);
    QFile j(junk);
    QVERIFY(j.open(QIODevice::WriteOnly));
    j.write("not a key");
    j.close();
    QVERIFY(!SimOptions::parse({u"fleetdeck-sim"_s, u"--broker"_s, u"mqtt://127.0.0.1:1883"_s, u"--ota-trust"_s, junk},
                               &o, &code));
    QCOMPARE(code, 2);
}

void TestSimOtaParts::comparesVersions()
{
    QCOMPARE(OtaAgent::compareVersions(u"2.4.0"_s, u"2.3.9"_s), 1);
    QCOMPARE(OtaAgent::compareVersions(u"2.3.9"_s, u"2.4.0"_s), -1);
    QCOMPARE(OtaAgent::compareVersions(u"2.4"_s, u"2.4.0"_s), 0);
    QCOMPARE(OtaAgent::compareVersions(u"10.0.0"_s, u"9.9.9"_s), 1);
    QCOMPARE(OtaAgent::compareVersions(u"2.4.0-rc1"_s, u"2.4.0"_s), -1);
    QCOMPARE(OtaAgent::compareVersions(u"2.4.0"_s, u"2.4.0-rc1"_s), 1);
    QCOMPARE(OtaAgent::compareVersions(u"2.4.0-rc1"_s, u"2.4.0-rc2"_s), -1);
}

void TestSimOtaParts::writesAndMergesReports()
{
    const QString a = m_dir.filePath(u"a.json"_s);
    const QString b = m_dir.filePath(u"b.json"_s);
    const QString all = m_dir.filePath(u"all.json"_s);
    QString error;
    QVERIFY(OtaReportWriter::write(a, {{u"dev-00001"_s, u"2.4.0"_s, {{u"j-1"_s, 1}}, 1}}, &error));
    QVERIFY(OtaReportWriter::write(b, {{u"dev-00002"_s, u"2.3.1"_s, {}, 0}}, &error));
    QVERIFY2(OtaReportWriter::merge({a, b}, all, &error), qPrintable(error));
    QFile f(all);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject root = QJsonDocument::fromJson(f.readAll()).object();
    QCOMPARE(root,
             (QJsonObject{{u"dev-00001"_s, QJsonObject{{u"fw_version"_s, u"2.4.0"_s}, {u"jobs"_s, QJsonObject{{u"j-1"_s, 1}}},
                                                       {u"installs"_s, 1}}},
                          {u"dev-00002"_s, QJsonObject{{u"fw_version"_s, u"2.3.1"_s}, {u"jobs"_s, QJsonObject()},
                                                       {u"installs"_s, 0}}}}));
    QVERIFY(!OtaReportWriter::merge({a, m_dir.filePath(u"missing.json"_s)}, all, &error));
    QVERIFY2(error.contains(u"missing"_s), qPrintable(error));
}

void TestSimOtaParts::countsDeliveriesByTheRule()
{
    FakeLink link;
    OtaAgent::Config c = config();
    c.options.failures.silent = 1;  // the job stays "running" and quiet: only the counting shows
    OtaAgent agent(c, link);
    const QByteArray doc = job(u"j-1"_s, QByteArray(100, 'x'), u"2.4.0"_s);
    const std::string topic = "fleetdeck/v1/dev-00001/ota/job";
    agent.handleMessage(topic, doc, true);   // retained, new: counts
    agent.handleMessage(topic, doc, true);   // retained again (a reconnect): known, does not count
    QCOMPARE(agent.jobCounts().value(u"j-1"_s), 1);
    agent.handleMessage(topic, doc, false);  // live: always counts
    agent.handleMessage(topic, doc, false);
    QCOMPARE(agent.jobCounts().value(u"j-1"_s), 3);
    agent.handleMessage(topic, "{\"job_id\":", false);  // no readable id: ignored, not counted
    QCOMPARE(agent.jobCounts().size(), 1);
    QCOMPARE(link.states(), QStringList{u"QUEUED"_s});  // the job ran once
}

void TestSimOtaParts::updatesThroughTheReboot()
{
    FakeLink link;
    OtaAgent agent(config(), link);
    QByteArray firmware(2500, Qt::Uninitialized);
    for (int i = 0; i < firmware.size(); ++i)
        firmware[i] = char(i * 7);
    agent.handleMessage("fleetdeck/v1/dev-00001/ota/job", job(u"j-1"_s, firmware, u"2.4.0"_s), false);
    QCOMPARE(link.states(), (QStringList{u"QUEUED"_s, u"DOWNLOADING"_s}));
    // 2500 bytes in chunks of 1000: three requests, the last one short, inside the window.
    QCOMPARE(link.requests.size(), 3);
    QCOMPARE(link.requests.at(2).value(u"offset"_s).toInteger(), 2000);
    QCOMPARE(link.requests.at(2).value(u"length"_s).toInteger(), 500);
    for (const QJsonObject &r : QList<QJsonObject>(link.requests))
        answer(agent, r, firmware);
    QCOMPARE(link.states(),
             (QStringList{u"QUEUED"_s, u"DOWNLOADING"_s, u"DOWNLOADED"_s, u"VERIFIED"_s, u"UPDATING"_s}));
    QTRY_VERIFY(link.dropped);           // the install delay, then the reboot drops the connection
    QVERIFY(link.firmware.isEmpty());    // still the old firmware while going down
    link.dropped();
    QTRY_VERIFY(link.reconnectDone);     // the reboot delay, then back with the new firmware
    QCOMPARE(link.firmware, u"2.4.0"_s);
    link.connected = true;
    link.reconnectDone(true);
    QTRY_COMPARE(link.states().last(), u"UPDATED"_s);
    QCOMPARE(link.statuses.last().value(u"fw_version"_s).toString(), u"2.4.0"_s);
    QCOMPARE(link.statuses.first().value(u"fw_version"_s).toString(), u"2.3.1"_s);
    QCOMPARE(agent.installs(), 1);
    QCOMPARE(agent.fwVersion(), u"2.4.0"_s);
    QVERIFY(link.statusesRetained);
    // The retained job again after the reconnect: finished, ignored, not counted.
    const qsizetype n = link.statuses.size();
    agent.handleMessage("fleetdeck/v1/dev-00001/ota/job", job(u"j-1"_s, firmware, u"2.4.0"_s), true);
    QCOMPARE(link.statuses.size(), n);
    QCOMPARE(agent.jobCounts().value(u"j-1"_s), 1);
}

void TestSimOtaParts::reasksAndTimesOut()
{
    FakeLink link;
    OtaAgent::Config c = config();
    c.retryMs = 40;
    c.maxRetries = 2;
    OtaAgent agent(c, link);
    agent.handleMessage("fleetdeck/v1/dev-00001/ota/job", job(u"j-1"_s, QByteArray(500, 'a'), u"2.4.0"_s), false);
    QTRY_COMPARE(link.states().last(), u"FAILED"_s);
    QCOMPARE(link.statuses.last().value(u"reason"_s).toString(), u"download timed out"_s);
    QCOMPARE(link.requests.size(), 3);  // asked, then re-asked twice
    for (const QJsonObject &r : std::as_const(link.requests))
        QCOMPARE(r.value(u"offset"_s).toInteger(), 0);
}

void TestSimOtaParts::pacesRequestsToTheBandwidth()
{
    FakeLink link;
    OtaAgent::Config c = config();
    c.options.bandwidth = 2048;  // 1 KiB chunks: two a second
    OtaAgent agent(c, link);
    const QByteArray firmware(8 * 1024, 'z');
    agent.handleMessage("fleetdeck/v1/dev-00001/ota/job", job(u"j-1"_s, firmware, u"2.4.0"_s, 1024), false);
    // Answer everything at once; the pace comes from the agent alone.
    QElapsedTimer timer;
    timer.start();
    qsizetype answered = 0;
    while (timer.elapsed() < 1200) {
        while (answered < link.requests.size())
            answer(agent, link.requests.at(answered++), firmware);
        QTest::qWait(10);
    }
    QVERIFY2(link.requests.size() >= 2 && link.requests.size() <= 4, qPrintable(QString::number(link.requests.size())));
    QCOMPARE(link.states().last(), u"DOWNLOADING"_s);
}

void TestSimOtaParts::resumesFromTheFirstMissingChunkAfterAReconnect()
{
    FakeLink link;
    OtaAgent::Config c = config();
    c.window = 2;
    OtaAgent agent(c, link);
    const QByteArray firmware(5000, 'q');
    agent.handleMessage("fleetdeck/v1/dev-00001/ota/job", job(u"j-1"_s, firmware, u"2.4.0"_s), false);
    QCOMPARE(link.requests.size(), 2);  // the window
    answer(agent, link.requests.at(0), firmware);
    QCOMPARE(link.requests.size(), 3);
    // The connection goes: the outstanding answers are lost.
    link.connected = false;
    answer(agent, link.requests.at(2), firmware);  // chunk 2 did arrive; chunk 1 did not
    link.connected = true;
    link.requests.clear();
    agent.handleConnected();
    QVERIFY(!link.requests.isEmpty());
    QCOMPARE(link.requests.first().value(u"offset"_s).toInteger(), 1000);  // the first byte it lacks
    for (int i = 0; i < 20 && link.states().last() == u"DOWNLOADING"_s; ++i) {
        const QList<QJsonObject> pending = link.requests;
        link.requests.clear();
        for (const QJsonObject &r : pending)
            answer(agent, r, firmware);
    }
    QCOMPARE(link.states().mid(2, 2), (QStringList{u"DOWNLOADED"_s, u"VERIFIED"_s}));
}

void TestSimOtaParts::refusesOversizeAndMismatchedJobs()
{
    FakeLink link;
    OtaAgent agent(config(), link);
    const std::string topic = "fleetdeck/v1/dev-00001/ota/job";
    // Too large: 65 MiB.
    agent.handleMessage(topic, job(u"big-1"_s, QByteArray(10, 'b'), u"2.4.0"_s, 16384, 65ll * 1024 * 1024), false);
    QCOMPARE(link.statuses.last().value(u"state"_s).toString(), u"REJECTED"_s);
    QVERIFY2(link.statuses.last().value(u"reason"_s).toString().contains(u"too large"_s),
             qPrintable(link.statuses.last().value(u"reason"_s).toString()));
    // The job's sha256 differs from the signed manifest's.
    QJsonObject o = QJsonDocument::fromJson(job(u"sha-1"_s, QByteArray(10, 'c'), u"2.4.0"_s)).object();
    o.insert(u"sha256"_s, QString(64, u'0'));
    agent.handleMessage(topic, QJsonDocument(o).toJson(), false);
    QCOMPARE(link.statuses.last().value(u"job_id"_s).toString(), u"sha-1"_s);
    QCOMPARE(link.statuses.last().value(u"reason"_s).toString(), u"the manifest's sha256 does not match the job's"_s);
    // Over 16 KiB: unreadable, ignored.
    QJsonObject huge = QJsonDocument::fromJson(job(u"huge-1"_s, QByteArray(10, 'd'), u"2.4.0"_s)).object();
    huge.insert(u"padding"_s, QString(17 * 1024, u'x'));
    const qsizetype n = link.statuses.size();
    agent.handleMessage(topic, QJsonDocument(huge).toJson(), false);
    QCOMPARE(link.statuses.size(), n);
    // chunk_size out of range: REJECTED with the reason.
    QJsonObject chunk = QJsonDocument::fromJson(job(u"chunk-1"_s, QByteArray(10, 'e'), u"2.4.0"_s)).object();
    chunk.insert(u"chunk_size"_s, 1 << 20);
    agent.handleMessage(topic, QJsonDocument(chunk).toJson(), false);
    QCOMPARE(link.statuses.last().value(u"job_id"_s).toString(), u"chunk-1"_s);
    QCOMPARE(link.statuses.last().value(u"reason"_s).toString(),
             u"bad job document: chunk_size must be an integer between 1 and 65536"_s);
}

void TestSimOtaParts::stateFileRoundTripsAndRefusesBadFiles()
{
    const QString path = m_dir.filePath(u"state-roundtrip.json"_s);
    QString error;
    // Missing: an empty set, no error.
    std::optional<OtaStateFile::Devices> read = OtaStateFile::read(path, &error);
    QVERIFY(read && read->isEmpty());
    OtaStateFile::Devices devices;
    devices[u"dev-00001"_s] = {u"2.5.0"_s, 1, {{u"ab-1"_s, 2}}, {{u"ab-1"_s, u"UPDATED"_s}}};
    devices[u"dev-00002"_s] = {u"2.3.1"_s, 0, {}, {{u"ab-2"_s, u"REJECTED"_s}}};
    QVERIFY2(OtaStateFile::write(path, devices, &error), qPrintable(error));
    read = OtaStateFile::read(path, &error);
    QVERIFY2(read, qPrintable(error));
    QCOMPARE(read->size(), 2);
    QCOMPARE(read->value(u"dev-00001"_s).fwVersion, u"2.5.0"_s);
    QCOMPARE(read->value(u"dev-00001"_s).installs, 1);
    QCOMPARE(read->value(u"dev-00001"_s).received, (QMap<QString, int>{{u"ab-1"_s, 2}}));
    QCOMPARE(read->value(u"dev-00002"_s).finished, (QMap<QString, QString>{{u"ab-2"_s, u"REJECTED"_s}}));

    const QList<std::pair<QByteArray, QString>> bad{
        {"{\"format\":\"fleetdeck-sim-ota-state\",", u"damaged: not JSON"_s},
        {"[1,2]", u"not a fleetdeck-sim OTA state file"_s},
        {"{\"format\":\"other\",\"version\":1,\"devices\":{}}", u"not a fleetdeck-sim OTA state file"_s},
        {"{\"format\":\"fleetdeck-sim-ota-state\",\"version\":2,\"devices\":{}}", u"unsupported version"_s},
        {"{\"format\":\"fleetdeck-sim-ota-state\",\"version\":1,\"devices\":[]}", u"\"devices\" must be an object"_s},
        {"{\"format\":\"fleetdeck-sim-ota-state\",\"version\":1,\"devices\":{\"a/b\":{}}}", u"a device id must be"_s},
        {"{\"format\":\"fleetdeck-sim-ota-state\",\"version\":1,\"devices\":{\"d\":{\"fw_version\":\"1\",\"installs\":-1,"
         "\"received\":{},\"finished\":{}}}}",
         u"installs must be a whole number"_s},
        {"{\"format\":\"fleetdeck-sim-ota-state\",\"version\":1,\"devices\":{\"d\":{\"fw_version\":\"1\",\"installs\":0,"
         "\"received\":{},\"finished\":{\"j\":\"DOWNLOADING\"}}}}",
         u"a final state"_s},
    };
    for (const auto &[content, reason] : bad) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(content);
        file.close();
        error.clear();
        QVERIFY2(!OtaStateFile::read(path, &error), content.constData());
        QVERIFY2(error.contains(reason) && error.startsWith(path), qPrintable(error));
    }
    // Too many jobs for one device.
    OtaStateFile::Device many{u"1.0.0"_s, 0, {}, {}};
    for (int i = 0; i <= OtaStateFile::kMaxJobsPerDevice; ++i)
        many.received.insert(u"j-%1"_s.arg(i), 1);
    QVERIFY(OtaStateFile::write(path, {{u"dev-00001"_s, many}}, &error));
    QVERIFY(!OtaStateFile::read(path, &error));
    QVERIFY2(error.contains(u"more than 1000 jobs"_s), qPrintable(error));
}

void TestSimOtaParts::stateFilePartsAreMergedAndRemoved()
{
    const QString path = m_dir.filePath(u"state-parts.json"_s);
    QString error;
    QVERIFY(OtaStateFile::write(path, {{u"dev-00001"_s, {u"1.0.0"_s, 0, {}, {}}}, {u"dev-00003"_s, {u"1.0.0"_s, 0, {}, {}}}},
                                &error));
    QVERIFY(OtaStateFile::write(OtaStateFile::partPath(path, 1), {{u"dev-00001"_s, {u"2.0.0"_s, 1, {}, {}}}}, &error));
    QVERIFY(OtaStateFile::write(OtaStateFile::partPath(path, 2), {{u"dev-00002"_s, {u"2.0.0"_s, 1, {}, {}}}}, &error));
    QFile stray(path + u".shard-x"_s);  // not a part
    QVERIFY(stray.open(QIODevice::WriteOnly));
    stray.close();
    QCOMPARE(OtaStateFile::existingParts(path).size(), 2);
    const std::optional<OtaStateFile::Devices> merged = OtaStateFile::readWithParts(path, &error);
    QVERIFY2(merged, qPrintable(error));
    QCOMPARE(merged->size(), 3);
    QCOMPARE(merged->value(u"dev-00001"_s).fwVersion, u"2.0.0"_s);  // the part is newer
    QCOMPARE(merged->value(u"dev-00003"_s).fwVersion, u"1.0.0"_s);
    QVERIFY2(OtaStateFile::consolidate(path, &error), qPrintable(error));
    QVERIFY(OtaStateFile::existingParts(path).isEmpty());
    QVERIFY(QFile::exists(path + u".shard-x"_s));
    const std::optional<OtaStateFile::Devices> after = OtaStateFile::read(path, &error);
    QVERIFY(after && after->size() == 3 && after->value(u"dev-00002"_s).installs == 1);
}

void TestSimOtaParts::keeperSavesAtMostOncePerSecond()
{
    const QString path = m_dir.filePath(u"state-keeper.json"_s);
    int version = 0;
    OtaStateKeeper keeper(path, {{u"dev-09999"_s, {u"7.0.0"_s, 0, {}, {}}}}, [&] {
        return OtaStateFile::Devices{{u"dev-00001"_s, {u"1.0.%1"_s.arg(version), 0, {}, {}}}};
    });
    keeper.changed();  // the first: at once
    QCOMPARE(keeper.saves(), 1);
    QString error;
    QCOMPARE(OtaStateFile::read(path, &error)->value(u"dev-00001"_s).fwVersion, u"1.0.0"_s);
    QCOMPARE(OtaStateFile::read(path, &error)->value(u"dev-09999"_s).fwVersion, u"7.0.0"_s);  // kept
    version = 1;
    bool done = false;
    keeper.persistThen([&] { done = true; });
    keeper.changed();
    keeper.changed();
    QCOMPARE(keeper.saves(), 1);  // within the second: later, once
    QVERIFY(!done);
    QTRY_VERIFY_WITH_TIMEOUT(done, 3000);
    QCOMPARE(keeper.saves(), 2);
    QCOMPARE(OtaStateFile::read(path, &error)->value(u"dev-00001"_s).fwVersion, u"1.0.1"_s);
}

void TestSimOtaParts::restoredDeviceKeepsItsFirmwareAndFinishedJobs()
{
    FakeLink link;
    OtaAgent agent(config(), link);
    agent.restore({u"2.4.0"_s, 1, {{u"j-1"_s, 1}}, {{u"j-1"_s, u"UPDATED"_s}, {u"j-0"_s, u"FAILED"_s}}});
    QCOMPARE(agent.fwVersion(), u"2.4.0"_s);
    const std::string topic = "fleetdeck/v1/dev-00001/ota/job";
    // The finished jobs, retained: ignored and not counted (j-0 was finished but its count lost).
    agent.handleMessage(topic, job(u"j-1"_s, QByteArray(100, 'x'), u"2.4.0"_s), true);
    agent.handleMessage(topic, job(u"j-0"_s, QByteArray(100, 'x'), u"2.4.0"_s), true);
    QVERIFY(link.statuses.isEmpty());
    QCOMPARE(agent.jobCounts(), (QMap<QString, int>{{u"j-1"_s, 1}}));
    // The version rule compares with the restored firmware.
    agent.handleMessage(topic, job(u"j-2"_s, QByteArray(100, 'x'), u"2.3.9"_s), false);
    QCOMPARE(link.states().last(), u"REJECTED"_s);
    QCOMPARE(link.statuses.last().value(u"reason"_s).toString(), u"version 2.3.9 is older than the installed 2.4.0"_s);
    const OtaStateFile::Device state = agent.state();
    QCOMPARE(state.fwVersion, u"2.4.0"_s);
    QCOMPARE(state.installs, 1);
    QCOMPARE(state.finished.value(u"j-2"_s), u"REJECTED"_s);
    QCOMPARE(state.received.value(u"j-2"_s), 1);
}

void TestSimOtaParts::reportsTheEndOfAJobOnlyAfterTheFlash()
{
    FakeLink link;
    OtaAgent::Config c = config();
    QList<std::function<void()>> waiting;
    c.persistThen = [&](std::function<void()> done) { waiting.append(std::move(done)); };
    OtaAgent agent(c, link);
    QSignalSpy changed(&agent, &OtaAgent::stateChanged);
    agent.handleMessage("fleetdeck/v1/dev-00001/ota/job", job(u"j-1"_s, QByteArray(100, 'x'), u"2.3.0"_s), false);
    QCOMPARE(link.states(), QStringList{u"QUEUED"_s});  // REJECTED (older) waits for the flash
    QCOMPARE(waiting.size(), 1);
    QCOMPARE(agent.state().finished.value(u"j-1"_s), u"REJECTED"_s);  // what the flash gets
    QVERIFY(changed.size() >= 1);
    waiting.takeFirst()();
    QCOMPARE(link.states(), (QStringList{u"QUEUED"_s, u"REJECTED"_s}));
    // A newer status never overtakes a waiting end: the waiting one goes out first.
    agent.handleMessage("fleetdeck/v1/dev-00001/ota/job", job(u"j-2"_s, QByteArray(100, 'x'), u"2.3.0"_s), false);
    agent.handleMessage("fleetdeck/v1/dev-00001/ota/job", job(u"j-3"_s, QByteArray(100, 'x'), u"2.3.0"_s), false);
    QCOMPARE(link.statuses.at(link.statuses.size() - 2).value(u"job_id"_s).toString(), u"j-2"_s);
    QCOMPARE(link.statuses.last().value(u"job_id"_s).toString(), u"j-3"_s);
    QCOMPARE(link.states().mid(2), (QStringList{u"QUEUED"_s, u"REJECTED"_s, u"QUEUED"_s}));
    // At exit the runner saved the flash; stop() reports what still waited.
    agent.stop();
    QCOMPARE(link.statuses.last().value(u"state"_s).toString(), u"REJECTED"_s);
    QCOMPARE(link.statuses.last().value(u"job_id"_s).toString(), u"j-3"_s);
}

QTEST_GUILESS_MAIN(TestSimOtaParts)
#include "test_sim_ota_parts.moc"
