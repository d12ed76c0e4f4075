// The Sparkplug B host STATE (docs/protocol.md) against a real mosquitto:
//   - the Will is spBv1.0/STATE/{host} {"online":false,"timestamp":T}, QoS 1, retained;
//   - the online STATE {"online":true,"timestamp":T} is published only after every
//     subscription was answered, with the same T, retained;
//   - a clean disconnect publishes the offline STATE (same T); an abrupt end (SIGKILL of
//     fleetdeckctl record) makes the broker publish the Will (same T);
//   - every new connection has a new, larger T;
//   - --no-sparkplug announces nothing; a bad --sparkplug-host-id is refused.
#include "core/broker/mosquitto_launcher.h"
#include "core/ingest/source_connection.h"
#include "core/protocol/sparkplug/sparkplug_host_state.h"
#include "core/transport/mqtt_client.h"
#include "tests/support/broker_fixture.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace fd;

namespace {

const QString kBinDir = QStringLiteral(FLEETDECK_BIN_DIR);

QString bin(const char *name)
{
    return kBinDir + u'/' + QLatin1StringView(name);
}

struct State
{
    bool online = false;
    qint64 timestamp = 0;
    bool retained = false;
    int qos = 0;
};

// Collects the STATE messages of one host id seen by an independent watcher client.
class StateWatcher : public QObject
{
public:
    StateWatcher(const ConnectionProfile &profile, const QString &hostId)
        : m_topic(SparkplugHostState::topic(hostId).toUtf8())
    {
        connect(&m_client, &MqttClient::messagesReceived, this, [this](const MqttMessageBatch &batch) {
            for (const MqttMessage &m : batch) {
                if (m.topic != m_topic)
                    continue;
                const QJsonObject o = QJsonDocument::fromJson(m.payload).object();
                states.append(State{o.value(u"online").toBool(), qint64(o.value(u"timestamp").toDouble()), m.retained,
                                    m.qos});
            }
        });
        m_client.subscribe(QString::fromUtf8(m_topic), 1);
        ConnectionProfile p = profile;
        p.sparkplug = false;
        m_client.connectToBroker(p);
    }
    bool waitConnected()
    {
        QSignalSpy subscribed(&m_client, &MqttClient::subscribed);
        return subscribed.wait(10000);
    }

    QList<State> states;

private:
    QByteArray m_topic;
    MqttClient m_client;
};

} // namespace

class TestSparkplugStateBroker : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void announcesAfterSubscribingAndSaysGoodbye();
    void newConnectionNewTimestamp();
    void willAfterAKillCarriesTheSameTimestamp();
    void ownStateDeclaredOfflineIsReasserted();
    void noSparkplugAnnouncesNothing();
    void badHostIdIsRefused();

private:
    test::BrokerFixture m_broker;
    QTemporaryDir m_dir;
};

void TestSparkplugStateBroker::initTestCase()
{
    if (!test::BrokerFixture::mosquittoAvailable())
        QFAIL(qPrintable(MosquittoLauncher::installHint()));
    QString error;
    QVERIFY2(m_broker.start(&error), qPrintable(error));
    QVERIFY(m_dir.isValid());
}

