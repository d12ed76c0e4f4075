// The console side of the OTA wire protocol (docs/protocol.md "Firmware updates (OTA)"):
// topics and their cheap parse, the job document round trip and its bounded parser, the
// status message parser (garbage, bounds, unknown states).
#include "core/ota/ota_job_document.h"
#include "core/ota/ota_status_message.h"
#include "core/ota/ota_topics.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace fd;
using namespace Qt::StringLiterals;

namespace {

OtaJobDocument sampleJob()
{
    OtaJobDocument d;
    d.jobId = u"7f3a9c1e-1"_s;
    d.rollout = 12;
    d.version = u"2.4.0"_s;
    d.size = 1048576;
    d.sha256 = QString(64, u'a');
    d.manifest = R"({"models":["TH-100"],"notes":"","sha256":"aa","size":1,"version":"2.4.0"})";
    d.signature = QByteArray(64, '\x07');
    d.keyId = u"0123456789abcdef"_s;
    d.chunkSize = 16384;
    d.rollback = false;
    d.timeoutS = 1800;
    d.tsMs = 1764500000000;
    return d;
}

QByteArray withField(const QByteArray &json, const QString &key, const QJsonValue &value)
{
    QJsonObject o = QJsonDocument::fromJson(json).object();
    if (value.isUndefined())
        o.remove(key);
    else
        o.insert(key, value);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

class TestOtaWire : public QObject
{
    Q_OBJECT
private slots:
    void topicsAndFilters();
    void parseTopic_data();
    void parseTopic();
    void jobDocumentRoundTrip();
    void jobDocumentRefusals_data();
    void jobDocumentRefusals();
    void statusParses();
    void statusRefusals_data();
    void statusRefusals();
    void leadingByteOrderMarkReadsTheSameHoweverWritten();
    void statusReasonsAreOneLine();
};

void TestOtaWire::topicsAndFilters()
{
    const OtaTopics t(u"acme/plant-3/"_s);
    QCOMPARE(t.prefix(), u"acme/plant-3"_s);
    QCOMPARE(t.jobTopic(u"d1"_s), u"acme/plant-3/d1/ota/job"_s);
    QCOMPARE(t.chunkRequestTopic(u"d1"_s), u"acme/plant-3/d1/ota/chunk/request"_s);
    QCOMPARE(t.chunkTopic(u"d1"_s), u"acme/plant-3/d1/ota/chunk"_s);
    QCOMPARE(t.statusTopic(u"d1"_s), u"acme/plant-3/d1/ota/status"_s);
    QCOMPARE(t.jobFilter(), u"acme/plant-3/+/ota/job"_s);
    QCOMPARE(t.chunkRequestFilter(), u"acme/plant-3/+/ota/chunk/request"_s);
    QCOMPARE(t.statusFilter(), u"acme/plant-3/+/ota/status"_s);
    QCOMPARE(OtaTopics().jobFilter(), u"fleetdeck/v1/+/ota/job"_s);
}

void TestOtaWire::parseTopic_data()
{
    QTest::addColumn<QByteArray>("topic");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QByteArray>("deviceId");
    const int none = int(OtaTopics::Kind::None);
    QTest::newRow("job") << QByteArray("fleetdeck/v1/dev-1/ota/job") << int(OtaTopics::Kind::Job) << QByteArray("dev-1");
    QTest::newRow("request") << QByteArray("fleetdeck/v1/a.b_c/ota/chunk/request") << int(OtaTopics::Kind::ChunkRequest)
                             << QByteArray("a.b_c");
    QTest::newRow("chunk") << QByteArray("fleetdeck/v1/d/ota/chunk") << int(OtaTopics::Kind::Chunk) << QByteArray("d");
    QTest::newRow("status") << QByteArray("fleetdeck/v1/d/ota/status") << int(OtaTopics::Kind::Status) << QByteArray("d");
    QTest::newRow("telemetry") << QByteArray("fleetdeck/v1/d/telemetry") << none << QByteArray();
    QTest::newRow("more levels") << QByteArray("fleetdeck/v1/d/ota/status/x") << none << QByteArray();
    QTest::newRow("bad id") << QByteArray("fleetdeck/v1/d v/ota/status") << none << QByteArray();
    QTest::newRow("long id") << (QByteArray("fleetdeck/v1/") + QByteArray(65, 'a') + "/ota/job") << none << QByteArray();
    QTest::newRow("empty id") << QByteArray("fleetdeck/v1//ota/job") << none << QByteArray();
    QTest::newRow("other prefix") << QByteArray("fleetdeck/v10/d/ota/job") << none << QByteArray();
    QTest::newRow("no kind") << QByteArray("fleetdeck/v1/d") << none << QByteArray();
    QTest::newRow("empty") << QByteArray() << none << QByteArray();
}

void TestOtaWire::parseTopic()
{
    QFETCH(QByteArray, topic);
    QFETCH(int, kind);
    QFETCH(QByteArray, deviceId);
    const OtaTopics::Parsed p = OtaTopics().parse(topic);
    QCOMPARE(int(p.kind), kind);
    QCOMPARE(p.deviceId.toByteArray(), deviceId);
}

void TestOtaWire::jobDocumentRoundTrip()
{
    const OtaJobDocument d = sampleJob();
    const QByteArray json = d.toJson();
    QVERIFY(!json.contains('\n'));
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    for (const char *key : {"job_id", "rollout", "version", "size", "sha256", "manifest", "signature", "key_id",
                            "chunk_size", "rollback", "timeout_s", "ts"})
        QVERIFY2(o.contains(QLatin1StringView(key)), key);
    QCOMPARE(o.value(u"manifest"_s).toString(), QString::fromLatin1(d.manifest.toBase64()));
    QString error;
    const auto back = OtaJobDocument::parse(json, &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->jobId, d.jobId);
    QCOMPARE(back->rollout, d.rollout);
    QCOMPARE(back->version, d.version);
    QCOMPARE(back->size, d.size);
    QCOMPARE(back->sha256, d.sha256);
    QCOMPARE(back->manifest, d.manifest);
    QCOMPARE(back->signature, d.signature);
    QCOMPARE(back->keyId, d.keyId);
    QCOMPARE(back->chunkSize, d.chunkSize);
    QCOMPARE(back->rollback, d.rollback);
    QCOMPARE(back->timeoutS, d.timeoutS);
    QCOMPARE(back->tsMs, d.tsMs);

    // Optional fields take their defaults.
    QByteArray minimal = json;
    for (const char *key : {"rollout", "chunk_size", "rollback", "timeout_s", "ts"})
        minimal = withField(minimal, QLatin1StringView(key), QJsonValue(QJsonValue::Undefined));
    const auto defaults = OtaJobDocument::parse(minimal, &error);
    QVERIFY2(defaults, qPrintable(error));
    QCOMPARE(defaults->chunkSize, OtaJobDocument::kDefaultChunkSize);
    QCOMPARE(defaults->timeoutS, 1800);
    QCOMPARE(defaults->rollback, false);
}

void TestOtaWire::jobDocumentRefusals_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("reason");
    const QByteArray good = sampleJob().toJson();
    QTest::newRow("empty") << QByteArray() << u"empty"_s;
    QTest::newRow("not json") << QByteArray("{nope") << u"not JSON"_s;
    QTest::newRow("array") << QByteArray("[1,2]") << u"not a JSON object"_s;
    QTest::newRow("oversize") << (QByteArray("{\"x\":\"") + QByteArray(100000, 'a') + "\"}") << u"limit"_s;
    QTest::newRow("no job id") << withField(good, u"job_id"_s, QJsonValue::Undefined) << u"job_id"_s;
    QTest::newRow("bad job id") << withField(good, u"job_id"_s, u"a/b"_s) << u"job_id"_s;
    QTest::newRow("numeric job id") << withField(good, u"job_id"_s, 5) << u"job_id"_s;
    QTest::newRow("empty version") << withField(good, u"version"_s, u""_s) << u"version"_s;
    QTest::newRow("size 0") << withField(good, u"size"_s, 0) << u"size"_s;
    QTest::newRow("size fraction") << withField(good, u"size"_s, 1.5) << u"size"_s;
    QTest::newRow("size string") << withField(good, u"size"_s, u"10"_s) << u"size"_s;
    QTest::newRow("sha short") << withField(good, u"sha256"_s, u"abc"_s) << u"sha256"_s;
    QTest::newRow("sha upper") << withField(good, u"sha256"_s, QString(64, u'A')) << u"sha256"_s;
    QTest::newRow("manifest not base64") << withField(good, u"manifest"_s, u"!!!"_s) << u"manifest"_s;
    QTest::newRow("manifest too big") << withField(good, u"manifest"_s, QString::fromLatin1(QByteArray(8 * 1024 + 1, 'm').toBase64()))
                                      << u"manifest"_s;
    QTest::newRow("signature empty") << withField(good, u"signature"_s, u""_s) << u"signature"_s;
    QTest::newRow("key id") << withField(good, u"key_id"_s, u"xyz"_s) << u"key_id"_s;
    QTest::newRow("chunk too big") << withField(good, u"chunk_size"_s, 65537) << u"chunk_size"_s;
    QTest::newRow("chunk too small") << withField(good, u"chunk_size"_s, 0) << u"chunk_size"_s;
    QTest::newRow("rollback string") << withField(good, u"rollback"_s, u"yes"_s) << u"rollback"_s;
    QTest::newRow("timeout 0") << withField(good, u"timeout_s"_s, 0) << u"timeout_s"_s;
}

void TestOtaWire::jobDocumentRefusals()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, reason);
    QString error;
    QVERIFY(!OtaJobDocument::parse(json, &error));
    QVERIFY2(error.contains(reason), qPrintable(error));
}

