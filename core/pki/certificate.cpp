#include "core/pki/certificate.h"

#include "core/pki/openssl_handles.h"
#include "core/pki/serial_number.h"

#include <QCryptographicHash>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

namespace fd {
namespace {

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

QString commonNameOf(const X509_NAME *name)
{
    if (!name)
        return QString();
    const int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
    if (index < 0)
        return QString();
    const ASN1_STRING *data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
    unsigned char *utf8 = nullptr;
    const int length = ASN1_STRING_to_UTF8(&utf8, data);
    if (length < 0) {
        ERR_clear_error();
        return QString();
    }
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(utf8), length);
    OPENSSL_free(utf8);
    return text;
}

} // namespace

Certificate Certificate::adopt(X509 *cert)
{
    Certificate c;
    if (cert)
        c.m_cert = std::shared_ptr<X509>(cert, X509_free);
    return c;
}

std::optional<Certificate> Certificate::fromPem(const QByteArray &pem, QString *error)
{
    if (pem.size() > kMaxChainPemBytes) {
        setError(error, tr("the certificate PEM is larger than %1 bytes").arg(kMaxChainPemBytes));
        return std::nullopt;
    }
    if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
        setError(error, tr("not a certificate PEM (expected \"BEGIN CERTIFICATE\")"));
        return std::nullopt;
    }
    const openssl::BioPtr bio = openssl::readBio(pem);
    X509 *raw = bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr;
    ERR_clear_error();
    if (!raw) {
        setError(error, tr("the certificate PEM cannot be read (damaged)"));
        return std::nullopt;
    }
    return adopt(raw);
}

QList<Certificate> Certificate::chainFromPem(const QByteArray &pem, QString *error)
{
    if (pem.size() > kMaxChainPemBytes) {
        setError(error, tr("the certificate chain PEM is larger than %1 bytes").arg(kMaxChainPemBytes));
        return {};
    }
    const openssl::BioPtr bio = openssl::readBio(pem);
    QList<Certificate> chain;
    const int blocks = int(pem.count("-----BEGIN CERTIFICATE-----"));
    if (blocks == 0) {
        setError(error, tr("no certificate in the PEM (expected \"BEGIN CERTIFICATE\")"));
        return {};
    }
    if (blocks > kMaxChainLength) {
        setError(error, tr("the chain has more than %1 certificates").arg(kMaxChainLength));
        return {};
    }
    for (int i = 0; i < blocks; ++i) {
        X509 *raw = bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr;
        ERR_clear_error();
        if (!raw) {
            setError(error, tr("certificate %1 of the chain cannot be read (damaged)").arg(i + 1));
            return {};
        }
        chain.append(adopt(raw));
    }
    return chain;
}

QByteArray Certificate::pem() const
{
    const openssl::BioPtr bio = openssl::memoryBio();
    if (!m_cert || !bio || PEM_write_bio_X509(bio.get(), m_cert.get()) != 1) {
        ERR_clear_error();
        return QByteArray();
    }
    return openssl::bioContents(bio.get());
}

QByteArray Certificate::der() const
{
    if (!m_cert)
        return QByteArray();
    const int length = i2d_X509(m_cert.get(), nullptr);
    if (length <= 0) {
        ERR_clear_error();
        return QByteArray();
    }
    QByteArray out(length, Qt::Uninitialized);
    auto *p = reinterpret_cast<unsigned char *>(out.data());
    if (i2d_X509(m_cert.get(), &p) != length) {
        ERR_clear_error();
        return QByteArray();
    }
    return out;
}

QString Certificate::serialHex() const
{
    if (!m_cert)
        return QString();
    const ASN1_INTEGER *serial = X509_get0_serialNumber(m_cert.get());
    openssl::BignumPtr bn(ASN1_INTEGER_to_BN(serial, nullptr));
    if (!bn) {
        ERR_clear_error();
        return QString();
    }
    QByteArray bytes(BN_num_bytes(bn.get()), Qt::Uninitialized);
    BN_bn2bin(bn.get(), reinterpret_cast<unsigned char *>(bytes.data()));
    return SerialNumber::toHex(bytes);
}

