// ReleaseKey: generation, PEM round trips (encrypted PKCS#8, SubjectPublicKeyInfo), key ids,
// signing and verification for Ed25519 and ECDSA P-256, and every refusal: wrong key,
// tampered data or signature, wrong or empty passphrase, foreign key types (RSA, P-384,
// X25519 made here with OpenSSL), private keys offered as trusted keys, garbage. One
// signature of each algorithm is checked by the openssl CLI (interoperability).
#include "core/ota/release_key.h"

#include <QCryptographicHash>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

using namespace Qt::StringLiterals;
using namespace fd;

Q_DECLARE_METATYPE(fd::ReleaseKey::Algorithm)

namespace {

// A PEM made by OpenSSL directly: the public key (or the encrypted private key) of a key
// generated with EVP_PKEY_Q_keygen(type, param).
QByteArray foreignPem(const char *type, const char *param, bool privatePart)
{
    EVP_PKEY *key = param ? (qstrcmp(type, "RSA") == 0 ? EVP_PKEY_Q_keygen(nullptr, nullptr, type, size_t(2048))
                                                       : EVP_PKEY_Q_keygen(nullptr, nullptr, type, param))
                          : EVP_PKEY_Q_keygen(nullptr, nullptr, type);
    if (!key)
        return QByteArray();
    BIO *bio = BIO_new(BIO_s_mem());
    const int ok = privatePart ? PEM_write_bio_PKCS8PrivateKey(bio, key, EVP_aes_256_cbc(), "pw", 2, nullptr, nullptr)
                               : PEM_write_bio_PUBKEY(bio, key);
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    const QByteArray pem = ok == 1 ? QByteArray(data, qsizetype(length)) : QByteArray();
    BIO_free(bio);
    EVP_PKEY_free(key);
    return pem;
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(bytes), bytes.size());
}

} // namespace

class TestOtaReleaseKey : public QObject
{
    Q_OBJECT

private slots:
    void algorithmKeys();
    void signAndVerify_data();
    void signAndVerify();
    void privatePemRoundTrip_data();
    void privatePemRoundTrip();
    void wrongPassphrase();
    void emptyPassphraseRefused();
    void publicKeyCannotSign();
    void foreignKeysRefused_data();
    void foreignKeysRefused();
    void garbageRefused();
    void verifyWithPublicPem();
    void moveOnly();
    void opensslCliVerifies_data();
    void opensslCliVerifies();
};

void TestOtaReleaseKey::algorithmKeys()
{
    QCOMPARE(ReleaseKey::algorithmKey(ReleaseKey::Algorithm::Ed25519), u"ed25519"_s);
    QCOMPARE(ReleaseKey::algorithmKey(ReleaseKey::Algorithm::EcdsaP256), u"ecdsa-p256"_s);
    QCOMPARE(ReleaseKey::algorithmFromKey(u"ed25519"), ReleaseKey::Algorithm::Ed25519);
    QCOMPARE(ReleaseKey::algorithmFromKey(u"ecdsa-p256"), ReleaseKey::Algorithm::EcdsaP256);
    QVERIFY(!ReleaseKey::algorithmFromKey(u"rsa"));
    QVERIFY(!ReleaseKey::algorithmFromKey(u"ED25519"));
}

void TestOtaReleaseKey::signAndVerify_data()
{
    QTest::addColumn<ReleaseKey::Algorithm>("algorithm");
    QTest::newRow("ed25519") << ReleaseKey::Algorithm::Ed25519;
    QTest::newRow("ecdsa-p256") << ReleaseKey::Algorithm::EcdsaP256;
}

