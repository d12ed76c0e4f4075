// Protocol v1 payload codec: a table of valid and malformed payloads, each with the
// expected outcome (accepted, or the reject reason).
#include "core/protocol/payload_codec.h"
#include "core/protocol/telemetry_fast_parser.h"
#include "tests/support/linear_cost.h"

#include <QTest>

#include <bit>
#include <cmath>

using namespace fd;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(fd::RejectReason)

namespace {
constexpr int kAccepted = -1;

template <typename T>
QByteArray detailOf(const Decoded<T> &result)
{
    const auto *err = std::get_if<DecodeError>(&result);
    return err ? err->detail.toUtf8() : QByteArray();
}
} // namespace

class TestPayloadCodec : public QObject
{
    Q_OBJECT
private slots:
    void telemetry_data();
    void telemetry();
    void status_data();
    void status();
    void telemetryRoundTrip();
    void statusRoundTrip();
    void oversizeUsesConfiguredLimit();
    void metricNamesAreInterned();
    void fastAndGeneralPathsAgree_data();
    void fastAndGeneralPathsAgree();
    void fastPathEqualsGeneralDecoder_data();
    void fastPathEqualsGeneralDecoder();
    void leadingByteOrderMarkIsNoPartOfAName();
    void leadingByteOrderMarkIsNoPartOfAnAttribute();
    void tags_data();
    void tags();
    void tagsRoundTrip();
    void leadingByteOrderMarkIsNoPartOfATag();
    void equalTagListsAreShared();
    void manyMetricNamesCostLinearTime();
    void duplicateNameAmongManyDeclines();
};

