#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

typedef struct x509_st X509;

namespace fd {

// A parsed X.509 certificate. A value type: copies share the X509 (never modified once
// parsed or issued). Parsing is bounded (kMaxPemBytes) and refuses garbage with a reason.
class Certificate
{
    Q_DECLARE_TR_FUNCTIONS(fd::Certificate)
public:
    static constexpr qsizetype kMaxPemBytes = 64 * 1024;   // one certificate
    static constexpr qsizetype kMaxChainPemBytes = 256 * 1024;
    static constexpr int kMaxChainLength = 16;

    Certificate() = default;

    // The first certificate of a PEM ("BEGIN CERTIFICATE").
    static std::optional<Certificate> fromPem(const QByteArray &pem, QString *error);
    // Every certificate of a PEM with several blocks, in order; empty with *error when one of
    // them is damaged or there is none.
    static QList<Certificate> chainFromPem(const QByteArray &pem, QString *error);
    // Wraps cert (takes ownership).
    static Certificate adopt(X509 *cert);

    QByteArray pem() const;
    QByteArray der() const;
    // Uppercase hex of the serial's magnitude, no colons, two digits per byte: what
    // `openssl x509 -serial -noout` prints after "serial=".
    QString serialHex() const;
    QString subjectCommonName() const;
    QString issuerCommonName() const;
    qint64 notBeforeMs() const;
    qint64 notAfterMs() const;
    // SHA-256 of the DER, uppercase hex pairs with colons "AB:CD:...".
    QString fingerprintSha256() const;
    // basicConstraints CA:TRUE.
    bool isCa() const;
    // "DNS:host", "IP:127.0.0.1" (IPv6 in its textual form).
    QStringList subjectAltNames() const;
    // Public key PEM of the subject.
    QByteArray publicKeyPem() const;
    // The DER of the subject's SubjectPublicKeyInfo (algorithm + key), as in the certificate:
    // equal bytes are the same public key (CertificateRequest::publicKeyInfoDer()). Empty
    // for a null certificate.
    QByteArray publicKeyInfoDer() const;
    // issuer's subject is this certificate's issuer (names, key identifiers) and its key
    // verifies this certificate's signature. False for null certificates.
    bool isIssuedBy(const Certificate &issuer) const;

    X509 *get() const { return m_cert.get(); }
    bool isNull() const { return !m_cert; }

    friend bool operator==(const Certificate &a, const Certificate &b) { return a.der() == b.der(); }

private:
    std::shared_ptr<X509> m_cert;
};

} // namespace fd
