#include "core/transport/broker_url.h"
#include "core/domain/connection_state.h"

#include <QTest>

using fd::BrokerUrl;
using namespace Qt::StringLiterals;

class TestBrokerUrl : public QObject
{
    Q_OBJECT
private slots:
    void parse_data();
    void parse();
    void rejects_data();
    void rejects();
    void stateKeys();
    void identity_data();
    void identity();
};

void TestBrokerUrl::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<bool>("tls");
    QTest::addColumn<QString>("canonical");
    QTest::addColumn<QString>("paho");

    QTest::newRow("bare host") << u"broker.local"_s << u"broker.local"_s << 1883 << false
                               << u"mqtt://broker.local:1883"_s << u"tcp://broker.local:1883"_s;
    QTest::newRow("bare host:port") << u"10.0.0.5:1884"_s << u"10.0.0.5"_s << 1884 << false
                                    << u"mqtt://10.0.0.5:1884"_s << u"tcp://10.0.0.5:1884"_s;
    QTest::newRow("mqtt default port") << u"mqtt://host"_s << u"host"_s << 1883 << false << u"mqtt://host:1883"_s
                                       << u"tcp://host:1883"_s;
    QTest::newRow("tcp") << u"tcp://host:2000"_s << u"host"_s << 2000 << false << u"mqtt://host:2000"_s
                         << u"tcp://host:2000"_s;
    QTest::newRow("mqtts default port") << u"mqtts://secure.example.com"_s << u"secure.example.com"_s << 8883 << true
                                        << u"mqtts://secure.example.com:8883"_s << u"ssl://secure.example.com:8883"_s;
    QTest::newRow("ssl with port") << u"ssl://h:443"_s << u"h"_s << 443 << true << u"mqtts://h:443"_s
                                   << u"ssl://h:443"_s;
    QTest::newRow("upper-case scheme") << u"MQTTS://H:1"_s << u"H"_s << 1 << true << u"mqtts://H:1"_s
                                       << u"ssl://H:1"_s;
    QTest::newRow("whitespace and slash") << u"  mqtt://host:1883/ "_s << u"host"_s << 1883 << false
                                          << u"mqtt://host:1883"_s << u"tcp://host:1883"_s;
    QTest::newRow("ipv6 with port") << u"mqtt://[::1]:1883"_s << u"::1"_s << 1883 << false
                                    << u"mqtt://[::1]:1883"_s << u"tcp://[::1]:1883"_s;
    QTest::newRow("ipv6 tls default port") << u"mqtts://[fe80::1]"_s << u"fe80::1"_s << 8883 << true
                                           << u"mqtts://[fe80::1]:8883"_s << u"ssl://[fe80::1]:8883"_s;
    QTest::newRow("max port") << u"h:65535"_s << u"h"_s << 65535 << false << u"mqtt://h:65535"_s
                              << u"tcp://h:65535"_s;
}

void TestBrokerUrl::parse()
{
    QFETCH(QString, text);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(bool, tls);
    QFETCH(QString, canonical);
    QFETCH(QString, paho);

    QString error;
    const std::optional<BrokerUrl> url = BrokerUrl::parse(text, &error);
    QVERIFY2(url.has_value(), qPrintable(error));
    QCOMPARE(url->host, host);
    QCOMPARE(int(url->port), port);
    QCOMPARE(url->tls, tls);
    QCOMPARE(url->toString(), canonical);
    QCOMPARE(url->pahoUri(), paho);
    // toString() parses back to the same address.
    const std::optional<BrokerUrl> again = BrokerUrl::parse(url->toString());
    QVERIFY(again.has_value());
    QCOMPARE(again->toString(), canonical);
}