void TestPayloadCodec::telemetry_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("expected");  // kAccepted or int(RejectReason)

    const auto reason = [](RejectReason r) { return int(r); };
    QTest::newRow("minimal") << QByteArray(R"({"ts":1700000000000,"seq":1,"metrics":{"t":21.5}})") << kAccepted;
    QTest::newRow("empty metrics") << QByteArray(R"({"ts":0,"seq":0,"metrics":{}})") << kAccepted;
    QTest::newRow("unknown fields ignored")
        << QByteArray(R"({"ts":1,"seq":2,"metrics":{"a":1},"extra":{"x":[1,2]},"v":"1"})") << kAccepted;
    QTest::newRow("negative and exponent values")
        << QByteArray(R"({"ts":1,"seq":2,"metrics":{"a":-1.5e3,"b":0}})") << kAccepted;
    QTest::newRow("whitespace") << QByteArray(" \n{ \"ts\" : 1 , \"seq\" : 2 , \"metrics\" : { } }\n") << kAccepted;

    QTest::newRow("empty payload") << QByteArray() << reason(RejectReason::BadJson);
    QTest::newRow("not json") << QByteArray("hello") << reason(RejectReason::BadJson);
    QTest::newRow("truncated") << QByteArray(R"({"ts":1,"seq":2,"metrics":{"a":1)") << reason(RejectReason::BadJson);
    QTest::newRow("array") << QByteArray("[1,2,3]") << reason(RejectReason::BadJson);
    QTest::newRow("binary") << QByteArray("\x00\xff\xfe", 3) << reason(RejectReason::BadJson);
    QTest::newRow("NaN literal") << QByteArray(R"({"ts":1,"seq":2,"metrics":{"a":NaN}})") << reason(RejectReason::BadJson);
    QTest::newRow("missing ts") << QByteArray(R"({"seq":2,"metrics":{}})") << reason(RejectReason::MissingField);
    QTest::newRow("missing seq") << QByteArray(R"({"ts":2,"metrics":{}})") << reason(RejectReason::MissingField);
    QTest::newRow("missing metrics") << QByteArray(R"({"ts":1,"seq":2})") << reason(RejectReason::MissingField);
    QTest::newRow("ts as string") << QByteArray(R"({"ts":"1","seq":2,"metrics":{}})") << reason(RejectReason::WrongType);
    QTest::newRow("ts negative") << QByteArray(R"({"ts":-5,"seq":2,"metrics":{}})") << reason(RejectReason::WrongType);
    QTest::newRow("seq fractional") << QByteArray(R"({"ts":1,"seq":2.5,"metrics":{}})") << reason(RejectReason::WrongType);
    QTest::newRow("seq null") << QByteArray(R"({"ts":1,"seq":null,"metrics":{}})") << reason(RejectReason::WrongType);
    QTest::newRow("metrics array") << QByteArray(R"({"ts":1,"seq":2,"metrics":[1]})") << reason(RejectReason::WrongType);
    QTest::newRow("metric string") << QByteArray(R"({"ts":1,"seq":2,"metrics":{"t":"21"}})") << reason(RejectReason::WrongType);
    QTest::newRow("metric bool") << QByteArray(R"({"ts":1,"seq":2,"metrics":{"t":true}})") << reason(RejectReason::WrongType);
    QTest::newRow("metric object") << QByteArray(R"({"ts":1,"seq":2,"metrics":{"t":{}}})") << reason(RejectReason::WrongType);
    QTest::newRow("metric empty name") << QByteArray(R"({"ts":1,"seq":2,"metrics":{"":1}})") << reason(RejectReason::WrongType);
    // Shapes the fast path declines: the general decoder decides (docs: TelemetryFastParser).
    QTest::newRow("duplicate key") << QByteArray(R"({"ts":1,"seq":2,"seq":3,"metrics":{}})") << kAccepted;
    QTest::newRow("escaped metric name") << QByteArray(R"({"ts":1,"seq":2,"metrics":{"t\u0065mp":1}})") << kAccepted;
    QTest::newRow("non-ASCII metric name") << QByteArray("{\"ts\":1,\"seq\":2,\"metrics\":{\"temp\xc3\xa9\":1}}") << kAccepted;
    QTest::newRow("integral as 1.0 and 1e3") << QByteArray(R"({"ts":1e3,"seq":1.0,"metrics":{"a":-0}})") << kAccepted;
    QTest::newRow("leading zero") << QByteArray(R"({"ts":01,"seq":2,"metrics":{}})") << reason(RejectReason::BadJson);
    QTest::newRow("plus sign") << QByteArray(R"({"ts":+1,"seq":2,"metrics":{}})") << reason(RejectReason::BadJson);
    // QJsonDocument is lenient here; the fast path declines them, so the result stays Qt's.
    QTest::newRow("dangling dot (Qt accepts)") << QByteArray(R"({"ts":1,"seq":2,"metrics":{"a":1.}})") << kAccepted;
    QTest::newRow("trailing comma") << QByteArray(R"({"ts":1,"seq":2,"metrics":{"a":1,}})") << reason(RejectReason::BadJson);
    QTest::newRow("trailing garbage") << QByteArray(R"({"ts":1,"seq":2,"metrics":{}}x)") << reason(RejectReason::BadJson);
    QTest::newRow("control char in name (Qt accepts)") << QByteArray("{\"ts\":1,\"seq\":2,\"metrics\":{\"a\x01\":1}}") << kAccepted;
    // "\ud800" alone is not text: stored as UTF-8 it would collide with "\udbff" (issue 8).
    QTest::newRow("lone surrogate in metric name") << QByteArray(R"({"ts":1,"seq":2,"metrics":{"m\ud800":1}})") << reason(RejectReason::WrongType);
    QTest::newRow("surrogate pair in metric name") << QByteArray(R"({"ts":1,"seq":2,"metrics":{"m\ud83d\ude00":1}})") << kAccepted;
    QTest::newRow("ts above 2^53") << QByteArray(R"({"ts":9007199254740993000,"seq":2,"metrics":{}})") << reason(RejectReason::WrongType);
    // 2^53 + 1 parses to the double 2^53: it must not slip through after rounding.
    QTest::newRow("seq 2^53 + 1 (rounds to 2^53)") << QByteArray(R"({"ts":1,"seq":9007199254740993,"metrics":{}})") << reason(RejectReason::WrongType);
    QTest::newRow("seq 2^53") << QByteArray(R"({"ts":1,"seq":9007199254740992,"metrics":{}})") << reason(RejectReason::WrongType);
    QTest::newRow("seq 2^53 - 1 (largest exact)") << QByteArray(R"({"ts":1,"seq":9007199254740991,"metrics":{}})") << kAccepted;
    // Found by fuzzing: a leading byte order mark is no part of a name (QJsonDocument drops
    // it when written plainly), so these are two keys that both read "t"; one sample must not
    // carry "t" twice.
    QTest::newRow("metric names that read the same (leading BOM)")
        << QByteArray("{\"ts\":1,\"seq\":2,\"metrics\":{\"\xef\xbb\xbft\":1,\"t\":2}}") << reason(RejectReason::WrongType);
    QTest::newRow("metric names that read the same (escaped leading BOM)")
        << QByteArray(R"({"ts":1,"seq":2,"metrics":{"\ufeff\ufefft":1,"t":2}})") << reason(RejectReason::WrongType);
    QTest::newRow("metric name of byte order marks only")
        << QByteArray(R"({"ts":1,"seq":2,"metrics":{"\ufeff":1}})") << reason(RejectReason::WrongType);
    QTest::newRow("metric name with a leading BOM alone")
        << QByteArray("{\"ts\":1,\"seq\":2,\"metrics\":{\"\xef\xbb\xbft\":1,\"u\":2}}") << kAccepted;
    QTest::newRow("metric name too long") << (QByteArray(R"({"ts":1,"seq":2,"metrics":{")") + QByteArray(129, 'n') + QByteArray(R"(":1}})"))
                                          << reason(RejectReason::WrongType);
    QTest::newRow("oversize") << (QByteArray(R"({"ts":1,"seq":2,"metrics":{},"pad":")")
                                  + QByteArray(PayloadCodec::kDefaultMaxPayloadBytes, 'x') + QByteArray("\"}"))
                              << reason(RejectReason::Oversize);
}

