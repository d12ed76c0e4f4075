// MosquittoAcl (the fleet ACL's lines) and the mosquitto.conf MosquittoConfig renders for a
// fleet broker (mTLS, CRL, ACL, identity as user name), and the option combinations it refuses.
#include "core/broker/mosquitto_acl.h"
#include "core/broker/mosquitto_config.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace fd {

class TestMosquittoAcl : public QObject
{
    Q_OBJECT

private slots:
    void fleetLinesAreTheDesignsAcl();
    void namesAreRespected();
    void unsafeNamesAreRefused_data();
    void unsafeNamesAreRefused();
    void renderHasAHeader();
    void configOfAFleetBroker();
    void configWithoutTlsHasNoTlsLines();
    void problems_data();
    void problems();
};

void TestMosquittoAcl::fleetLinesAreTheDesignsAcl()
{
    const QStringList expected{
        u"user fleetdeck-operator"_s,
        u"topic readwrite #"_s,
        QString(),
        u"pattern write fleetdeck/provisioning/%c/request"_s,
        u"pattern read fleetdeck/provisioning/%c/response"_s,
        u"pattern readwrite fleetdeck/v1/%u/#"_s,
        u"pattern readwrite spBv1.0/+/+/%u"_s,
        u"pattern readwrite spBv1.0/+/+/%u/#"_s,
        u"pattern read spBv1.0/STATE/#"_s,
    };
    QCOMPARE(MosquittoAcl::fleetLines(), expected);
}

void TestMosquittoAcl::namesAreRespected()
{
    MosquittoAcl::Names names;
    names.operatorUser = u"ops-laptop"_s;
    names.provisioningRoot = u"acme/prov"_s;
    names.topicPrefix = u"acme/devices/v1"_s;
    QString error;
    const QStringList lines = MosquittoAcl::fleetLines(names, &error);
    QVERIFY2(!lines.isEmpty(), qPrintable(error));
    QCOMPARE(lines.at(0), u"user ops-laptop"_s);
    QVERIFY(lines.contains(u"pattern write acme/prov/%c/request"_s));
    QVERIFY(lines.contains(u"pattern read acme/prov/%c/response"_s));
    QVERIFY(lines.contains(u"pattern readwrite acme/devices/v1/%u/#"_s));
}

void TestMosquittoAcl::unsafeNamesAreRefused_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::newRow("empty operator") << u"operator"_s << QString();
    QTest::newRow("operator with space") << u"operator"_s << u"fleet operator"_s;
    QTest::newRow("operator with newline (a second ACL line)") << u"operator"_s << u"op\ntopic readwrite #"_s;
    QTest::newRow("operator with slash") << u"operator"_s << u"ops/1"_s;
    QTest::newRow("operator wildcard") << u"operator"_s << u"#"_s;
    QTest::newRow("prefix wildcard") << u"prefix"_s << u"fleetdeck/+"_s;
    QTest::newRow("prefix %u") << u"prefix"_s << u"fleetdeck/%u"_s;
    QTest::newRow("prefix leading slash") << u"prefix"_s << u"/fleetdeck"_s;
    QTest::newRow("prefix trailing slash") << u"prefix"_s << u"fleetdeck/"_s;
    QTest::newRow("prefix empty level") << u"prefix"_s << u"fleet//deck"_s;
    QTest::newRow("prefix control character") << u"prefix"_s << u"fleet\u0001deck"_s;
    QTest::newRow("provisioning root with tab") << u"provisioning"_s << u"fleetdeck\tprov"_s;
    QTest::newRow("sparkplug namespace empty") << u"sparkplug"_s << QString();
}

void TestMosquittoAcl::unsafeNamesAreRefused()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    MosquittoAcl::Names names;
    if (field == u"operator"_s)
        names.operatorUser = value;
    else if (field == u"prefix"_s)
        names.topicPrefix = value;
    else if (field == u"provisioning"_s)
        names.provisioningRoot = value;
    else
        names.sparkplugNamespace = value;
    QString error;
    QVERIFY(MosquittoAcl::fleetLines(names, &error).isEmpty());
    QVERIFY(!error.isEmpty());
    QVERIFY(MosquittoAcl::render(names).isEmpty());
}

