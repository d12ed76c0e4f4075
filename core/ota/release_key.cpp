#include "core/ota/release_key.h"

#include <QCryptographicHash>

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstring>

namespace fd {
namespace {

// The longest passphrase handed to OpenSSL's PEM callback (its buffer is PEM_BUFSIZE, 1024).
constexpr qsizetype kMaxPassphraseBytes = 1023;
constexpr qsizetype kEd25519SignatureBytes = 64;

struct BioFree
{
    void operator()(BIO *bio) const { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

struct MdCtxFree
{
    void operator()(EVP_MD_CTX *ctx) const { EVP_MD_CTX_free(ctx); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

// A read-only memory BIO over bytes (which must outlive it).
BioPtr readBio(const QByteArray &bytes)
{
    return BioPtr(BIO_new_mem_buf(bytes.constData(), int(bytes.size())));
}

QByteArray bioContents(BIO *bio)
{
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    return length > 0 && data ? QByteArray(data, qsizetype(length)) : QByteArray();
}

// The first OpenSSL error of the queue as text (for logs of internal failures); clears it.
QString takeOpenSslError()
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return QStringLiteral("unknown OpenSSL error");
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    return QString::fromLatin1(buffer);
}

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

struct PassphraseSource
{
    const QByteArray *passphrase = nullptr;
    bool asked = false;
};

int passphraseCallback(char *buffer, int size, int /*rwflag*/, void *user)
{
    auto *source = static_cast<PassphraseSource *>(user);
    source->asked = true;
    const QByteArray &pass = *source->passphrase;
    if (pass.size() > size)
        return -1;
    std::memcpy(buffer, pass.constData(), size_t(pass.size()));
    return int(pass.size());
}

// Some pointer for empty input: OpenSSL's one-shot calls want a valid pointer.
const unsigned char *bytesOf(QByteArrayView data)
{
    static const unsigned char kEmpty = 0;
    return data.isEmpty() ? &kEmpty : reinterpret_cast<const unsigned char *>(data.data());
}

} // namespace

void ReleaseKey::PkeyFree::operator()(EVP_PKEY *key) const
{
    EVP_PKEY_free(key);
}

ReleaseKey::ReleaseKey(PkeyPtr key, Algorithm algorithm, bool hasPrivate)
    : m_key(std::move(key))
    , m_algorithm(algorithm)
    , m_hasPrivate(hasPrivate)
{
}

ReleaseKey::ReleaseKey(ReleaseKey &&) noexcept = default;
ReleaseKey &ReleaseKey::operator=(ReleaseKey &&) noexcept = default;
ReleaseKey::~ReleaseKey() = default;

QString ReleaseKey::algorithmKey(Algorithm algorithm)
{
    switch (algorithm) {
    case Algorithm::Ed25519:
        return QStringLiteral("ed25519");
    case Algorithm::EcdsaP256:
        return QStringLiteral("ecdsa-p256");
    }
    return QString();
}

std::optional<ReleaseKey::Algorithm> ReleaseKey::algorithmFromKey(QStringView key)
{
    if (key == u"ed25519")
        return Algorithm::Ed25519;
    if (key == u"ecdsa-p256")
        return Algorithm::EcdsaP256;
    return std::nullopt;
}

std::optional<ReleaseKey::Algorithm> ReleaseKey::supportedAlgorithm(EVP_PKEY *key, QString *error)
{
    if (EVP_PKEY_is_a(key, "ED25519"))
        return Algorithm::Ed25519;
    if (EVP_PKEY_is_a(key, "EC")) {
        char group[80] = {};
        size_t length = 0;
        if (EVP_PKEY_get_group_name(key, group, sizeof group, &length) != 1) {
            ERR_clear_error();
            setError(error, tr("an EC key without a named curve is not a release key (ECDSA P-256 only)"));
            return std::nullopt;
        }
        int nid = OBJ_sn2nid(group);
        if (nid == NID_undef)
            nid = EC_curve_nist2nid(group);
        if (nid == NID_X9_62_prime256v1)
            return Algorithm::EcdsaP256;
        setError(error, tr("an EC key on curve %1 is not a release key (ECDSA P-256 or Ed25519 only)")
                            .arg(QString::fromLatin1(group)));
        return std::nullopt;
    }
    const char *name = EVP_PKEY_get0_type_name(key);
    setError(error, tr("a %1 key is not a release key (Ed25519 or ECDSA P-256 only)")
                        .arg(name ? QString::fromLatin1(name) : tr("key of unknown type")));
    return std::nullopt;
}

ReleaseKey ReleaseKey::generate(Algorithm algorithm)
{
    EVP_PKEY *key = algorithm == Algorithm::Ed25519 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")
                                                    : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    if (!key)
        qFatal("ReleaseKey: OpenSSL cannot generate a %s key: %s", qPrintable(algorithmKey(algorithm)),
               qPrintable(takeOpenSslError()));
    return ReleaseKey(PkeyPtr(key), algorithm, true);
}

std::optional<ReleaseKey> ReleaseKey::fromPrivatePem(const QByteArray &pem, const QByteArray &passphrase,
                                                     QString *error)
{
    if (pem.size() > kMaxPemBytes) {
        setError(error, tr("the private key PEM is larger than %1 bytes").arg(kMaxPemBytes));
        return std::nullopt;
    }
    if (!pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
        setError(error, tr("not an encrypted PKCS#8 private key (expected \"BEGIN ENCRYPTED PRIVATE KEY\")"));
        return std::nullopt;
    }
    if (passphrase.isEmpty()) {
        setError(error, tr("a passphrase is required to unlock the private key"));
        return std::nullopt;
    }
    if (passphrase.size() > kMaxPassphraseBytes) {
        setError(error, tr("the passphrase is longer than %1 bytes").arg(kMaxPassphraseBytes));
        return std::nullopt;
    }
    const BioPtr bio = readBio(pem);
    PassphraseSource source{&passphrase, false};
    EVP_PKEY *raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, passphraseCallback, &source);
    ERR_clear_error();
    if (!raw) {
        setError(error, tr("cannot unlock the private key: wrong passphrase (or a damaged key)"));
        return std::nullopt;
    }
    PkeyPtr key(raw);
    const std::optional<Algorithm> algorithm = supportedAlgorithm(key.get(), error);
    if (!algorithm)
        return std::nullopt;
    return ReleaseKey(std::move(key), *algorithm, true);
}

std::optional<ReleaseKey> ReleaseKey::fromPublicPem(const QByteArray &pem, QString *error)
{
    if (pem.size() > kMaxPemBytes) {
        setError(error, tr("the public key PEM is larger than %1 bytes").arg(kMaxPemBytes));
        return std::nullopt;
    }
    if (pem.contains("PRIVATE KEY-----")) {
        setError(error, tr("this is a private key; a trusted release key is a public key (\"BEGIN PUBLIC KEY\")"));
        return std::nullopt;
    }
    if (!pem.contains("-----BEGIN PUBLIC KEY-----")) {
        setError(error, tr("not a public key PEM (expected \"BEGIN PUBLIC KEY\")"));
        return std::nullopt;
    }
    const BioPtr bio = readBio(pem);
    EVP_PKEY *raw = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
    ERR_clear_error();
    if (!raw) {
        setError(error, tr("the public key PEM cannot be read (damaged or not a SubjectPublicKeyInfo)"));
        return std::nullopt;
    }
    PkeyPtr key(raw);
    const std::optional<Algorithm> algorithm = supportedAlgorithm(key.get(), error);
    if (!algorithm)
        return std::nullopt;
    return ReleaseKey(std::move(key), *algorithm, false);
}

QByteArray ReleaseKey::privatePem(const QByteArray &passphrase, QString *error) const
{
    if (!m_hasPrivate) {
        setError(error, tr("this release key has no private key"));
        return QByteArray();
    }
    if (passphrase.isEmpty()) {
        setError(error, tr("an empty passphrase cannot protect a private key"));
        return QByteArray();
    }
    if (passphrase.size() > kMaxPassphraseBytes) {
        setError(error, tr("the passphrase is longer than %1 bytes").arg(kMaxPassphraseBytes));
        return QByteArray();
    }
    const BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PKCS8PrivateKey(bio.get(), m_key.get(), EVP_aes_256_cbc(), passphrase.constData(),
                                              int(passphrase.size()), nullptr, nullptr) != 1) {
        setError(error, tr("cannot encrypt the private key: %1").arg(takeOpenSslError()));
        return QByteArray();
    }
    return bioContents(bio.get());
}

QByteArray ReleaseKey::publicPem() const
{
    const BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), m_key.get()) != 1) {
        ERR_clear_error();
        return QByteArray();
    }
    return bioContents(bio.get());
}