void TestPayloadCodec::telemetry()
{
    QFETCH(QByteArray, payload);
    QFETCH(int, expected);
    PayloadCodec codec;
    const auto result = codec.decodeTelemetry(QStringLiteral("dev-1"), payload);
    if (expected == kAccepted) {
        QVERIFY2(std::holds_alternative<TelemetrySample>(result), detailOf(result).constData());
        QCOMPARE(std::get<TelemetrySample>(result).deviceId, QStringLiteral("dev-1"));
    } else {
        QVERIFY(std::holds_alternative<DecodeError>(result));
        const DecodeError &err = std::get<DecodeError>(result);
        QCOMPARE(int(err.reason), expected);
        QVERIFY2(!err.detail.isEmpty(), "every reject carries a reason for the operator");
    }
}

void TestPayloadCodec::status_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("expected");
    const auto reason = [](RejectReason r) { return int(r); };
    QTest::newRow("full") << QByteArray(R"({"online":true,"name":"Pump 4","model":"TH-100","fw_version":"1.2.3","site":"Lyon"})") << kAccepted;
    QTest::newRow("last will") << QByteArray(R"({"online":false})") << kAccepted;
    QTest::newRow("null attribute") << QByteArray(R"({"online":true,"name":null})") << kAccepted;
    QTest::newRow("unknown fields") << QByteArray(R"({"online":true,"uptime":5})") << kAccepted;
    QTest::newRow("missing online") << QByteArray(R"({"name":"x"})") << reason(RejectReason::MissingField);
    QTest::newRow("online as string") << QByteArray(R"({"online":"true"})") << reason(RejectReason::WrongType);
    QTest::newRow("online as number") << QByteArray(R"({"online":1})") << reason(RejectReason::WrongType);
    QTest::newRow("name as number") << QByteArray(R"({"online":true,"name":5})") << reason(RejectReason::WrongType);
    QTest::newRow("site too long") << (QByteArray(R"({"online":true,"site":")") + QByteArray(300, 's') + QByteArray("\"}"))
                                   << reason(RejectReason::WrongType);
    QTest::newRow("lone surrogate in site") << QByteArray(R"({"online":true,"site":"\udc00"})") << reason(RejectReason::WrongType);
    QTest::newRow("not json") << QByteArray("online") << reason(RejectReason::BadJson);
    QTest::newRow("empty (retained clear)") << QByteArray() << reason(RejectReason::BadJson);
}

void TestPayloadCodec::status()
{
    QFETCH(QByteArray, payload);
    QFETCH(int, expected);
    PayloadCodec codec;
    const auto result = codec.decodeStatus(QStringLiteral("dev-1"), payload);
    if (expected == kAccepted) {
        QVERIFY2(std::holds_alternative<DeviceStatus>(result), detailOf(result).constData());
    } else {
        QVERIFY(std::holds_alternative<DecodeError>(result));
        QCOMPARE(int(std::get<DecodeError>(result).reason), expected);
        QVERIFY(!std::get<DecodeError>(result).detail.isEmpty());
    }
}

void TestPayloadCodec::telemetryRoundTrip()
{
    TelemetrySample in;
    in.deviceId = QStringLiteral("sensor-7");
    in.timestampMs = 1764145000123;
    in.seq = 4294967296ULL + 5;
    in.metrics = {{QStringLiteral("temperature"), 21.37}, {QStringLiteral("rssi"), -71},
                  {QStringLiteral("tiny"), 1e-9}, {QStringLiteral("third"), 0.1 + 0.2}};
    PayloadCodec codec;
    const auto out = codec.decodeTelemetry(in.deviceId, PayloadCodec::encodeTelemetry(in));
    QVERIFY(std::holds_alternative<TelemetrySample>(out));
    const TelemetrySample &s = std::get<TelemetrySample>(out);
    QCOMPARE(s.timestampMs, in.timestampMs);
    QCOMPARE(s.seq, in.seq);
    QCOMPARE(s.metrics.size(), in.metrics.size());
    for (const MetricValue &m : in.metrics) {
        const double *v = findMetric(s.metrics, m.name);
        QVERIFY2(v, qPrintable(m.name));
        QCOMPARE(*v, m.value);  // exact: doubles survive the round trip bit for bit
    }
}

