#include "core/pki/pki_key.h"

#include "core/pki/openssl_handles.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <cstring>

namespace fd {
namespace {

// The longest passphrase handed to OpenSSL's PEM callback (its buffer is PEM_BUFSIZE, 1024).
constexpr qsizetype kMaxPassphraseBytes = 1023;

struct PassphraseSource
{
    const QByteArray *passphrase = nullptr;
};

int passphraseCallback(char *buffer, int size, int /*rwflag*/, void *user)
{
    const QByteArray &pass = *static_cast<PassphraseSource *>(user)->passphrase;
    if (pass.isEmpty() || pass.size() > size)
        return -1;  // no passphrase: an encrypted PEM cannot be read
    std::memcpy(buffer, pass.constData(), size_t(pass.size()));
    return int(pass.size());
}

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

} // namespace

PkiKey PkiKey::adopt(EVP_PKEY *key)
{
    PkiKey k;
    if (key)
        k.m_key = std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
    return k;
}

PkiKey PkiKey::generateP256()
{
    EVP_PKEY *key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    if (!key)
        qFatal("PkiKey: OpenSSL cannot generate a P-256 key: %s", qPrintable(openssl::takeError()));
    return adopt(key);
}

std::optional<PkiKey> PkiKey::fromPrivatePem(const QByteArray &pem, const QByteArray &passphrase, QString *error)
{
    if (pem.size() > kMaxPemBytes) {
        setError(error, tr("the private key PEM is larger than %1 bytes").arg(kMaxPemBytes));
        return std::nullopt;
    }
    if (!pem.contains("PRIVATE KEY-----")) {
        setError(error, tr("not a private key PEM (expected \"BEGIN ENCRYPTED PRIVATE KEY\")"));
        return std::nullopt;
    }
    const bool encrypted = pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || pem.contains("Proc-Type: 4,ENCRYPTED");
    if (encrypted && passphrase.isEmpty()) {
        setError(error, tr("the private key is encrypted: a passphrase is required"));
        return std::nullopt;
    }
    if (passphrase.size() > kMaxPassphraseBytes) {
        setError(error, tr("the passphrase is longer than %1 bytes").arg(kMaxPassphraseBytes));
        return std::nullopt;
    }
    const openssl::BioPtr bio = openssl::readBio(pem);
    PassphraseSource source{&passphrase};
    EVP_PKEY *raw = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, passphraseCallback, &source) : nullptr;
    ERR_clear_error();
    if (!raw) {
        setError(error, encrypted ? tr("cannot unlock the private key: wrong passphrase (or a damaged key)")
                                  : tr("the private key PEM cannot be read (damaged)"));
        return std::nullopt;
    }
    return adopt(raw);
}

QByteArray PkiKey::privatePem(const QByteArray &passphrase) const
{
    if (!m_key || passphrase.size() > kMaxPassphraseBytes)
        return QByteArray();
    const openssl::BioPtr bio = openssl::memoryBio();
    const EVP_CIPHER *cipher = passphrase.isEmpty() ? nullptr : EVP_aes_256_cbc();
    if (!bio
        || PEM_write_bio_PKCS8PrivateKey(bio.get(), m_key.get(), cipher,
                                         passphrase.isEmpty() ? nullptr : passphrase.constData(),
                                         int(passphrase.size()), nullptr, nullptr)
               != 1) {
        ERR_clear_error();
        return QByteArray();
    }
    return openssl::bioContents(bio.get());
}

QByteArray PkiKey::publicPem() const
{
    const openssl::BioPtr bio = openssl::memoryBio();
    if (!m_key || !bio || PEM_write_bio_PUBKEY(bio.get(), m_key.get()) != 1) {
        ERR_clear_error();
        return QByteArray();
    }
    return openssl::bioContents(bio.get());
}

bool PkiKey::samePublicKey(EVP_PKEY *other) const
{
    if (!m_key || !other)
        return false;
    const int rc = EVP_PKEY_eq(m_key.get(), other);
    ERR_clear_error();
    return rc == 1;
}

bool PkiKey::samePublicKey(const PkiKey &other) const
{
    return samePublicKey(other.get());
}

} // namespace fd
