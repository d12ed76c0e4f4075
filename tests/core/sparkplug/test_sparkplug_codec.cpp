#include "core/protocol/sparkplug/sparkplug_codec.h"
#include "core/protocol/sparkplug/sparkplug_encoder.h"
#include "core/protocol/sparkplug/sparkplug_value_mapper.h"
#include "protocol/sparkplug/sparkplug_b.pb.h"

#include <QTest>

#include <cmath>
#include <functional>
#include <limits>

using namespace fd;
namespace pb = fleetdeck::sparkplug_b;
using DT = SparkplugDataType;
using MetricBuilder = std::function<void(pb::Payload::Metric *)>;
Q_DECLARE_METATYPE(MetricBuilder)

namespace {

SparkplugMetric metric(const QString &name, DT type, SparkplugValue value)
{
    SparkplugMetric m;
    m.name = name;
    m.datatype = sparkplugCode(type);
    m.value = std::move(value);
    return m;
}

SparkplugMetric metric(const char *name, DT type, SparkplugValue value)
{
    return metric(QString::fromUtf8(name), type, std::move(value));
}

QByteArray serialize(const pb::Payload &p)
{
    std::string s;
    p.SerializeToString(&s);
    return QByteArray(s.data(), qsizetype(s.size()));
}

pb::Payload parsePb(const QByteArray &bytes)
{
    pb::Payload p;
    if (!p.ParseFromArray(bytes.constData(), int(bytes.size())))
        qFatal("the encoder wrote bytes protobuf cannot parse");
    return p;
}

QByteArray hex(const char *h)
{
    return QByteArray::fromHex(h);
}

SparkplugPayload roundTrip(const SparkplugPayload &in)
{
    SparkplugCodec codec;
    DecodeError error;
    const auto out = codec.decode(SparkplugEncoder::encode(in), &error);
    if (!out)
        qFatal("decode failed: %s", qPrintable(error.detail));
    return *out;
}

// One metric decoded from a hand-built protobuf metric.
SparkplugMetric decodeOne(const std::function<void(pb::Payload::Metric *)> &build, const SparkplugLimits &limits = {})
{
    pb::Payload p;
    p.set_seq(1);
    build(p.add_metrics());
    pb::Payload::Metric *ok = p.add_metrics();  // a healthy neighbour, always decoded
    ok->set_name("ok");
    ok->set_datatype(pb::Int32);
    ok->set_int_value(7);
    SparkplugCodec codec(limits);
    DecodeError error;
    const auto out = codec.decode(serialize(p), &error);
    if (!out || out->metrics.size() != 2)
        qFatal("decode failed: %s", qPrintable(error.detail));
    if (!out->metrics.at(1).isValid() || !sparkplugSameValue(out->metrics.at(1).value, qint64(7)))
        qFatal("the healthy neighbour did not decode");
    return out->metrics.at(0);
}

struct TemplateNest
{
    // A template metric nested `depth` levels deep (1: a template holding a scalar member).
    static void build(pb::Payload::Metric *m, int depth)
    {
        m->set_name("t");
        m->set_datatype(pb::Template);
        pb::Payload::Template *t = m->mutable_template_value();
        t->set_template_ref("T");
        pb::Payload::Metric *member = t->add_metrics();
        if (depth > 1) {
            build(member, depth - 1);
        } else {
            member->set_name("leaf");
            member->set_datatype(pb::Int32);
            member->set_int_value(1);
        }
    }
};

} // namespace

class TestSparkplugCodec : public QObject
{
    Q_OBJECT
private slots:
    void scalarRoundTrip_data();
    void scalarRoundTrip();
    void wireFields_data();
    void wireFields();
    void arrayRoundTrip_data();
    void arrayRoundTrip();
    void arraySpecExamples_data();
    void arraySpecExamples();
    void dataSetRoundTrip();
    void templateRoundTrip();
    void propertiesAndMetadata();
    void flagsAndHeader();
    void integerLeniency_data();
    void integerLeniency();
    void datatypeLookup();
    void malformedPayload_data();
    void malformedPayload();
    void everyTruncationIsSafe();
    void invalidMetric_data();
    void invalidMetric();
    void tooManyMetrics();
    void deepTemplates();
    void deepPropertySets();
    void parserIsReused();
    void valueMapping();
    void rendering();
    void templateFlattening();
};

void TestSparkplugCodec::scalarRoundTrip_data()
{
    QTest::addColumn<int>("index");
    const char *names[] = {"Int8 min", "Int8 max", "Int16 min", "Int16 max", "Int32 min", "Int32 max", "Int64 min",
                           "Int64 max", "UInt8 max", "UInt16 max", "UInt32 max", "UInt64 max", "UInt64 0", "Float NaN",
                           "Float inf", "Float -0", "Float min denorm", "Double NaN", "Double -inf", "Double max",
                           "Boolean true", "Boolean false", "String empty", "String Unicode", "DateTime", "Text",
                           "UUID", "Bytes", "Bytes empty", "File"};
    for (int i = 0; i < int(std::size(names)); ++i)
        QTest::newRow(names[i]) << i;
}

