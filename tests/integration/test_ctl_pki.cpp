// `fleetdeckctl pki`, the real binary on real files (no broker): init (refusals: no /
// short passphrase, a second CA), export-ca, issue from a CSR made by the openssl CLI (or
// by OpenSSL in-process when the CLI is missing) — stdout is only the serial and equals
// the certificate's serial as OpenSSL reads it —, refused CSRs (wrong subject, RSA key,
// broken signature, garbage) exit 2 with the reason key on stderr and record nothing,
// revoke, crl (lists the revoked serial, verifies against the intermediate), issue-server
// / issue-client (keys 0600, extensions), import of an existing CA, list [--json].
#include "tests/core/pki/pki_test_support.h"
#include "core/pki/certificate.h"

#include <openssl/x509v3.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;
using namespace fd::pkitest;
using namespace Qt::StringLiterals;

namespace {

constexpr char kPassphrase[] = "integration passphrase";

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runProgram(const QString &program, const QStringList &arguments, const QByteArray &passphrase = QByteArray(),
               const QByteArray &importPassphrase = QByteArray())
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"FLEETDECK_CA_PASSPHRASE"_s);
    env.remove(u"FLEETDECK_CA_IMPORT_PASSPHRASE"_s);
    if (!passphrase.isNull())
        env.insert(u"FLEETDECK_CA_PASSPHRASE"_s, QString::fromUtf8(passphrase));
    if (!importPassphrase.isNull())
        env.insert(u"FLEETDECK_CA_IMPORT_PASSPHRASE"_s, QString::fromUtf8(importPassphrase));
    env.insert(u"QT_LOGGING_RULES"_s, u"fleetdeck.*.debug=false;fleetdeck.*.info=false"_s);
    process.setProcessEnvironment(env);
    process.start(program, arguments);
    Run run;
    if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit)
        return run;
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

Run ctl(const QStringList &arguments, const QByteArray &passphrase = QByteArray(),
        const QByteArray &importPassphrase = QByteArray())
{
    return runProgram(QStringLiteral(FLEETDECK_BIN_DIR "/fleetdeckctl"), arguments, passphrase, importPassphrase);
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

const QRegularExpression kSerial(u"^[0-9A-F]{32}\n$"_s);

} // namespace

class TestCtlPki : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void initRefusals();
    void issueRevokeCrl();
    void refusedCsrs();
    void serverAndClientCertificates();
    void importExistingCa();
    void listJson();

private:
    QString path(const QString &name) const { return m_dir->filePath(name); }
    QString cache() const { return path(u"fleet.sqlite"_s); }
    QString openssl() const { return QStandardPaths::findExecutable(u"openssl"_s); }
    bool initCa();
    // A P-256 CSR for cn written to file (by the openssl CLI when installed).
    bool makeCsr(const QByteArray &cn, const QString &file);
    QString issue(const QString &device, const QString &csr, const QString &out, Run *run = nullptr);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestCtlPki::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

bool TestCtlPki::initCa()
{
    return ctl({u"pki"_s, u"init"_s, u"--db"_s, cache()}, kPassphrase).exitCode == 0;
}

bool TestCtlPki::makeCsr(const QByteArray &cn, const QString &file)
{
    if (!openssl().isEmpty()) {
        const QString key = file + u".key"_s;
        const Run k = runProgram(openssl(), {u"ecparam"_s, u"-name"_s, u"prime256v1"_s, u"-genkey"_s, u"-noout"_s,
                                             u"-out"_s, key});
        const Run r = runProgram(openssl(), {u"req"_s, u"-new"_s, u"-key"_s, key, u"-subj"_s,
                                             u"/CN="_s + QString::fromUtf8(cn), u"-out"_s, file});
        return k.exitCode == 0 && r.exitCode == 0;
    }
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(makeKey("EC", "P-256"), EVP_PKEY_free);
    return writeFile(file, fd::pkitest::makeCsr(key.get(), cn));
}