void TestPayloadCodec::statusRoundTrip()
{
    DeviceStatus in;
    in.deviceId = QStringLiteral("d");
    in.online = true;
    in.name = QStringLiteral("Kühlhaus \"Nord\" <b>"); // quotes, umlaut and markup survive as text
    in.site = QStringLiteral("Lyon");
    PayloadCodec codec;
    const auto out = codec.decodeStatus(in.deviceId, PayloadCodec::encodeStatus(in));
    QVERIFY(std::holds_alternative<DeviceStatus>(out));
    const DeviceStatus &s = std::get<DeviceStatus>(out);
    QCOMPARE(s.online, true);
    QCOMPARE(s.name, in.name);
    QCOMPARE(s.site, in.site);
    QVERIFY(!s.model.has_value());
    QVERIFY(!s.certSerial.has_value());
    // The certificate the device connected with (issue 14).
    in.certSerial = QStringLiteral("5A0C93E1D2F40B17");
    const auto withCert = codec.decodeStatus(in.deviceId, PayloadCodec::encodeStatus(in));
    QCOMPARE(std::get<DeviceStatus>(withCert).certSerial, in.certSerial);
    const auto wrongType = codec.decodeStatus(in.deviceId, R"({"online":true,"cert_serial":42})");
    QVERIFY(std::holds_alternative<DecodeError>(wrongType));
}

void TestPayloadCodec::oversizeUsesConfiguredLimit()
{
    PayloadCodec codec(64);
    const QByteArray ok = R"({"ts":1,"seq":1,"metrics":{"a":1}})";
    QVERIFY(std::holds_alternative<TelemetrySample>(codec.decodeTelemetry(QStringLiteral("d"), ok)));
    const QByteArray big = R"({"ts":1,"seq":1,"metrics":{"a":1},"padding":"0123456789012345678901234567890"})";
    const auto r = codec.decodeTelemetry(QStringLiteral("d"), big);
    QVERIFY(std::holds_alternative<DecodeError>(r));
    QCOMPARE(std::get<DecodeError>(r).reason, RejectReason::Oversize);
    QVERIFY(std::get<DecodeError>(r).detail.contains(QStringLiteral("64")));
}

void TestPayloadCodec::metricNamesAreInterned()
{
    PayloadCodec codec;
    const QByteArray p = R"({"ts":1,"seq":1,"metrics":{"temperature":1}})";
    const auto a = std::get<TelemetrySample>(codec.decodeTelemetry(QStringLiteral("d"), p));
    const auto b = std::get<TelemetrySample>(codec.decodeTelemetry(QStringLiteral("d"), p));
    QVERIFY(a.metrics.at(0).name.isSharedWith(b.metrics.at(0).name));
}

// The usual shape goes through TelemetryFastParser, everything else through QJsonDocument;
// both must give the same sample (values bit for bit, metrics in name order).
void TestPayloadCodec::fastAndGeneralPathsAgree_data()
{
    QTest::addColumn<QByteArray>("usual");    // fast path
    QTest::addColumn<QByteArray>("unusual");  // same content plus an unknown field: general path
    const QByteArray metrics = R"({"rssi":-67,"humidity":48.2,"temperature":21.4,"battery":87.5,"tiny":1e-9,"e":-1.5E+3,"z":0.30000000000000004})";
    QTest::newRow("typical") << (R"({"ts":1764145000123,"seq":4711,"metrics":)" + metrics + "}")
                             << (R"({"ts":1764145000123,"extra":[1,{"a":null}],"seq":4711,"metrics":)" + metrics + "}");
    QTest::newRow("key order and whitespace")
        << QByteArray(" {\"metrics\" :{ \"b\":2 ,\"a\":1 }, \"seq\":9007199254740991,\t\"ts\":0 }\r\n")
        << QByteArray(R"({"metrics":{"b":2,"a":1},"seq":9007199254740991,"ts":0,"v":"1"})");
}

