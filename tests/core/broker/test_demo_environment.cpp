#include "core/broker/demo_environment.h"
#include "core/transport/broker_url.h"
#include "core/transport/mqtt_client.h"
#include "tests/support/broker_fixture.h"

#include <QFileInfo>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace fd;
using namespace Qt::StringLiterals;

class TestDemoEnvironment : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void runsBrokerAndSimulator();
    void reportsMissingSimulator();
    void reportsSimulatorDeath();

private:
    QString m_simulator;
};

void TestDemoEnvironment::initTestCase()
{
    if (!test::BrokerFixture::mosquittoAvailable())
        QSKIP("mosquitto is not installed");
    m_simulator = QStringLiteral(FLEETDECK_BIN_DIR) + u"/fleetdeck-sim"_s;
    if (!QFileInfo(m_simulator).isExecutable())
        QSKIP("fleetdeck-sim is not built");
}

void TestDemoEnvironment::runsBrokerAndSimulator()
{
    DemoEnvironment demo;
    QSignalSpy failed(&demo, &DemoEnvironment::failed);
    DemoEnvironment::Options options;
    options.simulatorPath = m_simulator;
    options.devices = 15;
    options.rateHz = 5;
    QString error;
    QVERIFY2(demo.start(options, &error), qPrintable(error));
    const std::optional<BrokerUrl> url = BrokerUrl::parse(demo.brokerUrl());
    QVERIFY(url.has_value());

    QSet<QByteArray> statusTopics;  // declared before client: a queued batch dies with client
    int telemetry = 0;
    MqttClient client;
    connect(&client, &MqttClient::messagesReceived, &client, [&](const MqttMessageBatch &batch) {
        for (const MqttMessage &m : batch) {
            if (m.topic.endsWith("/status"))
                statusTopics.insert(m.topic);
            else if (m.topic.endsWith("/telemetry"))
                ++telemetry;
        }
    });
    ConnectionProfile profile;
    profile.broker = *url;
    client.subscribe(u"fleetdeck/v1/#"_s);
    client.connectToBroker(profile);
    QTRY_COMPARE_WITH_TIMEOUT(statusTopics.size(), 15, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(telemetry > 30, 15000);
    QCOMPARE(failed.size(), 0);

    demo.stop();
    QVERIFY(demo.brokerUrl().isEmpty());
    QCOMPARE(failed.size(), 0);  // a requested stop is not a failure
}

void TestDemoEnvironment::reportsMissingSimulator()
{
    DemoEnvironment demo;
    DemoEnvironment::Options options;
    options.simulatorPath = u"/nonexistent/fleetdeck-sim"_s;
    QString error;
    QVERIFY(!demo.start(options, &error));
    QVERIFY2(error.contains(u"fleetdeck-sim"_s), qPrintable(error));
    QVERIFY(demo.brokerUrl().isEmpty());
}

void TestDemoEnvironment::reportsSimulatorDeath()
{
    DemoEnvironment demo;
    QSignalSpy failed(&demo, &DemoEnvironment::failed);
    DemoEnvironment::Options options;
    options.simulatorPath = m_simulator;
    options.devices = 0;  // rejected by fleetdeck-sim: it exits at once
    QString error;
    QVERIFY2(demo.start(options, &error), qPrintable(error));
    QVERIFY(failed.wait(10000));
    QVERIFY2(failed.first().at(0).toString().contains(u"--devices"_s), qPrintable(failed.first().at(0).toString()));
}

QTEST_GUILESS_MAIN(TestDemoEnvironment)
#include "test_demo_environment.moc"
