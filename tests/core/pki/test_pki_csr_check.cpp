// CsrCheck against requests made directly with OpenSSL: every refusal reason and its key
// (wrong CN, extra subject attributes, RSA-1024, RSA-2048, P-192 / secp224r1, Ed25519,
// brainpool, a broken signature, garbage, oversize), and the accepted P-256 / P-384 forms.
#include "core/pki/certificate_request.h"
#include "core/pki/csr_check.h"
#include "tests/core/pki/pki_test_support.h"

#include <QTest>

using namespace fd;
using namespace fd::pkitest;
using namespace Qt::StringLiterals;

namespace {

using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

KeyPtr key(EVP_PKEY *k)
{
    return KeyPtr(k, EVP_PKEY_free);
}

} // namespace

class TestPkiCsrCheck : public QObject
{
    Q_OBJECT
private slots:
    void problemKeys();
    void acceptsP256AndP384();
    void subjectMismatch();
    void weakKeys();
    void wrongKeyTypes();
    void brokenSignature();
    void garbageAndOversize();
};

void TestPkiCsrCheck::problemKeys()
{
    QCOMPARE(CsrCheck::problemKey(CsrProblem::None), QString());
    QCOMPARE(CsrCheck::problemKey(CsrProblem::BadPem), u"bad_csr"_s);
    QCOMPARE(CsrCheck::problemKey(CsrProblem::TooLarge), u"csr_too_large"_s);
    QCOMPARE(CsrCheck::problemKey(CsrProblem::BadSignature), u"bad_csr_signature"_s);
    QCOMPARE(CsrCheck::problemKey(CsrProblem::SubjectMismatch), u"subject_mismatch"_s);
    QCOMPARE(CsrCheck::problemKey(CsrProblem::WeakKey), u"weak_key"_s);
    QCOMPARE(CsrCheck::problemKey(CsrProblem::WrongKeyType), u"wrong_key_type"_s);
}

void TestPkiCsrCheck::acceptsP256AndP384()
{
    const KeyPtr p256 = key(makeKey("EC", "P-256"));
    const QByteArray csr = makeCsr(p256.get(), "sn-42-0001");
    CsrVerdict v = CsrCheck::check(csr, u"sn-42-0001"_s);
    QVERIFY2(v.ok(), qPrintable(v.reason));
    const KeyPtr p384 = key(makeKey("EC", "P-384"));
    v = CsrCheck::check(makeCsr(p384.get(), {{"O", "Acme"}, {"OU", "Plant"}, {"CN", "dev.1_a-b"}}), u"dev.1_a-b"_s);
    QVERIFY2(v.ok(), qPrintable(v.reason));
    QString why;
    const std::optional<CertificateRequest> request = CertificateRequest::fromPem(csr, &why);
    QVERIFY(request);
    QCOMPARE(request->subjectCommonName(), u"sn-42-0001"_s);
    QVERIFY(request->publicKeyPem().startsWith("-----BEGIN PUBLIC KEY-----"));
}

void TestPkiCsrCheck::subjectMismatch()
{
    const KeyPtr k = key(makeKey("EC", "P-256"));
    CsrVerdict v = CsrCheck::check(makeCsr(k.get(), "dev-01"), u"dev-02"_s);
    QCOMPARE(v.problem, CsrProblem::SubjectMismatch);
    QVERIFY(v.reason.contains(u"dev-01"_s) && v.reason.contains(u"dev-02"_s));
    // Case matters, and so do spaces.
    QCOMPARE(CsrCheck::check(makeCsr(k.get(), "DEV-01"), u"dev-01"_s).problem, CsrProblem::SubjectMismatch);
    QCOMPARE(CsrCheck::check(makeCsr(k.get(), "dev-01 "), u"dev-01"_s).problem, CsrProblem::SubjectMismatch);
    // No CN, two CNs, a foreign attribute.
    QCOMPARE(CsrCheck::check(makeCsr(k.get(), {{"O", "Acme"}}), u"dev-01"_s).problem, CsrProblem::SubjectMismatch);
    QCOMPARE(CsrCheck::check(makeCsr(k.get(), {{"CN", "dev-01"}, {"CN", "dev-02"}}), u"dev-01"_s).problem,
             CsrProblem::SubjectMismatch);
    v = CsrCheck::check(makeCsr(k.get(), {{"C", "DE"}, {"CN", "dev-01"}}), u"dev-01"_s);
    QCOMPARE(v.problem, CsrProblem::SubjectMismatch);
    QVERIFY(v.reason.contains(u"C"_s));
    // An empty expectation matches nothing.
    QCOMPARE(CsrCheck::check(makeCsr(k.get(), ""), QString()).problem, CsrProblem::SubjectMismatch);
}