void TestOtaWire::statusParses()
{
    QString error;
    auto s = OtaStatus::parse(R"({"job_id":"7f3a9c1e-1","state":"DOWNLOADING","progress":42,"reason":"",)"
                              R"("fw_version":"2.3.1","ts":1764500000000})",
                              &error);
    QVERIFY2(s, qPrintable(error));
    QCOMPARE(s->jobId, u"7f3a9c1e-1"_s);
    QCOMPARE(s->state, OtaDeviceState::Downloading);
    QCOMPARE(s->progress, 42);
    QCOMPARE(s->fwVersion, u"2.3.1"_s);
    QCOMPARE(s->tsMs, 1764500000000);

    const QList<std::pair<QByteArray, OtaDeviceState>> states = {
        {"QUEUED", OtaDeviceState::Queued},         {"DOWNLOADED", OtaDeviceState::Downloaded},
        {"VERIFIED", OtaDeviceState::Verified},     {"UPDATING", OtaDeviceState::Updating},
        {"UPDATED", OtaDeviceState::Updated},       {"FAILED", OtaDeviceState::Failed},
        {"REJECTED", OtaDeviceState::Rejected},     {"TIMED_OUT", OtaDeviceState::TimedOut},
        {"ROLLED_BACK", OtaDeviceState::RolledBack}};
    for (const auto &[name, state] : states) {
        s = OtaStatus::parse(QByteArray(R"({"job_id":"j-1","state":")" + name + R"("})"), &error);
        QVERIFY2(s, qPrintable(error));
        QCOMPARE(s->state, state);
    }
    // A failure without its required reason is kept (losing it would cost a timeout) with one.
    s = OtaStatus::parse(R"({"job_id":"j-1","state":"FAILED"})", &error);
    QVERIFY(s);
    QVERIFY(!s->reason.isEmpty());
}