void TestPayloadCodec::fastAndGeneralPathsAgree()
{
    QFETCH(QByteArray, usual);
    QFETCH(QByteArray, unusual);
    PayloadCodec codec;
    const auto a = codec.decodeTelemetry(QStringLiteral("d"), usual);
    const auto b = codec.decodeTelemetry(QStringLiteral("d"), unusual);
    QVERIFY2(std::holds_alternative<TelemetrySample>(a), detailOf(a).constData());
    QVERIFY2(std::holds_alternative<TelemetrySample>(b), detailOf(b).constData());
    const TelemetrySample &fast = std::get<TelemetrySample>(a);
    const TelemetrySample &general = std::get<TelemetrySample>(b);
    QCOMPARE(fast.timestampMs, general.timestampMs);
    QCOMPARE(fast.seq, general.seq);
    QCOMPARE(fast.metrics.size(), general.metrics.size());
    for (qsizetype i = 0; i < fast.metrics.size(); ++i) {
        QCOMPARE(fast.metrics.at(i).name, general.metrics.at(i).name);
        QCOMPARE(fast.metrics.at(i).value, general.metrics.at(i).value);
        QVERIFY(fast.metrics.at(i).name.isSharedWith(general.metrics.at(i).name));  // one interned name
    }
}

// decodeTelemetry (fast path first) against decodeTelemetryGeneral (QJsonDocument only) on
// the same bytes, values bit for bit. Rows: what fuzz/fuzz_payload_parsers found, and
// number forms near it.
void TestPayloadCodec::fastPathEqualsGeneralDecoder_data()
{
    QTest::addColumn<QByteArray>("payload");
    // Found by fuzzing: the fast path gave -0.0, QJsonDocument 0 (it keeps whole numbers as
    // integers).
    QTest::newRow("negative zero") << QByteArray(R"({"ts":1,"seq":2,"metrics":{"a":-0,"b":-0.0,"c":-0e5,"d":-0.0E-7}})");
    QTest::newRow("positive zero") << QByteArray(R"({"ts":0,"seq":0,"metrics":{"a":0,"b":0.0,"c":0e5}})");
    QTest::newRow("tiny and huge") << QByteArray(R"({"ts":1,"seq":2,"metrics":{"a":5e-324,"b":-1.7976931348623157e308,"c":2.2250738585072014e-308}})");
    QTest::newRow("whole numbers beyond 2^63") << QByteArray(R"({"ts":1,"seq":2,"metrics":{"a":-9223372036854775809,"b":18446744073709551616}})");
}

void TestPayloadCodec::fastPathEqualsGeneralDecoder()
{
    QFETCH(QByteArray, payload);
    PayloadCodec codec;
    const auto hot = codec.decodeTelemetry(QStringLiteral("d"), payload);
    const auto general = codec.decodeTelemetryGeneral(QStringLiteral("d"), payload);
    QVERIFY2(std::holds_alternative<TelemetrySample>(hot), detailOf(hot).constData());
    QVERIFY2(std::holds_alternative<TelemetrySample>(general), detailOf(general).constData());
    const TelemetrySample &a = std::get<TelemetrySample>(hot);
    const TelemetrySample &b = std::get<TelemetrySample>(general);
    QCOMPARE(a.timestampMs, b.timestampMs);
    QCOMPARE(a.seq, b.seq);
    QCOMPARE(a.metrics.size(), b.metrics.size());
    for (qsizetype i = 0; i < a.metrics.size(); ++i) {
        QCOMPARE(a.metrics.at(i).name, b.metrics.at(i).name);
        // QCOMPARE(double) takes -0.0 == 0.0: compare the bits.
        QCOMPARE(std::bit_cast<quint64>(a.metrics.at(i).value), std::bit_cast<quint64>(b.metrics.at(i).value));
        if (a.metrics.at(i).value == 0)
            QVERIFY2(!std::signbit(a.metrics.at(i).value), "a JSON zero is read as 0, never -0.0");
    }
}

// Found by fuzzing: "\ufefft" read as "\uFEFFt", but after encodeTelemetry (which writes
// U+FEFF unescaped) as "t". However it is written, the name is "t", and a round trip keeps it.
void TestPayloadCodec::leadingByteOrderMarkIsNoPartOfAName()
{
    PayloadCodec codec;
    for (const QByteArray &payload : {QByteArray(R"({"ts":1,"seq":2,"metrics":{"\ufefft\ufeff":1}})"),
                                      QByteArray("{\"ts\":1,\"seq\":2,\"metrics\":{\"\xef\xbb\xbft\xef\xbb\xbf\":1}}")}) {
        const auto decoded = codec.decodeTelemetry(QStringLiteral("d"), payload);
        QVERIFY2(std::holds_alternative<TelemetrySample>(decoded), detailOf(decoded).constData());
        const TelemetrySample &sample = std::get<TelemetrySample>(decoded);
        QCOMPARE(sample.metrics.size(), 1);
        QCOMPARE(sample.metrics.at(0).name, QStringLiteral("t\uFEFF"));  // only a leading one goes
        const auto again = codec.decodeTelemetry(QStringLiteral("d"), PayloadCodec::encodeTelemetry(sample));
        QVERIFY2(std::holds_alternative<TelemetrySample>(again), detailOf(again).constData());
        QCOMPARE(std::get<TelemetrySample>(again).metrics, sample.metrics);
    }
}

