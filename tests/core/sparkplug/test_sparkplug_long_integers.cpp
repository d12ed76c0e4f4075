// Narrow integers in long_value (found with Eclipse Tahu's JavaScript client, the
// interoperability test test_sparkplug_tahu_interop): sparkplug-client 3.2.x / sparkplug-payload
// 1.0.x send UInt32 in long_value, not in int_value as the specification says, and read a
// command's UInt32 only from long_value (an int_value UInt32 reached the node as null). The
// host reads either field, remembers which one a BIRTH used and writes back in that one:
//   - the codec flags a metric whose Int8 … UInt32 came in long_value, and encodes it so;
//   - the decoder keeps the flag in the BIRTH's metric definition;
//   - SparkplugCommandBuilder::write puts the value in long_value for such a definition, in
//     int_value otherwise.
#include "tests/support/path_handle_sink.h"
#include "core/protocol/decode_sink.h"
#include "core/protocol/sparkplug/sparkplug_codec.h"
#include "core/protocol/sparkplug/sparkplug_encoder.h"
#include "core/protocol/sparkplug/sparkplug_command_builder.h"
#include "core/protocol/sparkplug/sparkplug_decoder.h"
#include "protocol/sparkplug/sparkplug_b.pb.h"
#include "sparkplug_test_messages.h"

#include <QHash>
#include <QTest>

using namespace fd;
using namespace fd::sparkplug_test;
namespace pb = fleetdeck::sparkplug_b;

namespace {

// Protobuf bytes as Tahu's JavaScript library writes them: a metric with the datatype and
// the value in the field given (not through SparkplugCodec, which would choose the field).
QByteArray tahuPayload(quint64 seq, const std::function<void(pb::Payload &)> &fill)
{
    pb::Payload p;
    p.set_seq(seq);
    p.set_timestamp(1700000000000);
    fill(p);
    std::string bytes;
    p.SerializeToString(&bytes);
    return QByteArray(bytes.data(), qsizetype(bytes.size()));
}

pb::Payload::Metric *add(pb::Payload &p, const char *name, quint64 alias, quint32 datatype)
{
    pb::Payload::Metric *m = p.add_metrics();
    m->set_name(name);
    m->set_alias(alias);
    m->set_datatype(datatype);
    return m;
}

pb::Payload::Metric commandMetric(const SparkplugCommandMessage &command)
{
    pb::Payload p;
    if (!p.ParseFromArray(command.payload.constData(), int(command.payload.size())) || p.metrics_size() != 1)
        return {};
    return p.metrics(0);
}

class SessionSink final : public test::PathHandleSink
{
public:
    void status(int, const DeviceStatus &) override {}
    void death(int, qint64) override {}
    void session(int handle, const SparkplugSession &s) override { sessions.insert(m_paths.at(handle), s); }
    void metrics(int, TelemetrySample &&sample) override
    {
        for (const MetricValue &m : std::as_const(sample.metrics))
            values.insert(m.name, m.displayText());
    }
    void reject(int, RejectReason reason, const QString &detail) override
    {
        rejects.append(rejectReasonKey(reason) + QStringLiteral(": ") + detail);
    }
    void commandResponse(QByteArrayView, const QByteArray &) override {}
    void sendToDevice(QByteArrayView, const QString &, const QString &, const QByteArray &, const QString &) override {}

    QHash<QString, SparkplugSession> sessions;
    QHash<QString, QString> values;
    QStringList rejects;

private:
};

} // namespace

class TestSparkplugLongIntegers : public QObject
{
    Q_OBJECT
private slots:
    void codecFlagsNarrowIntegersInLongValue_data();
    void codecFlagsNarrowIntegersInLongValue();
    void encodeWritesTheFlaggedFieldBack();
    void birthDefinitionKeepsTheField();
    void writeUsesTheFieldOfTheBirth_data();
    void writeUsesTheFieldOfTheBirth();
};