static SparkplugMetric scalarCase(int i)
{
    using L8 = std::numeric_limits<qint8>;
    using L16 = std::numeric_limits<qint16>;
    using L32 = std::numeric_limits<qint32>;
    using L64 = std::numeric_limits<qint64>;
    switch (i) {
    case 0: return metric("a", DT::Int8, qint64(L8::min()));
    case 1: return metric("a", DT::Int8, qint64(L8::max()));
    case 2: return metric("a", DT::Int16, qint64(L16::min()));
    case 3: return metric("a", DT::Int16, qint64(L16::max()));
    case 4: return metric("a", DT::Int32, qint64(L32::min()));
    case 5: return metric("a", DT::Int32, qint64(L32::max()));
    case 6: return metric("a", DT::Int64, qint64(L64::min()));
    case 7: return metric("a", DT::Int64, qint64(L64::max()));
    case 8: return metric("a", DT::UInt8, quint64(255));
    case 9: return metric("a", DT::UInt16, quint64(65535));
    case 10: return metric("a", DT::UInt32, quint64(4294967295u));
    case 11: return metric("a", DT::UInt64, std::numeric_limits<quint64>::max());
    case 12: return metric("a", DT::UInt64, quint64(0));
    case 13: return metric("a", DT::Float, std::numeric_limits<float>::quiet_NaN());
    case 14: return metric("a", DT::Float, std::numeric_limits<float>::infinity());
    case 15: return metric("a", DT::Float, -0.0f);
    case 16: return metric("a", DT::Float, std::numeric_limits<float>::denorm_min());
    case 17: return metric("a", DT::Double, std::numeric_limits<double>::quiet_NaN());
    case 18: return metric("a", DT::Double, -std::numeric_limits<double>::infinity());
    case 19: return metric("a", DT::Double, std::numeric_limits<double>::max());
    case 20: return metric("a", DT::Boolean, true);
    case 21: return metric("a", DT::Boolean, false);
    case 22: return metric("a", DT::String, QString());
    case 23: return metric(QStringLiteral("température/∆"), DT::String, QStringLiteral("Grüße 🌡 日本"));
    case 24: return metric("a", DT::DateTime, quint64(1764145000123));
    case 25: return metric("a", DT::Text, QStringLiteral("line 1\nline 2"));
    case 26: return metric("a", DT::UUID, QStringLiteral("123e4567-e89b-12d3-a456-426614174000"));
    case 27: return metric("a", DT::Bytes, QByteArray("\x00\x01\xff", 3));
    case 28: return metric("a", DT::Bytes, QByteArray());
    case 29: {
        SparkplugMetric m = metric("a", DT::File, QByteArray("hello"));
        SparkplugMetaData meta;
        meta.fileName = QStringLiteral("hello.txt");
        meta.size = 5;
        m.metadata = meta;
        return m;
    }
    }
    return {};
}

void TestSparkplugCodec::scalarRoundTrip()
{
    QFETCH(int, index);
    SparkplugPayload in;
    in.seq = 3;
    in.metrics.append(scalarCase(index));
    const SparkplugPayload out = roundTrip(in);
    QCOMPARE(out.metrics.size(), 1);
    QVERIFY2(out.metrics.at(0).isValid(), qPrintable(out.metrics.at(0).invalid));
    QVERIFY(sparkplugSameValue(out.metrics.at(0).value, in.metrics.at(0).value));
    QVERIFY(out == in);
}

// The field each datatype travels in, as the specification says (and the two's complement).
void TestSparkplugCodec::wireFields_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("field");
    QTest::addColumn<quint64>("raw");
    QTest::newRow("Int8 -1 in int_value") << 0 << "int" << quint64(0xFFFFFF80u);  // INT8_MIN sign-extended to 32 bits
    QTest::newRow("Int32 max") << 5 << "int" << quint64(0x7FFFFFFF);
    QTest::newRow("Int64 min in long_value") << 6 << "long" << quint64(0x8000000000000000ull);
    QTest::newRow("UInt32 max in int_value") << 10 << "int" << quint64(0xFFFFFFFFu);
    QTest::newRow("UInt64 max in long_value") << 11 << "long" << std::numeric_limits<quint64>::max();
    QTest::newRow("DateTime in long_value") << 24 << "long" << quint64(1764145000123);
}

void TestSparkplugCodec::wireFields()
{
    QFETCH(int, index);
    QFETCH(QString, field);
    QFETCH(quint64, raw);
    SparkplugPayload in;
    in.metrics.append(scalarCase(index));
    const pb::Payload p = parsePb(SparkplugEncoder::encode(in));
    const pb::Payload::Metric &m = p.metrics(0);
    if (field == u"int") {
        QCOMPARE(m.value_case(), pb::Payload::Metric::kIntValue);
        QCOMPARE(quint64(m.int_value()), raw);
    } else {
        QCOMPARE(m.value_case(), pb::Payload::Metric::kLongValue);
        QCOMPARE(quint64(m.long_value()), raw);
    }
}

void TestSparkplugCodec::arrayRoundTrip_data()
{
    QTest::addColumn<int>("index");
    for (int i = 0; i < 16; ++i)
        QTest::newRow(qPrintable(QString::number(i))) << i;
}

static SparkplugMetric arrayCase(int i)
{
    switch (i) {
    case 0: return metric("a", DT::Int8Array, QList<qint64>{-128, 0, 127});
    case 1: return metric("a", DT::Int16Array, QList<qint64>{-32768, 1, 32767});
    case 2: return metric("a", DT::Int32Array, QList<qint64>{std::numeric_limits<qint32>::min(), -1, std::numeric_limits<qint32>::max()});
    case 3: return metric("a", DT::Int64Array, QList<qint64>{std::numeric_limits<qint64>::min(), 0, std::numeric_limits<qint64>::max()});
    case 4: return metric("a", DT::UInt8Array, QList<quint64>{0, 255});
    case 5: return metric("a", DT::UInt16Array, QList<quint64>{0, 65535});
    case 6: return metric("a", DT::UInt32Array, QList<quint64>{0, 4294967295u});
    case 7: return metric("a", DT::UInt64Array, QList<quint64>{0, std::numeric_limits<quint64>::max()});
    case 8: return metric("a", DT::FloatArray, QList<float>{1.5f, std::numeric_limits<float>::quiet_NaN(), -0.0f});
    case 9: return metric("a", DT::DoubleArray, QList<double>{std::numeric_limits<double>::infinity(), 1e-300});
    case 10: return metric("a", DT::BooleanArray, QList<bool>{true, false, true, true, false, false, false, false, true});
    case 11: return metric("a", DT::BooleanArray, QList<bool>{});
    case 12: return metric("a", DT::StringArray, QStringList{QStringLiteral("ABC"), QString(), QStringLiteral("héllo ✓")});
    case 13: return metric("a", DT::DateTimeArray, QList<quint64>{1256102875335, 1656107875000});
    case 14: return metric("a", DT::Int32Array, QList<qint64>{});
    case 15: return metric("a", DT::StringArray, QStringList{});
    }
    return {};
}

void TestSparkplugCodec::arrayRoundTrip()
{
    QFETCH(int, index);
    SparkplugPayload in;
    in.metrics.append(arrayCase(index));
    const SparkplugPayload out = roundTrip(in);
    QVERIFY2(out.metrics.at(0).isValid(), qPrintable(out.metrics.at(0).invalid));
    QVERIFY(out == in);
}