QString TestCtlPki::issue(const QString &device, const QString &csr, const QString &out, Run *run)
{
    const Run r = ctl({u"pki"_s, u"issue"_s, u"--db"_s, cache(), u"--csr"_s, csr, u"--device"_s, device, u"--out"_s, out},
                      kPassphrase);
    if (run)
        *run = r;
    return r.exitCode == 0 ? QString::fromLatin1(r.out).trimmed() : QString();
}

void TestCtlPki::initRefusals()
{
    Run r = ctl({u"pki"_s, u"init"_s, u"--db"_s, cache()});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("FLEETDECK_CA_PASSPHRASE"), r.err.constData());
    r = ctl({u"pki"_s, u"init"_s, u"--db"_s, cache()}, "short");
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("shorter than 8"), r.err.constData());
    r = ctl({u"pki"_s, u"init"_s, u"--db"_s, cache(), u"--name"_s, u"bad name"_s}, kPassphrase);
    QCOMPARE(r.exitCode, 2);
    // Nothing to export yet.
    r = ctl({u"pki"_s, u"export-ca"_s, u"--db"_s, cache(), u"--out"_s, path(u"chain.pem"_s)});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("pki init"), r.err.constData());

    QVERIFY(initCa());
    r = ctl({u"pki"_s, u"init"_s, u"--db"_s, cache()}, kPassphrase);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("exists already") && r.err.contains("pki list"), r.err.constData());
    // Unknown verb, missing --db, stray argument.
    QCOMPARE(ctl({u"pki"_s, u"frobnicate"_s, u"--db"_s, cache()}).exitCode, 2);
    QCOMPARE(ctl({u"pki"_s, u"list"_s}).exitCode, 2);
    QCOMPARE(ctl({u"pki"_s, u"list"_s, u"--db"_s, cache(), u"extra"_s}).exitCode, 2);
    QCOMPARE(ctl({u"pki"_s, u"list"_s, u"--db"_s, cache(), u"--no-such-option"_s}).exitCode, 2);
}