void TestSparkplugLongIntegers::codecFlagsNarrowIntegersInLongValue_data()
{
    QTest::addColumn<quint32>("datatype");
    QTest::addColumn<bool>("inLong");
    QTest::addColumn<quint64>("raw");
    QTest::addColumn<QString>("value");  // as SparkplugValue: qint64 or quint64
    QTest::addColumn<bool>("flag");

    QTest::newRow("UInt32 long_value (Tahu JS)") << 7u << true << quint64(4000000000) << "u4000000000" << true;
    QTest::newRow("UInt32 int_value (spec)") << 7u << false << quint64(4000000000) << "u4000000000" << false;
    QTest::newRow("Int32 long_value, negative") << 3u << true << quint64(-42) << "s-42" << true;
    QTest::newRow("Int8 long_value") << 1u << true << quint64(-5) << "s-5" << true;
    QTest::newRow("UInt16 long_value") << 6u << true << quint64(65535) << "u65535" << true;
    QTest::newRow("Int64 long_value (its own field)") << 4u << true << quint64(-6000000000) << "s-6000000000" << false;
    QTest::newRow("UInt64 long_value (its own field)") << 8u << true << quint64(7) << "u7" << false;
}

void TestSparkplugLongIntegers::codecFlagsNarrowIntegersInLongValue()
{
    QFETCH(quint32, datatype);
    QFETCH(bool, inLong);
    QFETCH(quint64, raw);
    QFETCH(QString, value);
    QFETCH(bool, flag);
    const QByteArray bytes = tahuPayload(0, [&](pb::Payload &p) {
        pb::Payload::Metric *m = add(p, "x", 1, datatype);
        if (inLong)
            m->set_long_value(raw);
        else
            m->set_int_value(quint32(raw));
    });
    SparkplugCodec codec;
    DecodeError error;
    const auto payload = codec.decode(bytes, &error);
    QVERIFY(payload);
    QCOMPARE(payload->metrics.size(), 1);
    const SparkplugMetric &m = payload->metrics.at(0);
    QVERIFY2(m.isValid(), qPrintable(m.invalid));
    if (value.startsWith(u's'))
        QCOMPARE(std::get<qint64>(m.value), value.mid(1).toLongLong());
    else
        QCOMPARE(std::get<quint64>(m.value), value.mid(1).toULongLong());
    QCOMPARE(m.integerInLongValue, flag);
}

void TestSparkplugLongIntegers::encodeWritesTheFlaggedFieldBack()
{
    SparkplugPayload in;
    SparkplugMetric u = metric("count", 1, DT::UInt32, quint64(4000000000));
    u.integerInLongValue = true;
    SparkplugMetric s = metric("level", 2, DT::Int32, qint64(-42));
    s.integerInLongValue = true;
    SparkplugMetric plain = metric("limit", 3, DT::Int32, qint64(-7));
    in.metrics = {u, s, plain};
    const QByteArray bytes = SparkplugEncoder::encode(in);

    pb::Payload p;
    QVERIFY(p.ParseFromArray(bytes.constData(), int(bytes.size())));
    QCOMPARE(p.metrics(0).value_case(), pb::Payload::Metric::kLongValue);
    QCOMPARE(p.metrics(0).long_value(), quint64(4000000000));
    QCOMPARE(p.metrics(1).value_case(), pb::Payload::Metric::kLongValue);
    QCOMPARE(p.metrics(1).long_value(), quint64(-42));  // two's complement in 64 bits
    QCOMPARE(p.metrics(2).value_case(), pb::Payload::Metric::kIntValue);
    QCOMPARE(p.metrics(2).int_value(), quint32(-7));

    SparkplugCodec codec;
    DecodeError error;
    const auto back = codec.decode(bytes, &error);
    QVERIFY(back);
    QCOMPARE(back->metrics, in.metrics);  // the flag round-trips
}