// The byte layouts of the specification's examples (chapter 6, "Array Types").
void TestSparkplugCodec::arraySpecExamples_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("rendered");
    QTest::newRow("Int8Array") << int(DT::Int8Array) << hex("EF7B") << "[-17, 123]";
    QTest::newRow("Int16Array") << int(DT::Int16Array) << hex("D08A3075") << "[-30000, 30000]";
    QTest::newRow("Int32Array") << int(DT::Int32Array) << hex("FFFFFFFFFAAFCB12") << "[-1, 315338746]";
    QTest::newRow("UInt8Array") << int(DT::UInt8Array) << hex("17FA") << "[23, 250]";
    QTest::newRow("UInt16Array") << int(DT::UInt16Array) << hex("1E0088CC") << "[30, 52360]";
    QTest::newRow("UInt32Array") << int(DT::UInt32Array) << hex("3400000049FB55C4") << "[52, 3293969225]";
    QTest::newRow("UInt64Array") << int(DT::UInt64Array) << hex("3400000000000000D99E02D1B27637E4")
                                 << "[52, 16444743074749521625]";
    QTest::newRow("BooleanArray") << int(DT::BooleanArray) << hex("0C00000034D0")
                                  << "[false, false, true, true, false, true, false, false, true, true, false, true]";
    QTest::newRow("StringArray") << int(DT::StringArray) << hex("414243006865 6c6c6f00") << "[\"ABC\", \"hello\"]";
    QTest::newRow("StringArray without last NUL") << int(DT::StringArray) << hex("41424300686921") << "[\"ABC\", \"hi!\"]";
    QTest::newRow("DateTimeArray") << int(DT::DateTimeArray) << hex("C7D0907524010000B8BAB89781010000")
                                   << "[1256102875335, 1656107875000]";
}

void TestSparkplugCodec::arraySpecExamples()
{
    QFETCH(int, type);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, rendered);
    // The spec's Int8Array example [-23, 123] -> [0xEF, 0x7B] has a typo: 0xEF is -17.
    const SparkplugMetric m = decodeOne([&](pb::Payload::Metric *pm) {
        pm->set_name("a");
        pm->set_datatype(quint32(type));
        pm->set_bytes_value(bytes.constData(), size_t(bytes.size()));
    });
    QVERIFY2(m.isValid(), qPrintable(m.invalid));
    QCOMPARE(SparkplugValueMapper::render(m.datatype, m.value), rendered);
    // And back: the encoder writes the same bytes (the spec leaves BooleanArray's padding bits
    // open; ours are 0).
    SparkplugPayload in;
    in.metrics.append(m);
    const pb::Payload p = parsePb(SparkplugEncoder::encode(in));
    if (type != int(DT::StringArray) || bytes.endsWith('\0'))
        QCOMPARE(QByteArray::fromStdString(p.metrics(0).bytes_value()), bytes);
}

void TestSparkplugCodec::dataSetRoundTrip()
{
    SparkplugDataSet ds;
    ds.columns = {QStringLiteral("i8"), QStringLiteral("u64"), QStringLiteral("f"), QStringLiteral("d"),
                  QStringLiteral("b"), QStringLiteral("s"), QStringLiteral("t")};
    ds.types = {sparkplugCode(DT::Int8), sparkplugCode(DT::UInt64), sparkplugCode(DT::Float), sparkplugCode(DT::Double),
                sparkplugCode(DT::Boolean), sparkplugCode(DT::String), sparkplugCode(DT::DateTime)};
    ds.rows.append({qint64(-128), std::numeric_limits<quint64>::max(), 1.5f, std::nan(""), true, QStringLiteral("ü"),
                    quint64(1764145000123)});
    ds.rows.append({qint64(5), quint64(0), -0.0f, 2.0, false, QString(), std::monostate()});  // a null cell
    SparkplugPayload in;
    in.metrics.append(metric("table", DT::DataSet, SparkplugBox<SparkplugDataSet>(ds)));
    const SparkplugPayload out = roundTrip(in);
    QVERIFY2(out.metrics.at(0).isValid(), qPrintable(out.metrics.at(0).invalid));
    QVERIFY(out == in);
    QCOMPARE(SparkplugValueMapper::render(sparkplugCode(DT::DataSet), out.metrics.at(0).value),
             QStringLiteral("DataSet 7 columns x 2 rows"));
    const pb::Payload p = parsePb(SparkplugEncoder::encode(in));
    QCOMPARE(p.metrics(0).dataset_value().num_of_columns(), 7u);
    QCOMPARE(p.metrics(0).dataset_value().rows(0).elements(0).int_value(), 0xFFFFFF80u);
}

void TestSparkplugCodec::templateRoundTrip()
{
    // A definition (BIRTH) and an instance with a nested instance, parameters of every kind.
    SparkplugTemplate inner;
    inner.templateRef = QStringLiteral("Motor");
    inner.metrics.append(metric("rpm", DT::UInt32, quint64(1500)));
    inner.metrics.append(metric("temp", DT::Float, 61.5f));

    SparkplugTemplate def;
    def.isDefinition = true;
    def.version = QStringLiteral("1.2");
    def.metrics.append(metric("serial", DT::String, QString()));
    SparkplugMetric noValue;
    noValue.name = QStringLiteral("rpm");
    noValue.datatype = sparkplugCode(DT::UInt32);  // a definition's member may carry no value
    def.metrics.append(noValue);
    def.parameters.append({QStringLiteral("max"), sparkplugCode(DT::Int32), qint64(-5)});
    def.parameters.append({QStringLiteral("unit"), sparkplugCode(DT::String), QStringLiteral("°C")});
    def.parameters.append({QStringLiteral("gain"), sparkplugCode(DT::Double), 0.25});
    def.parameters.append({QStringLiteral("on"), sparkplugCode(DT::Boolean), true});
    def.parameters.append({QStringLiteral("unset"), sparkplugCode(DT::Int64), std::monostate()});

    SparkplugTemplate instance;
    instance.templateRef = QStringLiteral("Pump");
    instance.metrics.append(metric("serial", DT::String, QStringLiteral("P-1")));
    instance.metrics.append(metric("motor", DT::Template, SparkplugBox<SparkplugTemplate>(inner)));
    instance.parameters.append({QStringLiteral("max"), sparkplugCode(DT::Int32), qint64(9)});

    SparkplugPayload in;
    in.metrics.append(metric("Pump", DT::Template, SparkplugBox<SparkplugTemplate>(def)));
    in.metrics.append(metric("pump-1", DT::Template, SparkplugBox<SparkplugTemplate>(instance)));
    const SparkplugPayload out = roundTrip(in);
    QVERIFY(out.metrics.at(0).isValid());
    QVERIFY(out.metrics.at(1).isValid());
    QVERIFY(out == in);
}

