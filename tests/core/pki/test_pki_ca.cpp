// FleetCa and its parts against OpenSSL itself: the chain (root, intermediate, leaf) verifies
// with X509_verify_cert and with the `openssl verify` CLI (skipped when not installed);
// the extensions each kind of certificate carries; serial numbers (format, 10 000 distinct,
// the printed form equal to `openssl x509 -serial`); CRLs listing revoked serials and
// verifying against the intermediate; isUsable() on expired / not yet valid CAs;
// fromParts() refusals; encrypted PKCS#8 round trips and a wrong passphrase.
#include "core/pki/certificate_request.h"
#include "core/pki/fleet_ca.h"
#include "core/pki/serial_number.h"
#include "tests/core/pki/pki_test_support.h"

#include <QDateTime>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/x509v3.h>

using namespace fd;
using namespace fd::pkitest;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kDayMs = 24LL * 3600 * 1000;

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

// The text of an extension of cert as OpenSSL prints it.
QString extensionText(const Certificate &cert, int nid, bool *critical = nullptr)
{
    const int index = X509_get_ext_by_NID(cert.get(), nid, -1);
    if (index < 0)
        return QString();
    X509_EXTENSION *ext = X509_get_ext(cert.get(), index);
    if (critical)
        *critical = X509_EXTENSION_get_critical(ext) == 1;
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    X509V3_EXT_print(bio.get(), ext, 0, 0);
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);
    return QString::fromLatin1(data, qsizetype(length)).trimmed();
}

QByteArray p256Csr(const QByteArray &cn)
{
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(makeKey("EC", "P-256"), EVP_PKEY_free);
    return makeCsr(key.get(), cn);
}

} // namespace

class TestPkiCa : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void chainVerifiesWithOpenSsl();
    void chainVerifiesWithOpenSslCli();
    void caExtensions();
    void deviceCertificateExtensions();
    void serverCertificateExtensionsAndSan();
    void clientCertificate();
    void issueRefusals();
    void serials();
    void serialHexMatchesOpenSsl();
    void crlListsRevokedAndVerifies();
    void isUsableRefusesExpiredAndFutureCas();
    void fromPartsChecks();
    void keyRoundTrip();
    void certificateParsing();
    void publicKeyInfoAndIssuer();

private:
    std::optional<FleetCa> m_ca;
    PkiKey m_rootKey;
    qint64 m_now = 0;
};

void TestPkiCa::initTestCase()
{
    m_now = QDateTime::currentMSecsSinceEpoch();
    FleetCa::Created created = FleetCa::create(u"test-fleet"_s, 7300, 3650, m_now);
    m_ca = created.ca;
    m_rootKey = created.rootKey;
}

void TestPkiCa::chainVerifiesWithOpenSsl()
{
    QString why;
    const std::optional<Certificate> leaf =
        m_ca->issueDevice(p256Csr("dev-01"), u"dev-01"_s, 365, SerialNumber::random(), m_now, &why);
    QVERIFY2(leaf, qPrintable(why));
    QCOMPARE(verifyChain(*leaf, *m_ca), X509_V_OK);
    QCOMPARE(leaf->subjectCommonName(), u"dev-01"_s);
    QCOMPARE(leaf->issuerCommonName(), u"test-fleet Issuing CA"_s);
    QCOMPARE(m_ca->intermediate().issuerCommonName(), u"test-fleet Root CA"_s);
    QVERIFY(qAbs(leaf->notAfterMs() - (m_now + 365 * kDayMs)) < 2000);
    QVERIFY(leaf->notBeforeMs() <= m_now - FleetCa::kBackdateMs + 1000);

    // The chain PEM is intermediate then root.
    const QList<Certificate> chain = Certificate::chainFromPem(m_ca->chainPem(), &why);
    QCOMPARE(chain.size(), 2);
    QCOMPARE(chain[0], m_ca->intermediate());
    QCOMPARE(chain[1], m_ca->root());

    // Another CA's leaf does not verify against this root.
    const FleetCa::Created other = FleetCa::create(u"other"_s);
    const std::optional<Certificate> foreign =
        other.ca.issueDevice(p256Csr("dev-01"), u"dev-01"_s, 365, SerialNumber::random(), m_now, &why);
    QVERIFY(foreign);
    QVERIFY(verifyChain(*foreign, *m_ca) != X509_V_OK);
    // Expired leaf: verification at a time after notAfter fails with CERT_HAS_EXPIRED.
    const std::optional<Certificate> shortLived =
        m_ca->issueDevice(p256Csr("dev-02"), u"dev-02"_s, 1, SerialNumber::random(), m_now, &why);
    QVERIFY(shortLived);
    QCOMPARE(verifyChain(*shortLived, *m_ca, m_now + 2 * kDayMs), X509_V_ERR_CERT_HAS_EXPIRED);
}

