// DemoPki (app/gui/demo_pki.cpp, compiled in): the demo fleet CA and its identities in the
// demo's state folder, entered in a real operations store; kept across starts (nothing
// issued twice), keys private, the operator's encrypted; the factory list imported; the CRL
// refreshed from the store's revocations; and a fleet broker made of these files admits the
// operator and a device.
#include "app/gui/demo_pki.h"
#include "core/broker/mosquitto_acl.h"
#include "core/operations/operations_store.h"
#include "core/pki/certificate.h"
#include "core/pki/pki_key.h"
#include "core/transport/mqtt_client.h"
#include "tests/support/broker_fixture.h"
#include "tests/support/raw_db.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

Q_LOGGING_CATEGORY(lcApp, "fleetdeck.app")

using namespace Qt::StringLiterals;

namespace fd {

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool openStore(OperationsStore &store, const QString &path)
{
    QSignalSpy opened(&store, &OperationsStore::opened);
    store.open(path);
    return opened.wait(10000) && store.isOpen();
}

// Waits until the store ran every job submitted so far.
bool settle(OperationsStore &store)
{
    return QTest::qWaitFor([&store] { return store.pendingJobs() == 0; }, 5000);
}

} // namespace

class TestDemoPki : public QObject
{
    Q_OBJECT

private slots:
    void preparesOnceAndKeepsItsIdentities();
    void importsTheFactoryListAndRefreshesTheCrl();
    void aFleetBrokerOfTheseFilesAdmitsOperatorAndDevice();
};