void TestBrokerUrl::rejects_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("errorContains");

    QTest::newRow("empty") << QString() << u"empty"_s;
    QTest::newRow("blank") << u"   "_s << u"empty"_s;
    QTest::newRow("port zero") << u"mqtt://h:0"_s << u"between 1 and 65535"_s;
    QTest::newRow("port too big") << u"mqtt://h:65536"_s << u"between 1 and 65535"_s;
    QTest::newRow("port negative") << u"h:-1"_s << u"between 1 and 65535"_s;
    QTest::newRow("port not a number") << u"h:abc"_s << u"between 1 and 65535"_s;
    QTest::newRow("port missing") << u"h:"_s << u"port"_s;
    QTest::newRow("unknown scheme") << u"ws://h:80"_s << u"unsupported scheme"_s;
    QTest::newRow("no host") << u"mqtt://:1883"_s << u"host"_s;
    QTest::newRow("ipv6 without brackets") << u"::1"_s << u"brackets"_s;
    QTest::newRow("ipv6 unclosed") << u"mqtt://[::1:1883"_s << u"]"_s;
    QTest::newRow("ipv6 garbage") << u"mqtt://[zz::1]"_s << u"IPv6"_s;
    QTest::newRow("path") << u"mqtt://h/topic"_s << u"path"_s;
    QTest::newRow("user info") << u"mqtt://user@h"_s << u"user name"_s;
    QTest::newRow("space in host") << u"my host"_s << u"invalid character"_s;
    // Found by fuzz_connection_profiles: "." had the identity "mqtt://:1883", no address.
    QTest::newRow("dot host") << u"mqtt://."_s << u"not a host name"_s;
    QTest::newRow("dots and dashes") << u"mqtts://-..-_:8883"_s << u"not a host name"_s;
    // ... and "a.." had the identity "mqtt://a.:1883", whose identity was "mqtt://a:1883".
    QTest::newRow("two trailing dots") << u"mqtt://a.."_s << u"not a host name"_s;
    QTest::newRow("empty label") << u"mqtt://a..b:1"_s << u"not a host name"_s;
    QTest::newRow("leading dot") << u".a"_s << u"not a host name"_s;
}

void TestBrokerUrl::rejects()
{
    QFETCH(QString, text);
    QFETCH(QString, errorContains);
    QString error;
    QVERIFY(!BrokerUrl::parse(text, &error).has_value());
    QVERIFY2(error.contains(errorContains, Qt::CaseInsensitive), qPrintable(error));
    QVERIFY(!BrokerUrl::parse(text).has_value());  // error pointer is optional
}

void TestBrokerUrl::stateKeys()
{
    using fd::ConnectionState;
    QCOMPARE(fd::connectionStateKey(ConnectionState::Disconnected), u"disconnected"_s);
    QCOMPARE(fd::connectionStateKey(ConnectionState::Connecting), u"connecting"_s);
    QCOMPARE(fd::connectionStateKey(ConnectionState::Connected), u"connected"_s);
    QCOMPARE(fd::connectionStateKey(ConnectionState::Reconnecting), u"reconnecting"_s);
    QCOMPARE(fd::connectionStateKey(ConnectionState::Failed), u"failed"_s);
}

void TestBrokerUrl::identity_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<bool>("same");
    QTest::newRow("scheme aliases") << u"ssl://Broker.Example.com"_s << u"mqtts://broker.example.com:8883"_s << true;
    QTest::newRow("tcp alias, default port") << u"tcp://h"_s << u"mqtt://h:1883"_s << true;
    QTest::newRow("bare host") << u"h:1883"_s << u"mqtt://h"_s << true;
    QTest::newRow("trailing dot") << u"mqtts://broker.example.com."_s << u"mqtts://broker.example.com"_s << true;
    QTest::newRow("IPv6 case") << u"mqtt://[FE80::1]:1883"_s << u"mqtt://[fe80::1]"_s << true;
    QTest::newRow("TLS or not") << u"mqtts://h:1883"_s << u"mqtt://h:1883"_s << false;
    QTest::newRow("other port") << u"mqtts://h"_s << u"mqtts://h:8884"_s << false;
    QTest::newRow("other host") << u"mqtts://a.example.com"_s << u"mqtts://b.example.com"_s << false;
    QTest::newRow("name vs address") << u"mqtt://localhost"_s << u"mqtt://127.0.0.1"_s << false;
}

void TestBrokerUrl::identity()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(bool, same);
    const std::optional<BrokerUrl> ua = BrokerUrl::parse(a);
    const std::optional<BrokerUrl> ub = BrokerUrl::parse(b);
    QVERIFY(ua && ub);
    QCOMPARE(ua->identity() == ub->identity(), same);
    QCOMPARE(BrokerUrl::parse(ua->identity())->identity(), ua->identity());  // stable
}

QTEST_GUILESS_MAIN(TestBrokerUrl)
#include "test_broker_url.moc"