// The same for status attributes, which the inventory groups and filters by (site, model,
// firmware): "\ufeffLyon" and "Lyon" are one site, and a round trip keeps it.
void TestPayloadCodec::leadingByteOrderMarkIsNoPartOfAnAttribute()
{
    PayloadCodec codec;
    const auto decoded = codec.decodeStatus(QStringLiteral("d"), R"({"online":true,"site":"\ufeffLyon","name":"\ufeff"})");
    QVERIFY(std::holds_alternative<DeviceStatus>(decoded));
    const DeviceStatus &status = std::get<DeviceStatus>(decoded);
    QCOMPARE(status.site.value_or(QString()), QStringLiteral("Lyon"));
    QVERIFY(status.name.has_value() && status.name->isEmpty());  // present, and empty
    const auto again = codec.decodeStatus(QStringLiteral("d"), PayloadCodec::encodeStatus(status));
    QVERIFY(std::holds_alternative<DeviceStatus>(again));
    QCOMPARE(std::get<DeviceStatus>(again).site, status.site);
    QCOMPARE(std::get<DeviceStatus>(again).name, status.name);
}

namespace {
QByteArray statusWithTags(const QByteArray &tags)
{
    return R"({"online":true,"site":"Lyon","tags":)" + tags + "}";
}

// ["0xx...","1xx...",...]: count distinct tags of length characters.
QByteArray tagArray(int count, int length)
{
    QByteArray array("[");
    for (int i = 0; i < count; ++i) {
        if (i > 0)
            array += ',';
        const QByteArray n = QByteArray::number(i);
        array += '"' + n + QByteArray(qMax(0, length - int(n.size())), 'x') + '"';
    }
    return array + ']';
}

QStringList tagList(int count, int length)
{
    QStringList tags;
    for (int i = 0; i < count; ++i) {
        const QString n = QString::number(i);
        tags.append(n + QString(qMax(0, length - int(n.size())), u'x'));
    }
    return tags;
}
} // namespace

// "tags" (docs/protocol.md): absent or null -> unchanged (nullopt), [] -> cleared (an empty
// list), otherwise 1-64 characters each without control characters, at most 32 elements,
// repeats dropped in the device's order; anything else rejects the status as wrong_type.
void TestPayloadCodec::tags_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("expected");  // kAccepted or int(RejectReason)
    QTest::addColumn<bool>("present");
    QTest::addColumn<QStringList>("tags");
    const int wrongType = int(RejectReason::WrongType);
    const QStringList none;

    QTest::newRow("two") << statusWithTags(R"(["freezer","critical-path"])") << kAccepted << true
                         << QStringList{u"freezer"_s, u"critical-path"_s};
    QTest::newRow("order kept") << statusWithTags(R"(["b","a","c"])") << kAccepted << true
                                << QStringList{u"b"_s, u"a"_s, u"c"_s};
    QTest::newRow("repeats dropped, first place kept")
        << statusWithTags(R"(["b","a","b","a","c"])") << kAccepted << true << QStringList{u"b"_s, u"a"_s, u"c"_s};
    QTest::newRow("case sensitive") << statusWithTags(R"(["Freezer","freezer"])") << kAccepted << true
                                    << QStringList{u"Freezer"_s, u"freezer"_s};
    QTest::newRow("spaces, unicode, markup as text")
        << statusWithTags(R"(["cold room","K\u00fchlhaus","<b>x</b>","\ud83d\ude00"])") << kAccepted << true
        << QStringList{u"cold room"_s, u"K\u00fchlhaus"_s, u"<b>x</b>"_s, u"\U0001F600"_s};
    QTest::newRow("absent") << QByteArray(R"({"online":true,"site":"Lyon"})") << kAccepted << false << none;
    QTest::newRow("null") << statusWithTags("null") << kAccepted << false << none;
    QTest::newRow("empty array clears") << statusWithTags("[]") << kAccepted << true << none;
    QTest::newRow("last will") << QByteArray(R"({"online":false})") << kAccepted << false << none;
    QTest::newRow("32 tags of 64") << statusWithTags(tagArray(32, 64)) << kAccepted << true << tagList(32, 64);
    QTest::newRow("33 with repeats") << statusWithTags("[" + QByteArray("\"a\",").repeated(32) + "\"a\"]")
                                     << wrongType << false << none;

    QTest::newRow("a string") << statusWithTags(R"("freezer")") << wrongType << false << none;
    QTest::newRow("an object") << statusWithTags(R"({"a":1})") << wrongType << false << none;
    QTest::newRow("a number") << statusWithTags("1") << wrongType << false << none;
    QTest::newRow("a bool") << statusWithTags("true") << wrongType << false << none;
    QTest::newRow("null element") << statusWithTags(R"(["a",null])") << wrongType << false << none;
    QTest::newRow("number element") << statusWithTags(R"(["a",5])") << wrongType << false << none;
    QTest::newRow("array element") << statusWithTags(R"([["a"]])") << wrongType << false << none;
    QTest::newRow("object element") << statusWithTags(R"([{}])") << wrongType << false << none;
    QTest::newRow("empty tag") << statusWithTags(R"(["a",""])") << wrongType << false << none;
    QTest::newRow("33 tags") << statusWithTags(tagArray(33, 3)) << wrongType << false << none;
    QTest::newRow("65 characters") << statusWithTags(tagArray(1, 65)) << wrongType << false << none;
    QTest::newRow("tab") << statusWithTags(R"(["a\tb"])") << wrongType << false << none;
    QTest::newRow("newline") << statusWithTags(R"(["a\n"])") << wrongType << false << none;
    QTest::newRow("NUL") << statusWithTags(R"(["a\u0000b"])") << wrongType << false << none;
    QTest::newRow("unit separator") << statusWithTags(R"(["a\u001fb"])") << wrongType << false << none;
    QTest::newRow("DEL") << statusWithTags(R"(["a\u007f"])") << wrongType << false << none;
    QTest::newRow("C1 control") << statusWithTags(R"(["a\u0085"])") << wrongType << false << none;
    QTest::newRow("lone surrogate") << statusWithTags(R"(["\ud800"])") << wrongType << false << none;
}