void TestSparkplugCodec::propertiesAndMetadata()
{
    SparkplugPropertySet inner;
    inner.keys = {QStringLiteral("a")};
    inner.values = {{sparkplugCode(DT::UInt16), false, quint64(7)}};
    SparkplugPropertySetList list;
    list.sets = {inner, SparkplugPropertySet{}};
    SparkplugPropertySet props;
    props.keys = {QStringLiteral("readOnly"), QStringLiteral("engUnit"), QStringLiteral("Quality"),
                  QStringLiteral("nested"), QStringLiteral("list"), QStringLiteral("nothing")};
    props.values = {{sparkplugCode(DT::Boolean), false, true},
                    {sparkplugCode(DT::String), false, QStringLiteral("°C")},
                    {sparkplugCode(DT::Int32), false, qint64(192)},
                    {sparkplugCode(DT::PropertySet), false, SparkplugBox<SparkplugPropertySet>(inner)},
                    {sparkplugCode(DT::PropertySetList), false, SparkplugBox<SparkplugPropertySetList>(list)},
                    {sparkplugCode(DT::Float), true, std::monostate()}};
    SparkplugMetric m = metric("t", DT::Double, 21.5);
    m.properties = props;
    SparkplugMetaData meta;
    meta.isMultiPart = false;
    meta.contentType = QStringLiteral("text/plain");
    meta.size = 10;
    meta.seq = 2;
    meta.fileName = QStringLiteral("a.txt");
    meta.fileType = QStringLiteral("txt");
    meta.md5 = QStringLiteral("abc");
    meta.description = QStringLiteral("{\"x\":1}");
    m.metadata = meta;
    SparkplugPayload in;
    in.metrics.append(m);
    const SparkplugPayload out = roundTrip(in);
    QVERIFY2(out.metrics.at(0).isValid(), qPrintable(out.metrics.at(0).invalid));
    QVERIFY(out == in);
    const SparkplugPropertyValue *ro = out.metrics.at(0).properties->value(u"readOnly");
    QVERIFY(ro);
    QCOMPARE(std::get<bool>(ro->value), true);
}

void TestSparkplugCodec::flagsAndHeader()
{
    SparkplugPayload in;
    in.timestamp = 1764145000123;
    in.seq = 255;
    in.uuid = QStringLiteral("schema-1");
    in.body = QByteArray("raw\0body", 8);
    SparkplugMetric a = metric("h", DT::Int32, qint64(1));
    a.isHistorical = true;
    a.timestamp = 1764145000000;
    a.alias = 0;  // alias 0 is an alias
    SparkplugMetric b = metric("tr", DT::Boolean, false);
    b.isTransient = true;
    SparkplugMetric c = metric("n", DT::Double, std::monostate());
    c.isNull = true;
    SparkplugMetric byAlias;
    byAlias.alias = 42;
    byAlias.datatype = sparkplugCode(DT::Int16);
    byAlias.datatypeOmitted = true;  // DATA: not on the wire
    byAlias.value = qint64(-3);
    in.metrics = {a, b, c, byAlias};
    const QByteArray bytes = SparkplugEncoder::encode(in);
    const pb::Payload p = parsePb(bytes);
    QVERIFY(p.metrics(2).is_null());
    QCOMPARE(p.metrics(2).value_case(), pb::Payload::Metric::VALUE_NOT_SET);
    QVERIFY(!p.metrics(3).has_datatype());
    QVERIFY(!p.metrics(3).has_name());

    // Without a lookup the alias-only metric has no datatype: its value cannot be read.
    SparkplugCodec codec;
    DecodeError error;
    auto out = codec.decode(bytes, &error);
    QVERIFY(out);
    QCOMPARE(out->timestamp, in.timestamp);
    QCOMPARE(out->seq, in.seq);
    QCOMPARE(out->uuid, in.uuid);
    QCOMPARE(out->body, in.body);
    QCOMPARE(out->metrics.at(0), a);
    QCOMPARE(out->metrics.at(1), b);
    QCOMPARE(out->metrics.at(2), c);
    QVERIFY(!out->metrics.at(3).isValid());
    QVERIFY2(out->metrics.at(3).invalid.contains(u"without a datatype"), qPrintable(out->metrics.at(3).invalid));
}

void TestSparkplugCodec::integerLeniency_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<bool>("inLong");
    QTest::addColumn<quint64>("raw");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("value");  // as rendered
    QTest::newRow("UInt32 in long_value (Tahu JS)") << int(DT::UInt32) << true << quint64(4000000000u) << true << "4000000000";
    QTest::newRow("UInt32 too big in long_value") << int(DT::UInt32) << true << quint64(1) << true << "1";
    QTest::newRow("UInt32 over range") << int(DT::UInt32) << true << (quint64(1) << 32) << false << "";
    QTest::newRow("Int8 narrow two's complement") << int(DT::Int8) << false << quint64(0xFF) << true << "-1";
    QTest::newRow("Int8 32-bit two's complement") << int(DT::Int8) << false << quint64(0xFFFFFFFFu) << true << "-1";
    QTest::newRow("Int8 out of range") << int(DT::Int8) << false << quint64(300) << false << "";
    QTest::newRow("Int16 narrow") << int(DT::Int16) << false << quint64(0x8000) << true << "-32768";
    QTest::newRow("Int16 out of range") << int(DT::Int16) << false << quint64(0x10000) << false << "";
    QTest::newRow("Int32 in long_value") << int(DT::Int32) << true << quint64(-5ll) << true << "-5";
    QTest::newRow("Int32 over range in long_value") << int(DT::Int32) << true << quint64(1ll << 31) << false << "";
    QTest::newRow("Int64 in int_value") << int(DT::Int64) << false << quint64(0xFFFFFFFEu) << true << "-2";
    QTest::newRow("UInt8 over range") << int(DT::UInt8) << false << quint64(256) << false << "";
    QTest::newRow("UInt64 in int_value") << int(DT::UInt64) << false << quint64(0xFFFFFFFFu) << true << "4294967295";
}