void TestSparkplugStateBroker::announcesAfterSubscribingAndSaysGoodbye()
{
    const QString host = QStringLiteral("host-order");
    StateWatcher watcher(m_broker.profile(), host);
    QVERIFY(watcher.waitConnected());

    MqttClient client;
    PresenceMessage presence;
    presence.topic = SparkplugHostState::topic(host);
    presence.payload = &SparkplugHostState::payload;
    client.setPresence(presence);
    QStringList events;
    connect(&client, &MqttClient::subscribed, this,
            [&events](const QString &filter, bool ok) { events.append((ok ? u"suback " : u"refused ") + filter); });
    connect(&client, &MqttClient::presenceAnnounced, this,
            [&events](qint64) { events.append(QStringLiteral("announced")); });
    client.subscribe(QStringLiteral("spBv1.0/#"), 1);
    client.subscribe(QStringLiteral("fleetdeck/v1/#"), 1);
    QSignalSpy announced(&client, &MqttClient::presenceAnnounced);
    client.connectToBroker(m_broker.profile());
    QVERIFY(announced.wait(10000));
    const qint64 t = announced.at(0).at(0).toLongLong();
    QVERIFY(t > 0);
    // Subscribe first, then announce.
    QCOMPARE(events, (QStringList{QStringLiteral("suback spBv1.0/#"), QStringLiteral("suback fleetdeck/v1/#"),
                                  QStringLiteral("announced")}));

    QTRY_COMPARE_WITH_TIMEOUT(watcher.states.size(), 1, 10000);
    QCOMPARE(watcher.states.at(0).online, true);
    QCOMPARE(watcher.states.at(0).timestamp, t);
    QCOMPARE(watcher.states.at(0).qos, 1);

    // A late subscriber gets the retained online STATE.
    {
        StateWatcher late(m_broker.profile(), host);
        QTRY_COMPARE_WITH_TIMEOUT(late.states.size(), 1, 10000);
        QVERIFY(late.states.at(0).retained);
        QCOMPARE(late.states.at(0).online, true);
        QCOMPARE(late.states.at(0).timestamp, t);
    }

    client.disconnectFromBroker();
    QTRY_COMPARE_WITH_TIMEOUT(watcher.states.size(), 2, 10000);
    QCOMPARE(watcher.states.at(1).online, false);
    QCOMPARE(watcher.states.at(1).timestamp, t);
    StateWatcher after(m_broker.profile(), host);
    QTRY_COMPARE_WITH_TIMEOUT(after.states.size(), 1, 10000);  // retained: the host is offline
    QCOMPARE(after.states.at(0).online, false);
}