void TestOtaReleaseKey::signAndVerify()
{
    QFETCH(ReleaseKey::Algorithm, algorithm);
    const ReleaseKey key = ReleaseKey::generate(algorithm);
    QCOMPARE(key.algorithm(), algorithm);
    QVERIFY(key.hasPrivateKey());

    // Key id: 16 lowercase hex chars of SHA-256(DER SubjectPublicKeyInfo), stable.
    const QString id = key.keyId();
    QCOMPARE(id.size(), 16);
    QCOMPARE(id, QString::fromLatin1(QCryptographicHash::hash(key.publicDer(), QCryptographicHash::Sha256).toHex().left(16)));
    QVERIFY(QRegularExpression(u"^[0-9a-f]{16}$"_s).match(id).hasMatch());

    const QByteArray data = R"({"models":["TH-100"],"sha256":"ab","size":1,"version":"2.4.0"})";
    QString error;
    const QByteArray signature = key.sign(data, &error);
    QVERIFY2(!signature.isEmpty(), qPrintable(error));
    if (algorithm == ReleaseKey::Algorithm::Ed25519)
        QCOMPARE(signature.size(), 64);
    else
        QCOMPARE(quint8(signature.at(0)), quint8(0x30));  // DER SEQUENCE
    QVERIFY2(key.verify(data, signature, &error), qPrintable(error));
    // Empty data can be signed too.
    const QByteArray emptySignature = key.sign(QByteArray(), &error);
    QVERIFY(key.verify(QByteArray(), emptySignature, &error));

    // Tampered data, tampered signature, truncated signature, empty signature.
    QByteArray tampered = data;
    tampered[10] = 'X';
    QVERIFY(!key.verify(tampered, signature, &error));
    QVERIFY2(error.contains(u"does not verify"_s), qPrintable(error));
    QByteArray badSignature = signature;
    badSignature[badSignature.size() - 5] = char(badSignature.at(badSignature.size() - 5) ^ 0x01);
    QVERIFY(!key.verify(data, badSignature, &error));
    QVERIFY(!key.verify(data, signature.left(signature.size() - 1), &error));
    QVERIFY(!key.verify(data, QByteArray(), &error));
    QVERIFY(error.contains(u"empty"_s));
    QVERIFY(!key.verify(data, QByteArray(5000, 'x'), &error));

    // Another key of the same algorithm does not verify it.
    const ReleaseKey other = ReleaseKey::generate(algorithm);
    QVERIFY(other.keyId() != key.keyId());
    QVERIFY(!other.verify(data, signature, &error));
    QVERIFY2(error.contains(other.keyId()), qPrintable(error));
}

void TestOtaReleaseKey::privatePemRoundTrip_data()
{
    signAndVerify_data();
}