void TestSparkplugCodec::integerLeniency()
{
    QFETCH(int, type);
    QFETCH(bool, inLong);
    QFETCH(quint64, raw);
    QFETCH(bool, valid);
    QFETCH(QString, value);
    const SparkplugMetric m = decodeOne([&](pb::Payload::Metric *pm) {
        pm->set_name("a");
        pm->set_datatype(quint32(type));
        if (inLong)
            pm->set_long_value(raw);
        else
            pm->set_int_value(quint32(raw));
    });
    QCOMPARE(m.isValid(), valid);
    if (valid)
        QCOMPARE(SparkplugValueMapper::render(m.datatype, m.value), value);
    else
        QVERIFY2(m.invalid.contains(u"out of range"), qPrintable(m.invalid));
}

void TestSparkplugCodec::datatypeLookup()
{
    struct Lookup : SparkplugCodec::DatatypeLookup
    {
        quint32 datatypeOf(const QString &name, bool hasAlias, quint64 alias) const override
        {
            if (hasAlias && alias == 7)
                return sparkplugCode(DT::Float);
            if (name == u"named")
                return sparkplugCode(DT::Boolean);
            return 0;
        }
    } lookup;
    pb::Payload p;
    pb::Payload::Metric *a = p.add_metrics();
    a->set_alias(7);
    a->set_float_value(2.5f);
    pb::Payload::Metric *b = p.add_metrics();
    b->set_name("named");
    b->set_boolean_value(true);
    pb::Payload::Metric *c = p.add_metrics();  // declared Float, sent as a string
    c->set_alias(7);
    c->set_string_value("x");
    SparkplugCodec codec;
    DecodeError error;
    const auto out = codec.decode(serialize(p), &error, &lookup);
    QVERIFY(out);
    QVERIFY(out->metrics.at(0).isValid());
    QCOMPARE(out->metrics.at(0).datatype, sparkplugCode(DT::Float));
    QVERIFY(out->metrics.at(0).datatypeOmitted);
    QVERIFY(sparkplugSameValue(out->metrics.at(0).value, 2.5f));
    QVERIFY(sparkplugSameValue(out->metrics.at(1).value, true));
    QVERIFY(!out->metrics.at(2).isValid());
    QCOMPARE(out->metrics.at(2).invalid, QStringLiteral("Float value in string_value (expected float_value)"));
}

void TestSparkplugCodec::malformedPayload_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("reason");
    pb::Payload p;
    p.set_seq(1);
    pb::Payload::Metric *m = p.add_metrics();
    m->set_name("temperature");
    m->set_datatype(pb::Double);
    m->set_double_value(21.5);
    const QByteArray good = serialize(p);
    QTest::newRow("truncated in a metric") << good.left(good.size() - 3) << int(RejectReason::BadProtobuf);
    QTest::newRow("garbage") << QByteArray("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 11) << int(RejectReason::BadProtobuf);
    QTest::newRow("JSON") << QByteArray("{\"online\":true}") << int(RejectReason::BadProtobuf);
    QTest::newRow("length past the end") << QByteArray("\x12\x7f\x0a", 3) << int(RejectReason::BadProtobuf);
    QTest::newRow("end group tag") << QByteArray("\x0c", 1) << int(RejectReason::BadProtobuf);
    QTest::newRow("oversize") << QByteArray(256 * 1024 + 1, '\0') << int(RejectReason::Oversize);
}

void TestSparkplugCodec::malformedPayload()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, reason);
    SparkplugCodec codec;
    DecodeError error;
    QVERIFY(!codec.decode(bytes, &error));
    QCOMPARE(int(error.reason), reason);
    QVERIFY(!error.detail.isEmpty());
    // The codec is usable afterwards.
    SparkplugPayload ok;
    ok.metrics.append(metric("a", DT::Int32, qint64(1)));
    QVERIFY(codec.decode(SparkplugEncoder::encode(ok), &error));
}

void TestSparkplugCodec::everyTruncationIsSafe()
{
    SparkplugPayload in;
    in.seq = 0;
    in.timestamp = 1;
    in.metrics.append(scalarCase(29));
    in.metrics.append(arrayCase(10));
    in.metrics.append(arrayCase(12));
    SparkplugTemplate t;
    t.templateRef = QStringLiteral("T");
    t.metrics.append(metric("x", DT::Int32, qint64(5)));
    in.metrics.append(metric("t", DT::Template, SparkplugBox<SparkplugTemplate>(t)));
    const QByteArray bytes = SparkplugEncoder::encode(in);
    SparkplugCodec codec;
    int rejected = 0;
    for (qsizetype n = 0; n < bytes.size(); ++n) {
        DecodeError error;
        const auto out = codec.decode(bytes.left(n), &error);  // never crashes; parses or says why
        if (!out) {
            ++rejected;
            QCOMPARE(error.reason, RejectReason::BadProtobuf);
        }
    }
    QVERIFY(rejected > bytes.size() / 2);
}