void TestDemoPki::preparesOnceAndKeepsItsIdentities()
{
    QTemporaryDir tmp;
    OperationsStore store;
    QVERIFY(openStore(store, tmp.filePath(u"ops.sqlite"_s)));
    DemoEnvironment::Options options;
    options.devices = 3;
    options.sparkplugNodes = 2;
    const QStringList ids = DemoPki::identities(options);
    QCOMPARE(ids, (QStringList{u"dev-00001"_s, u"dev-00002"_s, u"dev-00003"_s, u"gw-01"_s, u"gw-02"_s}));

    const QString dir = tmp.filePath(u"state/pki"_s);
    QString error;
    const std::optional<DemoEnvironment::PkiFiles> files = DemoPki::prepare(dir, ids, &store, u"tester"_s, &error);
    QVERIFY2(files, qPrintable(error));
    QVERIFY(settle(store));
    for (const QString &f : {files->chainFile, files->serverCert, files->serverKey, files->crlFile, files->operatorCert,
                             files->operatorKey, files->bootstrapCert, files->bootstrapKey})
        QVERIFY2(QFile::exists(f), qPrintable(f));
    for (const QString &id : ids) {
        const QString key = QDir(files->certDir).filePath(id + u".key"_s);
        QVERIFY2(QFile::exists(key), qPrintable(key));
        QCOMPARE(QFileInfo(key).permissions() & 0x7077, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        QString why;
        const QList<Certificate> chain = Certificate::chainFromPem(readAll(QDir(files->certDir).filePath(id + u".crt"_s)), &why);
        QCOMPARE(chain.size(), 2);  // the device's, then the intermediate
        QCOMPARE(chain.at(0).subjectCommonName(), id);
    }
    // The operator's key is encrypted with the demo passphrase; the devices' are not.
    QVERIFY(readAll(files->operatorKey).contains("ENCRYPTED PRIVATE KEY"));
    QCOMPARE(files->operatorKeyPassphrase, QString::fromLatin1(DemoPki::kPassphrase));
    QString why;
    QVERIFY(PkiKey::fromPrivatePem(readAll(files->operatorKey), DemoPki::kPassphrase, &why));
    QVERIFY(readAll(files->bootstrapKey).contains("BEGIN PRIVATE KEY"));
    QCOMPARE(Certificate::fromPem(readAll(files->serverCert), &why)->subjectAltNames(),
             (QStringList{u"IP:127.0.0.1"_s, u"DNS:localhost"_s}));
    // CA keys at rest encrypted.
    QVERIFY(readAll(QDir(dir).filePath(u"ca-intermediate.key.pem"_s)).contains("ENCRYPTED PRIVATE KEY"));

    // A second start issues nothing new and enters nothing twice.
    const QByteArray server = readAll(files->serverCert);
    const QByteArray device = readAll(QDir(files->certDir).filePath(u"dev-00002.crt"_s));
    options.devices = 4;  // one more device: one more certificate
    const std::optional<DemoEnvironment::PkiFiles> again =
        DemoPki::prepare(dir, DemoPki::identities(options), &store, u"tester"_s, &error);
    QVERIFY2(again, qPrintable(error));
    QVERIFY(settle(store));
    QCOMPARE(readAll(again->serverCert), server);
    QCOMPARE(readAll(QDir(again->certDir).filePath(u"dev-00002.crt"_s)), device);
    QVERIFY(QFile::exists(QDir(again->certDir).filePath(u"dev-00004.key"_s)));

    store.shutdown();
    test::RawDb db(tmp.filePath(u"ops.sqlite"_s));
    QCOMPARE(db.integer("SELECT count(*) FROM pki_authorities WHERE name = 'fleetdeck-demo'"), 1);
    QCOMPARE(db.integer("SELECT count(*) FROM certificates"), 3 + 6);  // server, operator, bootstrap, 4 devices, 2 gateways
    QCOMPARE(db.integer("SELECT count(*) FROM certificates WHERE kind = 'device' AND device_id = 'gw-01'"), 1);
    QCOMPARE(db.integer("SELECT count(*) FROM certificates WHERE kind = 'operator' AND common_name = 'fleetdeck-operator'"),
             1);
}

void TestDemoPki::importsTheFactoryListAndRefreshesTheCrl()
{
    QTemporaryDir tmp;
    OperationsStore store;
    QVERIFY(openStore(store, tmp.filePath(u"ops.sqlite"_s)));
    const QString dir = tmp.filePath(u"pki"_s);
    QString error;
    const std::optional<DemoEnvironment::PkiFiles> files =
        DemoPki::prepare(dir, {u"dev-00001"_s}, &store, u"tester"_s, &error);
    QVERIFY2(files, qPrintable(error));
    const QString csv = tmp.filePath(u"factory.csv"_s);
    QFile f(csv);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("serial,model,claim_code\nSN-42-0001,TH-100,AAAA-BBBB-CCCC\nSN-42-0002,TH-100,DDDD-EEEE-FFFF\n");
    f.close();
    QVERIFY2(DemoPki::importExpected(csv, &store, u"tester"_s, &error), qPrintable(error));
    QVERIFY(!DemoPki::importExpected(tmp.filePath(u"missing.csv"_s), &store, u"tester"_s, &error));
    QVERIFY(settle(store));

    // Nothing revoked: no new CRL.
    QByteArray pem = "unset";
    DemoPki::refreshCrl(dir, &store, u"tester"_s, this, [&pem](const QByteArray &p) { pem = p; });
    QTRY_VERIFY_WITH_TIMEOUT(pem != "unset", 5000);
    QVERIFY(pem.isEmpty());
    // Revoke dev-00001's certificate in the store: the refreshed CRL names it.
    store.shutdown();
    const QString serial = [&] {
        QString why;
        return Certificate::chainFromPem(readAll(QDir(files->certDir).filePath(u"dev-00001.crt"_s)), &why).value(0).serialHex();
    }();
    {
        test::RawDb db(tmp.filePath(u"ops.sqlite"_s));
        QCOMPARE(db.integer("SELECT count(*) FROM expected_devices"), 2);
        QCOMPARE(db.exec("UPDATE certificates SET status = 'revoked', revoked_ms = 1000 WHERE serial = '"
                         + serial.toLatin1() + "'"),
                 QString());
    }
    OperationsStore reopened;
    QVERIFY(openStore(reopened, tmp.filePath(u"ops.sqlite"_s)));
    pem = "unset";
    DemoPki::refreshCrl(dir, &reopened, u"tester"_s, this, [&pem](const QByteArray &p) { pem = p; });
    QTRY_VERIFY_WITH_TIMEOUT(pem != "unset", 5000);
    QVERIFY(pem.startsWith("-----BEGIN X509 CRL-----"));
    QFile crlFile(tmp.filePath(u"new-crl.pem"_s));
    QVERIFY(crlFile.open(QIODevice::WriteOnly));
    crlFile.write(pem);
    crlFile.close();
    QProcess openssl;
    openssl.start(u"openssl"_s, {u"crl"_s, u"-in"_s, crlFile.fileName(), u"-noout"_s, u"-text"_s});
    if (openssl.waitForFinished(10000)) {
        const QByteArray text = openssl.readAllStandardOutput();
        QVERIFY2(text.contains(serial.toLatin1()), text.constData());
    }
}

void TestDemoPki::aFleetBrokerOfTheseFilesAdmitsOperatorAndDevice()
{
    if (!test::BrokerFixture::mosquittoAvailable())
        QSKIP("mosquitto is not installed");
    QTemporaryDir tmp;
    OperationsStore store;
    QVERIFY(openStore(store, tmp.filePath(u"ops.sqlite"_s)));
    QString error;
    const std::optional<DemoEnvironment::PkiFiles> files =
        DemoPki::prepare(tmp.filePath(u"pki"_s), {u"dev-00001"_s}, &store, u"tester"_s, &error);
    QVERIFY2(files, qPrintable(error));
    MosquittoLauncher::Options options;
    options.caFile = files->chainFile;
    options.certFile = files->serverCert;
    options.keyFile = files->serverKey;
    options.requireClientCertificate = true;
    options.useIdentityAsUsername = true;
    options.crlFile = files->crlFile;
    options.aclLines = MosquittoAcl::fleetLines();
    test::BrokerFixture broker;
    QVERIFY2(broker.start(&error, options), qPrintable(error));
    auto connectAs = [&](const QString &cert, const QString &key, const QString &passphrase) {
        auto client = std::make_unique<MqttClient>();
        ConnectionProfile p;
        p.broker.host = u"127.0.0.1"_s;  // the server certificate names it
        p.broker.port = broker.port();
        p.broker.tls = true;
        p.caFile = files->chainFile;
        p.clientCertFile = cert;
        p.clientKeyFile = key;
        p.sparkplug = false;
        client->connectToBroker(p, ConnectionSecrets{QString(), passphrase});
        return client;
    };
    auto op = connectAs(files->operatorCert, files->operatorKey, files->operatorKeyPassphrase);
    QTRY_COMPARE_WITH_TIMEOUT(op->state(), ConnectionState::Connected, 15000);
    auto device = connectAs(QDir(files->certDir).filePath(u"dev-00001.crt"_s),
                            QDir(files->certDir).filePath(u"dev-00001.key"_s), QString());
    QTRY_COMPARE_WITH_TIMEOUT(device->state(), ConnectionState::Connected, 15000);
}

} // namespace fd

QTEST_GUILESS_MAIN(fd::TestDemoPki)
#include "test_demo_pki.moc"
