#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <memory>
#include <optional>

typedef struct evp_pkey_st EVP_PKEY;

namespace fd {

// A key pair of the fleet PKI (OpenSSL 3 EVP): EC P-256 for the CA and for keys FleetDeck
// generates (operator, broker, simulated devices). The private part is written as encrypted
// PKCS#8 (AES-256-CBC, "BEGIN ENCRYPTED PRIVATE KEY"); an empty passphrase writes an
// unencrypted PKCS#8 PEM, for simulated devices only.
//
// A value type: copies share the EVP_PKEY (reference counted, never modified once made).
class PkiKey
{
    Q_DECLARE_TR_FUNCTIONS(fd::PkiKey)
public:
    // Refuses key PEMs above this size.
    static constexpr qsizetype kMaxPemBytes = 16 * 1024;

    PkiKey() = default;

    // A new EC P-256 key pair (qFatal on an OpenSSL internal failure, like ReleaseKey).
    static PkiKey generateP256();
    // Reads a private key PEM: encrypted PKCS#8 with passphrase; with an empty passphrase an
    // unencrypted PEM ("BEGIN PRIVATE KEY" / "BEGIN EC PRIVATE KEY") is accepted. Wrong
    // passphrase, damaged PEM: std::nullopt with the reason.
    static std::optional<PkiKey> fromPrivatePem(const QByteArray &pem, const QByteArray &passphrase, QString *error);

    // PKCS#8 PEM, encrypted with passphrase (AES-256-CBC) unless it is empty.
    QByteArray privatePem(const QByteArray &passphrase) const;
    // SubjectPublicKeyInfo PEM ("BEGIN PUBLIC KEY").
    QByteArray publicPem() const;
    // True when other is the same public key.
    bool samePublicKey(const PkiKey &other) const;
    bool samePublicKey(EVP_PKEY *other) const;

    EVP_PKEY *get() const { return m_key.get(); }
    bool isNull() const { return !m_key; }

    // Wraps key (takes ownership).
    static PkiKey adopt(EVP_PKEY *key);

private:
    std::shared_ptr<EVP_PKEY> m_key;
};

} // namespace fd