void TestSparkplugCodec::invalidMetric_data()
{
    using Build = MetricBuilder;
    QTest::addColumn<Build>("build");
    QTest::addColumn<QString>("reason");
    QTest::newRow("Float in int_value") << Build([](pb::Payload::Metric *m) {
        m->set_datatype(pb::Float);
        m->set_int_value(3);
    }) << "Float value in int_value (expected float_value)";
    QTest::newRow("String in double_value") << Build([](pb::Payload::Metric *m) {
        m->set_datatype(pb::String);
        m->set_double_value(3);
    }) << "String value in double_value (expected string_value)";
    QTest::newRow("Int32 in string_value") << Build([](pb::Payload::Metric *m) {
        m->set_datatype(pb::Int32);
        m->set_string_value("7");
    }) << "Int32 value in string_value (expected int_value or long_value)";
    QTest::newRow("Boolean in bytes_value") << Build([](pb::Payload::Metric *m) {
        m->set_datatype(pb::Boolean);
        m->set_bytes_value("x");
    }) << "Boolean value in bytes_value (expected boolean_value)";
    QTest::newRow("array in int_value") << Build([](pb::Payload::Metric *m) {
        m->set_datatype(pb::Int32Array);
        m->set_int_value(3);
    }) << "Int32Array value in int_value (expected bytes_value)";
    QTest::newRow("DataSet in string_value") << Build([](pb::Payload::Metric *m) {
        m->set_datatype(pb::DataSet);
        m->set_string_value("x");
    }) << "DataSet value in string_value (expected dataset_value)";
    QTest::newRow("Template in bytes_value") << Build([](pb::Payload::Metric *m) {
        m->set_datatype(pb::Template);
        m->set_bytes_value("x");
    }) << "Template value in bytes_value (expected template_value)";
    QTest::newRow("unknown datatype") << Build([](pb::Payload::Metric *m) {
        m->set_datatype(99);
        m->set_int_value(3);
    }) << "unknown datatype 99";
    QTest::newRow("PropertySet as a metric") << Build([](pb::Payload::Metric *m) {
        m->set_datatype(pb::PropertySet);
        m->set_int_value(3);
    }) << "PropertySet is a property type, not a metric datatype";
    QTest::newRow("value without datatype") << Build([](pb::Payload::Metric *m) { m->set_int_value(3); })
                                            << "a value (int_value) without a datatype";
    QTest::newRow("extension") << Build([](pb::Payload::Metric *m) {
        m->set_datatype(pb::Int32);
        m->mutable_extension_value();
    }) << "Int32 value in extension_value (expected int_value or long_value)";
    QTest::newRow("ragged Int32Array") << Build([](pb::Payload::Metric *m) {
        m->set_datatype(pb::Int32Array);
        m->set_bytes_value(std::string(7, '\1'));
    }) << "Int32Array of 7 bytes is not a whole number of 4-byte elements";
    QTest::newRow("huge BooleanArray count") << Build([](pb::Payload::Metric *m) {
        m->set_datatype(pb::BooleanArray);
        m->set_bytes_value(std::string("\xff\xff\xff\xff\x01", 5));
    }) << "BooleanArray of 4294967295 elements, the limit is 100000";
    QTest::newRow("BooleanArray short") << Build([](pb::Payload::Metric *m) {
        m->set_datatype(pb::BooleanArray);
        m->set_bytes_value(std::string("\x09\x00\x00\x00\x01", 5));
    }) << "BooleanArray of 9 values needs 6 bytes, it has 5";
    QTest::newRow("BooleanArray no count") << Build([](pb::Payload::Metric *m) {
        m->set_datatype(pb::BooleanArray);
        m->set_bytes_value(std::string("\x01\x00", 2));
    }) << "BooleanArray of 2 bytes has no 4-byte count";
    QTest::newRow("huge array") << Build([](pb::Payload::Metric *m) {
        m->set_datatype(pb::UInt8Array);
        m->set_bytes_value(std::string(100001, '\0'));
    }) << "UInt8Array of 100001 elements, the limit is 100000";
    QTest::newRow("huge StringArray") << Build([](pb::Payload::Metric *m) {
        m->set_datatype(pb::StringArray);
        m->set_bytes_value(std::string(200002, '\0'));
    }) << "StringArray of more than 100000 elements";
    QTest::newRow("DataSet columns vs types") << Build([](pb::Payload::Metric *m) {
        m->set_datatype(pb::DataSet);
        m->mutable_dataset_value()->add_columns("a");
    }) << "DataSet of 1 columns and 0 types";
    QTest::newRow("DataSet ragged row") << Build([](pb::Payload::Metric *m) {
        m->set_datatype(pb::DataSet);
        auto *ds = m->mutable_dataset_value();
        ds->add_columns("a");
        ds->add_types(pb::Int32);
        ds->add_rows();
    }) << "DataSet row 0 has 0 values for 1 columns";
    QTest::newRow("DataSet wrong cell") << Build([](pb::Payload::Metric *m) {
        m->set_datatype(pb::DataSet);
        auto *ds = m->mutable_dataset_value();
        ds->add_columns("a");
        ds->add_types(pb::Double);
        ds->add_rows()->add_elements()->set_string_value("x");
    }) << "DataSet row 0, column 0: Double value in string_value (expected double_value)";
    QTest::newRow("DataSet array column") << Build([](pb::Payload::Metric *m) {
        m->set_datatype(pb::DataSet);
        auto *ds = m->mutable_dataset_value();
        ds->add_columns("a");
        ds->add_types(pb::Int32Array);
    }) << "DataSet column \"a\" of type Int32Array (only Int8 to UUID are allowed)";
    QTest::newRow("DataSet too many cells") << Build([](pb::Payload::Metric *m) {
        m->set_datatype(pb::DataSet);
        auto *ds = m->mutable_dataset_value();
        for (int c = 0; c < 1000; ++c) {
            ds->add_columns("c");
            ds->add_types(pb::Boolean);
        }
        for (int r = 0; r < 101; ++r)
            ds->add_rows();
    }) << "DataSet of 1000 columns x 101 rows, the limit is 100000 cells";
    QTest::newRow("DataSet num_of_columns") << Build([](pb::Payload::Metric *m) {
        m->set_datatype(pb::DataSet);
        m->mutable_dataset_value()->set_num_of_columns(3);
    }) << "DataSet num_of_columns 3 for 0 columns";
    QTest::newRow("property keys vs values") << Build([](pb::Payload::Metric *m) {
        m->set_datatype(pb::Int32);
        m->set_int_value(1);
        m->mutable_properties()->add_keys("readOnly");
    }) << "properties: a PropertySet of 1 keys and 0 values";
    QTest::newRow("property wrong field") << Build([](pb::Payload::Metric *m) {
        m->set_datatype(pb::Int32);
        m->set_int_value(1);
        auto *p = m->mutable_properties();
        p->add_keys("readOnly");
        auto *v = p->add_values();
        v->set_type(pb::Boolean);
        v->set_string_value("true");
    }) << "properties: \"readOnly\": Boolean value in string_value (expected boolean_value)";
    QTest::newRow("property of array type") << Build([](pb::Payload::Metric *m) {
        m->set_datatype(pb::Int32);
        m->set_int_value(1);
        auto *p = m->mutable_properties();
        p->add_keys("x");
        auto *v = p->add_values();
        v->set_type(pb::Int8Array);
        v->set_int_value(1);
    }) << "properties: \"x\": datatype Int8Array is not allowed here";
    QTest::newRow("template parameter wrong field") << Build([](pb::Payload::Metric *m) {
        m->set_datatype(pb::Template);
        auto *param = m->mutable_template_value()->add_parameters();
        param->set_name("p");
        param->set_type(pb::Float);
        param->set_boolean_value(true);
    }) << "parameter \"p\": Float value in boolean_value (expected float_value)";
}

