#include "core/protocol/sparkplug/sparkplug_host_state.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace fd;

class TestSparkplugHostState : public QObject
{
    Q_OBJECT
private slots:
    void topicAndPayload();
    void hostIdRules_data();
    void hostIdRules();
    void defaultHostId_data();
    void defaultHostId();
};

void TestSparkplugHostState::topicAndPayload()
{
    QCOMPARE(SparkplugHostState::topic(QStringLiteral("fleetdeck-lyon")), QStringLiteral("spBv1.0/STATE/fleetdeck-lyon"));
    QCOMPARE(SparkplugHostState::payload(false, 1764145000123), QByteArray("{\"online\":false,\"timestamp\":1764145000123}"));
    QCOMPARE(SparkplugHostState::payload(true, 0), QByteArray("{\"online\":true,\"timestamp\":0}"));
    const QJsonObject o = QJsonDocument::fromJson(SparkplugHostState::payload(true, 42)).object();
    QCOMPARE(o.value(u"online").toBool(), true);
    QCOMPARE(o.value(u"timestamp").toInteger(), 42);
}

void TestSparkplugHostState::hostIdRules_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("valid");
    QTest::newRow("plain") << "fleetdeck-1" << true;
    QTest::newRow("unicode") << QStringLiteral("hôte-✓") << true;
    QTest::newRow("space") << "my host" << true;
    QTest::newRow("64 chars") << QString(64, u'a') << true;
    QTest::newRow("65 chars") << QString(65, u'a') << false;
    QTest::newRow("empty") << "" << false;
    QTest::newRow("slash") << "a/b" << false;
    QTest::newRow("plus") << "a+" << false;
    QTest::newRow("hash") << "#" << false;
    QTest::newRow("control") << QStringLiteral("a\nb") << false;
    QTest::newRow("C1 control") << QStringLiteral("a\u0085b") << false;
    QTest::newRow("lone surrogate") << QString(QChar(0xd800)) << false;
}

void TestSparkplugHostState::hostIdRules()
{
    QFETCH(QString, id);
    QFETCH(bool, valid);
    QCOMPARE(SparkplugHostState::isValidHostId(id), valid);
}

void TestSparkplugHostState::defaultHostId_data()
{
    QTest::addColumn<QString>("seed");
    QTest::addColumn<QString>("id");
    QTest::newRow("profile name") << "Lyon broker" << "fleetdeck-Lyon-broker";
    QTest::newRow("empty") << "" << "fleetdeck";
    QTest::newRow("hostile") << QStringLiteral("a/+#\n✓") << "fleetdeck-a-----";
    QTest::newRow("long") << QString(200, u'x') << QStringLiteral("fleetdeck-") + QString(54, u'x');
}

void TestSparkplugHostState::defaultHostId()
{
    QFETCH(QString, seed);
    QFETCH(QString, id);
    QCOMPARE(SparkplugHostState::defaultHostId(seed), id);
    QVERIFY(SparkplugHostState::isValidHostId(SparkplugHostState::defaultHostId(seed)));
}

QTEST_APPLESS_MAIN(TestSparkplugHostState)
#include "test_sparkplug_host_state.moc"
