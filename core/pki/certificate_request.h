#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <memory>
#include <optional>

typedef struct X509_req_st X509_REQ;

namespace fd {

// A PKCS#10 certificate signing request: untrusted input (from a device, over MQTT, or a
// file). fromPem() only parses (≤ kMaxPemBytes, one "BEGIN CERTIFICATE REQUEST" block);
// CsrCheck decides whether it may be signed.
class CertificateRequest
{
    Q_DECLARE_TR_FUNCTIONS(fd::CertificateRequest)
public:
    static constexpr qsizetype kMaxPemBytes = 8 * 1024;

    CertificateRequest() = default;

    // std::nullopt with the reason (too large: *tooLarge set, when given).
    static std::optional<CertificateRequest> fromPem(const QByteArray &pem, QString *error, bool *tooLarge = nullptr);

    QString subjectCommonName() const;   // empty when there is none
    QByteArray publicKeyPem() const;
    // The DER of the request's SubjectPublicKeyInfo (Certificate::publicKeyInfoDer()).
    QByteArray publicKeyInfoDer() const;
    QByteArray pem() const;

    X509_REQ *get() const { return m_req.get(); }
    bool isNull() const { return !m_req; }

private:
    std::shared_ptr<X509_REQ> m_req;
};

} // namespace fd
