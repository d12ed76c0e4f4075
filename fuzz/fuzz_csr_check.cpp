// Fuzz target: CsrCheck (core/pki), the gate every certificate request of a device passes
// before the fleet CA signs anything, and CertificateRequest, its parser.
// Input: "expected common name\nrequest" (fuzz_support.h). The request is a PEM text when
// it holds "-----BEGIN"; otherwise its bytes are taken as DER and wrapped into a PEM block
// here, so the fuzzer mutates the ASN.1 itself rather than base64 text.
//
// Checked per input:
//  - The verdict: ok() exactly when the problem is None; a refusal has a reason and one of
//    the six protocol keys; csr_too_large exactly when the PEM is over 8 KiB.
//  - An accepted request: parses; its subject CN is exactly the expected (non-empty) name;
//    its key is EC P-256 or P-384; its self-signature verifies; its SubjectPublicKeyInfo
//    (what a re-sent enrollment compares) is a DER SEQUENCE, the same after re-encoding.
//  - Any request that parses: the accessors (CN, public key PEM, SPKI, PEM) work, and the
//    re-encoded PEM parses to the same key and gets the same verdict.
#include "fuzz_support.h"

#include "core/pki/certificate_request.h"
#include "core/pki/csr_check.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

using namespace fd;

namespace {

QByteArray asPem(QByteArrayView bytes)
{
    if (bytes.contains("-----BEGIN"))
        return bytes.toByteArray();
    const QByteArray b64 = bytes.toByteArray().toBase64();
    QByteArray pem = "-----BEGIN CERTIFICATE REQUEST-----\n";
    for (qsizetype i = 0; i < b64.size(); i += 64)
        pem += b64.mid(i, 64) + '\n';
    pem += "-----END CERTIFICATE REQUEST-----\n";
    return pem;
}

bool knownKey(const QString &key)
{
    return key == u"bad_csr" || key == u"csr_too_large" || key == u"bad_csr_signature" || key == u"subject_mismatch"
           || key == u"weak_key" || key == u"wrong_key_type";
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fd::fuzz::quietLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto [cnBytes, requestBytes] = fd::fuzz::splitAtNewline(fd::fuzz::inputBytes(data, size));
    const QString expected = QString::fromUtf8(cnBytes);
    const QByteArray pem = asPem(requestBytes);

    const CsrVerdict v = CsrCheck::check(pem, expected);
    FD_FUZZ_CHECK(v.ok() == (v.problem == CsrProblem::None), "ok() is not problem == None");
    FD_FUZZ_CHECK(v.ok() == v.reason.isEmpty(), "a refusal needs a reason, an acceptance none");
    FD_FUZZ_CHECK(v.ok() == CsrCheck::problemKey(v.problem).isEmpty(), "a refusal without a key");
    FD_FUZZ_CHECK(v.ok() || knownKey(CsrCheck::problemKey(v.problem)), "a refusal with an unknown key");
    FD_FUZZ_CHECK((v.problem == CsrProblem::TooLarge) == (pem.size() > CertificateRequest::kMaxPemBytes),
                  "csr_too_large is not exactly the size limit");

    QString error;
    const std::optional<CertificateRequest> request = CertificateRequest::fromPem(pem, &error);
    FD_FUZZ_CHECK(request.has_value() == error.isEmpty(), "fromPem: a refusal needs a reason, a request none");
    if (v.ok())
        FD_FUZZ_CHECK(request.has_value(), "an accepted request does not parse");
    if (!request) {
        FD_FUZZ_CHECK(v.problem == CsrProblem::BadPem || v.problem == CsrProblem::TooLarge,
                      "an unreadable request refused for something else than bad_csr / csr_too_large");
        return 0;
    }

    const QString cn = request->subjectCommonName();
    const QByteArray spki = request->publicKeyInfoDer();
    (void)request->publicKeyPem();
    if (v.ok()) {
        FD_FUZZ_CHECK(!expected.isEmpty() && cn == expected, "accepted with a CN that is not the expected name");
        EVP_PKEY *key = X509_REQ_get0_pubkey(request->get());
        FD_FUZZ_CHECK(key && EVP_PKEY_is_a(key, "EC") && (EVP_PKEY_get_bits(key) == 256 || EVP_PKEY_get_bits(key) == 384),
                      "accepted a key that is not EC P-256 / P-384");
        FD_FUZZ_CHECK(X509_REQ_verify(request->get(), key) == 1, "accepted a request whose signature does not verify");
        FD_FUZZ_CHECK(!spki.isEmpty() && spki.at(0) == 0x30, "an accepted request without a DER SubjectPublicKeyInfo");
        FD_FUZZ_CHECK(!request->publicKeyPem().isEmpty(), "an accepted request without a public key PEM");
    }
    ERR_clear_error();

    // Re-encoded: the same key, the same verdict.
    const QByteArray again = request->pem();
    if (again.isEmpty() || again.size() > CertificateRequest::kMaxPemBytes)
        return 0;
    const std::optional<CertificateRequest> back = CertificateRequest::fromPem(again, &error);
    FD_FUZZ_CHECK(back.has_value(), "a parsed request does not parse after re-encoding");
    FD_FUZZ_CHECK(back->publicKeyInfoDer() == spki, "re-encoding changed the SubjectPublicKeyInfo");
    FD_FUZZ_CHECK(back->subjectCommonName() == cn, "re-encoding changed the CN");
    if (v.problem != CsrProblem::TooLarge)
        FD_FUZZ_CHECK(CsrCheck::check(again, expected).problem == v.problem, "re-encoding changed the verdict");
    return 0;
}
