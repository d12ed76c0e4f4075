#pragma once

// Helpers of the core/pki tests: keys and CSRs made directly with OpenSSL (so that the
// checks are tested against requests FleetDeck did not make), and an OpenSSL chain check.
#include "core/pki/certificate.h"
#include "core/pki/fleet_ca.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <memory>

namespace fd::pkitest {

inline EVP_PKEY *makeKey(const char *type, const char *param = nullptr, unsigned rsaBits = 0)
{
    if (rsaBits > 0)
        return EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(rsaBits));
    if (param)
        return EVP_PKEY_Q_keygen(nullptr, nullptr, type, param);
    return EVP_PKEY_Q_keygen(nullptr, nullptr, type);
}

// A CSR PEM with subject entries (field, value) signed by key (SHA-256, or none for EdDSA).
inline QByteArray makeCsr(EVP_PKEY *key, const QList<QPair<QByteArray, QByteArray>> &subject, bool breakSignature = false)
{
    std::unique_ptr<X509_REQ, decltype(&X509_REQ_free)> req(X509_REQ_new(), X509_REQ_free);
    X509_NAME *name = X509_REQ_get_subject_name(req.get());
    for (const auto &[field, value] : subject)
        X509_NAME_add_entry_by_txt(name, field.constData(), MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char *>(value.constData()), int(value.size()), -1, 0);
    X509_REQ_set_version(req.get(), 0);
    X509_REQ_set_pubkey(req.get(), key);
    const bool edwards = EVP_PKEY_is_a(key, "ED25519") || EVP_PKEY_is_a(key, "ED448");
    if (X509_REQ_sign(req.get(), key, edwards ? nullptr : EVP_sha256()) <= 0) {
        ERR_clear_error();
        return QByteArray();
    }
    if (breakSignature) {
        const ASN1_BIT_STRING *sig = nullptr;
        X509_REQ_get0_signature(req.get(), &sig, nullptr);
        auto *bits = const_cast<ASN1_BIT_STRING *>(sig);
        auto *data = const_cast<unsigned char *>(ASN1_STRING_get0_data(bits));
        data[ASN1_STRING_length(bits) / 2] ^= 0x5A;
    }
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    PEM_write_bio_X509_REQ(bio.get(), req.get());
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(length));
}

inline QByteArray makeCsr(EVP_PKEY *key, const QByteArray &commonName, bool breakSignature = false)
{
    return makeCsr(key, {{"CN", commonName}}, breakSignature);
}

// X509_verify_cert of leaf against the root as the only trust anchor, with intermediates
// untrusted; crl (optional) checked for the leaf. X509_V_OK or the error.
inline int verifyChain(const Certificate &leaf, const FleetCa &ca, qint64 atMs = 0, X509_CRL *crl = nullptr)
{
    std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), X509_STORE_free);
    X509_STORE_add_cert(store.get(), ca.root().get());
    std::unique_ptr<STACK_OF(X509), void (*)(STACK_OF(X509) *)>
        untrusted(sk_X509_new_null(), [](STACK_OF(X509) *s) { sk_X509_free(s); });
    sk_X509_push(untrusted.get(), ca.intermediate().get());
    std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(), X509_STORE_CTX_free);
    X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), untrusted.get());
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx.get());
    if (atMs > 0)
        X509_VERIFY_PARAM_set_time(param, time_t(atMs / 1000));
    if (crl) {
        X509_STORE_add_crl(store.get(), crl);
        X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_CRL_CHECK);
    }
    const int ok = X509_verify_cert(ctx.get());
    const int error = X509_STORE_CTX_get_error(ctx.get());
    ERR_clear_error();
    return ok == 1 ? X509_V_OK : (error == X509_V_OK ? -1 : error);
}

} // namespace fd::pkitest