QByteArray ReleaseKey::publicDer() const
{
    const int length = i2d_PUBKEY(m_key.get(), nullptr);
    if (length <= 0) {
        ERR_clear_error();
        return QByteArray();
    }
    QByteArray der(length, Qt::Uninitialized);
    auto *out = reinterpret_cast<unsigned char *>(der.data());
    if (i2d_PUBKEY(m_key.get(), &out) != length) {
        ERR_clear_error();
        return QByteArray();
    }
    return der;
}

QString ReleaseKey::keyId() const
{
    const QByteArray digest = QCryptographicHash::hash(publicDer(), QCryptographicHash::Sha256);
    return QString::fromLatin1(digest.toHex().left(16));
}

QByteArray ReleaseKey::sign(QByteArrayView data, QString *error) const
{
    if (!m_hasPrivate) {
        setError(error, tr("this release key has no private key (a trusted public key cannot sign)"));
        return QByteArray();
    }
    const MdCtxPtr ctx(EVP_MD_CTX_new());
    const EVP_MD *md = m_algorithm == Algorithm::Ed25519 ? nullptr : EVP_sha256();
    size_t length = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, m_key.get()) != 1
        || EVP_DigestSign(ctx.get(), nullptr, &length, bytesOf(data), size_t(data.size())) != 1) {
        setError(error, tr("cannot sign: %1").arg(takeOpenSslError()));
        return QByteArray();
    }
    QByteArray signature(qsizetype(length), Qt::Uninitialized);
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &length, bytesOf(data),
                       size_t(data.size()))
        != 1) {
        setError(error, tr("cannot sign: %1").arg(takeOpenSslError()));
        return QByteArray();
    }
    signature.truncate(qsizetype(length));  // a DER ECDSA signature may be shorter than the maximum
    return signature;
}

