// The fleet broker's access control against a real mosquitto: one TLS listener that requires
// client certificates of the fleet CA (CN = user name), a CRL and MosquittoAcl's ACL.
// Proves that a device certificate cannot publish or subscribe as another device, that the
// bootstrap identity is confined to its provisioning topics, that untrusted, expired and
// revoked certificates cannot connect (with the reason the client is given), that the
// operator may do everything, and that MosquittoLauncher::reload() makes a new CRL count.
#include "core/broker/mosquitto_acl.h"
#include "core/transport/mqtt_client.h"
#include "tests/support/broker_fixture.h"
#include "tests/support/test_certificates.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace fd {

namespace {

// Every message one client received, by topic.
class Inbox : public QObject
{
public:
    explicit Inbox(MqttClient &client)
    {
        connect(&client, &MqttClient::messagesReceived, this, [this](const MqttMessageBatch &batch) {
            for (const MqttMessage &m : batch)
                messages.append({QString::fromUtf8(m.topic), m.payload});
        });
    }
    bool has(const QString &topic, const QByteArray &payload) const
    {
        return messages.contains(std::pair{topic, payload});
    }
    bool hasPayload(const QByteArray &payload) const
    {
        for (const auto &m : messages) {
            if (m.second == payload)
                return true;
        }
        return false;
    }
    QList<std::pair<QString, QByteArray>> messages;
};

ConnectionState settle(MqttClient &client, int timeoutMs = 15000)
{
    static_cast<void>(QTest::qWaitFor([&client] {
        const ConnectionState s = client.state();
        return s == ConnectionState::Connected || s == ConnectionState::Failed || s == ConnectionState::Reconnecting;
    }, timeoutMs));  // else: the state it is in
    return client.state();
}

} // namespace

class TestBrokerAcl : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void operatorMayDoEverything();
    void deviceCannotPublishAsAnotherDevice();
    void deviceCannotSubscribeToAnotherDevicesCommands();
    void edgeNodeOnlyUnderItsOwnNodeId();
    void bootstrapOnlyOnItsProvisioningTopics();
    void refusedCertificates_data();
    void refusedCertificates();
    void reloadMakesANewCrlCount();

private:
    // A client connected with NAME.crt/.key (QVERIFY-style: nullptr and *why on failure).
    std::unique_ptr<MqttClient> connectAs(const QString &name, const QString &clientId = QString(),
                                          QString *why = nullptr);
    ConnectionProfile profileFor(const QString &name, const QString &clientId) const;
    // Subscribes and waits for the SUBACK; returns whether the broker granted it.
    static bool subscribeAndWait(MqttClient &client, const QString &filter);
    // Subscribes and waits for the SUBACK, granted or not: a barrier on that connection (the
    // broker sends everything it queued for the client before it, and Paho hands it over in
    // order: receivedCount() counts it by then). False: no SUBACK.
    static bool subackBarrier(MqttClient &client, const QString &filter);

    test::TestCertificates m_certs;
    test::BrokerFixture m_broker;
    std::unique_ptr<MqttClient> m_operator;
    std::unique_ptr<Inbox> m_operatorInbox;
};

void TestBrokerAcl::initTestCase()
{
    if (!test::BrokerFixture::mosquittoAvailable())
        QSKIP("mosquitto is not installed");
    if (QStandardPaths::findExecutable(u"openssl"_s).isEmpty())
        QSKIP("the openssl command line tool is not installed");
    QString error;
    QVERIFY2(m_certs.generate(&error), qPrintable(error));
    const QList<std::pair<QString, QString>> clients{
        {u"operator"_s, u"fleetdeck-operator"_s}, {u"dev-a"_s, u"dev-a"_s},   {u"dev-b"_s, u"dev-b"_s},
        {u"bootstrap"_s, u"bootstrap"_s},         {u"gw-01"_s, u"gw-01"_s},   {u"revoked"_s, u"dev-revoked"_s},
        {u"dev-late"_s, u"dev-late"_s}};
    for (const auto &[name, cn] : clients)
        QVERIFY2(m_certs.makeClient(name, cn, 30, &error), qPrintable(error));
    QVERIFY2(m_certs.makeClient(u"expired-client"_s, u"dev-old"_s, -1, &error), qPrintable(error));
    QVERIFY2(m_certs.makeUntrustedClient(u"untrusted"_s, u"dev-a"_s, &error), qPrintable(error));
    QVERIFY2(m_certs.revoke(u"revoked"_s, &error), qPrintable(error));

    MosquittoLauncher::Options options;
    options.caFile = m_certs.caFile();
    options.certFile = m_certs.serverCert();
    options.keyFile = m_certs.serverKey();
    options.requireClientCertificate = true;
    options.useIdentityAsUsername = true;
    options.crlFile = m_certs.crlFile();
    options.aclLines = MosquittoAcl::fleetLines();
    QVERIFY2(m_broker.start(&error, options), qPrintable(error));
    QVERIFY(m_broker.url().startsWith(u"mqtts://"_s));

    m_operator = connectAs(u"operator"_s, {}, &error);
    QVERIFY2(m_operator, qPrintable(error));
    m_operatorInbox = std::make_unique<Inbox>(*m_operator);
    QVERIFY(subscribeAndWait(*m_operator, u"#"_s));
}

