#include "core/transport/mqtt_client.h"
#include "tests/support/broker_fixture.h"
#include "tests/support/test_certificates.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace fd;
using namespace Qt::StringLiterals;

class TestMqttClientTls : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void caVerifiedConnects_data();
    void caVerifiedConnects();
    void wrongHostnameRejectedWhenVerifying();
    void wrongHostnameAcceptedWhenVerificationOff();
    void expiredCertificateRejected();
    void untrustedCaRejected();
    void mutualTlsWithEncryptedKey();
    void mutualTlsWrongPassphraseFails();
    void mutualTlsMissingPassphraseFails();
    void mutualTlsWithoutClientCertificateRejected();
    void unreadableCaFileFails();
    void brokerDownIsNotReportedAsTlsError();
    void brokerOfferingOnlyTls11IsRefused();
    void brokerOfferingOnlyTls12Connects();

private:
    std::unique_ptr<test::BrokerFixture> startBroker(const QString &cert, const QString &key,
                                                     bool requireClientCert = false);
    ConnectionProfile profileFor(const test::BrokerFixture &broker, const QString &host = u"localhost"_s) const;
    // Waits until the client settles on Connected, Failed, or a Reconnecting with a reason.
    static ConnectionState settle(MqttClient &client, int timeoutMs = 15000);

    test::TestCertificates m_certs;
};

void TestMqttClientTls::initTestCase()
{
    if (!test::BrokerFixture::mosquittoAvailable())
        QSKIP("mosquitto is not installed");
    if (QStandardPaths::findExecutable(u"openssl"_s).isEmpty())
        QSKIP("the openssl command line tool is not installed");
    QString error;
    QVERIFY2(m_certs.generate(&error), qPrintable(error));
}

std::unique_ptr<test::BrokerFixture> TestMqttClientTls::startBroker(const QString &cert, const QString &key,
                                                                    bool requireClientCert)
{
    auto broker = std::make_unique<test::BrokerFixture>();
    MosquittoLauncher::Options options;
    options.caFile = m_certs.caFile();
    options.certFile = cert;
    options.keyFile = key;
    options.requireClientCertificate = requireClientCert;
    QString error;
    if (!broker->start(&error, options)) {
        qWarning().noquote() << error;
        return nullptr;
    }
    return broker;
}

ConnectionProfile TestMqttClientTls::profileFor(const test::BrokerFixture &broker, const QString &host) const
{
    ConnectionProfile p = broker.profile(5);
    p.broker.host = host;
    p.broker.tls = true;
    p.caFile = m_certs.caFile();
    return p;
}

ConnectionState TestMqttClientTls::settle(MqttClient &client, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        const ConnectionState s = client.state();
        if (s == ConnectionState::Connected || s == ConnectionState::Failed || s == ConnectionState::Reconnecting)
            return s;
        QTest::qWait(10);
    }
    return client.state();
}

void TestMqttClientTls::caVerifiedConnects_data()
{
    QTest::addColumn<int>("version");
    QTest::addColumn<QString>("host");
    QTest::newRow("v3.1.1 localhost") << 3 << u"localhost"_s;
    QTest::newRow("v5 localhost") << 5 << u"localhost"_s;
    QTest::newRow("v5 127.0.0.1 (IP SAN)") << 5 << u"127.0.0.1"_s;
}

void TestMqttClientTls::caVerifiedConnects()
{
    QFETCH(int, version);
    QFETCH(QString, host);
    auto broker = startBroker(m_certs.serverCert(), m_certs.serverKey());
    QVERIFY(broker);
    QVERIFY(broker->url().startsWith(u"mqtts://"_s));

    MqttClient client;
    ConnectionProfile p = profileFor(*broker, host);
    p.mqttVersion = version;
    QVERIFY(p.verifyHostname);  // on by default
    client.subscribe(u"tls/#"_s);
    client.connectToBroker(p);
    QCOMPARE(settle(client), ConnectionState::Connected);

    // And messages flow over TLS.
    QSignalSpy batches(&client, &MqttClient::messagesReceived);
    QTest::qWait(100);
    QVERIFY(client.publish(u"tls/echo"_s, "secure", 1));
    QTRY_VERIFY_WITH_TIMEOUT(!batches.isEmpty(), 5000);
}

void TestMqttClientTls::wrongHostnameRejectedWhenVerifying()
{
    auto broker = startBroker(m_certs.wrongHostCert(), m_certs.wrongHostKey());
    QVERIFY(broker);
    MqttClient client;
    client.connectToBroker(profileFor(*broker));
    const ConnectionState s = settle(client);
    QVERIFY2(s != ConnectionState::Connected, qPrintable(client.stateDetail()));
    const QString detail = client.stateDetail();
    QVERIFY2(detail.contains(u"TLS"_s), qPrintable(detail));
    QVERIFY2(detail.contains(u"hostname mismatch"_s, Qt::CaseInsensitive), qPrintable(detail));
}