void TestPayloadCodec::tags()
{
    QFETCH(QByteArray, payload);
    QFETCH(int, expected);
    QFETCH(bool, present);
    QFETCH(QStringList, tags);
    PayloadCodec codec;
    const auto result = codec.decodeStatus(QStringLiteral("dev-1"), payload);
    if (expected != kAccepted) {
        QVERIFY2(std::holds_alternative<DecodeError>(result), payload.constData());
        QCOMPARE(int(std::get<DecodeError>(result).reason), expected);
        QVERIFY2(std::get<DecodeError>(result).detail.contains(u"tag"_s), detailOf(result).constData());
        return;
    }
    QVERIFY2(std::holds_alternative<DeviceStatus>(result), detailOf(result).constData());
    const DeviceStatus &status = std::get<DeviceStatus>(result);
    QCOMPARE(status.tags.has_value(), present);
    if (present)
        QCOMPARE(*status.tags, tags);
    QCOMPARE(status.online, !payload.contains("false"));  // the rest of the status is read as before
}

void TestPayloadCodec::tagsRoundTrip()
{
    PayloadCodec codec;
    const QList<std::optional<QStringList>> cases = {
        std::nullopt,
        QStringList(),
        QStringList{u"freezer"_s, u"K\u00fchl \"Nord\""_s, u"<i>pilot</i>"_s},
    };
    for (const std::optional<QStringList> &tags : cases) {
        DeviceStatus in;
        in.deviceId = u"d"_s;
        in.online = true;
        in.tags = tags;
        const QByteArray encoded = PayloadCodec::encodeStatus(in);
        QCOMPARE(encoded.contains("\"tags\""), tags.has_value());  // absent stays absent
        const auto out = codec.decodeStatus(in.deviceId, encoded);
        QVERIFY2(std::holds_alternative<DeviceStatus>(out), detailOf(out).constData());
        QCOMPARE(std::get<DeviceStatus>(out).tags, in.tags);
    }
}

// Like the attributes: "\ufefffreezer" is the tag "freezer" (and so a repeat of it), written
// escaped or not, and a round trip keeps it; a tag of nothing but byte order marks is empty.
void TestPayloadCodec::leadingByteOrderMarkIsNoPartOfATag()
{
    PayloadCodec codec;
    for (const QByteArray &payload : {statusWithTags(R"(["\ufefffreezer","freezer","\ufeffa\ufeff"])"),
                                      statusWithTags("[\"\xef\xbb\xbf" "freezer\",\"freezer\",\"\xef\xbb\xbf" "a\\ufeff\"]")}) {
        const auto decoded = codec.decodeStatus(u"d"_s, payload);
        QVERIFY2(std::holds_alternative<DeviceStatus>(decoded), detailOf(decoded).constData());
        const DeviceStatus &status = std::get<DeviceStatus>(decoded);
        // Only a leading one goes.
        QCOMPARE(status.tags.value_or(QStringList()), (QStringList{u"freezer"_s, u"a\uFEFF"_s}));
        const auto again = codec.decodeStatus(u"d"_s, PayloadCodec::encodeStatus(status));
        QVERIFY2(std::holds_alternative<DeviceStatus>(again), detailOf(again).constData());
        QCOMPARE(std::get<DeviceStatus>(again).tags, status.tags);
    }
    for (const QByteArray &onlyBom : {statusWithTags(R"(["\ufeff"])"), statusWithTags("[\"\xef\xbb\xbf\"]")}) {
        const auto decoded = codec.decodeStatus(u"d"_s, onlyBom);
        QVERIFY(std::holds_alternative<DecodeError>(decoded));
        QCOMPARE(std::get<DecodeError>(decoded).reason, RejectReason::WrongType);
    }
}

