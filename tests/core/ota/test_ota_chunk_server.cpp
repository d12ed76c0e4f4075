// OtaChunkServer: the limits with a fake publisher (deterministic: busy, queue bound,
// garbage, unknown jobs, ranges, slots freed at PUBACK), then the chunks over a real
// mosquitto: a "device" client downloads a whole artifact and gets exactly its bytes.
#include "core/commands/mqtt_command_publisher.h"
#include "core/ota/ota_chunk_server.h"
#include "core/transport/mqtt_client.h"
#include "tests/core/commands/fake_command_publisher.h"
#include "tests/support/broker_fixture.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;
using namespace Qt::StringLiterals;

namespace {

QByteArray request(const QString &jobId, qint64 offset, qint64 length)
{
    return QJsonDocument(QJsonObject{{u"job_id"_s, jobId}, {u"offset"_s, double(offset)}, {u"length"_s, double(length)}})
        .toJson(QJsonDocument::Compact);
}

QJsonObject answerOf(const test::FakeCommandPublisher::Published &p)
{
    return QJsonDocument::fromJson(p.payload).object();
}

QByteArray randomBytes(qsizetype n)
{
    QByteArray data(n, Qt::Uninitialized);
    for (qsizetype i = 0; i < n; ++i)
        data[i] = char(QRandomGenerator::global()->bounded(256));
    return data;
}

} // namespace

class TestOtaChunkServer : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void servesRangesCappedAtChunkSizeAndEnd();
    void refusesUnknownJobsAndOutOfRange();
    void dropsGarbage_data();
    void dropsGarbage();
    void atMostFourOutstandingPerDevice();
    void queueIsBounded();
    void jobEndingWhileQueuedIsNotServed();
    void downloadOverRealBroker();

private:
    QTemporaryDir m_dir;
    QString m_file;
    QByteArray m_data;
};

void TestOtaChunkServer::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_data = randomBytes(100 * 1024 + 123);
    m_file = m_dir.filePath(u"artifact.bin"_s);
    QFile f(m_file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(m_data), m_data.size());
}

void TestOtaChunkServer::servesRangesCappedAtChunkSizeAndEnd()
{
    test::FakeCommandPublisher publisher;
    publisher.setConnected(true);
    OtaChunkServer server(&publisher, OtaTopics());
    server.setJob(u"d1"_s, {u"abcd0001-1"_s, m_file, m_data.size(), 16384});
    server.handleRequest(u"d1"_s, request(u"abcd0001-1"_s, 0, 1000));
    server.handleRequest(u"d1"_s, request(u"abcd0001-1"_s, 1000, 65536));           // capped at 16384
    server.handleRequest(u"d1"_s, request(u"abcd0001-1"_s, m_data.size() - 23, 16384));  // the end
    QTRY_COMPARE(publisher.published.size(), 3);
    for (const auto &p : publisher.published) {
        QCOMPARE(p.topic, u"fleetdeck/v1/d1/ota/chunk"_s);
        QCOMPARE(p.qos, 1);
        QCOMPARE(p.retained, false);
    }
    const QJsonObject a0 = answerOf(publisher.published.at(0));
    QCOMPARE(a0.value(u"job_id"_s).toString(), u"abcd0001-1"_s);
    QCOMPARE(a0.value(u"offset"_s).toInteger(), 0);
    QCOMPARE(a0.value(u"total"_s).toInteger(), m_data.size());
    QCOMPARE(QByteArray::fromBase64(a0.value(u"data"_s).toString().toLatin1()), m_data.first(1000));
    const QJsonObject a1 = answerOf(publisher.published.at(1));
    QCOMPARE(QByteArray::fromBase64(a1.value(u"data"_s).toString().toLatin1()), m_data.mid(1000, 16384));
    const QJsonObject a2 = answerOf(publisher.published.at(2));
    QCOMPARE(QByteArray::fromBase64(a2.value(u"data"_s).toString().toLatin1()), m_data.last(23));
    QCOMPARE(server.outstanding(u"d1"_s), 3);
    for (const auto &p : publisher.published)
        publisher.ack(p.token);
    QCOMPARE(server.outstanding(u"d1"_s), 0);
    QCOMPARE(server.servedBytes(), quint64(1000 + 16384 + 23));
    QCOMPARE(server.stats().answered, 3u);
}