void TestSparkplugStateBroker::newConnectionNewTimestamp()
{
    const QString host = QStringLiteral("host-reconnect");
    MqttClient client;
    PresenceMessage presence;
    presence.topic = SparkplugHostState::topic(host);
    presence.payload = &SparkplugHostState::payload;
    client.setPresence(presence);
    client.subscribe(QStringLiteral("spBv1.0/#"), 1);
    QSignalSpy announced(&client, &MqttClient::presenceAnnounced);
    client.connectToBroker(m_broker.profile());
    QVERIFY(announced.wait(10000));
    const qint64 first = announced.at(0).at(0).toLongLong();

    // The broker goes away and comes back: the client reconnects and announces anew.
    QString error;
    QVERIFY2(m_broker.restart(&error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(announced.size() >= 2, 20000);
    const qint64 second = announced.at(1).at(0).toLongLong();
    QVERIFY2(second > first, qPrintable(QStringLiteral("%1 then %2").arg(first).arg(second)));

    StateWatcher watcher(m_broker.profile(), host);
    QTRY_COMPARE_WITH_TIMEOUT(watcher.states.size(), 1, 10000);
    QCOMPARE(watcher.states.at(0).online, true);
    QCOMPARE(watcher.states.at(0).timestamp, second);
    client.disconnectFromBroker();
}

void TestSparkplugStateBroker::willAfterAKillCarriesTheSameTimestamp()
{
    const QString host = QStringLiteral("ctl-host");
    StateWatcher watcher(m_broker.profile(), host);
    QVERIFY(watcher.waitConnected());

    QProcess recorder;
    recorder.setProcessChannelMode(QProcess::ForwardedChannels);
    recorder.start(bin("fleetdeckctl"), {QStringLiteral("record"), QStringLiteral("--broker"), m_broker.url(),
                                         QStringLiteral("--db"), m_dir.filePath(QStringLiteral("kill.sqlite")),
                                         QStringLiteral("--sparkplug-host-id"), host});
    QVERIFY(recorder.waitForStarted());
    QTRY_COMPARE_WITH_TIMEOUT(watcher.states.size(), 1, 15000);
    QCOMPARE(watcher.states.at(0).online, true);
    const qint64 t = watcher.states.at(0).timestamp;

    recorder.kill();  // SIGKILL: no goodbye, the broker publishes the Will
    QVERIFY(recorder.waitForFinished(10000));
    QTRY_COMPARE_WITH_TIMEOUT(watcher.states.size(), 2, 15000);
    QCOMPARE(watcher.states.at(1).online, false);
    QCOMPARE(watcher.states.at(1).timestamp, t);
    QCOMPARE(watcher.states.at(1).qos, 1);
}

void TestSparkplugStateBroker::ownStateDeclaredOfflineIsReasserted()
{
    const QString host = QStringLiteral("host-reassert");
    StateWatcher watcher(m_broker.profile(), host);
    QVERIFY(watcher.waitConnected());
    SourceConnection source(QStringLiteral("plant"));
    ConnectionProfile profile = m_broker.profile();
    profile.sparkplug = true;
    profile.sparkplugHostId = host;
    QSignalSpy announced(source.client(), &MqttClient::presenceAnnounced);
    connect(&source, &SourceConnection::batchReady, &source,
            [&source](const QString &name, const MqttMessageBatch &) { source.batchConsumed(name); });
    source.start(profile, {}, {QStringLiteral("spBv1.0/#")});
    QVERIFY(announced.wait(10000));
    const qint64 t = announced.at(0).at(0).toLongLong();

    // An older session's Will arriving late: not ours to answer.
    MqttClient other;
    QSignalSpy otherUp(&other, &MqttClient::stateChanged);
    ConnectionProfile plain = m_broker.profile();
    plain.sparkplug = false;
    other.connectToBroker(plain);
    QTRY_COMPARE_WITH_TIMEOUT(other.state(), ConnectionState::Connected, 10000);
    QVERIFY(other.publish(SparkplugHostState::topic(host), SparkplugHostState::payload(false, t - 1000), 1, false));
    // Someone declares this session offline: the host announces itself again, same T.
    QVERIFY(other.publish(SparkplugHostState::topic(host), SparkplugHostState::payload(false, t), 1, true));
    QTRY_COMPARE_WITH_TIMEOUT(announced.size(), 2, 10000);
    QCOMPARE(announced.at(1).at(0).toLongLong(), t);
    QTRY_VERIFY_WITH_TIMEOUT(!watcher.states.isEmpty() && watcher.states.constLast().online, 10000);
    QCOMPARE(watcher.states.constLast().timestamp, t);
    QCOMPARE(announced.size(), 2);  // the older one changed nothing
    source.stop();
    other.disconnectFromBroker();
}

void TestSparkplugStateBroker::noSparkplugAnnouncesNothing()
{
    const QString host = SparkplugHostState::defaultHostId(QStringLiteral("ctl-") + QSysInfo::machineHostName());
    StateWatcher watcher(m_broker.profile(), host);
    QVERIFY(watcher.waitConnected());
    QProcess recorder;
    recorder.setProcessChannelMode(QProcess::SeparateChannels);
    recorder.start(bin("fleetdeckctl"), {QStringLiteral("record"), QStringLiteral("--broker"), m_broker.url(),
                                         QStringLiteral("--db"), m_dir.filePath(QStringLiteral("off.sqlite")),
                                         QStringLiteral("--duration"), QStringLiteral("2"),
                                         QStringLiteral("--no-sparkplug")});
    QVERIFY(recorder.waitForFinished(20000));
    QCOMPARE(recorder.exitCode(), 0);
    QVERIFY2(watcher.states.isEmpty(), "a STATE was published with --no-sparkplug");
}

void TestSparkplugStateBroker::badHostIdIsRefused()
{
    for (const QString &bad : {QStringLiteral("a/b"), QStringLiteral("a+b"), QStringLiteral("#"), QString(65, u'x')}) {
        QProcess recorder;
        recorder.start(bin("fleetdeckctl"), {QStringLiteral("record"), QStringLiteral("--broker"), m_broker.url(),
                                             QStringLiteral("--db"), m_dir.filePath(QStringLiteral("bad.sqlite")),
                                             QStringLiteral("--sparkplug-host-id"), bad});
        QVERIFY(recorder.waitForFinished(10000));
        QVERIFY2(recorder.exitCode() != 0, qPrintable(bad));
        QVERIFY2(recorder.readAllStandardError().contains("--sparkplug-host-id"), qPrintable(bad));
    }
}

QTEST_GUILESS_MAIN(TestSparkplugStateBroker)
#include "test_sparkplug_state_broker.moc"
