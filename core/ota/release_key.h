#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QString>
#include <QStringView>

#include <memory>
#include <optional>

typedef struct evp_pkey_st EVP_PKEY;

namespace fd {

// A release key (OpenSSL 3 EVP): signs firmware manifests (Ed25519, or ECDSA P-256 with
// SHA-256) and verifies their signatures. Holds either a key pair (generated, or unlocked
// from an encrypted PKCS#8 PEM) or only a public key (a trusted key imported from a PEM).
//
// Signatures: Ed25519 is the raw 64 bytes (PureEdDSA over the data); P-256 is the DER
// ECDSA-Sig-Value over SHA-256(data). Anything read from outside (PEMs, signatures) is
// bounded and refused with a reason, never trusted.
//
// Move-only: the EVP_PKEY is owned by a unique_ptr (EVP_PKEY_free).
class ReleaseKey
{
    Q_DECLARE_TR_FUNCTIONS(fd::ReleaseKey)
public:
    enum class Algorithm { Ed25519, EcdsaP256 };

    // Refuses PEM inputs above this size (a P-256 encrypted PKCS#8 PEM is about 500 bytes).
    static constexpr qsizetype kMaxPemBytes = 16 * 1024;
    // Refuses signatures above this size (Ed25519: 64, P-256 DER: at most 72).
    static constexpr qsizetype kMaxSignatureBytes = 1024;

    // Stable keys: "ed25519", "ecdsa-p256".
    static QString algorithmKey(Algorithm algorithm);
    static std::optional<Algorithm> algorithmFromKey(QStringView key);

    ReleaseKey(ReleaseKey &&) noexcept;
    ReleaseKey &operator=(ReleaseKey &&) noexcept;
    ReleaseKey(const ReleaseKey &) = delete;
    ReleaseKey &operator=(const ReleaseKey &) = delete;
    ~ReleaseKey();

    // A new key pair. Never fails short of an OpenSSL internal error (then it aborts via
    // qFatal: a process that cannot make keys has no usable crypto).
    static ReleaseKey generate(Algorithm algorithm);
    // Unlocks an encrypted PKCS#8 PEM (privatePem()); a wrong passphrase, a damaged PEM or a
    // foreign key type gives std::nullopt with the reason in *error.
    static std::optional<ReleaseKey> fromPrivatePem(const QByteArray &pem, const QByteArray &passphrase,
                                                    QString *error);
    // A trusted public key (SubjectPublicKeyInfo PEM, "BEGIN PUBLIC KEY"). Refuses RSA, other
    // curves, private keys and garbage, with the reason.
    static std::optional<ReleaseKey> fromPublicPem(const QByteArray &pem, QString *error);

    Algorithm algorithm() const { return m_algorithm; }
    bool hasPrivateKey() const { return m_hasPrivate; }

    // Encrypted PKCS#8 PEM (AES-256-CBC, "BEGIN ENCRYPTED PRIVATE KEY"). An empty passphrase
    // or a key without its private part gives an empty array (with *error when given).
    QByteArray privatePem(const QByteArray &passphrase, QString *error = nullptr) const;
    // SubjectPublicKeyInfo PEM ("BEGIN PUBLIC KEY").
    QByteArray publicPem() const;
    // DER SubjectPublicKeyInfo.
    QByteArray publicDer() const;
    // First 16 lowercase hex chars of SHA-256(DER SubjectPublicKeyInfo).
    QString keyId() const;

    // The signature of data (see above); empty with *error on failure (no private key).
    QByteArray sign(QByteArrayView data, QString *error) const;
    // True when signature is a valid signature of data by this key; false with a reason.
    bool verify(QByteArrayView data, QByteArrayView signature, QString *error) const;

    // fromPublicPem(publicPem) then verify(); false with a reason for a bad key or signature.
    static bool verifyWithPublicPem(const QByteArray &publicPem, QByteArrayView data, QByteArrayView signature,
                                    QString *error);

private:
    struct PkeyFree
    {
        void operator()(EVP_PKEY *key) const;
    };
    using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

    ReleaseKey(PkeyPtr key, Algorithm algorithm, bool hasPrivate);
    // The algorithm of key, or nullopt with the reason (RSA, other curves, ...).
    static std::optional<Algorithm> supportedAlgorithm(EVP_PKEY *key, QString *error);

    PkeyPtr m_key;
    Algorithm m_algorithm = Algorithm::Ed25519;
    bool m_hasPrivate = false;
};

} // namespace fd