void TestOtaWire::statusRefusals_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("reason");
    QTest::newRow("empty") << QByteArray() << u"empty"_s;
    QTest::newRow("garbage") << QByteArray("\xff\xfe garbage") << u"not JSON"_s;
    QTest::newRow("array") << QByteArray("[]") << u"not a JSON object"_s;
    QTest::newRow("oversize") << (QByteArray(R"({"job_id":"j-1","state":"QUEUED","x":")") + QByteArray(5000, 'a') + "\"}")
                              << u"limit"_s;
    QTest::newRow("no job") << QByteArray(R"({"state":"QUEUED"})") << u"job_id"_s;
    QTest::newRow("bad job") << QByteArray(R"({"job_id":"a b","state":"QUEUED"})") << u"job_id"_s;
    QTest::newRow("unknown state") << QByteArray(R"({"job_id":"j-1","state":"EXPLODED"})") << u"unknown state"_s;
    QTest::newRow("lower-case state") << QByteArray(R"({"job_id":"j-1","state":"queued"})") << u"unknown state"_s;
    QTest::newRow("console state") << QByteArray(R"({"job_id":"j-1","state":"PENDING"})") << u"unknown state"_s;
    QTest::newRow("state number") << QByteArray(R"({"job_id":"j-1","state":3})") << u"state"_s;
    QTest::newRow("progress 101") << QByteArray(R"({"job_id":"j-1","state":"QUEUED","progress":101})") << u"progress"_s;
    QTest::newRow("progress string") << QByteArray(R"({"job_id":"j-1","state":"QUEUED","progress":"5"})") << u"progress"_s;
    QTest::newRow("reason too long") << (QByteArray(R"({"job_id":"j-1","state":"FAILED","reason":")") + QByteArray(513, 'r') + "\"}")
                                     << u"reason"_s;
    QTest::newRow("reason object") << QByteArray(R"({"job_id":"j-1","state":"FAILED","reason":{}})") << u"reason"_s;
    QTest::newRow("fw too long") << (QByteArray(R"({"job_id":"j-1","state":"QUEUED","fw_version":")") + QByteArray(65, '1') + "\"}")
                                 << u"fw_version"_s;
    QTest::newRow("ts negative") << QByteArray(R"({"job_id":"j-1","state":"QUEUED","ts":-1})") << u"ts"_s;
}

