// CommandService against a real mosquitto and the real fleetdeck-sim. The test wires
// {prefix}/+/cmd/response to deliverResponse() the way the ingest pipeline does.
#include "core/commands/command_service.h"
#include "core/transport/mqtt_client.h"
#include "tests/support/broker_fixture.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QFileInfo>
#include <QProcess>
#include <QTest>

#include <memory>

using namespace fd;
using namespace Qt::StringLiterals;

namespace {

const QString kPrefix = u"fleetdeck/v1"_s;

DeviceCommand command(const QString &device, const QString &name, int timeoutMs = 5000)
{
    DeviceCommand c;
    c.target = {u"test broker"_s, device};
    c.name = name;
    c.timeoutMs = timeoutMs;
    return c;
}

// An MqttClient and its CommandService, with the responses routed as ingest does.
struct Console
{
    explicit Console(const ConnectionProfile &profile)
    {
        CommandService::Options options;
        options.source = u"test broker"_s;
        options.prefix = kPrefix;
        service = std::make_unique<CommandService>(&client, options);
        QObject::connect(service.get(), &CommandService::commandUpdated, service.get(),
                         [this](const CommandRecord &r) { states[r.id] << commandStateKey(r.state); });
        QObject::connect(&client, &MqttClient::messagesReceived, &client, [this](const MqttMessageBatch &batch) {
            for (const MqttMessage &m : batch) {
                const CommandTopics::Parsed p = service->topics().parse(m.topic);
                if (p.kind == CommandTopics::Kind::Response)
                    service->deliverResponse(QString::fromUtf8(p.deviceId), m.payload);
            }
        });
        QObject::connect(&client, &MqttClient::subscribed, &client,
                         [this](const QString &, bool ok) { responsesSubscribed = responsesSubscribed || ok; });
        client.subscribe(service->topics().responseFilter(), 1);
        client.connectToBroker(profile);
    }
    bool responsesSubscribed = false;  // the broker's SUBACK for the responses
    bool waitConnected()
    {
        QSignalSpy states(&client, &MqttClient::stateChanged);
        QDeadlineTimer deadline(10000);
        while (client.state() != ConnectionState::Connected && !deadline.hasExpired())
            states.wait(int(qMax<qint64>(1, deadline.remainingTime())));
        return client.state() == ConnectionState::Connected;
    }
    CommandState state(CommandId id) const { return service->record(id)->state; }

    MqttClient client;
    std::unique_ptr<CommandService> service;
    QHash<CommandId, QStringList> states;
};

const QStringList kAnswered{u"queued"_s, u"sent"_s, u"acknowledged"_s, u"answered"_s};
const QStringList kTimedOutAfterAck{u"queued"_s, u"sent"_s, u"acknowledged"_s, u"timed_out"_s};

} // namespace

class TestCommandIntegration : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void simulatedDevicesAnswer();
    void missingAndMutedDevicesTimeOutAfterAck();
    void brokerDownQueuesThenTimesOutOrSendsOnReconnect();

private:
    bool startSim(QProcess &process, int devices, const QStringList &extra = {});

    QString m_sim;
    std::unique_ptr<test::BrokerFixture> m_broker;
};

void TestCommandIntegration::initTestCase()
{
    if (!test::BrokerFixture::mosquittoAvailable())
        QSKIP("mosquitto is not installed");
    m_sim = QStringLiteral(FLEETDECK_BIN_DIR) + u"/fleetdeck-sim"_s;
    QVERIFY2(QFileInfo(m_sim).isExecutable(), "build fleetdeck-sim first");
}

void TestCommandIntegration::init()
{
    m_broker = std::make_unique<test::BrokerFixture>();
    QString error;
    QVERIFY2(m_broker->start(&error), qPrintable(error));
}

void TestCommandIntegration::cleanup()
{
    m_broker.reset();
}

// Starts the simulator and waits until every device is connected (and so subscribed: the
// subscription is made in the same connect callback, before the line is printed).
bool TestCommandIntegration::startSim(QProcess &process, int devices, const QStringList &extra)
{
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(m_sim, QStringList{u"--broker"_s, m_broker->url(), u"--devices"_s, QString::number(devices),
                                     u"--rate"_s, u"1"_s, u"--prefix"_s, kPrefix, u"--duration"_s, u"60"_s}
                      + extra);
    if (!process.waitForStarted(5000))
        return false;
    QByteArray output;
    const QByteArray ready = "all " + QByteArray::number(devices) + " devices connected";
    QElapsedTimer t;
    t.start();
    while (!output.contains(ready) && t.elapsed() < 10000 && process.state() == QProcess::Running) {
        process.waitForReadyRead(100);
        output += process.readAll();
    }
    if (!output.contains(ready))
        qWarning().noquote() << "fleetdeck-sim did not connect:" << output;
    return output.contains(ready);
}

