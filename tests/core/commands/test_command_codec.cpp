#include "core/commands/command_codec.h"
#include "core/commands/command_topics.h"

#include <QJsonDocument>
#include <QTest>

using namespace fd;
using namespace Qt::StringLiterals;

class TestCommandCodec : public QObject
{
    Q_OBJECT
private slots:
    void requestRoundTrip();
    void requestRejects_data();
    void requestRejects();
    void responseRoundTrip();
    void responseAcceptsMinimalAndNulls();
    void responseRejects_data();
    void responseRejects();
    void tokens_data();
    void tokens();
    void topics_data();
    void topics();
};

void TestCommandCodec::requestRoundTrip()
{
    CommandRequest r{u"a1b2c3d4-7"_s, u"set_interval"_s, QJsonObject{{u"interval_ms"_s, 5000}}, 1764145000123};
    const QByteArray json = CommandCodec::encodeRequest(r);
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    QCOMPARE(o.value(u"id"_s).toString(), r.id);
    QCOMPARE(o.value(u"name"_s).toString(), r.name);
    QCOMPARE(o.value(u"params"_s).toObject(), r.params);
    QCOMPARE(qint64(o.value(u"ts"_s).toDouble()), r.tsMs);

    CommandRequest back;
    QString why;
    QVERIFY2(CommandCodec::parseRequest(json, &back, &why), qPrintable(why));
    QCOMPARE(back.id, r.id);
    QCOMPARE(back.name, r.name);
    QCOMPARE(back.params, r.params);
    QCOMPARE(back.tsMs, r.tsMs);
}

void TestCommandCodec::requestRejects_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not json") << QByteArray("ping");
    QTest::newRow("array") << QByteArray(R"([{"id":"1","name":"ping"}])");
    QTest::newRow("no id") << QByteArray(R"({"name":"ping"})");
    QTest::newRow("no name") << QByteArray(R"({"id":"1"})");
    QTest::newRow("name with space") << QByteArray(R"({"id":"1","name":"rm -rf"})");
    QTest::newRow("params array") << QByteArray(R"({"id":"1","name":"ping","params":[1]})");
    QTest::newRow("ts negative") << QByteArray(R"({"id":"1","name":"ping","ts":-1})");
    QTest::newRow("ts string") << QByteArray(R"({"id":"1","name":"ping","ts":"1"})");
    QTest::newRow("oversize") << (QByteArray(R"({"id":"1","name":"ping","pad":")") + QByteArray(70000, 'x') + "\"}");
}

void TestCommandCodec::requestRejects()
{
    QFETCH(QByteArray, payload);
    CommandRequest r;
    QString why;
    QVERIFY(!CommandCodec::parseRequest(payload, &r, &why));
    QVERIFY(!why.isEmpty());
}

void TestCommandCodec::responseRoundTrip()
{
    CommandResponse r{u"x-1"_s, false, QJsonObject{{u"code"_s, 3}}, u"interval out of range"_s};
    CommandResponse back;
    QString why;
    QVERIFY2(CommandCodec::parseResponse(CommandCodec::encodeResponse(r), &back, &why), qPrintable(why));
    QCOMPARE(back.id, r.id);
    QCOMPARE(back.ok, false);
    QCOMPARE(back.result, r.result);
    QCOMPARE(back.error, r.error);
}

void TestCommandCodec::responseAcceptsMinimalAndNulls()
{
    CommandResponse r;
    QVERIFY(CommandCodec::parseResponse(R"({"id":"a-1","ok":true})", &r));
    QVERIFY(r.ok);
    QVERIFY(r.result.isEmpty());
    QVERIFY(r.error.isEmpty());
    QVERIFY(CommandCodec::parseResponse(R"({"id":"a-1","ok":false,"result":null,"error":null,"extra":[1,2]})", &r));
    QVERIFY(!r.ok);
}

