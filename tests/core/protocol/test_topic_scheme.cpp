#include "core/protocol/topic_scheme.h"

#include <QTest>

using namespace fd;

class TestTopicScheme : public QObject
{
    Q_OBJECT
private slots:
    void parse_data();
    void parse();
    void customPrefix();
    void deviceIdRules_data();
    void deviceIdRules();
    void prefixRules_data();
    void prefixRules();
};

void TestTopicScheme::parse_data()
{
    QTest::addColumn<QByteArray>("topic");
    QTest::addColumn<bool>("underPrefix");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QByteArray>("deviceId");
    QTest::addColumn<bool>("idValid");

    const int status = int(TopicScheme::Kind::Status);
    const int telemetry = int(TopicScheme::Kind::Telemetry);
    const int unknown = int(TopicScheme::Kind::Unknown);
    QTest::newRow("status") << QByteArray("fleetdeck/v1/dev-1/status") << true << status << QByteArray("dev-1") << true;
    QTest::newRow("telemetry") << QByteArray("fleetdeck/v1/a.b_c-9/telemetry") << true << telemetry << QByteArray("a.b_c-9") << true;
    QTest::newRow("bad id char") << QByteArray("fleetdeck/v1/dev 1/status") << true << status << QByteArray("dev 1") << false;
    QTest::newRow("bad id unicode") << QByteArray("fleetdeck/v1/d\xc3\xa9v/telemetry") << true << telemetry << QByteArray("d\xc3\xa9v") << false;
    QTest::newRow("empty id") << QByteArray("fleetdeck/v1//status") << true << status << QByteArray() << false;
    QTest::newRow("id too long") << (QByteArray("fleetdeck/v1/") + QByteArray(65, 'a') + "/status") << true << status << QByteArray(65, 'a') << false;
    QTest::newRow("unknown kind") << QByteArray("fleetdeck/v1/dev-1/config") << true << unknown << QByteArray() << false;
    QTest::newRow("extra level") << QByteArray("fleetdeck/v1/dev-1/telemetry/x") << true << unknown << QByteArray() << false;
    QTest::newRow("no kind") << QByteArray("fleetdeck/v1/dev-1") << true << unknown << QByteArray() << false;
    const int ota = int(TopicScheme::Kind::Ota);
    QTest::newRow("ota job") << QByteArray("fleetdeck/v1/dev-1/ota/job") << true << ota << QByteArray("dev-1") << true;
    QTest::newRow("ota chunk request") << QByteArray("fleetdeck/v1/dev-1/ota/chunk/request") << true << ota << QByteArray("dev-1") << true;
    QTest::newRow("ota status") << QByteArray("fleetdeck/v1/dev-1/ota/status") << true << ota << QByteArray("dev-1") << true;
    QTest::newRow("ota future") << QByteArray("fleetdeck/v1/dev-1/ota/x/y/z") << true << ota << QByteArray("dev-1") << true;
    QTest::newRow("ota bad id") << QByteArray("fleetdeck/v1/d v/ota/status") << true << ota << QByteArray("d v") << false;
    const int pki = int(TopicScheme::Kind::Pki);
    QTest::newRow("pki csr") << QByteArray("fleetdeck/v1/dev-1/pki/csr") << true << pki << QByteArray("dev-1") << true;
    QTest::newRow("pki cert") << QByteArray("fleetdeck/v1/dev-1/pki/cert") << true << pki << QByteArray("dev-1") << true;
    QTest::newRow("pki future") << QByteArray("fleetdeck/v1/dev-1/pki/x/y") << true << pki << QByteArray("dev-1") << true;
    QTest::newRow("pki bad id") << QByteArray("fleetdeck/v1/d v/pki/csr") << true << pki << QByteArray("d v") << false;
    QTest::newRow("pkiish") << QByteArray("fleetdeck/v1/dev-1/pkix") << true << unknown << QByteArray() << false;
    QTest::newRow("otaish") << QByteArray("fleetdeck/v1/dev-1/otax") << true << unknown << QByteArray() << false;
    QTest::newRow("other tree") << QByteArray("other/v1/dev-1/status") << false << unknown << QByteArray() << false;
    QTest::newRow("prefix lookalike") << QByteArray("fleetdeck/v10/dev-1/status") << false << unknown << QByteArray() << false;
}