void TestCtlPki::issueRevokeCrl()
{
    QVERIFY(initCa());
    Run r = ctl({u"pki"_s, u"export-ca"_s, u"--db"_s, cache(), u"--out"_s, path(u"chain.pem"_s)});
    QCOMPARE(r.exitCode, 0);
    QString error;
    const QList<Certificate> chain = Certificate::chainFromPem(readFile(path(u"chain.pem"_s)), &error);
    QCOMPARE(chain.size(), 2);
    QVERIFY(chain[0].isCa() && chain[1].isCa());
    QCOMPARE(chain[0].issuerCommonName(), chain[1].subjectCommonName());

    QVERIFY(makeCsr("sn-42-0001", path(u"dev.csr"_s)));
    r = ctl({u"pki"_s, u"issue"_s, u"--db"_s, cache(), u"--csr"_s, path(u"dev.csr"_s), u"--device"_s, u"sn-42-0001"_s,
             u"--days"_s, u"90"_s, u"--out"_s, path(u"dev.crt"_s)},
            kPassphrase);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(kSerial.match(QString::fromLatin1(r.out)).hasMatch(), r.out.constData());  // only the serial
    const QString serial = QString::fromLatin1(r.out).trimmed();
    const std::optional<Certificate> cert = Certificate::fromPem(readFile(path(u"dev.crt"_s)), &error);
    QVERIFY(cert);
    QCOMPARE(cert->serialHex(), serial);
    QCOMPARE(cert->subjectCommonName(), u"sn-42-0001"_s);

    if (!openssl().isEmpty()) {
        // The printed serial is what `openssl x509 -serial` shows; `openssl verify` accepts the chain.
        const Run s = runProgram(openssl(), {u"x509"_s, u"-in"_s, path(u"dev.crt"_s), u"-serial"_s, u"-noout"_s});
        QCOMPARE(QString::fromLatin1(s.out).trimmed(), u"serial="_s + serial);
        const Run v = runProgram(openssl(), {u"verify"_s, u"-CAfile"_s, path(u"chain.pem"_s), path(u"dev.crt"_s)});
        QVERIFY2(v.exitCode == 0, v.err.constData());
    }

    // Without the passphrase, issuing is refused (and the CSR check still ran first).
    r = ctl({u"pki"_s, u"issue"_s, u"--db"_s, cache(), u"--csr"_s, path(u"dev.csr"_s), u"--device"_s, u"sn-42-0001"_s,
             u"--out"_s, path(u"x.crt"_s)});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains("FLEETDECK_CA_PASSPHRASE"));
    r = ctl({u"pki"_s, u"issue"_s, u"--db"_s, cache(), u"--csr"_s, path(u"dev.csr"_s), u"--device"_s, u"sn-42-0001"_s,
             u"--out"_s, path(u"x.crt"_s)},
            "wrong passphrase");
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("wrong passphrase"), r.err.constData());
    QVERIFY(!QFile::exists(path(u"x.crt"_s)));

    // Revoke (lowercase with colons is accepted), twice is refused, unknown is refused.
    QString typed;
    for (qsizetype i = 0; i < serial.size(); i += 2)
        typed += (i ? u":"_s : QString()) + serial.mid(i, 2).toLower();
    r = ctl({u"pki"_s, u"revoke"_s, u"--db"_s, cache(), u"--serial"_s, typed, u"--reason"_s, u"lost"_s});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = ctl({u"pki"_s, u"revoke"_s, u"--db"_s, cache(), u"--serial"_s, serial});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains("revoked already"));
    QCOMPARE(ctl({u"pki"_s, u"revoke"_s, u"--db"_s, cache(), u"--serial"_s, u"0BADC0DE"_s}).exitCode, 2);
    QCOMPARE(ctl({u"pki"_s, u"revoke"_s, u"--db"_s, cache(), u"--serial"_s, u"not-hex"_s}).exitCode, 2);

    // CRL: needs the passphrase; lists the serial; signed by the intermediate.
    QCOMPARE(ctl({u"pki"_s, u"crl"_s, u"--db"_s, cache(), u"--out"_s, path(u"crl.pem"_s)}).exitCode, 2);
    r = ctl({u"pki"_s, u"crl"_s, u"--db"_s, cache(), u"--out"_s, path(u"crl.pem"_s)}, kPassphrase);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QByteArray crlPem = readFile(path(u"crl.pem"_s));
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(crlPem.constData(), int(crlPem.size())), BIO_free);
    std::unique_ptr<X509_CRL, decltype(&X509_CRL_free)> crl(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr),
                                                            X509_CRL_free);
    QVERIFY(crl);
    QCOMPARE(X509_CRL_verify(crl.get(), X509_get0_pubkey(chain[0].get())), 1);
    X509_REVOKED *entry = nullptr;
    QCOMPARE(X509_CRL_get0_by_cert(crl.get(), &entry, cert->get()), 1);
    if (!openssl().isEmpty()) {
        const Run c = runProgram(openssl(), {u"crl"_s, u"-in"_s, path(u"crl.pem"_s), u"-noout"_s, u"-text"_s});
        QVERIFY2(c.out.contains(QByteArray(QByteArray("Serial Number: ") + serial.toLatin1())), c.out.constData());
        const Run v = runProgram(openssl(), {u"verify"_s, u"-crl_check"_s, u"-CRLfile"_s, path(u"crl.pem"_s),
                                             u"-CAfile"_s, path(u"chain.pem"_s), path(u"dev.crt"_s)});
        QVERIFY(v.exitCode != 0);
        const QByteArray output = v.out + v.err;
        QVERIFY2(output.contains("certificate revoked"), output.constData());
    }
    // list shows it revoked.
    r = ctl({u"pki"_s, u"list"_s, u"--db"_s, cache()});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(serial.toLatin1()));
    QVERIFY(r.out.contains("revoked"));
}