void TestSparkplugLongIntegers::birthDefinitionKeepsTheField()
{
    SparkplugDecoder decoder(SparkplugDecoder::Options{QStringLiteral("fleetdeck-test")});
    SessionSink sink;
    // An NBIRTH as Tahu's JavaScript client publishes it: bdSeq UInt64 and a UInt32 in
    // long_value, an Int32 in int_value.
    MqttMessage m;
    m.topic = topic("NBIRTH");
    m.payload = tahuPayload(0, [](pb::Payload &p) {
        add(p, "Cycles", 1, pb::UInt32)->set_long_value(7);
        add(p, "Limit", 2, pb::Int32)->set_int_value(100);
        pb::Payload::Metric *bd = p.add_metrics();
        bd->set_name("bdSeq");
        bd->set_datatype(pb::UInt64);
        bd->set_long_value(0);
    });
    m.receivedMs = 1000;
    decoder.decode(m, sink);
    QVERIFY2(sink.rejects.isEmpty(), qPrintable(sink.rejects.join(u"; ")));
    const SparkplugSession s = sink.sessions.value(QStringLiteral("g/n"));
    QCOMPARE(s.bdSeq, 0);
    QVERIFY(s.definition(QStringLiteral("Cycles")));
    QVERIFY(s.definition(QStringLiteral("Cycles"))->integerInLongValue);
    QVERIFY(s.definition(QStringLiteral("Cycles"))->writable);
    QVERIFY(!s.definition(QStringLiteral("Limit"))->integerInLongValue);

    // Tahu's DATA by alias (with the datatype, which its encoder always writes): same fields.
    m.topic = topic("NDATA");
    m.payload = tahuPayload(1, [](pb::Payload &p) {
        pb::Payload::Metric *c = p.add_metrics();
        c->set_alias(1);
        c->set_datatype(pb::UInt32);
        c->set_long_value(3000000000);
    });
    decoder.decode(m, sink);
    QVERIFY2(sink.rejects.isEmpty(), qPrintable(sink.rejects.join(u"; ")));
    QCOMPARE(sink.values.value(QStringLiteral("Cycles")), QStringLiteral("3000000000"));
}

void TestSparkplugLongIntegers::writeUsesTheFieldOfTheBirth_data()
{
    QTest::addColumn<quint32>("datatype");
    QTest::addColumn<bool>("inLong");
    QTest::addColumn<QString>("typed");
    QTest::addColumn<bool>("expectLong");
    QTest::addColumn<quint64>("expectRaw");

    QTest::newRow("UInt32, BIRTH in long_value") << 7u << true << "3000000000" << true << quint64(3000000000);
    QTest::newRow("UInt32, BIRTH in int_value") << 7u << false << "3000000000" << false << quint64(3000000000);
    QTest::newRow("Int32, BIRTH in long_value") << 3u << true << "-7" << true << quint64(-7);
    QTest::newRow("Int32, BIRTH in int_value") << 3u << false << "-7" << false << quint64(quint32(-7));
    QTest::newRow("Int8, BIRTH in long_value") << 1u << true << "-128" << true << quint64(-128);
    QTest::newRow("UInt16, BIRTH in int_value") << 6u << false << "65535" << false << quint64(65535);
    QTest::newRow("Int64 (always long_value)") << 4u << false << "-6000000000" << true << quint64(-6000000000);
}

void TestSparkplugLongIntegers::writeUsesTheFieldOfTheBirth()
{
    QFETCH(quint32, datatype);
    QFETCH(bool, inLong);
    QFETCH(QString, typed);
    QFETCH(bool, expectLong);
    QFETCH(quint64, expectRaw);
    SparkplugMetricDefinition def;
    def.alias = 26;
    def.hasAlias = true;
    def.datatype = datatype;
    def.writable = true;
    def.integerInLongValue = inLong;
    QString error;
    const auto command = SparkplugCommandBuilder::write(QStringLiteral("g/n/dev-1"), QStringLiteral("Config/Cycles"), def,
                                                        typed, 1700000000000, &error);
    QVERIFY2(command, qPrintable(error));
    QCOMPARE(command->topic, QStringLiteral("spBv1.0/g/DCMD/n/dev-1"));
    const pb::Payload::Metric m = commandMetric(*command);
    QCOMPARE(m.datatype(), datatype);
    QCOMPARE(m.alias(), quint64(26));
    if (expectLong) {
        QCOMPARE(m.value_case(), pb::Payload::Metric::kLongValue);
        QCOMPARE(m.long_value(), expectRaw);
    } else {
        QCOMPARE(m.value_case(), pb::Payload::Metric::kIntValue);
        QCOMPARE(quint64(m.int_value()), expectRaw);
    }

    // What the host writes, it reads back as the value typed (either field).
    SparkplugCodec codec;
    DecodeError decodeError;
    const auto back = codec.decode(command->payload, &decodeError);
    QVERIFY(back);
    const SparkplugValue &v = back->metrics.at(0).value;
    if (const auto *s = std::get_if<qint64>(&v))
        QCOMPARE(QString::number(*s), typed);
    else
        QCOMPARE(QString::number(std::get<quint64>(v)), typed);
}

QTEST_GUILESS_MAIN(TestSparkplugLongIntegers)
#include "test_sparkplug_long_integers.moc"