void TestPkiCa::chainVerifiesWithOpenSslCli()
{
    const QString openssl = QStandardPaths::findExecutable(u"openssl"_s);
    if (openssl.isEmpty())
        QSKIP("the openssl CLI is not installed");
    QTemporaryDir dir;
    QString why;
    const std::optional<Certificate> leaf =
        m_ca->issueDevice(p256Csr("dev-cli"), u"dev-cli"_s, 30, SerialNumber::random(), m_now, &why);
    QVERIFY(leaf);
    QVERIFY(writeFile(dir.filePath(u"root.pem"_s), m_ca->root().pem()));
    QVERIFY(writeFile(dir.filePath(u"int.pem"_s), m_ca->intermediate().pem()));
    QVERIFY(writeFile(dir.filePath(u"chain.pem"_s), m_ca->chainPem()));
    QVERIFY(writeFile(dir.filePath(u"leaf.pem"_s), leaf->pem()));
    QProcess p;
    // The chain file as the CA file (what a broker's cafile holds).
    p.start(openssl, {u"verify"_s, u"-CAfile"_s, dir.filePath(u"chain.pem"_s), dir.filePath(u"leaf.pem"_s)});
    QVERIFY(p.waitForFinished(30000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    QVERIFY(p.readAllStandardOutput().contains(": OK"));
    // The root only as trust anchor, the intermediate untrusted, purpose sslclient.
    p.start(openssl, {u"verify"_s, u"-CAfile"_s, dir.filePath(u"root.pem"_s), u"-untrusted"_s,
                      dir.filePath(u"int.pem"_s), u"-purpose"_s, u"sslclient"_s, dir.filePath(u"leaf.pem"_s)});
    QVERIFY(p.waitForFinished(30000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    // A device certificate is not a server certificate.
    p.start(openssl, {u"verify"_s, u"-CAfile"_s, dir.filePath(u"chain.pem"_s), u"-purpose"_s, u"sslserver"_s,
                      dir.filePath(u"leaf.pem"_s)});
    QVERIFY(p.waitForFinished(30000));
    QVERIFY(p.exitCode() != 0);
}

void TestPkiCa::caExtensions()
{
    bool critical = false;
    QVERIFY(m_ca->root().isCa());
    QVERIFY(m_ca->intermediate().isCa());
    QCOMPARE(extensionText(m_ca->root(), NID_basic_constraints, &critical), u"CA:TRUE, pathlen:1"_s);
    QVERIFY(critical);
    QCOMPARE(extensionText(m_ca->intermediate(), NID_basic_constraints, &critical), u"CA:TRUE, pathlen:0"_s);
    QVERIFY(critical);
    QCOMPARE(extensionText(m_ca->intermediate(), NID_key_usage, &critical), u"Certificate Sign, CRL Sign"_s);
    QVERIFY(critical);
    QVERIFY(!extensionText(m_ca->intermediate(), NID_subject_key_identifier).isEmpty());
    QVERIFY(!extensionText(m_ca->intermediate(), NID_authority_key_identifier).isEmpty());
    // ECDSA P-256 with SHA-256.
    QCOMPARE(X509_get_signature_nid(m_ca->intermediate().get()), NID_ecdsa_with_SHA256);
    QVERIFY(EVP_PKEY_is_a(X509_get0_pubkey(m_ca->intermediate().get()), "EC"));
    QCOMPARE(EVP_PKEY_get_bits(X509_get0_pubkey(m_ca->root().get())), 256);
}

void TestPkiCa::deviceCertificateExtensions()
{
    QString why;
    const std::optional<Certificate> leaf =
        m_ca->issueDevice(p256Csr("dev-ext"), u"dev-ext"_s, 90, SerialNumber::random(), m_now, &why);
    QVERIFY(leaf);
    bool critical = false;
    QCOMPARE(extensionText(*leaf, NID_basic_constraints, &critical), u"CA:FALSE"_s);
    QVERIFY(critical);
    QCOMPARE(extensionText(*leaf, NID_key_usage, &critical), u"Digital Signature"_s);
    QVERIFY(critical);
    QCOMPARE(extensionText(*leaf, NID_ext_key_usage, &critical), u"TLS Web Client Authentication"_s);
    QVERIFY(!critical);
    QVERIFY(!extensionText(*leaf, NID_subject_key_identifier).isEmpty());
    // AKI = the intermediate's SKI.
    QVERIFY(extensionText(*leaf, NID_authority_key_identifier)
                .contains(extensionText(m_ca->intermediate(), NID_subject_key_identifier)));
    QVERIFY(!leaf->isCa());
    QVERIFY(leaf->subjectAltNames().isEmpty());
    QCOMPARE(X509_get_version(leaf->get()), X509_VERSION_3);
    QCOMPARE(X509_check_purpose(leaf->get(), X509_PURPOSE_SSL_CLIENT, 0), 1);
    QCOMPARE(X509_check_purpose(leaf->get(), X509_PURPOSE_SSL_SERVER, 0), 0);
    // The subject is the device id only, whatever else the CSR held (O/OU allowed there).
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(makeKey("EC", "P-384"), EVP_PKEY_free);
    const QByteArray csr = makeCsr(key.get(), {{"O", "Acme"}, {"OU", "Line 3"}, {"CN", "dev-o"}});
    const std::optional<Certificate> withOrg =
        m_ca->issueDevice(csr, u"dev-o"_s, 90, SerialNumber::random(), m_now, &why);
    QVERIFY2(withOrg, qPrintable(why));
    QCOMPARE(X509_NAME_entry_count(X509_get_subject_name(withOrg->get())), 1);
    QCOMPARE(withOrg->subjectCommonName(), u"dev-o"_s);
    // The certificate carries the CSR's key.
    const std::optional<CertificateRequest> request = CertificateRequest::fromPem(csr, &why);
    QVERIFY(request);
    QCOMPARE(withOrg->publicKeyPem(), request->publicKeyPem());
}

void TestPkiCa::serverCertificateExtensionsAndSan()
{
    QString why;
    const PkiKey key = PkiKey::generateP256();
    const std::optional<Certificate> server =
        m_ca->issueServer(key, u"broker"_s, {u"localhost"_s, u"127.0.0.1"_s, u"::1"_s, u"mqtt.example.com"_s}, 825,
                          SerialNumber::random(), m_now, &why);
    QVERIFY2(server, qPrintable(why));
    QCOMPARE(server->subjectAltNames(),
             (QStringList{u"DNS:localhost"_s, u"IP:127.0.0.1"_s, u"IP:0:0:0:0:0:0:0:1"_s, u"DNS:mqtt.example.com"_s}));
    QCOMPARE(extensionText(*server, NID_ext_key_usage), u"TLS Web Server Authentication"_s);
    QCOMPARE(extensionText(*server, NID_basic_constraints), u"CA:FALSE"_s);
    QCOMPARE(X509_check_purpose(server->get(), X509_PURPOSE_SSL_SERVER, 0), 1);
    QCOMPARE(X509_check_host(server->get(), "localhost", 0, 0, nullptr), 1);
    QCOMPARE(X509_check_ip_asc(server->get(), "127.0.0.1", 0), 1);
    QCOMPARE(X509_check_host(server->get(), "evil.example.com", 0, 0, nullptr), 0);
    QCOMPARE(verifyChain(*server, *m_ca), X509_V_OK);
    // Hosts are validated: no config injection, no empty list.
    QVERIFY(!m_ca->issueServer(key, u"broker"_s, {u"a,DNS:evil"_s}, 30, SerialNumber::random(), m_now, &why));
    QVERIFY(why.contains(u"not a host name"_s));
    QVERIFY(!m_ca->issueServer(key, u"broker"_s, {}, 30, SerialNumber::random(), m_now, &why));
}

void TestPkiCa::clientCertificate()
{
    QString why;
    const PkiKey key = PkiKey::generateP256();
    const std::optional<Certificate> op =
        m_ca->issueClient(key, u"fleetdeck-operator"_s, 365, SerialNumber::random(), m_now, &why);
    QVERIFY2(op, qPrintable(why));
    QCOMPARE(op->subjectCommonName(), u"fleetdeck-operator"_s);
    QCOMPARE(extensionText(*op, NID_ext_key_usage), u"TLS Web Client Authentication"_s);
    QCOMPARE(op->publicKeyPem(), key.publicPem());
    QCOMPARE(verifyChain(*op, *m_ca), X509_V_OK);
}

void TestPkiCa::issueRefusals()
{
    QString why;
    QString key;
    // A CSR CsrCheck refuses: the problem key comes back.
    QVERIFY(!m_ca->issueDevice(p256Csr("dev-a"), u"dev-b"_s, 30, SerialNumber::random(), m_now, &why, &key));
    QCOMPARE(key, u"subject_mismatch"_s);
    // Reserved and invalid device ids.
    QVERIFY(!m_ca->issueDevice(p256Csr("bootstrap"), u"bootstrap"_s, 30, SerialNumber::random(), m_now, &why, &key));
    QCOMPARE(key, u"invalid_device_id"_s);
    QVERIFY(!m_ca->issueDevice(p256Csr("../x"), u"../x"_s, 30, SerialNumber::random(), m_now, &why, &key));
    QCOMPARE(key, u"invalid_device_id"_s);
    // Validity bounds and serials.
    QVERIFY(!m_ca->issueDevice(p256Csr("dev-a"), u"dev-a"_s, 0, SerialNumber::random(), m_now, &why));
    QVERIFY(!m_ca->issueDevice(p256Csr("dev-a"), u"dev-a"_s, FleetCa::kMaxDays + 1, SerialNumber::random(), m_now, &why));
    QVERIFY(!m_ca->issueDevice(p256Csr("dev-a"), u"dev-a"_s, 30, QByteArray(), m_now, &why));
    QVERIFY(!m_ca->issueDevice(p256Csr("dev-a"), u"dev-a"_s, 30, QByteArray(21, 'x'), m_now, &why));
    // An expired CA signs nothing.
    QVERIFY(!m_ca->issueDevice(p256Csr("dev-a"), u"dev-a"_s, 30, SerialNumber::random(), m_now + 3651 * kDayMs, &why,
                               &key));
    QCOMPARE(key, u"ca_unusable"_s);
    // A leaf never outlives its intermediate.
    const FleetCa::Created shortCa = FleetCa::create(u"short"_s, 7300, 10, m_now);
    const std::optional<Certificate> capped =
        shortCa.ca.issueDevice(p256Csr("dev-a"), u"dev-a"_s, 365, SerialNumber::random(), m_now, &why);
    QVERIFY(capped);
    QCOMPARE(capped->notAfterMs(), shortCa.ca.intermediate().notAfterMs());
}

void TestPkiCa::serials()
{
    QSet<QByteArray> seen;
    for (int i = 0; i < 10000; ++i) {
        const QByteArray s = SerialNumber::random();
        QCOMPARE(s.size(), SerialNumber::kBytes);
        QVERIFY((quint8(s[0]) & 0x80) == 0);  // positive
        QVERIFY(s[0] != 0);                    // 16 significant bytes
        seen.insert(s);
    }
    QCOMPARE(seen.size(), 10000);
    QCOMPARE(SerialNumber::toHex(QByteArray::fromHex("00012A")), u"012A"_s);
    QCOMPARE(SerialNumber::toHex(QByteArray(2, '\0')), u"00"_s);
    QCOMPARE(SerialNumber::fromHex(u"01:2a"_s), QByteArray::fromHex("012A"));
    QCOMPARE(SerialNumber::fromHex(u"12A"_s), QByteArray::fromHex("012A"));
    QCOMPARE(SerialNumber::normalize(u"0a:bc"_s), u"0ABC"_s);
    QVERIFY(SerialNumber::fromHex(u"xyz"_s).isEmpty());
    QVERIFY(SerialNumber::fromHex(u""_s).isEmpty());
    QVERIFY(SerialNumber::fromHex(QString(42, u'1')).isEmpty());  // > 20 bytes
}

void TestPkiCa::serialHexMatchesOpenSsl()
{
    QString why;
    // A serial with a small first byte still prints two digits per byte, like OpenSSL.
    QByteArray serial = SerialNumber::random();
    serial[0] = 0x05;
    const std::optional<Certificate> leaf = m_ca->issueDevice(p256Csr("dev-s"), u"dev-s"_s, 30, serial, m_now, &why);
    QVERIFY(leaf);
    QCOMPARE(leaf->serialHex(), QString::fromLatin1(serial.toHex().toUpper()));
    QCOMPARE(leaf->serialHex().size(), 32);
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    i2a_ASN1_INTEGER(bio.get(), X509_get0_serialNumber(leaf->get()));  // what `openssl x509 -serial` prints
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);
    QCOMPARE(leaf->serialHex(), QString::fromLatin1(data, qsizetype(length)));
}

void TestPkiCa::crlListsRevokedAndVerifies()
{
    QString why;
    const std::optional<Certificate> revoked =
        m_ca->issueDevice(p256Csr("dev-r"), u"dev-r"_s, 30, SerialNumber::random(), m_now, &why);
    const std::optional<Certificate> kept =
        m_ca->issueDevice(p256Csr("dev-k"), u"dev-k"_s, 30, SerialNumber::random(), m_now, &why);
    QVERIFY(revoked && kept);
    const QByteArray revokedSerial = SerialNumber::fromHex(revoked->serialHex());
    const QByteArray pem = m_ca->crlPem({{revokedSerial, m_now - 1000}}, 7, m_now, 30, &why);
    QVERIFY2(!pem.isEmpty(), qPrintable(why));
    QVERIFY(pem.startsWith("-----BEGIN X509 CRL-----"));

    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.constData(), int(pem.size())), BIO_free);
    std::unique_ptr<X509_CRL, decltype(&X509_CRL_free)> crl(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr),
                                                            X509_CRL_free);
    QVERIFY(crl);
    // Signed by the intermediate, issued by its name, v2 with the number.
    QCOMPARE(X509_CRL_verify(crl.get(), X509_get0_pubkey(m_ca->intermediate().get())), 1);
    QCOMPARE(X509_CRL_verify(crl.get(), X509_get0_pubkey(m_ca->root().get())), 0);
    ERR_clear_error();
    QCOMPARE(X509_NAME_cmp(X509_CRL_get_issuer(crl.get()), X509_get_subject_name(m_ca->intermediate().get())), 0);
    QCOMPARE(X509_CRL_get_version(crl.get()), long(X509_CRL_VERSION_2));
    std::unique_ptr<ASN1_INTEGER, decltype(&ASN1_INTEGER_free)> number(
        static_cast<ASN1_INTEGER *>(X509_CRL_get_ext_d2i(crl.get(), NID_crl_number, nullptr, nullptr)),
        ASN1_INTEGER_free);
    QVERIFY(number);
    QCOMPARE(ASN1_INTEGER_get(number.get()), 7L);
    QCOMPARE(sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl.get())), 1);
    X509_REVOKED *entry = nullptr;
    QCOMPARE(X509_CRL_get0_by_cert(crl.get(), &entry, revoked->get()), 1);
    QCOMPARE(X509_CRL_get0_by_cert(crl.get(), &entry, kept->get()), 0);

    // The chain check with the CRL: the revoked one fails, the other passes.
    QCOMPARE(verifyChain(*revoked, *m_ca, 0, crl.get()), X509_V_ERR_CERT_REVOKED);
    QCOMPARE(verifyChain(*kept, *m_ca, 0, crl.get()), X509_V_OK);

    // An empty CRL is valid too; a bad next-update is refused.
    QVERIFY(!m_ca->crlPem({}, 8, m_now, 30, &why).isEmpty());
    QVERIFY(m_ca->crlPem({}, 8, m_now, 0, &why).isEmpty());
}