void TestMosquittoAcl::renderHasAHeader()
{
    const QString text = MosquittoAcl::render({});
    QVERIFY(text.startsWith(u"# "_s));
    QVERIFY(text.endsWith(u"pattern read spBv1.0/STATE/#\n"_s));
    QVERIFY(text.contains(u"\nuser fleetdeck-operator\ntopic readwrite #\n"_s));
}

void TestMosquittoAcl::configOfAFleetBroker()
{
    MosquittoLauncher::Options options;
    options.caFile = u"/p/ca.crt"_s;
    options.certFile = u"/p/server.crt"_s;
    options.keyFile = u"/p/server.key"_s;
    options.requireClientCertificate = true;
    options.useIdentityAsUsername = true;
    options.crlFile = u"/p/crl.pem"_s;
    options.aclLines = MosquittoAcl::fleetLines();
    QVERIFY(MosquittoConfig::problem(options).isEmpty());
    const QStringList lines = MosquittoConfig::render(options, 8883, false, QString(), u"/p/acl"_s).split(u'\n');
    QVERIFY(lines.contains(u"allow_anonymous false"_s));
    QVERIFY(lines.contains(u"acl_file /p/acl"_s));
    QVERIFY(lines.contains(u"require_certificate true"_s));
    QVERIFY(lines.contains(u"use_identity_as_username true"_s));
    QVERIFY(lines.contains(u"crlfile /p/crl.pem"_s));
    QVERIFY(lines.contains(u"cafile /p/ca.crt"_s));
    QVERIFY(!lines.contains(u"password_file"_s));
    // One listener, the TLS one.
    QCOMPARE(lines.filter(u"listener "_s), QStringList{u"listener 8883 127.0.0.1"_s});
    // The listener's settings come after it (mosquitto applies them to the last listener).
    QVERIFY(lines.indexOf(u"crlfile /p/crl.pem"_s) > lines.indexOf(u"listener 8883 127.0.0.1"_s));
}

void TestMosquittoAcl::configWithoutTlsHasNoTlsLines()
{
    MosquittoLauncher::Options options;
    const QString text = MosquittoConfig::render(options, 1883, false);
    QVERIFY(text.contains(u"allow_anonymous true"_s));
    for (const QString &key : {u"crlfile"_s, u"use_identity_as_username"_s, u"acl_file"_s, u"require_certificate"_s})
        QVERIFY2(!text.contains(key), qPrintable(key));
}

void TestMosquittoAcl::problems_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("expected");  // a word of the reason; empty: fine
    QTest::newRow("plain") << u"plain"_s << QString();
    QTest::newRow("crl without client certificates") << u"crl"_s << u"revocation"_s;
    QTest::newRow("identity without client certificates") << u"identity"_s << u"use_identity_as_username"_s;
    QTest::newRow("client certificates without CA") << u"noca"_s << u"CA file"_s;
    QTest::newRow("certificate without key") << u"nokey"_s << u"key"_s;
    QTest::newRow("identity and a password account") << u"identity+password"_s << u"password"_s;
    QTest::newRow("ACL file and lines") << u"acl both"_s << u"either"_s;
}

void TestMosquittoAcl::problems()
{
    QFETCH(QString, what);
    QFETCH(QString, expected);
    MosquittoLauncher::Options o;
    auto tls = [&o] {
        o.caFile = u"ca"_s;
        o.certFile = u"c"_s;
        o.keyFile = u"k"_s;
    };
    if (what == u"crl"_s) {
        tls();
        o.crlFile = u"crl"_s;
    } else if (what == u"identity"_s) {
        tls();
        o.useIdentityAsUsername = true;
    } else if (what == u"noca"_s) {
        tls();
        o.caFile.clear();
        o.requireClientCertificate = true;
    } else if (what == u"nokey"_s) {
        o.certFile = u"c"_s;
    } else if (what == u"identity+password"_s) {
        tls();
        o.requireClientCertificate = true;
        o.useIdentityAsUsername = true;
        o.credentials = {u"user"_s, u"pw"_s};
    } else if (what == u"acl both"_s) {
        o.aclFile = u"acl"_s;
        o.aclLines = {u"topic readwrite #"_s};
    }
    const QString problem = MosquittoConfig::problem(o);
    if (expected.isEmpty())
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    else
        QVERIFY2(problem.contains(expected), qPrintable(problem));
}

} // namespace fd

QTEST_GUILESS_MAIN(fd::TestMosquittoAcl)
#include "test_mosquitto_acl.moc"