void TestCommandIntegration::simulatedDevicesAnswer()
{
    QProcess sim;
    QVERIFY(startSim(sim, 3));
    Console console(m_broker->profile());
    QVERIFY(console.waitConnected());
    QTRY_VERIFY_WITH_TIMEOUT(console.responsesSubscribed, 5000);

    const CommandId ping = console.service->submit(command(u"dev-00001"_s, u"ping"_s));
    const CommandId identify = console.service->submit(command(u"dev-00002"_s, u"identify"_s));
    DeviceCommand good = command(u"dev-00003"_s, u"set_interval"_s);
    good.params = QJsonObject{{u"interval_ms"_s, 2000}};
    const CommandId setOk = console.service->submit(good);
    DeviceCommand bad = good;
    bad.params = QJsonObject{{u"interval_ms"_s, u"fast"_s}};
    const CommandId setBad = console.service->submit(bad);
    const CommandId unknown = console.service->submit(command(u"dev-00001"_s, u"self_destruct"_s));

    for (CommandId id : {ping, identify, setOk, setBad, unknown})
        QTRY_COMPARE_WITH_TIMEOUT(console.state(id), CommandState::Answered, 5000);
    for (CommandId id : {ping, identify, setOk, setBad, unknown})
        QVERIFY2(console.states.value(id) == kAnswered, qPrintable(console.states.value(id).join(u',')));

    const CommandRecord p = *console.service->record(ping);
    QVERIFY(p.answerOk);
    QVERIFY(p.result.value(u"uptime_s"_s).isDouble());
    QVERIFY(p.sentMs > 0 && p.acknowledgedMs >= p.sentMs && p.finishedMs >= p.acknowledgedMs);
    QVERIFY(console.service->record(identify)->answerOk);
    QCOMPARE(console.service->record(setOk)->result.value(u"interval_ms"_s).toInt(), 2000);
    QVERIFY(!console.service->record(setBad)->answerOk);
    QVERIFY(console.service->record(setBad)->reason.contains(u"interval_ms must be an integer"_s));
    QVERIFY(!console.service->record(unknown)->answerOk);
    QCOMPARE(console.service->record(unknown)->reason, u"unknown command"_s);
    QCOMPARE(console.service->stats().badResponses, quint64(0));

    sim.terminate();
    QVERIFY(sim.waitForFinished(10000));
}

void TestCommandIntegration::missingAndMutedDevicesTimeOutAfterAck()
{
    QProcess sim;
    QVERIFY(startSim(sim, 2, {u"--mute-commands"_s, u"0.5"_s}));  // dev-00002 never answers
    Console console(m_broker->profile());
    QVERIFY(console.waitConnected());
    QTRY_VERIFY_WITH_TIMEOUT(console.responsesSubscribed, 5000);

    const CommandId answered = console.service->submit(command(u"dev-00001"_s, u"ping"_s, 1500));
    const CommandId muted = console.service->submit(command(u"dev-00002"_s, u"ping"_s, 1500));
    const CommandId missing = console.service->submit(command(u"dev-99999"_s, u"ping"_s, 1500));
    QTRY_COMPARE_WITH_TIMEOUT(console.state(missing), CommandState::TimedOut, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(console.state(muted), CommandState::TimedOut, 5000);
    QCOMPARE(console.state(answered), CommandState::Answered);
    QCOMPARE(console.states.value(missing), kTimedOutAfterAck);
    QCOMPARE(console.states.value(muted), kTimedOutAfterAck);
    QCOMPARE(console.service->record(missing)->reason, u"the device did not answer within 1500 ms"_s);
    QCOMPARE(console.service->outstandingCount(), 0);

    sim.terminate();
    QVERIFY(sim.waitForFinished(10000));
}

void TestCommandIntegration::brokerDownQueuesThenTimesOutOrSendsOnReconnect()
{
    auto console = std::make_unique<Console>(m_broker->profile());
    QVERIFY(console->waitConnected());
    m_broker->stop();
    QTRY_VERIFY_WITH_TIMEOUT(console->client.state() != ConnectionState::Connected, 10000);

    DeviceCommand shortLived = command(u"dev-00001"_s, u"ping"_s, 800);
    const CommandId expires = console->service->submit(shortLived);
    DeviceCommand longLived = command(u"dev-00001"_s, u"identify"_s, 15000);
    longLived.expectsAnswer = false;  // no simulator here: the broker's PUBACK ends it
    const CommandId survives = console->service->submit(longLived);
    QCOMPARE(console->state(expires), CommandState::Queued);
    QCOMPARE(console->service->queuedCount(), 2);

    QTRY_COMPARE_WITH_TIMEOUT(console->state(expires), CommandState::TimedOut, 3000);
    const QString reason = console->service->record(expires)->reason;
    QVERIFY2(reason.startsWith(u"not sent: no connection to the broker within 800 ms ("_s), qPrintable(reason));
    QCOMPARE(console->states.value(expires), (QStringList{u"queued"_s, u"timed_out"_s}));
    QCOMPARE(console->state(survives), CommandState::Queued);

    // Back up: the queued command that is still in time goes out and is acknowledged.
    QString error;
    QVERIFY2(m_broker->restart(&error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(console->state(survives), CommandState::Acknowledged, 12000);
    QCOMPARE(console->states.value(survives), (QStringList{u"queued"_s, u"sent"_s, u"acknowledged"_s}));

    // Down again with a command outstanding: tearing everything down does not hang.
    const CommandId pending = console->service->submit(command(u"dev-00001"_s, u"ping"_s, 10000));
    QCOMPARE(console->state(pending), CommandState::Sent);
    m_broker->stop();
    QElapsedTimer teardown;
    teardown.start();
    console.reset();
    QVERIFY2(teardown.elapsed() < 3000, qPrintable(QString::number(teardown.elapsed())));
}

QTEST_GUILESS_MAIN(TestCommandIntegration)
#include "test_command_integration.moc"