void TestSparkplugCodec::invalidMetric()
{
    using Build = MetricBuilder;
    QFETCH(Build, build);
    QFETCH(QString, reason);
    const SparkplugMetric m = decodeOne([&](pb::Payload::Metric *pm) {
        pm->set_name("bad");
        build(pm);
    });
    QVERIFY(!m.isValid());
    QCOMPARE(m.invalid, reason);
    QVERIFY(std::holds_alternative<std::monostate>(m.value));
    QCOMPARE(m.name, QStringLiteral("bad"));
}

void TestSparkplugCodec::tooManyMetrics()
{
    pb::Payload p;
    for (int i = 0; i < 10001; ++i)
        p.add_metrics()->set_alias(quint64(i));
    SparkplugCodec codec;
    DecodeError error;
    QVERIFY(!codec.decode(serialize(p), &error));
    QCOMPARE(error.reason, RejectReason::Oversize);
    QCOMPARE(error.detail, QStringLiteral("10001 metrics in one payload, the limit is 10000"));
    p.mutable_metrics()->RemoveLast();
    QVERIFY(codec.decode(serialize(p), &error));

    // Template members count over the whole payload.
    pb::Payload q;
    for (int t = 0; t < 3; ++t) {
        pb::Payload::Metric *m = q.add_metrics();
        m->set_name("t");
        m->set_datatype(pb::Template);
        for (int i = 0; i < 4000; ++i)
            m->mutable_template_value()->add_metrics()->set_name("x");
    }
    const auto out = codec.decode(serialize(q), &error);
    QVERIFY(out);
    QVERIFY(out->metrics.at(0).isValid());
    QVERIFY(out->metrics.at(1).isValid());
    QCOMPARE(out->metrics.at(2).invalid, QStringLiteral("more than 10000 template members in the payload"));
}

void TestSparkplugCodec::deepTemplates()
{
    // 8 levels decode; the 9th level's template is invalid, the levels above still decode.
    const SparkplugMetric ok = decodeOne([](pb::Payload::Metric *m) { TemplateNest::build(m, 8); });
    QVERIFY(ok.isValid());
    const SparkplugMetric deep = decodeOne([](pb::Payload::Metric *m) { TemplateNest::build(m, 9); });
    QVERIFY(deep.isValid());
    const SparkplugMetric *level = &deep;
    for (int i = 0; i < 8; ++i) {
        QVERIFY(level->isValid());
        level = &std::get<SparkplugBox<SparkplugTemplate>>(level->value)->metrics.at(0);
    }
    QCOMPARE(level->invalid, QStringLiteral("templates nested deeper than 8 levels"));

    // Flattening stops at the mapper's bound too, with a reason, never a crash.
    SparkplugValueMapper mapper;
    MetricValues values;
    QStringList problems;
    QCOMPARE(mapper.append(QStringLiteral("t"), ok, &values, &problems), 1);
    QCOMPARE(values.at(0).name, QStringLiteral("t/t/t/t/t/t/t/t/leaf"));

    // Deeper than protobuf's own recursion limit (100): the payload cannot be parsed at all.
    pb::Payload p;
    TemplateNest::build(p.add_metrics(), 60);
    SparkplugCodec codec;
    DecodeError error;
    QVERIFY(!codec.decode(serialize(p), &error));
    QCOMPARE(error.reason, RejectReason::BadProtobuf);
}

void TestSparkplugCodec::deepPropertySets()
{
    auto nest = [](pb::Payload::Metric *m, int depth) {
        m->set_datatype(pb::Int32);
        m->set_int_value(1);
        pb::Payload::PropertySet *set = m->mutable_properties();
        for (int i = 1; i < depth; ++i) {
            set->add_keys("p");
            pb::Payload::PropertyValue *v = set->add_values();
            v->set_type(pb::PropertySet);
            set = v->mutable_propertyset_value();
        }
    };
    QVERIFY(decodeOne([&](pb::Payload::Metric *m) { nest(m, 8); }).isValid());
    const SparkplugMetric deep = decodeOne([&](pb::Payload::Metric *m) { nest(m, 9); });
    QVERIFY(!deep.isValid());
    QVERIFY2(deep.invalid.endsWith(u"property sets nested deeper than 8 levels"), qPrintable(deep.invalid));
}

void TestSparkplugCodec::parserIsReused()
{
    // parse() + header() + read() into the same payload object: the lists are reused and the
    // previous message leaves nothing behind.
    SparkplugCodec codec;
    SparkplugPayload big;
    big.timestamp = 5;
    big.uuid = QStringLiteral("u");
    for (int i = 0; i < 50; ++i)
        big.metrics.append(metric(QStringLiteral("m%1").arg(i), DT::Int32, qint64(i)));
    SparkplugPayload small;
    small.seq = 9;
    small.metrics.append(metric("only", DT::Boolean, true));
    SparkplugPayload out;
    DecodeError error;
    QVERIFY(codec.parse(SparkplugEncoder::encode(big), &error));
    QCOMPARE(codec.header().metrics, 50);
    codec.read(&out);
    QVERIFY(out == big);
    QVERIFY(codec.parse(SparkplugEncoder::encode(small), &error));
    QCOMPARE(codec.header().seq, std::optional<quint64>(9));
    QVERIFY(!codec.header().timestamp);
    codec.read(&out);
    QVERIFY(out == small);
    // Names are interned: two decodes of the same name share one string.
    QVERIFY(codec.parse(SparkplugEncoder::encode(small), &error));
    SparkplugPayload again;
    codec.read(&again);
    QVERIFY(again.metrics.at(0).name.isSharedWith(out.metrics.at(0).name));
}