void TestPkiCsrCheck::weakKeys()
{
    const KeyPtr rsa1024 = key(makeKey("RSA", nullptr, 1024));
    QVERIFY(rsa1024);
    CsrVerdict v = CsrCheck::check(makeCsr(rsa1024.get(), "dev-01"), u"dev-01"_s);
    QCOMPARE(v.problem, CsrProblem::WeakKey);
    QVERIFY(v.reason.contains(u"1024"_s));
    // Small curves, when this OpenSSL still makes them.
    for (const char *curve : {"P-192", "secp224r1"}) {
        const KeyPtr ec = key(makeKey("EC", curve));
        if (!ec) {
            ERR_clear_error();
            qInfo("OpenSSL does not make %s keys here; skipped", curve);
            continue;
        }
        const QByteArray csr = makeCsr(ec.get(), "dev-01");
        QVERIFY(!csr.isEmpty());
        v = CsrCheck::check(csr, u"dev-01"_s);
        QCOMPARE(v.problem, CsrProblem::WeakKey);
    }
}

void TestPkiCsrCheck::wrongKeyTypes()
{
    const KeyPtr rsa2048 = key(makeKey("RSA", nullptr, 2048));
    CsrVerdict v = CsrCheck::check(makeCsr(rsa2048.get(), "dev-01"), u"dev-01"_s);
    QCOMPARE(v.problem, CsrProblem::WrongKeyType);
    QVERIFY(v.reason.contains(u"RSA"_s));
    const KeyPtr ed = key(makeKey("ED25519"));
    v = CsrCheck::check(makeCsr(ed.get(), "dev-01"), u"dev-01"_s);
    QCOMPARE(v.problem, CsrProblem::WrongKeyType);
    QVERIFY(v.reason.contains(u"ED25519"_s));
    const KeyPtr brainpool = key(makeKey("EC", "brainpoolP256r1"));
    if (brainpool) {
        v = CsrCheck::check(makeCsr(brainpool.get(), "dev-01"), u"dev-01"_s);
        QCOMPARE(v.problem, CsrProblem::WrongKeyType);
        QVERIFY(v.reason.contains(u"brainpoolP256r1"_s));
    }
    const KeyPtr p521 = key(makeKey("EC", "P-521"));
    QCOMPARE(CsrCheck::check(makeCsr(p521.get(), "dev-01"), u"dev-01"_s).problem, CsrProblem::WrongKeyType);
}

void TestPkiCsrCheck::brokenSignature()
{
    const KeyPtr k = key(makeKey("EC", "P-256"));
    const QByteArray broken = makeCsr(k.get(), "dev-01", true);
    QVERIFY(!broken.isEmpty());
    const CsrVerdict v = CsrCheck::check(broken, u"dev-01"_s);
    QCOMPARE(v.problem, CsrProblem::BadSignature);
    // The signature is checked before anything else: a broken one with a wrong CN too.
    QCOMPARE(CsrCheck::check(makeCsr(k.get(), "dev-09", true), u"dev-01"_s).problem, CsrProblem::BadSignature);
    const KeyPtr ed = key(makeKey("ED25519"));
    QCOMPARE(CsrCheck::check(makeCsr(ed.get(), "dev-01", true), u"dev-01"_s).problem, CsrProblem::BadSignature);
}

void TestPkiCsrCheck::garbageAndOversize()
{
    QCOMPARE(CsrCheck::check(QByteArray(), u"dev-01"_s).problem, CsrProblem::BadPem);
    QCOMPARE(CsrCheck::check("hello", u"dev-01"_s).problem, CsrProblem::BadPem);
    QCOMPARE(CsrCheck::check("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
                             u"dev-01"_s)
                 .problem,
             CsrProblem::BadPem);
    // Valid base64 of a DER that is not a request.
    QCOMPARE(CsrCheck::check("-----BEGIN CERTIFICATE REQUEST-----\nMAMCAQE=\n-----END CERTIFICATE REQUEST-----\n",
                             u"dev-01"_s)
                 .problem,
             CsrProblem::BadPem);
    const KeyPtr k = key(makeKey("EC", "P-256"));
    const QByteArray good = makeCsr(k.get(), "dev-01");
    // Two requests in one PEM.
    QCOMPARE(CsrCheck::check(good + good, u"dev-01"_s).problem, CsrProblem::BadPem);
    // Oversize, even when the request inside is fine.
    const CsrVerdict v = CsrCheck::check(good + QByteArray(9000, '\n'), u"dev-01"_s);
    QCOMPARE(v.problem, CsrProblem::TooLarge);
    QVERIFY(v.reason.contains(u"8192"_s));
    // A truncated request.
    QCOMPARE(CsrCheck::check(good.left(good.size() / 2), u"dev-01"_s).problem, CsrProblem::BadPem);
}

QTEST_GUILESS_MAIN(TestPkiCsrCheck)
#include "test_pki_csr_check.moc"