void TestOtaChunkServer::refusesUnknownJobsAndOutOfRange()
{
    test::FakeCommandPublisher publisher;
    publisher.setConnected(true);
    OtaChunkServer server(&publisher, OtaTopics());
    server.setJob(u"d1"_s, {u"abcd0001-2"_s, m_file, m_data.size(), 16384});
    server.handleRequest(u"d1"_s, request(u"abcd0001-1"_s, 0, 100));        // an older attempt
    server.handleRequest(u"d2"_s, request(u"abcd0001-2"_s, 0, 100));        // not this device's
    server.handleRequest(u"d1"_s, request(u"abcd0001-2"_s, m_data.size(), 100));  // past the end
    QTRY_COMPARE(publisher.published.size(), 3);
    QCOMPARE(answerOf(publisher.published.at(0)).value(u"error"_s).toString(), u"unknown job"_s);
    QCOMPARE(publisher.published.at(1).topic, u"fleetdeck/v1/d2/ota/chunk"_s);
    QCOMPARE(answerOf(publisher.published.at(1)).value(u"error"_s).toString(), u"unknown job"_s);
    QCOMPARE(answerOf(publisher.published.at(2)).value(u"error"_s).toString(), u"offset out of range"_s);
    QCOMPARE(answerOf(publisher.published.at(2)).value(u"offset"_s).toInteger(), m_data.size());
    QVERIFY(!answerOf(publisher.published.at(2)).contains(u"data"_s));
    QCOMPARE(server.stats().errorAnswers, 3u);
    QCOMPARE(server.outstanding(u"d1"_s), 0);

    // A finished job: removed by the runner, then unknown.
    server.removeJob(u"d1"_s);
    server.handleRequest(u"d1"_s, request(u"abcd0001-2"_s, 0, 100));
    QTRY_COMPARE(publisher.published.size(), 4);
    QCOMPARE(answerOf(publisher.published.at(3)).value(u"error"_s).toString(), u"unknown job"_s);
}

void TestOtaChunkServer::dropsGarbage_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not json") << QByteArray("\x01\x02garbage");
    QTest::newRow("array") << QByteArray("[1]");
    QTest::newRow("oversize") << (QByteArray(R"({"job_id":"abcd0001-1","offset":0,"length":10,"x":")") + QByteArray(2000, 'x') + "\"}");
    QTest::newRow("no offset") << QByteArray(R"({"job_id":"abcd0001-1","length":10})");
    QTest::newRow("negative offset") << QByteArray(R"({"job_id":"abcd0001-1","offset":-1,"length":10})");
    QTest::newRow("fractional") << QByteArray(R"({"job_id":"abcd0001-1","offset":0.5,"length":10})");
    QTest::newRow("length 0") << QByteArray(R"({"job_id":"abcd0001-1","offset":0,"length":0})");
    QTest::newRow("bad job id") << QByteArray(R"({"job_id":"a\"b","offset":0,"length":10})");
    QTest::newRow("job id number") << QByteArray(R"({"job_id":7,"offset":0,"length":10})");
}

void TestOtaChunkServer::dropsGarbage()
{
    QFETCH(QByteArray, payload);
    test::FakeCommandPublisher publisher;
    publisher.setConnected(true);
    OtaChunkServer server(&publisher, OtaTopics());
    server.setJob(u"d1"_s, {u"abcd0001-1"_s, m_file, m_data.size(), 16384});
    QSignalSpy refused(&server, &OtaChunkServer::refused);
    server.handleRequest(u"d1"_s, payload);
    QCoreApplication::processEvents();
    QCOMPARE(server.stats().dropped, 1u);
    QCOMPARE(refused.size(), 1);
    QVERIFY(publisher.published.isEmpty());
    QCOMPARE(server.queuedCount(), 0);
}

