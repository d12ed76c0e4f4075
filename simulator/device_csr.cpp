#include "simulator/device_csr.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

namespace fd::sim {

namespace {

struct Free
{
    void operator()(EVP_PKEY *p) const { EVP_PKEY_free(p); }
    void operator()(X509_REQ *p) const { X509_REQ_free(p); }
    void operator()(BIO *p) const { BIO_free(p); }
};
template <typename T>
using Owned = std::unique_ptr<T, Free>;

QString opensslError(const char *what)
{
    const unsigned long code = ERR_get_error();
    char text[256] = {};
    ERR_error_string_n(code, text, sizeof text);
    ERR_clear_error();
    return QStringLiteral("%1: %2").arg(QLatin1StringView(what), QString::fromLatin1(text));
}

QByteArray bioBytes(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return size > 0 ? QByteArray(data, qsizetype(size)) : QByteArray();
}

EVP_PKEY *generate(DeviceCsr::KeyKind kind)
{
    switch (kind) {
    case DeviceCsr::KeyKind::P256: return EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    case DeviceCsr::KeyKind::P192: return EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-192");
    case DeviceCsr::KeyKind::Rsa1024: return EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(1024));
    }
    return nullptr;
}

} // namespace

std::optional<DeviceCsr::Made> DeviceCsr::make(const QString &commonName, KeyKind kind, bool breakSignature,
                                               QString *error)
{
    auto fail = [error](const QString &why) -> std::optional<Made> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    Owned<EVP_PKEY> key(generate(kind));
    if (!key)
        return fail(opensslError("key generation"));
    Owned<X509_REQ> req(X509_REQ_new());
    const QByteArray cn = commonName.toUtf8();
    X509_NAME *name = req ? X509_REQ_get_subject_name(req.get()) : nullptr;
    if (!req || !X509_REQ_set_version(req.get(), 0) || !name
        || !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>(cn.constData()),
                                       int(cn.size()), -1, 0)
        || !X509_REQ_set_pubkey(req.get(), key.get()) || X509_REQ_sign(req.get(), key.get(), EVP_sha256()) <= 0) {
        return fail(opensslError("certificate request"));
    }
    if (breakSignature) {
        // The signature is the DER's last element: flipping its last byte keeps the CSR
        // readable and makes the signature wrong.
        unsigned char *der = nullptr;
        const int size = i2d_X509_REQ(req.get(), &der);
        if (size <= 0)
            return fail(opensslError("certificate request encoding"));
        der[size - 1] ^= 0x01;
        const unsigned char *cursor = der;
        Owned<X509_REQ> broken(d2i_X509_REQ(nullptr, &cursor, size));
        OPENSSL_free(der);
        if (!broken)
            return fail(opensslError("certificate request decoding"));
        req = std::move(broken);
    }
    Owned<BIO> keyBio(BIO_new(BIO_s_mem()));
    Owned<BIO> csrBio(BIO_new(BIO_s_mem()));
    if (!keyBio || !csrBio
        || !PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)
        || !PEM_write_bio_X509_REQ(csrBio.get(), req.get())) {
        return fail(opensslError("PEM encoding"));
    }
    return Made{bioBytes(keyBio.get()), bioBytes(csrBio.get())};
}

} // namespace fd::sim