QString Certificate::subjectCommonName() const
{
    return m_cert ? commonNameOf(X509_get_subject_name(m_cert.get())) : QString();
}

QString Certificate::issuerCommonName() const
{
    return m_cert ? commonNameOf(X509_get_issuer_name(m_cert.get())) : QString();
}

qint64 Certificate::notBeforeMs() const
{
    return m_cert ? openssl::timeToMs(X509_get0_notBefore(m_cert.get())) : 0;
}

qint64 Certificate::notAfterMs() const
{
    return m_cert ? openssl::timeToMs(X509_get0_notAfter(m_cert.get())) : 0;
}

QString Certificate::fingerprintSha256() const
{
    const QByteArray digest = QCryptographicHash::hash(der(), QCryptographicHash::Sha256);
    return QString::fromLatin1(digest.toHex(':').toUpper());
}

bool Certificate::isCa() const
{
    if (!m_cert)
        return false;
    const int rc = X509_check_ca(m_cert.get());
    ERR_clear_error();
    return (X509_get_extension_flags(m_cert.get()) & EXFLAG_CA) && rc >= 1;
}

QStringList Certificate::subjectAltNames() const
{
    QStringList names;
    if (!m_cert)
        return names;
    openssl::GeneralNamesPtr sans(
        static_cast<GENERAL_NAMES *>(X509_get_ext_d2i(m_cert.get(), NID_subject_alt_name, nullptr, nullptr)));
    ERR_clear_error();
    if (!sans)
        return names;
    for (int i = 0; i < sk_GENERAL_NAME_num(sans.get()); ++i) {
        const GENERAL_NAME *name = sk_GENERAL_NAME_value(sans.get(), i);
        if (name->type == GEN_DNS) {
            const ASN1_IA5STRING *dns = name->d.dNSName;
            names.append(QStringLiteral("DNS:")
                         + QString::fromLatin1(reinterpret_cast<const char *>(ASN1_STRING_get0_data(dns)),
                                               ASN1_STRING_length(dns)));
        } else if (name->type == GEN_IPADD) {
            const ASN1_OCTET_STRING *ip = name->d.iPAddress;
            const unsigned char *data = ASN1_STRING_get0_data(ip);
            const int length = ASN1_STRING_length(ip);
            QStringList parts;
            if (length == 4) {
                for (int k = 0; k < 4; ++k)
                    parts.append(QString::number(data[k]));
                names.append(QStringLiteral("IP:") + parts.join(u'.'));
            } else if (length == 16) {  // uncompressed, as `openssl x509 -text` prints it
                for (int k = 0; k < 16; k += 2)
                    parts.append(QString::number(quint32(data[k]) << 8 | data[k + 1], 16));
                names.append(QStringLiteral("IP:") + parts.join(u':'));
            }
        }
    }
    return names;
}

QByteArray Certificate::publicKeyPem() const
{
    return openssl::publicKeyPem(m_cert ? X509_get0_pubkey(m_cert.get()) : nullptr);
}

QByteArray Certificate::publicKeyInfoDer() const
{
    return openssl::publicKeyInfoDer(m_cert ? X509_get_X509_PUBKEY(m_cert.get()) : nullptr);
}

bool Certificate::isIssuedBy(const Certificate &issuer) const
{
    if (!m_cert || !issuer.m_cert)
        return false;
    EVP_PKEY *key = X509_get0_pubkey(issuer.m_cert.get());
    const bool ok = X509_check_issued(issuer.m_cert.get(), m_cert.get()) == X509_V_OK && key
                    && X509_verify(m_cert.get(), key) == 1;
    ERR_clear_error();
    return ok;
}

} // namespace fd