void TestOtaChunkServer::atMostFourOutstandingPerDevice()
{
    test::FakeCommandPublisher publisher;
    publisher.setConnected(true);
    OtaChunkServer server(&publisher, OtaTopics());
    server.setJob(u"d1"_s, {u"abcd0001-1"_s, m_file, m_data.size(), 1024});
    server.setJob(u"d2"_s, {u"abcd0001-1"_s, m_file, m_data.size(), 1024});
    for (int i = 0; i < 6; ++i)
        server.handleRequest(u"d1"_s, request(u"abcd0001-1"_s, i * 1024, 1024));
    server.handleRequest(u"d2"_s, request(u"abcd0001-1"_s, 0, 1024));  // another device is not slowed
    QTRY_COMPARE(publisher.published.size(), 7);
    int data = 0;
    int busy = 0;
    for (const auto &p : publisher.published) {
        const QJsonObject a = answerOf(p);
        data += a.contains(u"data"_s) ? 1 : 0;
        busy += a.value(u"error"_s).toString() == u"busy"_s ? 1 : 0;
    }
    QCOMPARE(data, 5);
    QCOMPARE(busy, 2);
    QCOMPARE(server.outstanding(u"d1"_s), 4);
    // PUBACKs free the slots; a failed delivery too.
    publisher.ack(publisher.published.at(0).token);
    publisher.failDelivery(publisher.published.at(1).token, u"connection lost"_s);
    QCOMPARE(server.outstanding(u"d1"_s), 2);
    server.handleRequest(u"d1"_s, request(u"abcd0001-1"_s, 4 * 1024, 1024));
    QTRY_COMPARE(publisher.published.size(), 8);
    QVERIFY(answerOf(publisher.published.last()).contains(u"data"_s));
}

void TestOtaChunkServer::queueIsBounded()
{
    test::FakeCommandPublisher publisher;
    publisher.setConnected(true);
    OtaChunkServer::Options options;
    options.maxQueued = 10;
    OtaChunkServer server(&publisher, OtaTopics(), options);
    // 50 devices asking for unknown jobs in one burst: 10 queued, 40 dropped.
    for (int i = 0; i < 50; ++i)
        server.handleRequest(u"d%1"_s.arg(i), request(u"abcd0001-1"_s, 0, 1024));
    QCOMPARE(server.queuedCount(), 10);
    QCOMPARE(server.stats().dropped, 40u);
    QTRY_COMPARE(publisher.published.size(), 10);
    QCOMPARE(server.queuedCount(), 0);
    // Disconnected: what is queued goes, nothing is published.
    server.setJob(u"d1"_s, {u"abcd0001-1"_s, m_file, m_data.size(), 1024});
    server.handleRequest(u"d1"_s, request(u"abcd0001-1"_s, 0, 1024));
    publisher.setConnected(false);
    QCOMPARE(server.queuedCount(), 0);
    QCOMPARE(server.outstanding(u"d1"_s), 0);
    QCoreApplication::processEvents();
    QCOMPARE(publisher.published.size(), 10);
}

void TestOtaChunkServer::jobEndingWhileQueuedIsNotServed()
{
    test::FakeCommandPublisher publisher;
    publisher.setConnected(true);
    OtaChunkServer server(&publisher, OtaTopics());
    server.setJob(u"d1"_s, {u"abcd0001-1"_s, m_file, m_data.size(), 1024});
    server.handleRequest(u"d1"_s, request(u"abcd0001-1"_s, 0, 1024));
    server.removeJob(u"d1"_s);  // cancelled before the queue drained
    QTRY_COMPARE(publisher.published.size(), 1);
    QCOMPARE(answerOf(publisher.published.first()).value(u"error"_s).toString(), u"unknown job"_s);
    QCOMPARE(server.outstanding(u"d1"_s), 0);

    // A missing artifact file is an error answer, not a crash or a hang.
    server.setJob(u"d1"_s, {u"abcd0001-2"_s, m_dir.filePath(u"missing"_s), 5000, 1024});
    server.handleRequest(u"d1"_s, request(u"abcd0001-2"_s, 0, 1024));
    QTRY_COMPARE(publisher.published.size(), 2);
    QCOMPARE(answerOf(publisher.published.last()).value(u"error"_s).toString(), u"artifact unavailable"_s);
    QCOMPARE(server.outstanding(u"d1"_s), 0);
}