void TestCtlPki::refusedCsrs()
{
    QVERIFY(initCa());
    QVERIFY(makeCsr("dev-a", path(u"a.csr"_s)));
    Run r;
    // The subject does not name that device.
    QVERIFY(issue(u"dev-b"_s, path(u"a.csr"_s), path(u"b.crt"_s), &r).isEmpty());
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.contains("subject_mismatch"), r.err.constData());
    // Wrong key type (RSA 2048) and weak key (RSA 1024).
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> rsa(makeKey("RSA", nullptr, 2048), EVP_PKEY_free);
    QVERIFY(writeFile(path(u"rsa.csr"_s), fd::pkitest::makeCsr(rsa.get(), "dev-a")));
    QVERIFY(issue(u"dev-a"_s, path(u"rsa.csr"_s), path(u"r.crt"_s), &r).isEmpty());
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("wrong_key_type"), r.err.constData());
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> rsa1024(makeKey("RSA", nullptr, 1024), EVP_PKEY_free);
    QVERIFY(writeFile(path(u"weak.csr"_s), fd::pkitest::makeCsr(rsa1024.get(), "dev-a")));
    QVERIFY(issue(u"dev-a"_s, path(u"weak.csr"_s), path(u"w.crt"_s), &r).isEmpty());
    QVERIFY2(r.err.contains("weak_key"), r.err.constData());
    // A broken signature.
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> ec(makeKey("EC", "P-256"), EVP_PKEY_free);
    QVERIFY(writeFile(path(u"bad.csr"_s), fd::pkitest::makeCsr(ec.get(), "dev-a", true)));
    QVERIFY(issue(u"dev-a"_s, path(u"bad.csr"_s), path(u"x.crt"_s), &r).isEmpty());
    QVERIFY2(r.err.contains("bad_csr_signature"), r.err.constData());
    // Garbage, a missing file, a reserved identity.
    QVERIFY(writeFile(path(u"garbage.csr"_s), "hello"));
    QVERIFY(issue(u"dev-a"_s, path(u"garbage.csr"_s), path(u"x.crt"_s), &r).isEmpty());
    QVERIFY2(r.err.contains("bad_csr"), r.err.constData());
    QVERIFY(issue(u"dev-a"_s, path(u"missing.csr"_s), path(u"x.crt"_s), &r).isEmpty());
    QCOMPARE(r.exitCode, 2);
    QVERIFY(makeCsr("bootstrap", path(u"boot.csr"_s)));
    QVERIFY(issue(u"bootstrap"_s, path(u"boot.csr"_s), path(u"x.crt"_s), &r).isEmpty());
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("reserved"), r.err.constData());
    // Nothing was written or recorded.
    QVERIFY(!QFile::exists(path(u"x.crt"_s)) && !QFile::exists(path(u"b.crt"_s)));
    r = ctl({u"pki"_s, u"list"_s, u"--db"_s, cache(), u"--json"_s});
    QCOMPARE(QJsonDocument::fromJson(r.out).array().size(), 0);
}