void TestBrokerAcl::cleanupTestCase()
{
    m_operatorInbox.reset();
    m_operator.reset();
    m_broker.stop();
}

ConnectionProfile TestBrokerAcl::profileFor(const QString &name, const QString &clientId) const
{
    ConnectionProfile p = m_broker.profile(5);
    p.broker.host = u"localhost"_s;
    p.caFile = m_certs.caFile();
    p.clientCertFile = m_certs.certPath(name);
    p.clientKeyFile = m_certs.keyPath(name);
    p.clientId = clientId;
    p.sparkplug = false;  // a bare client: no STATE of its own
    return p;
}

std::unique_ptr<MqttClient> TestBrokerAcl::connectAs(const QString &name, const QString &clientId, QString *why)
{
    auto client = std::make_unique<MqttClient>();
    client->connectToBroker(profileFor(name, clientId));
    if (settle(*client) != ConnectionState::Connected) {
        if (why)
            *why = u"%1 cannot connect: %2"_s.arg(name, client->stateDetail());
        return nullptr;
    }
    return client;
}

bool TestBrokerAcl::subscribeAndWait(MqttClient &client, const QString &filter)
{
    QSignalSpy answered(&client, &MqttClient::subscribed);
    client.subscribe(filter, 1);
    for (int waited = 0; waited < 5000; waited += 20) {
        for (const QList<QVariant> &args : std::as_const(answered)) {
            if (args.at(0).toString() == filter)
                return args.at(1).toBool();
        }
        answered.wait(20);
    }
    qWarning().noquote() << "no SUBACK for" << filter;
    return false;
}

bool TestBrokerAcl::subackBarrier(MqttClient &client, const QString &filter)
{
    QSignalSpy answered(&client, &MqttClient::subscribed);
    client.subscribe(filter, 1);
    return QTest::qWaitFor([&answered, &filter] {
        for (const QList<QVariant> &args : std::as_const(answered)) {
            if (args.at(0).toString() == filter)
                return true;
        }
        return false;
    }, 5000);
}

void TestBrokerAcl::operatorMayDoEverything()
{
    const QStringList topics{u"fleetdeck/v1/dev-a/telemetry"_s, u"fleetdeck/v1/dev-b/cmd"_s,
                             u"fleetdeck/provisioning/SN-1/response"_s, u"spBv1.0/Plant/NCMD/gw-01"_s,
                             u"spBv1.0/STATE/host"_s, u"anything/else"_s};
    for (const QString &topic : topics)
        QVERIFY(m_operator->publish(topic, "op:" + topic.toUtf8(), 1));
    for (const QString &topic : topics)
        QTRY_VERIFY2_WITH_TIMEOUT(m_operatorInbox->has(topic, "op:" + topic.toUtf8()), qPrintable(topic), 5000);
}

void TestBrokerAcl::deviceCannotPublishAsAnotherDevice()
{
    QString error;
    auto a = connectAs(u"dev-a"_s, u"dev-a-conn"_s, &error);
    QVERIFY2(a, qPrintable(error));
    // Forged first, own last: once the own message arrived, a forged one would have too (one
    // connection, one ordered stream).
    const QStringList forged{u"fleetdeck/v1/dev-b/telemetry"_s, u"fleetdeck/v1/dev-b/status"_s,
                             u"fleetdeck/v1/dev-b/cmd/response"_s, u"fleetdeck/v1/dev-ab/telemetry"_s,
                             u"fleetdeck/provisioning/SN-1/response"_s, u"spBv1.0/Plant/NDATA/dev-b"_s};
    for (const QString &topic : forged)
        QVERIFY(a->publish(topic, "forged-by-a", 1));
    QVERIFY(a->publish(u"fleetdeck/v1/dev-a/telemetry"_s, "own-of-a", 1));
    QTRY_VERIFY_WITH_TIMEOUT(m_operatorInbox->has(u"fleetdeck/v1/dev-a/telemetry"_s, "own-of-a"), 5000);
    QVERIFY2(!m_operatorInbox->hasPayload("forged-by-a"), "a forged message reached the operator");

    // MQTT 5 at QoS 1: the broker's PUBACK says "not authorized".
    QSignalSpy finished(a.get(), &MqttClient::publishFinished);
    const quint64 token = a->publishTracked(u"fleetdeck/v1/dev-b/telemetry"_s, "forged-tracked", 1);
    QVERIFY(token > 0);
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.at(0).at(1).toBool(), false);
    QVERIFY2(finished.at(0).at(2).toString().contains(u"Not authorized"_s), qPrintable(finished.at(0).at(2).toString()));
}