void TestSparkplugCodec::valueMapping()
{
    const QString n = QStringLiteral("m");
    auto map = [&](DT type, const SparkplugValue &v) { return SparkplugValueMapper::scalar(n, sparkplugCode(type), v); };
    QCOMPARE(map(DT::Int8, qint64(-128))->type, MetricType::Int64);
    QCOMPARE(map(DT::Int64, std::numeric_limits<qint64>::min())->integer, std::numeric_limits<qint64>::min());
    QCOMPARE(map(DT::UInt64, quint64(std::numeric_limits<qint64>::max()))->type, MetricType::Int64);
    const auto big = map(DT::UInt64, std::numeric_limits<quint64>::max());
    QCOMPARE(big->type, MetricType::Double);
    QCOMPARE(big->value, 18446744073709551615.0);
    QCOMPARE(map(DT::Float, 1.5f)->type, MetricType::Double);
    QCOMPARE(map(DT::Boolean, true)->type, MetricType::Bool);
    QCOMPARE(map(DT::DateTime, quint64(1764145000123))->integer, 1764145000123);
    const auto uuid = map(DT::UUID, QStringLiteral("abc"));
    QCOMPARE(uuid->type, MetricType::String);
    QCOMPARE(uuid->text, QStringLiteral("abc"));
    // Long strings are cut, never inside a surrogate pair.
    const QString longText = QString(MetricValue::kMaxStringBytes - 1, u'x') + QStringLiteral("🌡🌡");
    const auto cut = map(DT::Text, longText);
    QCOMPARE(cut->text.size(), MetricValue::kMaxStringBytes - 1);
    QVERIFY(cut->text.isValidUtf16());
    QVERIFY(!map(DT::Int32, QStringLiteral("1")));  // the wrong alternative
    QVERIFY(!map(DT::DataSet, qint64(1)));

    // is_null and template definitions give nothing; arrays and bytes a bounded text.
    SparkplugValueMapper mapper;
    MetricValues values;
    QStringList problems;
    SparkplugMetric null = metric("n", DT::Double, std::monostate());
    null.isNull = true;
    QCOMPARE(mapper.append(n, null, &values, &problems), 0);
    SparkplugTemplate def;
    def.isDefinition = true;
    def.metrics.append(metric("x", DT::Int32, qint64(1)));
    QCOMPARE(mapper.append(n, metric("d", DT::Template, SparkplugBox<SparkplugTemplate>(def)), &values, &problems), 0);
    SparkplugMetric invalid = metric("i", DT::Int32, std::monostate());
    invalid.invalid = QStringLiteral("broken");
    QCOMPARE(mapper.append(QStringLiteral("i"), invalid, &values, &problems), 0);
    QCOMPARE(problems, QStringList{QStringLiteral("i: broken")});
    QCOMPARE(mapper.append(n, metric("a", DT::Int16Array, QList<qint64>{1, 2, 3}), &values, &problems), 1);
    QCOMPARE(values.last().text, QStringLiteral("[1, 2, 3]"));
    QCOMPARE(values.last().type, MetricType::String);
}

void TestSparkplugCodec::rendering()
{
    QList<quint64> many(50000, 12345);
    const QString text = SparkplugValueMapper::render(sparkplugCode(DT::UInt32Array), many);
    QVERIFY(text.size() <= MetricValue::kMaxStringBytes);
    QVERIFY(text.endsWith(u"… (50000 values)]"));
    QCOMPARE(SparkplugValueMapper::render(sparkplugCode(DT::Bytes), QByteArray("\x01\xab", 2)), QStringLiteral("Bytes (2): 01 ab"));
    QCOMPARE(SparkplugValueMapper::render(sparkplugCode(DT::Bytes), QByteArray(100, 'a')).right(2), QStringLiteral(" …"));
    SparkplugMetaData meta;
    meta.fileName = QStringLiteral("fw.bin");
    QCOMPARE(SparkplugValueMapper::render(sparkplugCode(DT::File), QByteArray(12, 'a'), meta), QStringLiteral("File fw.bin (12 bytes)"));
    QCOMPARE(SparkplugValueMapper::render(sparkplugCode(DT::File), QByteArray(3, 'a')), QStringLiteral("File (3 bytes)"));
    QCOMPARE(SparkplugValueMapper::render(sparkplugCode(DT::FloatArray), QList<float>{1.5f, 0.1f}), QStringLiteral("[1.5, 0.1]"));
    QCOMPARE(SparkplugValueMapper::render(sparkplugCode(DT::BooleanArray), QList<bool>{}), QStringLiteral("[]"));
}

void TestSparkplugCodec::templateFlattening()
{
    SparkplugTemplate motor;
    motor.templateRef = QStringLiteral("Motor");
    motor.metrics.append(metric("rpm", DT::UInt32, quint64(1500)));
    SparkplugMetric nullMember = metric("fault", DT::String, std::monostate());
    nullMember.isNull = true;
    motor.metrics.append(nullMember);
    SparkplugTemplate pump;
    pump.templateRef = QStringLiteral("Pump");
    pump.metrics.append(metric("on", DT::Boolean, true));
    pump.metrics.append(metric("motor", DT::Template, SparkplugBox<SparkplugTemplate>(motor)));
    pump.metrics.append(metric("", DT::Int32, qint64(1)));  // nameless member
    SparkplugValueMapper mapper;
    MetricValues values;
    QStringList problems;
    QCOMPARE(mapper.append(QStringLiteral("Pumps/P1"),
                           metric("x", DT::Template, SparkplugBox<SparkplugTemplate>(pump)), &values, &problems), 2);
    QCOMPARE(values.at(0).name, QStringLiteral("Pumps/P1/on"));
    QCOMPARE(values.at(0).type, MetricType::Bool);
    QCOMPARE(values.at(1).name, QStringLiteral("Pumps/P1/motor/rpm"));
    QCOMPARE(values.at(1).integer, 1500);
    QCOMPARE(problems, QStringList{QStringLiteral("Pumps/P1: a template member without a name")});
    // Flattened names are interned.
    MetricValues again;
    mapper.append(QStringLiteral("Pumps/P1"), metric("x", DT::Template, SparkplugBox<SparkplugTemplate>(pump)), &again, &problems);
    QVERIFY(again.at(1).name.isSharedWith(values.at(1).name));
}

QTEST_APPLESS_MAIN(TestSparkplugCodec)
#include "test_sparkplug_codec.moc"