void TestCtlPki::serverAndClientCertificates()
{
    QVERIFY(initCa());
    Run r = ctl({u"pki"_s, u"issue-server"_s, u"--db"_s, cache(), u"--host"_s, u"localhost"_s, u"--host"_s,
                 u"127.0.0.1"_s, u"--out-cert"_s, path(u"server.crt"_s), u"--out-key"_s, path(u"server.key"_s)},
                kPassphrase);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(kSerial.match(QString::fromLatin1(r.out)).hasMatch());
    QCOMPARE(QFileInfo(path(u"server.key"_s)).permissions() & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup
                                                                 | QFile::WriteOther),
             QFileDevice::Permissions());
    QString error;
    const std::optional<Certificate> server = Certificate::fromPem(readFile(path(u"server.crt"_s)), &error);
    QVERIFY(server);
    QCOMPARE(server->subjectAltNames(), (QStringList{u"DNS:localhost"_s, u"IP:127.0.0.1"_s}));
    QCOMPARE(X509_check_purpose(server->get(), X509_PURPOSE_SSL_SERVER, 0), 1);
    const std::optional<PkiKey> serverKey = PkiKey::fromPrivatePem(readFile(path(u"server.key"_s)), {}, &error);
    QVERIFY2(serverKey, qPrintable(error));  // unencrypted: mosquitto reads it
    QCOMPARE(serverKey->publicPem(), server->publicKeyPem());

    // Operator certificate with an encrypted key.
    r = ctl({u"pki"_s, u"issue-client"_s, u"--db"_s, cache(), u"--cn"_s, u"fleetdeck-operator"_s, u"--kind"_s,
             u"operator"_s, u"--out-cert"_s, path(u"op.crt"_s), u"--out-key"_s, path(u"op.key"_s),
             u"--key-passphrase-env"_s, u"FLEETDECK_CA_PASSPHRASE"_s},
            kPassphrase);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QByteArray opKey = readFile(path(u"op.key"_s));
    QVERIFY(opKey.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    QVERIFY(PkiKey::fromPrivatePem(opKey, kPassphrase, &error));
    const std::optional<Certificate> op = Certificate::fromPem(readFile(path(u"op.crt"_s)), &error);
    QVERIFY(op);
    QCOMPARE(op->subjectCommonName(), u"fleetdeck-operator"_s);
    QCOMPARE(X509_check_purpose(op->get(), X509_PURPOSE_SSL_CLIENT, 0), 1);
    // Refusals: no host, bad kind, bad host.
    QCOMPARE(ctl({u"pki"_s, u"issue-server"_s, u"--db"_s, cache(), u"--out-cert"_s, path(u"s2.crt"_s), u"--out-key"_s,
                  path(u"s2.key"_s)},
                 kPassphrase)
                 .exitCode,
             2);
    QCOMPARE(ctl({u"pki"_s, u"issue-client"_s, u"--db"_s, cache(), u"--cn"_s, u"x"_s, u"--kind"_s, u"device"_s,
                  u"--out-cert"_s, path(u"c.crt"_s), u"--out-key"_s, path(u"c.key"_s)},
                 kPassphrase)
                 .exitCode,
             2);
    r = ctl({u"pki"_s, u"issue-server"_s, u"--db"_s, cache(), u"--host"_s, u"a b"_s, u"--out-cert"_s,
             path(u"s3.crt"_s), u"--out-key"_s, path(u"s3.key"_s)},
            kPassphrase);
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains("not a host name"));
}

