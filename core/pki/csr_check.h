#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

namespace fd {

// Why a CSR is refused. Keys are protocol/CLI strings (docs/protocol.md, docs/pki.md).
enum class CsrProblem { None, BadPem, TooLarge, BadSignature, SubjectMismatch, WeakKey, WrongKeyType };

struct CsrVerdict
{
    CsrProblem problem = CsrProblem::None;
    QString reason;  // plain text, for people
    bool ok() const { return problem == CsrProblem::None; }
};

// The checks a CSR passes before the fleet CA signs it (pure; no OpenSSL state kept):
//  - PEM: one "CERTIFICATE REQUEST" block of at most 8 KiB (csr_too_large, bad_csr);
//  - signature verifies with the request's own key (bad_csr_signature);
//  - subject: exactly one CN equal to expectedCommonName, optionally O and OU, nothing
//    else (subject_mismatch);
//  - key: EC P-256 or P-384. RSA < 2048 bits or EC < 256 bits: weak_key; RSA ≥ 2048,
//    Ed25519/Ed448, other curves or types: wrong_key_type.
class CsrCheck
{
    Q_DECLARE_TR_FUNCTIONS(fd::CsrCheck)
public:
    // "bad_csr", "csr_too_large", "bad_csr_signature", "subject_mismatch", "weak_key",
    // "wrong_key_type"; "" for None.
    static QString problemKey(CsrProblem p);
    static CsrVerdict check(const QByteArray &pem, const QString &expectedCommonName);
};

} // namespace fd
