#include "core/pki/openssl_handles.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace fd::openssl {

BioPtr readBio(const QByteArray &bytes)
{
    return BioPtr(BIO_new_mem_buf(bytes.constData(), int(bytes.size())));
}

BioPtr memoryBio()
{
    return BioPtr(BIO_new(BIO_s_mem()));
}

QByteArray bioContents(BIO *bio)
{
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    return length > 0 && data ? QByteArray(data, qsizetype(length)) : QByteArray();
}

QString takeError()
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return QStringLiteral("unknown OpenSSL error");
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    return QString::fromLatin1(buffer);
}

qint64 timeToMs(const ASN1_TIME *time)
{
    // Days and seconds since the epoch, computed by OpenSSL (no timegm needed).
    Asn1TimePtr epoch(ASN1_TIME_set(nullptr, 0));
    int days = 0;
    int seconds = 0;
    if (!time || !epoch || ASN1_TIME_diff(&days, &seconds, epoch.get(), time) != 1) {
        ERR_clear_error();
        return 0;
    }
    return (qint64(days) * 86400 + seconds) * 1000;
}

QByteArray publicKeyPem(EVP_PKEY *key)
{
    const BioPtr bio = memoryBio();
    if (!key || !bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1) {
        ERR_clear_error();
        return QByteArray();
    }
    return bioContents(bio.get());
}

QByteArray publicKeyInfoDer(X509_PUBKEY *info)
{
    unsigned char *der = nullptr;
    const int n = info ? i2d_X509_PUBKEY(info, &der) : -1;
    if (n <= 0) {
        ERR_clear_error();
        return QByteArray();
    }
    QByteArray out(reinterpret_cast<const char *>(der), n);
    OPENSSL_free(der);
    return out;
}

} // namespace fd::openssl
