#include "core/pki/certificate_request.h"

#include "core/pki/openssl_handles.h"

#include <openssl/err.h>
#include <openssl/pem.h>

namespace fd {
namespace {

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

} // namespace

std::optional<CertificateRequest> CertificateRequest::fromPem(const QByteArray &pem, QString *error, bool *tooLarge)
{
    if (tooLarge)
        *tooLarge = false;
    if (pem.size() > kMaxPemBytes) {
        if (tooLarge)
            *tooLarge = true;
        setError(error, tr("the certificate request is larger than %1 bytes").arg(kMaxPemBytes));
        return std::nullopt;
    }
    const qsizetype begin = pem.indexOf("-----BEGIN CERTIFICATE REQUEST-----");
    if (begin < 0) {
        setError(error, tr("not a certificate request PEM (expected \"BEGIN CERTIFICATE REQUEST\")"));
        return std::nullopt;
    }
    if (pem.indexOf("-----BEGIN", begin + 1) >= 0) {
        setError(error, tr("the certificate request PEM holds more than one block"));
        return std::nullopt;
    }
    const openssl::BioPtr bio = openssl::readBio(pem);
    X509_REQ *raw = bio ? PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr) : nullptr;
    ERR_clear_error();
    if (!raw) {
        setError(error, tr("the certificate request cannot be read (damaged PEM or DER)"));
        return std::nullopt;
    }
    CertificateRequest r;
    r.m_req = std::shared_ptr<X509_REQ>(raw, X509_REQ_free);
    return r;
}

QString CertificateRequest::subjectCommonName() const
{
    if (!m_req)
        return QString();
    const X509_NAME *name = X509_REQ_get_subject_name(m_req.get());
    const int index = name ? X509_NAME_get_index_by_NID(name, NID_commonName, -1) : -1;
    if (index < 0)
        return QString();
    unsigned char *utf8 = nullptr;
    const int length = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index)));
    if (length < 0) {
        ERR_clear_error();
        return QString();
    }
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(utf8), length);
    OPENSSL_free(utf8);
    return text;
}

QByteArray CertificateRequest::publicKeyPem() const
{
    return openssl::publicKeyPem(m_req ? X509_REQ_get0_pubkey(m_req.get()) : nullptr);
}

QByteArray CertificateRequest::publicKeyInfoDer() const
{
    return openssl::publicKeyInfoDer(m_req ? X509_REQ_get_X509_PUBKEY(m_req.get()) : nullptr);
}

QByteArray CertificateRequest::pem() const
{
    const openssl::BioPtr bio = openssl::memoryBio();
    if (!m_req || !bio || PEM_write_bio_X509_REQ(bio.get(), m_req.get()) != 1) {
        ERR_clear_error();
        return QByteArray();
    }
    return openssl::bioContents(bio.get());
}

} // namespace fd
