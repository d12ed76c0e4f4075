#pragma once

#include <QByteArray>
#include <QString>

#include <memory>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace fd::openssl {

// Owning handles for the OpenSSL objects of core/pki (unique_ptr with the matching _free),
// and the few helpers every wrapper needs. Generic: nothing here knows about certificates'
// meaning. Included by implementation files only; public headers forward OpenSSL types.
template <auto FreeFn>
struct FreeWith
{
    template <typename T>
    void operator()(T *p) const { FreeFn(p); }
};
using BioPtr = std::unique_ptr<BIO, FreeWith<&BIO_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, FreeWith<&EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, FreeWith<&EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, FreeWith<&EVP_MD_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, FreeWith<&X509_free>>;
using X509ReqPtr = std::unique_ptr<X509_REQ, FreeWith<&X509_REQ_free>>;
using X509CrlPtr = std::unique_ptr<X509_CRL, FreeWith<&X509_CRL_free>>;
using X509RevokedPtr = std::unique_ptr<X509_REVOKED, FreeWith<&X509_REVOKED_free>>;
using X509NamePtr = std::unique_ptr<X509_NAME, FreeWith<&X509_NAME_free>>;
using X509ExtensionPtr = std::unique_ptr<X509_EXTENSION, FreeWith<&X509_EXTENSION_free>>;
using X509StorePtr = std::unique_ptr<X509_STORE, FreeWith<&X509_STORE_free>>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, FreeWith<&X509_STORE_CTX_free>>;
using Asn1IntegerPtr = std::unique_ptr<ASN1_INTEGER, FreeWith<&ASN1_INTEGER_free>>;
using Asn1TimePtr = std::unique_ptr<ASN1_TIME, FreeWith<&ASN1_TIME_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, FreeWith<&BN_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, FreeWith<&GENERAL_NAMES_free>>;

// A read-only memory BIO over bytes (which must outlive it).
BioPtr readBio(const QByteArray &bytes);
// An empty writable memory BIO.
BioPtr memoryBio();
// What was written to a memory BIO.
QByteArray bioContents(BIO *bio);
// A public key as PEM (SubjectPublicKeyInfo), and a SubjectPublicKeyInfo as DER; empty for
// null or on failure (the error queue is cleared). Shared by certificates and requests.
QByteArray publicKeyPem(EVP_PKEY *key);
QByteArray publicKeyInfoDer(X509_PUBKEY *info);
// The first OpenSSL error of the queue as text; clears the queue.
QString takeError();

// ms since epoch (UTC) of an ASN1_TIME; 0 when it cannot be read.
qint64 timeToMs(const ASN1_TIME *time);

} // namespace fd::openssl