void TestBrokerAcl::deviceCannotSubscribeToAnotherDevicesCommands()
{
    QString error;
    auto a = connectAs(u"dev-a"_s, u"dev-a-sub"_s, &error);
    QVERIFY2(a, qPrintable(error));
    auto b = connectAs(u"dev-b"_s, u"dev-b-sub"_s, &error);
    QVERIFY2(b, qPrintable(error));
    Inbox aInbox(*a);
    Inbox bInbox(*b);
    QVERIFY(subscribeAndWait(*a, u"fleetdeck/v1/dev-a/cmd"_s));
    QVERIFY(subscribeAndWait(*b, u"fleetdeck/v1/dev-b/cmd"_s));
    // mosquitto 2.0.11 grants every SUBSCRIBE (its ACL check does not judge subscriptions)
    // and applies the ACL's read rules to each message it would deliver: these
    // subscriptions are acknowledged, yet nothing of B's reaches A.
    subscribeAndWait(*a, u"fleetdeck/v1/dev-b/cmd"_s);
    subscribeAndWait(*a, u"fleetdeck/v1/+/cmd"_s);
    subscribeAndWait(*a, u"#"_s);
    // B's command first, A's own last (one publisher, one subscriber: delivered in order):
    // once A has its own, B's would have reached it before.
    QVERIFY(m_operator->publish(u"fleetdeck/v1/dev-b/cmd"_s, "cmd-for-b", 1));
    QVERIFY(m_operator->publish(u"fleetdeck/v1/dev-a/cmd"_s, "cmd-for-a", 1));
    QTRY_VERIFY_WITH_TIMEOUT(bInbox.has(u"fleetdeck/v1/dev-b/cmd"_s, "cmd-for-b"), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(aInbox.has(u"fleetdeck/v1/dev-a/cmd"_s, "cmd-for-a"), 5000);
    QVERIFY2(!aInbox.hasPayload("cmd-for-b"), "device A received B's command");
}

void TestBrokerAcl::edgeNodeOnlyUnderItsOwnNodeId()
{
    QString error;
    auto gw = connectAs(u"gw-01"_s, u"gw-01-conn"_s, &error);
    QVERIFY2(gw, qPrintable(error));
    Inbox inbox(*gw);
    QVERIFY(subscribeAndWait(*gw, u"spBv1.0/Plant/NCMD/gw-01"_s));
    QVERIFY(subscribeAndWait(*gw, u"spBv1.0/Plant/DCMD/gw-01/+"_s));
    QVERIFY(subscribeAndWait(*gw, u"spBv1.0/STATE/+"_s));
    subscribeAndWait(*gw, u"spBv1.0/Plant/NCMD/gw-02"_s);  // acknowledged, never delivered (above)
    subscribeAndWait(*gw, u"spBv1.0/#"_s);
    // Forged first, own last, on each side: the allowed message that arrives proves the
    // forbidden one before it would have arrived too (one connection, one ordered stream).
    QVERIFY(gw->publish(u"spBv1.0/Plant/NDATA/gw-02"_s, "gw01-forged", 1));
    QVERIFY(gw->publish(u"spBv1.0/Plant/DDATA/gw-02/pump"_s, "gw01-forged", 1));
    QVERIFY(gw->publish(u"spBv1.0/STATE/host"_s, "gw01-forged", 1));  // read only
    QVERIFY(gw->publish(u"spBv1.0/Plant/NBIRTH/gw-01"_s, "gw01-nbirth", 1));
    QVERIFY(gw->publish(u"spBv1.0/Plant/DBIRTH/gw-01/pump"_s, "gw01-dbirth", 1));
    QTRY_VERIFY_WITH_TIMEOUT(m_operatorInbox->has(u"spBv1.0/Plant/NBIRTH/gw-01"_s, "gw01-nbirth"), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(m_operatorInbox->has(u"spBv1.0/Plant/DBIRTH/gw-01/pump"_s, "gw01-dbirth"), 5000);
    // Commands and the host's STATE reach it.
    QVERIFY(m_operator->publish(u"spBv1.0/STATE/fleetdeck-host"_s, "state-online", 1));
    QVERIFY(m_operator->publish(u"spBv1.0/Plant/NCMD/gw-02"_s, "ncmd-for-gw02", 1));
    QVERIFY(m_operator->publish(u"spBv1.0/Plant/DCMD/gw-01/pump"_s, "dcmd", 1));
    QTRY_VERIFY_WITH_TIMEOUT(inbox.has(u"spBv1.0/STATE/fleetdeck-host"_s, "state-online"), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(inbox.has(u"spBv1.0/Plant/DCMD/gw-01/pump"_s, "dcmd"), 5000);
    QVERIFY(!m_operatorInbox->hasPayload("gw01-forged"));
    QVERIFY(!inbox.hasPayload("ncmd-for-gw02"));
}

void TestBrokerAcl::bootstrapOnlyOnItsProvisioningTopics()
{
    const QString serial = u"SN-42-0001"_s;
    QString error;
    auto boot = connectAs(u"bootstrap"_s, serial, &error);  // client id = serial
    QVERIFY2(boot, qPrintable(error));
    Inbox inbox(*boot);
    QVERIFY(subscribeAndWait(*boot, u"fleetdeck/provisioning/%1/response"_s.arg(serial)));
    // Acknowledged, never delivered (see deviceCannotSubscribeToAnotherDevicesCommands).
    subscribeAndWait(*boot, u"fleetdeck/provisioning/SN-42-0002/response"_s);  // another serial's
    subscribeAndWait(*boot, u"fleetdeck/provisioning/+/response"_s);
    subscribeAndWait(*boot, u"fleetdeck/provisioning/%1/request"_s.arg(serial));  // its own, write only
    subscribeAndWait(*boot, u"fleetdeck/v1/dev-a/cmd"_s);
    for (const QString &topic : {u"fleetdeck/provisioning/SN-42-0002/request"_s, u"fleetdeck/provisioning/%1/response"_s.arg(serial),
                                 u"fleetdeck/v1/dev-a/telemetry"_s, u"fleetdeck/v1/%1/telemetry"_s.arg(serial),
                                 u"spBv1.0/Plant/NBIRTH/gw-01"_s}) {
        QVERIFY(boot->publish(topic, "bootstrap-forged", 1));
    }
    QVERIFY(boot->publish(u"fleetdeck/provisioning/%1/request"_s.arg(serial), "request-1", 1));
    QTRY_VERIFY_WITH_TIMEOUT(m_operatorInbox->has(u"fleetdeck/provisioning/%1/request"_s.arg(serial), "request-1"), 5000);
    // The answer reaches it; another serial's does not.
    QVERIFY(m_operator->publish(u"fleetdeck/provisioning/SN-42-0002/response"_s, "answer-2", 1));
    QVERIFY(m_operator->publish(u"fleetdeck/provisioning/%1/response"_s.arg(serial), "answer-1", 1));
    QTRY_VERIFY_WITH_TIMEOUT(inbox.has(u"fleetdeck/provisioning/%1/response"_s.arg(serial), "answer-1"), 5000);
    // answer-2 went out before answer-1 from the same client. request-1 had reached the
    // operator before answer-1 was published: the broker had queued it for the bootstrap
    // client (were it allowed to read it) before answer-1, and sends its queue in order.
    QVERIFY(!inbox.hasPayload("answer-2"));
    QVERIFY(!inbox.hasPayload("request-1"));  // may write its request, not read it back
    QVERIFY(!m_operatorInbox->hasPayload("bootstrap-forged"));  // published before request-1
    QVERIFY(m_operator->publish(u"fleetdeck/v1/dev-a/cmd"_s, "cmd-for-a-boot", 1));
    QVERIFY(m_operator->publish(u"fleetdeck/provisioning/%1/response"_s.arg(serial), "answer-after-cmd", 1));
    QTRY_VERIFY_WITH_TIMEOUT(inbox.has(u"fleetdeck/provisioning/%1/response"_s.arg(serial), "answer-after-cmd"), 5000);
    QVERIFY(!inbox.hasPayload("cmd-for-a-boot"));

    // A client id that is a wildcard must not turn "%c" into one: mosquitto refuses every
    // access of a client whose id or user name has '+' or '#'.
    // Such a client may do nothing, so no allowed message of its own can serve as a barrier:
    // the broker's PUBACK and SUBACK on its connection do.
    auto odd = connectAs(u"bootstrap"_s, u"+"_s, &error);
    QVERIFY2(odd, qPrintable(error));
    Inbox oddInbox(*odd);
    QSignalSpy oddFinished(odd.get(), &MqttClient::publishFinished);
    QVERIFY(odd->publishTracked(u"fleetdeck/provisioning/SN-42-0003/request"_s, "odd-request", 1) > 0);
    QVERIFY(oddFinished.wait(5000));  // the broker has handled odd-request (and queued it, if allowed)
    subscribeAndWait(*odd, u"fleetdeck/provisioning/+/response"_s);
    // request-2, published after that, reaching the operator means odd-request would have.
    QVERIFY(boot->publish(u"fleetdeck/provisioning/%1/request"_s.arg(serial), "request-2", 1));
    QTRY_VERIFY_WITH_TIMEOUT(m_operatorInbox->has(u"fleetdeck/provisioning/%1/request"_s.arg(serial), "request-2"), 5000);
    QVERIFY(!m_operatorInbox->hasPayload("odd-request"));
    // answer-3 back at the operator (subscribed to #): the broker has handled it; a SUBACK
    // asked for after that reaches the odd client only after answer-3 would have.
    QVERIFY(m_operator->publish(u"fleetdeck/provisioning/SN-42-0003/response"_s, "answer-3", 1));
    QTRY_VERIFY_WITH_TIMEOUT(m_operatorInbox->has(u"fleetdeck/provisioning/SN-42-0003/response"_s, "answer-3"), 5000);
    QVERIFY(subackBarrier(*odd, u"fleetdeck/provisioning/SN-42-0003/response"_s));
    QCOMPARE(odd->receivedCount(), quint64(0));
    QVERIFY(!oddInbox.hasPayload("answer-3"));
    QCOMPARE(odd->state(), ConnectionState::Connected);
}

void TestBrokerAcl::refusedCertificates_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("reason");  // what the client is told (OpenSSL via Paho)
    QTest::newRow("untrusted CA") << u"untrusted"_s << u"unknown ca"_s;
    QTest::newRow("expired") << u"expired-client"_s << u"certificate expired"_s;
    QTest::newRow("revoked") << u"revoked"_s << u"certificate revoked"_s;
}

void TestBrokerAcl::refusedCertificates()
{
    QFETCH(QString, name);
    QFETCH(QString, reason);
    MqttClient client;
    client.connectToBroker(profileFor(name, u"refused-"_s + name));
    const ConnectionState s = settle(client);
    QVERIFY2(s != ConnectionState::Connected, qPrintable(name));
    const QString detail = client.stateDetail();
    qInfo().noquote() << name << "->" << detail;
    QVERIFY2(detail.contains(reason, Qt::CaseInsensitive), qPrintable(detail));
    // And the broker says why on its side.
    QTRY_VERIFY_WITH_TIMEOUT(m_broker.launcher().log().contains(u"certificate verify failed"_s), 5000);
}

void TestBrokerAcl::reloadMakesANewCrlCount()
{
    QString error;
    auto late = connectAs(u"dev-late"_s, u"dev-late-1"_s, &error);
    QVERIFY2(late, qPrintable(error));
    QVERIFY2(m_certs.revoke(u"dev-late"_s, &error), qPrintable(error));

    // The broker read its CRL at start: without a reload the revoked certificate still gets in.
    auto before = connectAs(u"dev-late"_s, u"dev-late-2"_s, &error);
    QVERIFY2(before, qPrintable(error));
    before->disconnectFromBroker();

    QVERIFY2(m_broker.launcher().reload(&error), qPrintable(error));
    MqttClient after;
    after.connectToBroker(profileFor(u"dev-late"_s, u"dev-late-3"_s));
    QVERIFY(settle(after) != ConnectionState::Connected);
    QVERIFY2(after.stateDetail().contains(u"certificate revoked"_s), qPrintable(after.stateDetail()));
    // Others still connect; the revoked device's open connection is not dropped by the
    // reload (mosquitto 2.0.11): it lasts until it reconnects.
    auto a = connectAs(u"dev-a"_s, u"dev-a-after-reload"_s, &error);
    QVERIFY2(a, qPrintable(error));
    QCOMPARE(late->state(), ConnectionState::Connected);
    QVERIFY(late->publish(u"fleetdeck/v1/dev-late/telemetry"_s, "still-here", 1));
    QTRY_VERIFY_WITH_TIMEOUT(m_operatorInbox->has(u"fleetdeck/v1/dev-late/telemetry"_s, "still-here"), 5000);
}

} // namespace fd

QTEST_GUILESS_MAIN(fd::TestBrokerAcl)
#include "test_broker_acl.moc"
