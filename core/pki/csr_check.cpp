#include "core/pki/csr_check.h"

#include "core/pki/certificate_request.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

namespace fd {
namespace {

CsrVerdict refuse(CsrProblem problem, const QString &reason)
{
    return CsrVerdict{problem, reason};
}

// The NID of an EC key's named curve, NID_undef when it has none.
int curveNid(EVP_PKEY *key)
{
    char group[80] = {};
    size_t length = 0;
    if (EVP_PKEY_get_group_name(key, group, sizeof group, &length) != 1) {
        ERR_clear_error();
        return NID_undef;
    }
    int nid = OBJ_sn2nid(group);
    if (nid == NID_undef)
        nid = EC_curve_nist2nid(group);
    return nid;
}

CsrVerdict checkKey(EVP_PKEY *key)
{
    const int bits = EVP_PKEY_get_bits(key);
    if (EVP_PKEY_is_a(key, "EC")) {
        const int nid = curveNid(key);
        if (nid == NID_X9_62_prime256v1 || nid == NID_secp384r1)
            return {};
        if (bits > 0 && bits < 256)
            return refuse(CsrProblem::WeakKey,
                          CsrCheck::tr("the key is an EC key of %1 bits: too weak (EC P-256 or P-384 only)").arg(bits));
        const char *name = nid != NID_undef ? OBJ_nid2sn(nid) : nullptr;
        return refuse(CsrProblem::WrongKeyType,
                      CsrCheck::tr("the key is on curve %1: not accepted (EC P-256 or P-384 only)")
                          .arg(name ? QString::fromLatin1(name) : CsrCheck::tr("(explicit parameters)")));
    }
    const char *type = EVP_PKEY_get0_type_name(key);
    const QString typeName = type ? QString::fromLatin1(type) : CsrCheck::tr("unknown");
    const bool finiteField = EVP_PKEY_is_a(key, "RSA") || EVP_PKEY_is_a(key, "RSA-PSS") || EVP_PKEY_is_a(key, "DSA")
                             || EVP_PKEY_is_a(key, "DH");
    if (finiteField && bits < 2048)
        return refuse(CsrProblem::WeakKey,
                      CsrCheck::tr("the key is a %1 key of %2 bits: too weak (EC P-256 or P-384 only)").arg(typeName).arg(bits));
    return refuse(CsrProblem::WrongKeyType,
                  CsrCheck::tr("the key is a %1 key: not accepted (EC P-256 or P-384 only)").arg(typeName));
}

CsrVerdict checkSubject(X509_REQ *req, const QString &expectedCommonName, const QString &commonName)
{
    const X509_NAME *name = X509_REQ_get_subject_name(req);
    const int entries = name ? X509_NAME_entry_count(name) : 0;
    int commonNames = 0;
    for (int i = 0; i < entries; ++i) {
        const int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(X509_NAME_get_entry(name, i)));
        if (nid == NID_commonName) {
            ++commonNames;
        } else if (nid != NID_organizationName && nid != NID_organizationalUnitName) {
            const char *sn = OBJ_nid2sn(nid);
            return refuse(CsrProblem::SubjectMismatch,
                          CsrCheck::tr("the subject may hold only CN (and O, OU); it has %1")
                              .arg(sn && nid != NID_undef ? QString::fromLatin1(sn) : CsrCheck::tr("an unknown attribute")));
        }
    }
    if (commonNames != 1)
        return refuse(CsrProblem::SubjectMismatch,
                      CsrCheck::tr("the subject must hold exactly one CN (it has %1)").arg(commonNames));
    if (expectedCommonName.isEmpty() || commonName != expectedCommonName)
        return refuse(CsrProblem::SubjectMismatch,
                      CsrCheck::tr("the subject CN is \"%1\", not the device id \"%2\"").arg(commonName, expectedCommonName));
    return {};
}

} // namespace

QString CsrCheck::problemKey(CsrProblem p)
{
    switch (p) {
    case CsrProblem::None:
        return QString();
    case CsrProblem::BadPem:
        return QStringLiteral("bad_csr");
    case CsrProblem::TooLarge:
        return QStringLiteral("csr_too_large");
    case CsrProblem::BadSignature:
        return QStringLiteral("bad_csr_signature");
    case CsrProblem::SubjectMismatch:
        return QStringLiteral("subject_mismatch");
    case CsrProblem::WeakKey:
        return QStringLiteral("weak_key");
    case CsrProblem::WrongKeyType:
        return QStringLiteral("wrong_key_type");
    }
    return QString();
}

CsrVerdict CsrCheck::check(const QByteArray &pem, const QString &expectedCommonName)
{
    QString reason;
    bool tooLarge = false;
    const std::optional<CertificateRequest> request = CertificateRequest::fromPem(pem, &reason, &tooLarge);
    if (!request)
        return refuse(tooLarge ? CsrProblem::TooLarge : CsrProblem::BadPem, reason);
    X509_REQ *req = request->get();
    EVP_PKEY *key = X509_REQ_get0_pubkey(req);
    if (!key) {
        ERR_clear_error();
        return refuse(CsrProblem::BadPem, tr("the certificate request's public key cannot be read"));
    }
    const int verified = X509_REQ_verify(req, key);
    ERR_clear_error();
    if (verified != 1)
        return refuse(CsrProblem::BadSignature,
                      tr("the certificate request's signature does not verify with its own key"));
    const CsrVerdict keyVerdict = checkKey(key);
    if (!keyVerdict.ok())
        return keyVerdict;
    return checkSubject(req, expectedCommonName, request->subjectCommonName());
}

} // namespace fd