void TestPkiCa::isUsableRefusesExpiredAndFutureCas()
{
    QString why;
    QVERIFY2(m_ca->isUsable(m_now, &why), qPrintable(why));
    QVERIFY(!m_ca->isUsable(m_now + 3651 * kDayMs, &why));
    QVERIFY2(why.contains(u"intermediate"_s) && why.contains(u"expired"_s), qPrintable(why));
    QVERIFY(!m_ca->isUsable(m_now - kDayMs, &why));
    QVERIFY2(why.contains(u"not valid before"_s), qPrintable(why));
    // Root expiring before the intermediate (made so by the intermediate's cap): root reason.
    const FleetCa::Created old = FleetCa::create(u"old"_s, 2, 1, m_now - 3 * kDayMs);
    QVERIFY(!old.ca.isUsable(m_now, &why));
    QVERIFY(why.contains(u"expired"_s));
    QVERIFY(!old.ca.issueClient(PkiKey::generateP256(), u"op"_s, 1, SerialNumber::random(), m_now, &why));
}

void TestPkiCa::fromPartsChecks()
{
    QString why;
    const std::optional<FleetCa> same = FleetCa::fromParts(m_ca->root(), m_ca->intermediate(), m_ca->intermediateKey(), &why);
    QVERIFY2(same, qPrintable(why));
    QCOMPARE(same->chainPem(), m_ca->chainPem());
    // Wrong key.
    QVERIFY(!FleetCa::fromParts(m_ca->root(), m_ca->intermediate(), PkiKey::generateP256(), &why));
    QVERIFY(why.contains(u"not the intermediate"_s));
    // Intermediate of another root.
    const FleetCa::Created other = FleetCa::create(u"other"_s);
    QVERIFY(!FleetCa::fromParts(m_ca->root(), other.ca.intermediate(), other.ca.intermediateKey(), &why));
    QVERIFY(why.contains(u"not signed by this root"_s));
    // A leaf as "intermediate", an intermediate as "root".
    const PkiKey leafKey = PkiKey::generateP256();
    const std::optional<Certificate> leaf =
        m_ca->issueClient(leafKey, u"x"_s, 30, SerialNumber::random(), m_now, &why);
    QVERIFY(!FleetCa::fromParts(m_ca->root(), *leaf, leafKey, &why));
    QVERIFY(why.contains(u"not a CA"_s));
    QVERIFY(!FleetCa::fromParts(m_ca->intermediate(), m_ca->intermediate(), m_ca->intermediateKey(), &why));
}