void TestOtaReleaseKey::privatePemRoundTrip()
{
    QFETCH(ReleaseKey::Algorithm, algorithm);
    const ReleaseKey key = ReleaseKey::generate(algorithm);
    QString error;
    const QByteArray pem = key.privatePem("correct horse", &error);
    QVERIFY2(pem.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"), pem.constData());
    const std::optional<ReleaseKey> unlocked = ReleaseKey::fromPrivatePem(pem, "correct horse", &error);
    QVERIFY2(unlocked, qPrintable(error));
    QCOMPARE(unlocked->algorithm(), algorithm);
    QCOMPARE(unlocked->keyId(), key.keyId());
    QCOMPARE(unlocked->publicPem(), key.publicPem());
    const QByteArray signature = unlocked->sign("payload", &error);
    QVERIFY(key.verify("payload", signature, &error));

    const QByteArray publicPem = key.publicPem();
    QVERIFY(publicPem.startsWith("-----BEGIN PUBLIC KEY-----"));
    const std::optional<ReleaseKey> trusted = ReleaseKey::fromPublicPem(publicPem, &error);
    QVERIFY2(trusted, qPrintable(error));
    QVERIFY(!trusted->hasPrivateKey());
    QCOMPARE(trusted->algorithm(), algorithm);
    QCOMPARE(trusted->keyId(), key.keyId());
    QVERIFY(trusted->verify("payload", signature, &error));
}

void TestOtaReleaseKey::wrongPassphrase()
{
    const ReleaseKey key = ReleaseKey::generate(ReleaseKey::Algorithm::Ed25519);
    const QByteArray pem = key.privatePem("right");
    QString error;
    QVERIFY(!ReleaseKey::fromPrivatePem(pem, "wrong", &error));
    QVERIFY2(error.contains(u"wrong passphrase"_s), qPrintable(error));
    QVERIFY(!ReleaseKey::fromPrivatePem(pem, QByteArray(), &error));
    QVERIFY2(error.contains(u"passphrase is required"_s), qPrintable(error));
    // A damaged PEM: clear refusal, no crash.
    QByteArray damaged = pem;
    damaged[60] = damaged.at(60) == 'A' ? 'B' : 'A';
    QVERIFY(!ReleaseKey::fromPrivatePem(damaged, "right", &error));
    QVERIFY(!error.isEmpty());
}

void TestOtaReleaseKey::emptyPassphraseRefused()
{
    const ReleaseKey key = ReleaseKey::generate(ReleaseKey::Algorithm::EcdsaP256);
    QString error;
    QVERIFY(key.privatePem(QByteArray(), &error).isEmpty());
    QVERIFY2(error.contains(u"empty passphrase"_s), qPrintable(error));
    QVERIFY(key.privatePem(QByteArray(2000, 'p'), &error).isEmpty());
}

void TestOtaReleaseKey::publicKeyCannotSign()
{
    const ReleaseKey key = ReleaseKey::generate(ReleaseKey::Algorithm::Ed25519);
    const std::optional<ReleaseKey> trusted = ReleaseKey::fromPublicPem(key.publicPem(), nullptr);
    QVERIFY(trusted);
    QString error;
    QVERIFY(trusted->sign("x", &error).isEmpty());
    QVERIFY2(error.contains(u"no private key"_s), qPrintable(error));
    QVERIFY(trusted->privatePem("pw", &error).isEmpty());
}

void TestOtaReleaseKey::foreignKeysRefused_data()
{
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<QByteArray>("param");
    QTest::addColumn<QString>("reason");
    QTest::newRow("rsa") << QByteArray("RSA") << QByteArray("2048") << u"RSA key is not a release key"_s;
    QTest::newRow("p-384") << QByteArray("EC") << QByteArray("P-384") << u"curve secp384r1"_s;
    QTest::newRow("secp256k1") << QByteArray("EC") << QByteArray("secp256k1") << u"curve secp256k1"_s;
    QTest::newRow("x25519") << QByteArray("X25519") << QByteArray() << u"X25519 key is not a release key"_s;
    QTest::newRow("ed448") << QByteArray("ED448") << QByteArray() << u"ED448 key is not a release key"_s;
}

void TestOtaReleaseKey::foreignKeysRefused()
{
    QFETCH(QByteArray, type);
    QFETCH(QByteArray, param);
    QFETCH(QString, reason);
    const char *p = param.isEmpty() ? nullptr : param.constData();
    const QByteArray publicPem = foreignPem(type.constData(), p, false);
    QVERIFY(!publicPem.isEmpty());
    QString error;
    QVERIFY(!ReleaseKey::fromPublicPem(publicPem, &error));
    QVERIFY2(error.contains(reason), qPrintable(error));
    QVERIFY(!ReleaseKey::verifyWithPublicPem(publicPem, "data", QByteArray(64, 'x'), &error));

    const QByteArray privatePem = foreignPem(type.constData(), p, true);
    QVERIFY(!privatePem.isEmpty());
    QVERIFY(!ReleaseKey::fromPrivatePem(privatePem, "pw", &error));
    QVERIFY2(error.contains(reason), qPrintable(error));
}

void TestOtaReleaseKey::garbageRefused()
{
    QString error;
    QVERIFY(!ReleaseKey::fromPublicPem(QByteArray(), &error));
    QVERIFY(!ReleaseKey::fromPublicPem("-----BEGIN PUBLIC KEY-----\nnot base64 !!!\n-----END PUBLIC KEY-----\n", &error));
    QVERIFY2(error.contains(u"cannot be read"_s), qPrintable(error));
    QVERIFY(!ReleaseKey::fromPublicPem(QByteArray(ReleaseKey::kMaxPemBytes + 1, 'A'), &error));
    QVERIFY(error.contains(u"larger"_s));
    // A private key offered as a trusted key is refused (it would leak if stored as such).
    const ReleaseKey key = ReleaseKey::generate(ReleaseKey::Algorithm::Ed25519);
    QVERIFY(!ReleaseKey::fromPublicPem(key.privatePem("pw"), &error));
    QVERIFY2(error.contains(u"private key"_s), qPrintable(error));
    // An unencrypted private key is refused by fromPrivatePem.
    QVERIFY(!ReleaseKey::fromPrivatePem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "pw", &error));
    QVERIFY2(error.contains(u"not an encrypted"_s), qPrintable(error));
    QVERIFY(!ReleaseKey::fromPrivatePem(QByteArray(), "pw", &error));
}