bool ReleaseKey::verify(QByteArrayView data, QByteArrayView signature, QString *error) const
{
    if (signature.isEmpty()) {
        setError(error, tr("the signature is empty"));
        return false;
    }
    if (signature.size() > kMaxSignatureBytes) {
        setError(error, tr("the signature is larger than %1 bytes").arg(kMaxSignatureBytes));
        return false;
    }
    if (m_algorithm == Algorithm::Ed25519 && signature.size() != kEd25519SignatureBytes) {
        setError(error, tr("an Ed25519 signature is %1 bytes, this one is %2")
                            .arg(kEd25519SignatureBytes)
                            .arg(signature.size()));
        return false;
    }
    const MdCtxPtr ctx(EVP_MD_CTX_new());
    const EVP_MD *md = m_algorithm == Algorithm::Ed25519 ? nullptr : EVP_sha256();
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, m_key.get()) != 1) {
        setError(error, tr("cannot verify: %1").arg(takeOpenSslError()));
        return false;
    }
    const int rc = EVP_DigestVerify(ctx.get(), bytesOf(signature), size_t(signature.size()), bytesOf(data),
                                    size_t(data.size()));
    ERR_clear_error();
    if (rc != 1) {
        setError(error, tr("the signature does not verify with release key %1").arg(keyId()));
        return false;
    }
    return true;
}

bool ReleaseKey::verifyWithPublicPem(const QByteArray &publicPem, QByteArrayView data, QByteArrayView signature,
                                     QString *error)
{
    const std::optional<ReleaseKey> key = fromPublicPem(publicPem, error);
    return key && key->verify(data, signature, error);
}

} // namespace fd