void TestCommandCodec::responseRejects_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("binary") << QByteArray("\x00\xff\xfe{", 4);
    QTest::newRow("truncated") << QByteArray(R"({"id":"a-1","ok":tr)");
    QTest::newRow("array") << QByteArray(R"([{"id":"a-1","ok":true}])");
    QTest::newRow("string") << QByteArray(R"("ok")");
    QTest::newRow("no id") << QByteArray(R"({"ok":true})");
    QTest::newRow("id number") << QByteArray(R"({"id":1,"ok":true})");
    QTest::newRow("id empty") << QByteArray(R"({"id":"","ok":true})");
    QTest::newRow("id too long") << (R"({"id":")" + QByteArray(65, 'a') + R"(","ok":true})");
    QTest::newRow("id with slash") << QByteArray(R"({"id":"a/1","ok":true})");
    QTest::newRow("id non-ascii") << QByteArray(R"({"id":"a-é","ok":true})");
    QTest::newRow("no ok") << QByteArray(R"({"id":"a-1"})");
    QTest::newRow("ok string") << QByteArray(R"({"id":"a-1","ok":"true"})");
    QTest::newRow("ok number") << QByteArray(R"({"id":"a-1","ok":1})");
    QTest::newRow("result array") << QByteArray(R"({"id":"a-1","ok":true,"result":[1]})");
    QTest::newRow("result string") << QByteArray(R"({"id":"a-1","ok":true,"result":"done"})");
    QTest::newRow("error number") << QByteArray(R"({"id":"a-1","ok":false,"error":42})");
    QTest::newRow("error too long") << (R"({"id":"a-1","ok":false,"error":")" + QByteArray(1025, 'e') + "\"}");
    QTest::newRow("oversize") << (R"({"id":"a-1","ok":true,"result":{"blob":")" + QByteArray(70000, 'x') + "\"}}");
}

void TestCommandCodec::responseRejects()
{
    QFETCH(QByteArray, payload);
    CommandResponse r;
    QString why;
    QVERIFY(!CommandCodec::parseResponse(payload, &r, &why));
    QVERIFY(!why.isEmpty());
}

void TestCommandCodec::tokens_data()
{
    QTest::addColumn<QString>("token");
    QTest::addColumn<bool>("valid");
    QTest::newRow("simple") << u"ping"_s << true;
    QTest::newRow("all classes") << u"Aa0._-"_s << true;
    QTest::newRow("64") << QString(64, u'x') << true;
    QTest::newRow("65") << QString(65, u'x') << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("plus") << u"a+b"_s << false;
    QTest::newRow("hash") << u"a#"_s << false;
    QTest::newRow("space") << u"a b"_s << false;
}

void TestCommandCodec::tokens()
{
    QFETCH(QString, token);
    QFETCH(bool, valid);
    QCOMPARE(CommandCodec::isValidToken(token), valid);
}

void TestCommandCodec::topics_data()
{
    QTest::addColumn<QByteArray>("topic");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QByteArray>("device");
    const int none = int(CommandTopics::Kind::None);
    const int request = int(CommandTopics::Kind::Request);
    const int response = int(CommandTopics::Kind::Response);
    QTest::newRow("request") << QByteArray("site/a/dev-1/cmd") << request << QByteArray("dev-1");
    QTest::newRow("response") << QByteArray("site/a/dev-1/cmd/response") << response << QByteArray("dev-1");
    QTest::newRow("telemetry") << QByteArray("site/a/dev-1/telemetry") << none << QByteArray();
    QTest::newRow("no device") << QByteArray("site/a//cmd") << none << QByteArray();
    QTest::newRow("two levels") << QByteArray("site/a/x/dev-1/cmd") << none << QByteArray();
    QTest::newRow("other prefix") << QByteArray("site/b/dev-1/cmd") << none << QByteArray();
    QTest::newRow("cmd suffix") << QByteArray("site/a/dev-1/cmd/other") << none << QByteArray();
}

void TestCommandCodec::topics()
{
    QFETCH(QByteArray, topic);
    QFETCH(int, kind);
    QFETCH(QByteArray, device);
    const CommandTopics topics(u"site/a/"_s);
    QCOMPARE(topics.requestTopic(u"dev-1"_s), u"site/a/dev-1/cmd"_s);
    QCOMPARE(topics.responseTopic(u"dev-1"_s), u"site/a/dev-1/cmd/response"_s);
    QCOMPARE(topics.requestFilter(), u"site/a/+/cmd"_s);
    QCOMPARE(topics.responseFilter(), u"site/a/+/cmd/response"_s);
    const CommandTopics::Parsed p = topics.parse(topic);
    QCOMPARE(int(p.kind), kind);
    QCOMPARE(p.deviceId.toByteArray(), device);
}

QTEST_GUILESS_MAIN(TestCommandCodec)
#include "test_command_codec.moc"