void TestOtaChunkServer::downloadOverRealBroker()
{
    if (!test::BrokerFixture::mosquittoAvailable())
        QSKIP("mosquitto is not installed");
    test::BrokerFixture broker;
    QString error;
    QVERIFY2(broker.start(&error), qPrintable(error));

    const OtaTopics topics;
    MqttClient console;
    MqttCommandPublisher publisher(&console);
    OtaChunkServer server(&publisher, topics);
    server.setJob(u"dev-7"_s, {u"abcd0001-1"_s, m_file, m_data.size(), 16384});
    connect(&console, &MqttClient::messagesReceived, &server, [&](const MqttMessageBatch &batch) {
        for (const MqttMessage &m : batch) {
            const OtaTopics::Parsed p = topics.parse(m.topic);
            if (p.kind == OtaTopics::Kind::ChunkRequest)
                server.handleRequest(QString::fromLatin1(p.deviceId), m.payload);
        }
    });
    QSignalSpy consoleSubscribed(&console, &MqttClient::subscribed);
    console.subscribe(topics.chunkRequestFilter(), 1);
    ConnectionProfile profile = broker.profile();
    profile.clientId = u"test-ota-console"_s;
    console.connectToBroker(profile);

    MqttClient device;
    QByteArray received(m_data.size(), '\0');
    qint64 got = 0;
    QStringList errors;
    connect(&device, &MqttClient::messagesReceived, &device, [&](const MqttMessageBatch &batch) {
        for (const MqttMessage &m : batch) {
            const QJsonObject a = QJsonDocument::fromJson(m.payload).object();
            if (a.contains(u"error"_s)) {
                errors << a.value(u"error"_s).toString();
                continue;
            }
            const QByteArray data = QByteArray::fromBase64(a.value(u"data"_s).toString().toLatin1());
            const qint64 offset = a.value(u"offset"_s).toInteger();
            QCOMPARE(a.value(u"total"_s).toInteger(), m_data.size());
            QVERIFY(offset + data.size() <= m_data.size());
            received.replace(offset, data.size(), data);
            got += data.size();
        }
    });
    QSignalSpy deviceSubscribed(&device, &MqttClient::subscribed);
    device.subscribe(topics.chunkTopic(u"dev-7"_s), 1);
    profile.clientId = u"test-ota-device"_s;
    device.connectToBroker(profile);
    QTRY_VERIFY_WITH_TIMEOUT(!consoleSubscribed.isEmpty() && !deviceSubscribed.isEmpty(), 10000);

    // Four requests in flight at a time, as a device agent would.
    qint64 next = 0;
    const qint64 total = m_data.size();
    auto askMore = [&] {
        while (next < total && next - got < 4 * 16384) {
            device.publish(topics.chunkRequestTopic(u"dev-7"_s), request(u"abcd0001-1"_s, next, 16384), 1);
            next += 16384;
        }
    };
    askMore();
    QDeadlineTimer deadline(20000);
    while (got < total && !deadline.hasExpired()) {
        QTest::qWait(20);
        askMore();
    }
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u", ")));
    QCOMPARE(got, total);
    QCOMPARE(received, m_data);
    QTRY_COMPARE(server.servedBytes(), quint64(total));

    // A stranger's request for the job gets "unknown job".
    device.subscribe(topics.chunkTopic(u"dev-8"_s), 1);
    QTRY_COMPARE_WITH_TIMEOUT(deviceSubscribed.size(), 2, 10000);
    device.publish(topics.chunkRequestTopic(u"dev-8"_s), request(u"abcd0001-1"_s, 0, 16384), 1);
    QTRY_COMPARE_WITH_TIMEOUT(errors, QStringList{u"unknown job"_s}, 10000);
    device.disconnectFromBroker();
    console.disconnectFromBroker();
}

QTEST_GUILESS_MAIN(TestOtaChunkServer)
#include "test_ota_chunk_server.moc"