void TestTopicScheme::parse()
{
    QFETCH(QByteArray, topic);
    QFETCH(bool, underPrefix);
    QFETCH(int, kind);
    QFETCH(QByteArray, deviceId);
    QFETCH(bool, idValid);

    const TopicScheme scheme;
    const TopicScheme::Parsed p = scheme.parse(topic);
    QCOMPARE(p.underPrefix, underPrefix);
    QCOMPARE(int(p.kind), kind);
    QCOMPARE(p.deviceId.toByteArray(), deviceId);
    QCOMPARE(p.deviceIdValid, idValid);
}

void TestTopicScheme::customPrefix()
{
    const TopicScheme scheme(QStringLiteral("acme/plant-3/"));
    QCOMPARE(scheme.prefix(), QStringLiteral("acme/plant-3"));
    QCOMPARE(scheme.subscriptionFilter(), QStringLiteral("acme/plant-3/#"));
    QCOMPARE(scheme.statusTopic(QStringLiteral("x")), QStringLiteral("acme/plant-3/x/status"));
    QCOMPARE(scheme.telemetryTopic(QStringLiteral("x")), QStringLiteral("acme/plant-3/x/telemetry"));
    const auto p = scheme.parse("acme/plant-3/x/telemetry");
    QCOMPARE(p.kind, TopicScheme::Kind::Telemetry);
    QVERIFY(!scheme.parse("fleetdeck/v1/x/telemetry").underPrefix);
    QCOMPARE(TopicScheme(QString()).prefix(), QStringLiteral("fleetdeck/v1"));
}

void TestTopicScheme::deviceIdRules_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("valid");
    QTest::newRow("simple") << QStringLiteral("sensor-001") << true;
    QTest::newRow("64 chars") << QString(64, u'x') << true;
    QTest::newRow("65 chars") << QString(65, u'x') << false;
    QTest::newRow("slash") << QStringLiteral("a/b") << false;
    QTest::newRow("plus") << QStringLiteral("a+b") << false;
    QTest::newRow("hash") << QStringLiteral("a#") << false;
    QTest::newRow("non-ascii") << QStringLiteral("caf\u00e9") << false;
    QTest::newRow("empty") << QString() << false;
}

void TestTopicScheme::deviceIdRules()
{
    QFETCH(QString, id);
    QFETCH(bool, valid);
    QCOMPARE(TopicScheme::isValidDeviceId(id), valid);
    QCOMPARE(TopicScheme::isValidDeviceId(QByteArrayView(id.toUtf8())), valid);
}

void TestTopicScheme::prefixRules_data()
{
    QTest::addColumn<QString>("prefix");
    QTest::addColumn<bool>("valid");
    QTest::newRow("default") << QStringLiteral("fleetdeck/v1") << true;
    QTest::newRow("empty means default") << QString() << true;
    QTest::newRow("trailing slash") << QStringLiteral("plant/a/") << true;
    QTest::newRow("unicode") << QStringLiteral("usine/\u00e9t\u00e9") << true;
    QTest::newRow("plus") << QStringLiteral("fleet/+/v1") << false;
    QTest::newRow("hash") << QStringLiteral("fleet/#") << false;
    QTest::newRow("plus inside a level") << QStringLiteral("a+b") << false;
    QTest::newRow("empty level") << QStringLiteral("a//b") << false;
    QTest::newRow("control") << QStringLiteral("a\u0001b") << false;
    QTest::newRow("too long") << QString(TopicScheme::kMaxPrefixLength + 1, u'a') << false;
}

void TestTopicScheme::prefixRules()
{
    QFETCH(QString, prefix);
    QFETCH(bool, valid);
    QString reason;
    QCOMPARE(TopicScheme::isValidPrefix(prefix, &reason), valid);
    QCOMPARE(reason.isEmpty(), valid);  // a refusal always says why
}

QTEST_GUILESS_MAIN(TestTopicScheme)
#include "test_topic_scheme.moc"