void TestOtaWire::statusRefusals()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, reason);
    QString error;
    QVERIFY(!OtaStatus::parse(json, &error));
    QVERIFY2(error.contains(reason), qPrintable(error));
}

// Found by fuzz_ota_job (fuzz/): QJsonDocument drops a U+FEFF at the start of a string
// written plainly and keeps an escaped one (core/domain/json_names.h), so a job document's
// version, a status's reason and fw_version changed once written again. Both spellings now
// read the same.
void TestOtaWire::leadingByteOrderMarkReadsTheSameHoweverWritten()
{
    QString error;
    const QByteArray escaped = withField(sampleJob().toJson(), u"version"_s, u"x"_s).replace("\"x\"", "\"\\ufeff2.4.0\"");
    const auto job = OtaJobDocument::parse(escaped, &error);
    QVERIFY2(job, qPrintable(error));
    QCOMPARE(job->version, u"2.4.0"_s);
    const auto again = OtaJobDocument::parse(job->toJson(), &error);
    QVERIFY2(again, qPrintable(error));
    QCOMPARE(again->version, job->version);

    for (const QByteArray &bom : {QByteArray("\\ufeff"), QByteArray("\xEF\xBB\xBF")}) {
        const QByteArray json = R"({"job_id":"j-1","state":"FAILED","reason":")" + bom + R"(disk full","fw_version":")"
                                + bom + R"(2.3.1"})";
        const auto s = OtaStatus::parse(json, &error);
        QVERIFY2(s, qPrintable(error));
        QCOMPARE(s->reason, u"disk full"_s);
        QCOMPARE(s->fwVersion, u"2.3.1"_s);
    }
}

// Found by fuzz_ota_job: an unknown state was quoted into the reason as it was, so a device
// could put line breaks into FleetDeck's log lines and drop counters.
void TestOtaWire::statusReasonsAreOneLine()
{
    QString error;
    QVERIFY(!OtaStatus::parse(R"({"job_id":"j-1","state":"QUE\nUED\u2028\r"})", &error));
    QCOMPARE(error, u"unknown state \"QUE?UED??\""_s);
}

QTEST_GUILESS_MAIN(TestOtaWire)
#include "test_ota_wire.moc"