void TestMqttClientTls::wrongHostnameAcceptedWhenVerificationOff()
{
    auto broker = startBroker(m_certs.wrongHostCert(), m_certs.wrongHostKey());
    QVERIFY(broker);
    MqttClient client;
    ConnectionProfile p = profileFor(*broker);
    p.verifyHostname = false;  // explicit opt-out: the chain is still verified
    client.connectToBroker(p);
    QCOMPARE(settle(client), ConnectionState::Connected);
}

void TestMqttClientTls::expiredCertificateRejected()
{
    auto broker = startBroker(m_certs.expiredCert(), m_certs.expiredKey());
    QVERIFY(broker);
    MqttClient client;
    client.connectToBroker(profileFor(*broker));
    QVERIFY(settle(client) != ConnectionState::Connected);
    QVERIFY2(client.stateDetail().contains(u"expired"_s), qPrintable(client.stateDetail()));
}

void TestMqttClientTls::untrustedCaRejected()
{
    auto broker = startBroker(m_certs.serverCert(), m_certs.serverKey());
    QVERIFY(broker);
    MqttClient client;
    ConnectionProfile p = profileFor(*broker);
    p.caFile.clear();  // system trust store: does not know our test CA
    client.connectToBroker(p);
    QVERIFY(settle(client) != ConnectionState::Connected);
    QVERIFY2(client.stateDetail().contains(u"certificate"_s), qPrintable(client.stateDetail()));
}

void TestMqttClientTls::mutualTlsWithEncryptedKey()
{
    auto broker = startBroker(m_certs.serverCert(), m_certs.serverKey(), true);
    QVERIFY(broker);
    MqttClient client;
    ConnectionProfile p = profileFor(*broker);
    p.clientCertFile = m_certs.clientCert();
    p.clientKeyFile = m_certs.clientKey();
    client.connectToBroker(p, ConnectionSecrets{QString(), test::TestCertificates::clientKeyPassphrase()});
    QCOMPARE(settle(client), ConnectionState::Connected);
}

void TestMqttClientTls::mutualTlsWrongPassphraseFails()
{
    auto broker = startBroker(m_certs.serverCert(), m_certs.serverKey(), true);
    QVERIFY(broker);
    MqttClient client;
    ConnectionProfile p = profileFor(*broker);
    p.clientCertFile = m_certs.clientCert();
    p.clientKeyFile = m_certs.clientKey();
    client.connectToBroker(p, ConnectionSecrets{QString(), u"not-the-passphrase"_s});
    QCOMPARE(settle(client), ConnectionState::Failed);
    QVERIFY2(client.stateDetail().contains(u"passphrase"_s), qPrintable(client.stateDetail()));
    QTest::qWait(1500);  // no retry
    QCOMPARE(client.state(), ConnectionState::Failed);
}

void TestMqttClientTls::mutualTlsMissingPassphraseFails()
{
    auto broker = startBroker(m_certs.serverCert(), m_certs.serverKey(), true);
    QVERIFY(broker);
    MqttClient client;
    ConnectionProfile p = profileFor(*broker);
    p.clientCertFile = m_certs.clientCert();
    p.clientKeyFile = m_certs.clientKey();
    client.connectToBroker(p);  // no passphrase: must not prompt on a terminal
    QCOMPARE(client.state(), ConnectionState::Failed);
    QVERIFY2(client.stateDetail().contains(u"encrypted"_s), qPrintable(client.stateDetail()));
}

void TestMqttClientTls::mutualTlsWithoutClientCertificateRejected()
{
    auto broker = startBroker(m_certs.serverCert(), m_certs.serverKey(), true);
    QVERIFY(broker);
    MqttClient client;
    client.connectToBroker(profileFor(*broker));
    QVERIFY(settle(client) != ConnectionState::Connected);
    QVERIFY2(!client.stateDetail().isEmpty(), "no reason given");
}

void TestMqttClientTls::unreadableCaFileFails()
{
    MqttClient client;
    ConnectionProfile p;
    p.broker.host = u"localhost"_s;
    p.broker.port = 8883;
    p.broker.tls = true;
    p.caFile = m_certs.dir() + u"/no-such-ca.crt"_s;
    QSignalSpy states(&client, &MqttClient::stateChanged);
    client.connectToBroker(p);
    QCOMPARE(client.state(), ConnectionState::Failed);
    QVERIFY2(client.stateDetail().contains(u"does not exist"_s), qPrintable(client.stateDetail()));
    QCOMPARE(states.size(), 1);
}

void TestMqttClientTls::brokerDownIsNotReportedAsTlsError()
{
    MqttClient client;
    ConnectionProfile p;
    p.broker.host = u"127.0.0.1"_s;
    p.broker.port = MosquittoLauncher::freePort();
    p.broker.tls = true;
    p.caFile = m_certs.caFile();
    client.connectToBroker(p);
    QCOMPARE(settle(client), ConnectionState::Reconnecting);
    QVERIFY2(client.stateDetail().startsWith(u"cannot connect to mqtts://127.0.0.1:"_s), qPrintable(client.stateDetail()));
}