void TestCtlPki::importExistingCa()
{
    // A CA made elsewhere (here: by another store) imported with its intermediate key.
    const QString other = path(u"other.sqlite"_s);
    QCOMPARE(ctl({u"pki"_s, u"init"_s, u"--db"_s, other, u"--name"_s, u"acme"_s}, kPassphrase).exitCode, 0);
    QCOMPARE(ctl({u"pki"_s, u"export-ca"_s, u"--db"_s, other, u"--out"_s, path(u"acme-chain.pem"_s)}).exitCode, 0);
    QString error;
    const QList<Certificate> chain = Certificate::chainFromPem(readFile(path(u"acme-chain.pem"_s)), &error);
    QCOMPARE(chain.size(), 2);
    QVERIFY(writeFile(path(u"int.pem"_s), chain[0].pem()));
    QVERIFY(writeFile(path(u"root.pem"_s), chain[1].pem()));
    // The intermediate key: not exported by FleetDeck, so take it from a fresh CA made here.
    const FleetCa::Created created = FleetCa::create(u"made-here"_s);
    QVERIFY(writeFile(path(u"mh-int.pem"_s), created.ca.intermediate().pem()));
    QVERIFY(writeFile(path(u"mh-root.pem"_s), created.ca.root().pem()));
    QVERIFY(writeFile(path(u"mh-int.key"_s), created.ca.intermediateKey().privatePem("import pass")));
    // Wrong key for the intermediate: refused.
    Run r = ctl({u"pki"_s, u"import"_s, u"--db"_s, cache(), u"--root"_s, path(u"root.pem"_s), u"--intermediate"_s,
                 path(u"int.pem"_s), u"--key"_s, path(u"mh-int.key"_s)},
                kPassphrase, "import pass");
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("not the intermediate"), r.err.constData());
    // Wrong import passphrase: refused.
    r = ctl({u"pki"_s, u"import"_s, u"--db"_s, cache(), u"--root"_s, path(u"mh-root.pem"_s), u"--intermediate"_s,
             path(u"mh-int.pem"_s), u"--key"_s, path(u"mh-int.key"_s)},
            kPassphrase, "nope nope");
    QCOMPARE(r.exitCode, 2);
    // Right parts: imported, and it issues.
    r = ctl({u"pki"_s, u"import"_s, u"--db"_s, cache(), u"--root"_s, path(u"mh-root.pem"_s), u"--intermediate"_s,
             path(u"mh-int.pem"_s), u"--key"_s, path(u"mh-int.key"_s)},
            kPassphrase, "import pass");
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(makeCsr("dev-i", path(u"i.csr"_s)));
    QVERIFY(!issue(u"dev-i"_s, path(u"i.csr"_s), path(u"i.crt"_s)).isEmpty());
    const std::optional<Certificate> leaf = Certificate::fromPem(readFile(path(u"i.crt"_s)), &error);
    QVERIFY(leaf);
    QCOMPARE(verifyChain(*leaf, created.ca), X509_V_OK);
}

void TestCtlPki::listJson()
{
    QVERIFY(initCa());
    QVERIFY(makeCsr("dev-j", path(u"j.csr"_s)));
    const Run issued = ctl({u"pki"_s, u"issue"_s, u"--db"_s, cache(), u"--csr"_s, path(u"j.csr"_s), u"--device"_s,
                            u"dev-j"_s, u"--days"_s, u"10"_s, u"--out"_s, path(u"j.crt"_s)},
                           kPassphrase);
    QCOMPARE(issued.exitCode, 0);
    const QString serial = QString::fromLatin1(issued.out).trimmed();
    Run r = ctl({u"pki"_s, u"list"_s, u"--db"_s, cache(), u"--json"_s});
    QCOMPARE(r.exitCode, 0);
    const QJsonArray rows = QJsonDocument::fromJson(r.out).array();
    QCOMPARE(rows.size(), 1);
    const QJsonObject row = rows.first().toObject();
    QCOMPARE(row.value(u"serial"_s).toString(), serial);
    QCOMPARE(row.value(u"kind"_s).toString(), u"device"_s);
    QCOMPARE(row.value(u"device_id"_s).toString(), u"dev-j"_s);
    QCOMPARE(row.value(u"status"_s).toString(), u"valid"_s);
    QCOMPARE(row.value(u"effective_status"_s).toString(), u"expiring"_s);  // 10 days < default 30-day window
    QVERIFY(!row.contains(u"pem"_s));
    // --expiring-days filters.
    r = ctl({u"pki"_s, u"list"_s, u"--db"_s, cache(), u"--json"_s, u"--expiring-days"_s, u"5"_s});
    QCOMPARE(QJsonDocument::fromJson(r.out).array().size(), 0);
    r = ctl({u"pki"_s, u"list"_s, u"--db"_s, cache(), u"--json"_s, u"--expiring-days"_s, u"11"_s});
    QCOMPARE(QJsonDocument::fromJson(r.out).array().size(), 1);
    // export-ca to stdout.
    r = ctl({u"pki"_s, u"export-ca"_s, u"--db"_s, cache(), u"--out"_s, u"-"_s});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out.count("BEGIN CERTIFICATE"), 2);
}

QTEST_GUILESS_MAIN(TestCtlPki)
#include "test_ctl_pki.moc"