void TestPkiCa::keyRoundTrip()
{
    const PkiKey key = PkiKey::generateP256();
    const QByteArray encrypted = key.privatePem("s3cret pass");
    QVERIFY(encrypted.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    QString why;
    const std::optional<PkiKey> back = PkiKey::fromPrivatePem(encrypted, "s3cret pass", &why);
    QVERIFY2(back, qPrintable(why));
    QVERIFY(back->samePublicKey(key));
    QCOMPARE(back->publicPem(), key.publicPem());
    // Wrong or missing passphrase.
    QVERIFY(!PkiKey::fromPrivatePem(encrypted, "wrong pass", &why));
    QVERIFY(why.contains(u"wrong passphrase"_s));
    QVERIFY(!PkiKey::fromPrivatePem(encrypted, QByteArray(), &why));
    QVERIFY(why.contains(u"passphrase is required"_s));
    // Unencrypted PKCS#8 (simulated devices): empty passphrase.
    const QByteArray plain = key.privatePem(QByteArray());
    QVERIFY(plain.startsWith("-----BEGIN PRIVATE KEY-----"));
    const std::optional<PkiKey> plainBack = PkiKey::fromPrivatePem(plain, QByteArray(), &why);
    QVERIFY(plainBack && plainBack->samePublicKey(key));
    // Garbage and oversize.
    QVERIFY(!PkiKey::fromPrivatePem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", {}, &why));
    QVERIFY(!PkiKey::fromPrivatePem(QByteArray(PkiKey::kMaxPemBytes + 1, 'A'), {}, &why));
    QVERIFY(!key.samePublicKey(PkiKey::generateP256()));
}

void TestPkiCa::certificateParsing()
{
    QString why;
    QVERIFY(!Certificate::fromPem("garbage", &why));
    QVERIFY(!Certificate::fromPem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", &why));
    QVERIFY(Certificate::chainFromPem("nothing", &why).isEmpty());
    QVERIFY(Certificate::chainFromPem(m_ca->chainPem() + "-----BEGIN CERTIFICATE-----\nAA\n-----END CERTIFICATE-----\n",
                                      &why)
                .isEmpty());
    const std::optional<Certificate> root = Certificate::fromPem(m_ca->root().pem(), &why);
    QVERIFY(root);
    QCOMPARE(root->fingerprintSha256().size(), 32 * 3 - 1);
    QVERIFY(root->fingerprintSha256().contains(u':'));
    QCOMPARE(root->fingerprintSha256(), root->fingerprintSha256().toUpper());
}

void TestPkiCa::publicKeyInfoAndIssuer()
{
    // The SubjectPublicKeyInfo of a CSR and of the certificate issued for it are the same
    // bytes (what a re-sent enrollment compares); another key's are not.
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(makeKey("EC", "P-256"), EVP_PKEY_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> other(makeKey("EC", "P-256"), EVP_PKEY_free);
    const QByteArray csrPem = makeCsr(key.get(), "dev-spki");
    QString why;
    const std::optional<CertificateRequest> csr = CertificateRequest::fromPem(csrPem, &why);
    QVERIFY2(csr, qPrintable(why));
    const std::optional<Certificate> leaf =
        m_ca->issueDevice(csrPem, u"dev-spki"_s, 30, SerialNumber::random(), m_now, &why);
    QVERIFY2(leaf, qPrintable(why));
    QVERIFY(!csr->publicKeyInfoDer().isEmpty());
    QCOMPARE(leaf->publicKeyInfoDer(), csr->publicKeyInfoDer());
    const std::optional<CertificateRequest> otherCsr = CertificateRequest::fromPem(makeCsr(other.get(), "dev-spki"), &why);
    QVERIFY(otherCsr);
    QVERIFY(otherCsr->publicKeyInfoDer() != leaf->publicKeyInfoDer());
    // DER of a SubjectPublicKeyInfo: a SEQUENCE.
    QCOMPARE(quint8(leaf->publicKeyInfoDer().at(0)), quint8(0x30));
    QVERIFY(Certificate().publicKeyInfoDer().isEmpty());
    QVERIFY(CertificateRequest().publicKeyInfoDer().isEmpty());

    QVERIFY(leaf->isIssuedBy(m_ca->intermediate()));
    QVERIFY(!leaf->isIssuedBy(m_ca->root()));
    QVERIFY(m_ca->intermediate().isIssuedBy(m_ca->root()));
    QVERIFY(!leaf->isIssuedBy(*leaf));
    QVERIFY(!leaf->isIssuedBy(Certificate()));
    // Another CA with the same names: the key identifiers and the signature tell them apart.
    const FleetCa::Created twin = FleetCa::create(u"test-fleet"_s);
    QVERIFY(!leaf->isIssuedBy(twin.ca.intermediate()));
}

QTEST_GUILESS_MAIN(TestPkiCa)
#include "test_pki_ca.moc"
