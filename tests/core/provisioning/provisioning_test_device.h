#pragma once

// A fake factory device for provisioning tests, made with OpenSSL directly (not with
// core/pki, so the code under test does not check itself): its own key, a CSR, the request
// JSON; and a check that an issued certificate verifies against the chain it was given.

#include "core/provisioning/provisioning_ids.h"
#include "core/provisioning/provisioning_request.h"

#include <QByteArray>
#include <QDateTime>
#include <QRandomGenerator>
#include <QString>

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <memory>

namespace fd::test {

enum class TestKeyType { P256, P384, P192, Rsa1024, Rsa2048, Ed25519 };

inline EVP_PKEY *makeTestKey(TestKeyType type)
{
    switch (type) {
    case TestKeyType::P256: return EVP_EC_gen("P-256");
    case TestKeyType::P384: return EVP_EC_gen("P-384");
    case TestKeyType::P192: return EVP_EC_gen("P-192");
    case TestKeyType::Rsa1024: return EVP_RSA_gen(1024);
    case TestKeyType::Rsa2048: return EVP_RSA_gen(2048);
    case TestKeyType::Ed25519: return EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    }
    return nullptr;
}

inline QByteArray bioBytes(BIO *bio)
{
    char *data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    return QByteArray(data, int(n));
}

// A CSR with subject CN = cn signed by key. breakSignature: one byte of the signature flipped.
inline QByteArray makeTestCsr(EVP_PKEY *key, const QString &cn, bool breakSignature = false)
{
    X509_REQ *req = X509_REQ_new();
    X509_REQ_set_version(req, 0);
    X509_NAME *name = X509_REQ_get_subject_name(req);
    const QByteArray cnUtf8 = cn.toUtf8();
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>(cnUtf8.constData()),
                               -1, -1, 0);
    X509_REQ_set_pubkey(req, key);
    const EVP_MD *md = EVP_PKEY_get_id(key) == EVP_PKEY_ED25519 ? nullptr : EVP_sha256();
    X509_REQ_sign(req, key, md);
    if (breakSignature) {
        const ASN1_BIT_STRING *sig = nullptr;
        X509_REQ_get0_signature(req, &sig, nullptr);
        auto *mutableSig = const_cast<ASN1_BIT_STRING *>(sig);
        auto *bytes = const_cast<unsigned char *>(ASN1_STRING_get0_data(mutableSig));
        bytes[ASN1_STRING_length(mutableSig) - 1] ^= 0x01;  // the last byte of s: DER stays valid
    }
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509_REQ(bio, req);
    const QByteArray pem = bioBytes(bio);
    BIO_free(bio);
    X509_REQ_free(req);
    return pem;
}

inline QString randomNonce()
{
    QByteArray bytes(16, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), 4);
    return QString::fromLatin1(bytes.toHex());
}

// Does certPem verify against chainPem (intermediate + root, the root trusted), for client auth?
inline bool verifiesAgainstChain(const QByteArray &certPem, const QByteArray &chainPem, QString *why = nullptr)
{
    auto load = [](const QByteArray &pem) {
        BIO *bio = BIO_new_mem_buf(pem.constData(), int(pem.size()));
        STACK_OF(X509) *all = sk_X509_new_null();
        while (X509 *x = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr))
            sk_X509_push(all, x);
        BIO_free(bio);
        return all;
    };
    STACK_OF(X509) *leafs = load(certPem);
    STACK_OF(X509) *chain = load(chainPem);
    bool ok = false;
    if (sk_X509_num(leafs) == 1 && sk_X509_num(chain) >= 2) {
        X509_STORE *store = X509_STORE_new();
        STACK_OF(X509) *untrusted = sk_X509_new_null();
        for (int i = 0; i < sk_X509_num(chain); ++i) {
            X509 *c = sk_X509_value(chain, i);
            if (X509_check_issued(c, c) == X509_V_OK)
                X509_STORE_add_cert(store, c);  // the self-signed root
            else
                sk_X509_push(untrusted, c);
        }
        X509_STORE_CTX *ctx = X509_STORE_CTX_new();
        X509_STORE_CTX_init(ctx, store, sk_X509_value(leafs, 0), untrusted);
        X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_CLIENT);
        ok = X509_verify_cert(ctx) == 1;
        if (!ok && why)
            *why = QString::fromLatin1(X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
        X509_STORE_CTX_free(ctx);
        sk_X509_free(untrusted);
        X509_STORE_free(store);
    } else if (why) {
        *why = QStringLiteral("not one certificate and a chain of two");
    }
    sk_X509_pop_free(leafs, X509_free);
    sk_X509_pop_free(chain, X509_free);
    return ok;
}

// The device: a serial, a claim code, a key; builds requests.
struct TestFactoryDevice
{
    QString serial;
    QString claimCode;
    QString model = QStringLiteral("TH-100");
    QString deviceId;  // empty: the serial lowercased
    std::shared_ptr<EVP_PKEY> key;

    TestFactoryDevice(const QString &s, const QString &claim, TestKeyType type = TestKeyType::P256)
        : serial(s)
        , claimCode(claim)
        , key(makeTestKey(type), EVP_PKEY_free)
    {
    }

    QString id() const { return deviceId.isEmpty() ? ProvisioningIds::defaultDeviceId(serial) : deviceId; }

    ProvisioningRequest request(qint64 tsMs = QDateTime::currentMSecsSinceEpoch()) const
    {
        ProvisioningRequest r;
        r.kind = ProvisioningRequest::Kind::Enroll;
        r.serial = serial;
        r.model = model;
        r.deviceId = id();
        r.claimHash = ProvisioningIds::claimHash(serial, claimCode);
        r.csrPem = makeTestCsr(key.get(), id());
        r.nonce = randomNonce();
        r.tsMs = tsMs;
        return r;
    }
};

} // namespace fd::test