namespace {
// A mosquitto TLS listener limited to TLS versions from..to, with the given (TLS <= 1.2)
// suites. mosquitto's tls_version is only a minimum: the maximum comes from an OpenSSL
// configuration given to the broker alone (OPENSSL_CONF), so this process keeps OpenSSL's
// defaults. The file lives in a folder the broker's unprivileged user can read.
std::unique_ptr<test::BrokerFixture> startVersionedBroker(const test::TestCertificates &certs, const QString &from,
                                                          const QString &to, const QString &ciphers,
                                                          QTemporaryDir &confDir, QString *error)
{
    const QString conf = confDir.filePath(u"openssl.cnf"_s);
    QFile file(conf);
    if (!file.open(QIODevice::WriteOnly))
        return nullptr;
    file.write(u"openssl_conf = default_conf\n[default_conf]\nssl_conf = ssl_sect\n[ssl_sect]\n"
               "system_default = system_default_sect\n[system_default_sect]\nMaxProtocol = %1\n"
               "CipherString = %2\n"_s.arg(to, ciphers).toUtf8());
    file.close();
    QFile::setPermissions(confDir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                              | QFileDevice::ReadOther | QFileDevice::ExeOther);
    QFile::setPermissions(conf, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther);
    auto broker = std::make_unique<test::BrokerFixture>();
    MosquittoLauncher::Options options;
    options.caFile = certs.caFile();
    options.certFile = certs.rsaServerCert();
    options.keyFile = certs.rsaServerKey();
    options.extraConfigLines = {u"tls_version "_s + from, u"ciphers "_s + ciphers};
    options.environment = {u"OPENSSL_CONF="_s + conf};
    if (!broker->start(error, options))
        return nullptr;
    return broker;
}

// The protocol version `openssl s_client` (any version, any security level) gets from the
// broker: what the broker really offers.
QString negotiatedVersion(quint16 port)
{
    QProcess client;
    client.start(u"openssl"_s, {u"s_client"_s, u"-connect"_s, u"127.0.0.1:%1"_s.arg(port), u"-cipher"_s,
                                u"ALL:@SECLEVEL=0"_s});
    client.closeWriteChannel();
    if (!client.waitForFinished(10000)) {
        client.kill();
        client.waitForFinished();
    }
    const QString out = QString::fromUtf8(client.readAllStandardOutput());
    const qsizetype at = out.indexOf(u"Protocol  : "_s);
    return at < 0 ? QString() : out.mid(at + 12).section(u'\n', 0, 0).trimmed();
}
} // namespace

// TLS 1.2 is the minimum: a broker that offers only TLS 1.1 is refused, with a reason.
void TestMqttClientTls::brokerOfferingOnlyTls11IsRefused()
{
    QTemporaryDir confDir;
    QString error;
    // RSA key exchange (no signature): the TLS 1.1 handshake OpenSSL 3 still completes at
    // Paho's security level 1.
    auto broker = startVersionedBroker(m_certs, u"tlsv1.1"_s, u"TLSv1.1"_s, u"AES256-SHA:AES128-SHA:@SECLEVEL=0"_s,
                                       confDir, &error);
    QVERIFY2(broker, qPrintable(error));
    const QString offered = negotiatedVersion(broker->port());
    if (offered != u"TLSv1.1")
        QSKIP(qPrintable(u"this OpenSSL does not serve TLS 1.1 (negotiated: \"%1\")"_s.arg(offered)));

    MqttClient client;
    client.connectToBroker(profileFor(*broker));
    const ConnectionState s = settle(client);
    QVERIFY2(s != ConnectionState::Connected, "connected over TLS 1.1");
    const QString detail = client.stateDetail();
    QVERIFY2(detail.contains(u"TLS 1.2"_s), qPrintable(detail));
    QVERIFY2(!detail.contains(u"client certificate"_s), qPrintable(detail));  // not misread as mTLS
}

void TestMqttClientTls::brokerOfferingOnlyTls12Connects()
{
    QTemporaryDir confDir;
    QString error;
    auto broker = startVersionedBroker(m_certs, u"tlsv1.2"_s, u"TLSv1.2"_s, u"DEFAULT"_s, confDir, &error);
    QVERIFY2(broker, qPrintable(error));
    QCOMPARE(negotiatedVersion(broker->port()), u"TLSv1.2"_s);
    MqttClient client;
    client.connectToBroker(profileFor(*broker));
    QCOMPARE(settle(client), ConnectionState::Connected);
}

QTEST_GUILESS_MAIN(TestMqttClientTls)
#include "test_mqtt_client_tls.moc"