void TestOtaReleaseKey::verifyWithPublicPem()
{
    const ReleaseKey key = ReleaseKey::generate(ReleaseKey::Algorithm::EcdsaP256);
    QString error;
    const QByteArray signature = key.sign("manifest", &error);
    QVERIFY(ReleaseKey::verifyWithPublicPem(key.publicPem(), "manifest", signature, &error));
    QVERIFY(!ReleaseKey::verifyWithPublicPem(key.publicPem(), "manifesT", signature, &error));
    QVERIFY(!ReleaseKey::verifyWithPublicPem(ReleaseKey::generate(ReleaseKey::Algorithm::EcdsaP256).publicPem(),
                                             "manifest", signature, &error));
    // An Ed25519 key and a P-256 signature: refused (wrong length), no crash.
    QVERIFY(!ReleaseKey::verifyWithPublicPem(ReleaseKey::generate(ReleaseKey::Algorithm::Ed25519).publicPem(),
                                             "manifest", signature, &error));
    QVERIFY(!ReleaseKey::verifyWithPublicPem("junk", "manifest", signature, &error));
}

void TestOtaReleaseKey::moveOnly()
{
    static_assert(!std::is_copy_constructible_v<ReleaseKey>);
    static_assert(std::is_nothrow_move_constructible_v<ReleaseKey>);
    ReleaseKey a = ReleaseKey::generate(ReleaseKey::Algorithm::Ed25519);
    const QString id = a.keyId();
    ReleaseKey b = std::move(a);
    QCOMPARE(b.keyId(), id);
    a = ReleaseKey::generate(ReleaseKey::Algorithm::EcdsaP256);
    QCOMPARE(a.algorithm(), ReleaseKey::Algorithm::EcdsaP256);
}

void TestOtaReleaseKey::opensslCliVerifies_data()
{
    signAndVerify_data();
}

void TestOtaReleaseKey::opensslCliVerifies()
{
    QFETCH(ReleaseKey::Algorithm, algorithm);
    const QString openssl = QStandardPaths::findExecutable(u"openssl"_s);
    if (openssl.isEmpty())
        QSKIP("the openssl command is not installed");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const ReleaseKey key = ReleaseKey::generate(algorithm);
    const QByteArray data = R"({"models":["TH-100","TH-200"],"notes":"fixes","sha256":"00","size":9,"version":"2.4.0"})";
    QString error;
    writeFile(dir.filePath(u"pub.pem"_s), key.publicPem());
    writeFile(dir.filePath(u"data"_s), data);
    writeFile(dir.filePath(u"sig"_s), key.sign(data, &error));
    QStringList args{u"pkeyutl"_s, u"-verify"_s, u"-pubin"_s, u"-inkey"_s, dir.filePath(u"pub.pem"_s),
                     u"-in"_s, dir.filePath(u"data"_s), u"-sigfile"_s, dir.filePath(u"sig"_s)};
    // Ed25519 signs the message itself (-rawin); ECDSA P-256 signs its SHA-256 digest.
    if (algorithm == ReleaseKey::Algorithm::Ed25519) {
        args << u"-rawin"_s;
    } else {
        writeFile(dir.filePath(u"digest"_s), QCryptographicHash::hash(data, QCryptographicHash::Sha256));
        args[6] = dir.filePath(u"digest"_s);
    }
    QProcess p;
    p.start(openssl, args);
    QVERIFY(p.waitForFinished(30000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    QVERIFY2(p.readAllStandardOutput().contains("Signature Verified Successfully"), "openssl did not verify");

    // And the other way: a signature made by the openssl CLI verifies with our code.
    writeFile(dir.filePath(u"priv.pem"_s), key.privatePem("pw"));
    QStringList signArgs{u"pkeyutl"_s, u"-sign"_s, u"-inkey"_s, dir.filePath(u"priv.pem"_s), u"-passin"_s,
                         u"pass:pw"_s, u"-in"_s, args[6], u"-out"_s, dir.filePath(u"sig2"_s)};
    if (algorithm == ReleaseKey::Algorithm::Ed25519)
        signArgs << u"-rawin"_s;
    p.start(openssl, signArgs);
    QVERIFY(p.waitForFinished(30000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    QFile sig2(dir.filePath(u"sig2"_s));
    QVERIFY(sig2.open(QIODevice::ReadOnly));
    QVERIFY2(key.verify(data, sig2.readAll(), &error), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestOtaReleaseKey)
#include "test_ota_release_key.moc"