// A million devices with the same tags hold one list: the codec hands out the list it
// decoded first for equal tags (as it interns metric names).
void TestPayloadCodec::equalTagListsAreShared()
{
    PayloadCodec codec;
    const auto a = codec.decodeStatus(u"a"_s, statusWithTags(R"(["freezer","pilot"])"));
    const auto b = codec.decodeStatus(u"b"_s, statusWithTags(R"(["freezer","pilot","freezer"])"));
    const auto c = codec.decodeStatus(u"c"_s, statusWithTags(R"(["pilot","freezer"])"));
    QVERIFY(std::holds_alternative<DeviceStatus>(a) && std::holds_alternative<DeviceStatus>(b)
            && std::holds_alternative<DeviceStatus>(c));
    const QStringList &ta = *std::get<DeviceStatus>(a).tags;
    const QStringList &tb = *std::get<DeviceStatus>(b).tags;
    const QStringList &tc = *std::get<DeviceStatus>(c).tags;
    QCOMPARE(ta, tb);
    QCOMPARE(ta.constData(), tb.constData());  // one buffer
    QVERIFY(ta != tc);  // the order is the device's
}

namespace {
// Telemetry with n distinct metric names in descending order (the worst order for sorting
// them by insertion).
QByteArray manyMetrics(int n)
{
    QByteArray payload(R"({"ts":1700000000000,"seq":1,"metrics":{)");
    for (int i = n; i > 0; --i) {
        payload += "\"m" + QByteArray::number(i).rightJustified(6, '0') + "\":" + QByteArray::number(i);
        if (i > 1)
            payload += ',';
    }
    return payload + "}}";
}
} // namespace

void TestPayloadCodec::manyMetricNamesCostLinearTime()
{
    // One message may carry as many names as fit in the payload limit (about 15,000 in the
    // default 256 KiB). The names are put in order once per message: per name, a message of
    // 30,000 names must cost about what a message of 1,000 names costs (inserting each name
    // at its place cost 30x more per name).
    const QByteArray small = manyMetrics(1000);
    const QByteArray large = manyMetrics(30000);
    double ts = 0, seq = 0;
    TelemetryFastParser::Metrics metrics;
    QVERIFY(TelemetryFastParser::parse(large, &ts, &seq, &metrics));
    QCOMPARE(metrics.size(), 30000);
    QCOMPARE(metrics.front().name, QByteArrayView("m000001"));
    QCOMPARE(metrics.back().name, QByteArrayView("m030000"));
    const double perNameSmall =
        test::bestNsPerUnit([&] { TelemetryFastParser::parse(small, &ts, &seq, &metrics); }, 1000);
    const double perNameLarge =
        test::bestNsPerUnit([&] { TelemetryFastParser::parse(large, &ts, &seq, &metrics); }, 30000);
    qInfo("parse: %.0f ns per name with 1,000 names, %.0f ns per name with 30,000", perNameSmall, perNameLarge);
    QVERIFY2(perNameLarge < 4 * perNameSmall,
             qPrintable(QStringLiteral("%1 ns vs %2 ns per name").arg(perNameLarge).arg(perNameSmall)));
}

void TestPayloadCodec::duplicateNameAmongManyDeclines()
{
    QByteArray payload = manyMetrics(500);
    payload.insert(payload.indexOf("\"m000250\""), "\"m000003\":1,");
    double ts = 0, seq = 0;
    TelemetryFastParser::Metrics metrics;
    QVERIFY(!TelemetryFastParser::parse(payload, &ts, &seq, &metrics));
    // The general path keeps one of them, as before.
    PayloadCodec codec(1 << 20);
    const auto decoded = codec.decodeTelemetry(QStringLiteral("d"), payload);
    QVERIFY(std::holds_alternative<TelemetrySample>(decoded));
    QCOMPARE(std::get<TelemetrySample>(decoded).metrics.size(), 500);
}

QTEST_GUILESS_MAIN(TestPayloadCodec)
#include "test_payload_codec.moc"
