#include "core/provisioning/provisioning_checker.h"
#include "core/provisioning/provisioning_ids.h"
#include "core/provisioning/provisioning_reason.h"

#include "provisioning_test_device.h"

#include <QTest>

using namespace fd;
using namespace fd::test;

namespace {

constexpr qint64 kNow = 1764145000000;

ExpectedDevice listed(const TestFactoryDevice &d)
{
    ExpectedDevice e;
    e.serial = d.serial;
    e.model = d.model;
    e.claimHash = ProvisioningIds::claimHash(d.serial, d.claimCode);
    return e;
}

} // namespace

class TestProvisioningChecker : public QObject
{
    Q_OBJECT
private slots:
    void passesAListedDevice();
    void passesAnUnknownDeviceWhenAllowed();
    void everyReason();
    void orderReplayBeforeExpired();
    void lostAcceptanceSameKey();
    void csrReasons_data();
    void csrReasons();
    void technicianCheck();
    void rotation();
};

void TestProvisioningChecker::passesAListedDevice()
{
    const TestFactoryDevice dev(QStringLiteral("SN-42-0001"), QStringLiteral("ABCD-1234"));
    ProvisioningFacts facts;
    facts.listed = listed(dev);
    const ProvisioningVerdict v = ProvisioningChecker::check(dev.request(kNow), facts, ProvisioningPolicy{}, kNow);
    QVERIFY2(v.ok(), qPrintable(v.reasonKey + u' ' + v.reason));
    QVERIFY(v.reason.isEmpty());
}

void TestProvisioningChecker::passesAnUnknownDeviceWhenAllowed()
{
    const TestFactoryDevice dev(QStringLiteral("SN-42-0002"), QStringLiteral("x"));
    ProvisioningPolicy open;
    open.allowUnknown = true;
    QVERIFY(ProvisioningChecker::check(dev.request(kNow), {}, open, kNow).ok());
    const ProvisioningVerdict strict = ProvisioningChecker::check(dev.request(kNow), {}, ProvisioningPolicy{}, kNow);
    QCOMPARE(strict.reasonKey, ProvisioningReason::UnknownSerial);
    QVERIFY(!strict.reason.isEmpty());
}

void TestProvisioningChecker::everyReason()
{
    const TestFactoryDevice dev(QStringLiteral("SN-42-0003"), QStringLiteral("CLAIM"));
    const ProvisioningPolicy policy;
    const ProvisioningRequest good = dev.request(kNow);
    ProvisioningFacts base;
    base.listed = listed(dev);
    auto key = [&](const ProvisioningRequest &r, const ProvisioningFacts &f) {
        const ProvisioningVerdict v = ProvisioningChecker::check(r, f, policy, kNow);
        if (!v.ok())
            [&] { QVERIFY2(!v.reason.isEmpty(), qPrintable(v.reasonKey)); }();
        return v.reasonKey;
    };

    ProvisioningFacts f = base;
    f.nonceSeen = true;
    QCOMPARE(key(good, f), ProvisioningReason::Replay);

    QCOMPARE(key(dev.request(kNow - policy.requestTtlMs - 1), base), ProvisioningReason::Expired);
    QCOMPARE(key(dev.request(kNow - policy.requestTtlMs), base), QString());  // the edge is still valid
    QCOMPARE(key(dev.request(kNow + policy.futureSkewMs + 1), base), ProvisioningReason::Expired);
    QCOMPARE(key(dev.request(kNow + policy.futureSkewMs), base), QString());

    f = base;
    f.samePending = true;
    QCOMPARE(key(good, f), ProvisioningReason::Duplicate);

    for (const QString &bad : {QStringLiteral("bootstrap"), QStringLiteral("fleetdeck-operator"), QStringLiteral(".x"),
                               QStringLiteral("a/b"), QString(), QString(65, u'a')}) {
        ProvisioningRequest r = good;
        r.deviceId = bad;
        QCOMPARE(key(r, base), ProvisioningReason::InvalidDeviceId);
    }
    f = base;
    f.listed->deviceId = QStringLiteral("planned-id");
    QCOMPARE(key(good, f), ProvisioningReason::InvalidDeviceId);

    QCOMPARE(key(good, ProvisioningFacts{}), ProvisioningReason::UnknownSerial);

    f = base;
    f.listed->model = QStringLiteral("TH-200");
    QCOMPARE(key(good, f), ProvisioningReason::ModelMismatch);

    ProvisioningRequest wrong = good;
    wrong.claimHash = ProvisioningIds::claimHash(dev.serial, QStringLiteral("CLAIN"));
    QCOMPARE(key(wrong, base), ProvisioningReason::WrongClaim);

    f = base;
    f.listed->state = ExpectedDevice::State::Enrolled;
    QCOMPARE(key(good, f), ProvisioningReason::AlreadyEnrolled);
    f = base;
    f.deviceIdHasValidCertificate = true;
    QCOMPARE(key(good, f), ProvisioningReason::AlreadyEnrolled);
}

void TestProvisioningChecker::lostAcceptanceSameKey()
{
    const TestFactoryDevice dev(QStringLiteral("SN-9"), QStringLiteral("c"));
    ProvisioningFacts f;
    f.listed = listed(dev);
    f.listed->state = ExpectedDevice::State::Enrolled;
    f.listed->deviceId = dev.id();
    f.deviceIdHasValidCertificate = true;
    f.enrolledKeyMatches = true;
    const ProvisioningRequest good = dev.request(kNow);
    ProvisioningVerdict v = ProvisioningChecker::check(good, f, {}, kNow);
    QVERIFY2(v.ok(), qPrintable(v.reasonKey));
    QVERIFY(v.resendIssued);

    // The signature must still prove the key: a CSR with the certificate's public key and a
    // broken signature is refused as such, never re-sent.
    ProvisioningRequest forged = good;
    forged.csrPem = makeTestCsr(dev.key.get(), dev.id(), true);
    v = ProvisioningChecker::check(forged, f, {}, kNow);
    QCOMPARE(v.reasonKey, ProvisioningReason::BadCsrSignature);
    QVERIFY(!v.resendIssued);

    // The earlier checks come first.
    ProvisioningRequest wrong = good;
    wrong.claimHash = ProvisioningIds::claimHash(dev.serial, QStringLiteral("guess"));
    QCOMPARE(ProvisioningChecker::check(wrong, f, {}, kNow).reasonKey, ProvisioningReason::WrongClaim);
    ProvisioningFacts replay = f;
    replay.nonceSeen = true;
    QCOMPARE(ProvisioningChecker::check(good, replay, {}, kNow).reasonKey, ProvisioningReason::Replay);
    QCOMPARE(ProvisioningChecker::check(dev.request(kNow - 3600000), f, {}, kNow).reasonKey, ProvisioningReason::Expired);

    // Another key: already enrolled.
    f.enrolledKeyMatches = false;
    v = ProvisioningChecker::check(good, f, {}, kNow);
    QCOMPARE(v.reasonKey, ProvisioningReason::AlreadyEnrolled);
    QVERIFY(!v.resendIssued);

    // A device not enrolled passes as a new request, not a re-send.
    f = ProvisioningFacts{};
    f.listed = listed(dev);
    f.enrolledKeyMatches = true;
    v = ProvisioningChecker::check(good, f, {}, kNow);
    QVERIFY(v.ok());
    QVERIFY(!v.resendIssued);
}

void TestProvisioningChecker::orderReplayBeforeExpired()
{
    // A replayed request is named a replay even when it is also old: that is the attack.
    const TestFactoryDevice dev(QStringLiteral("SN-1"), QStringLiteral("c"));
    ProvisioningFacts f;
    f.nonceSeen = true;
    f.listed = listed(dev);
    QCOMPARE(ProvisioningChecker::check(dev.request(kNow - 86400000), f, {}, kNow).reasonKey, ProvisioningReason::Replay);
}

void TestProvisioningChecker::csrReasons_data()
{
    QTest::addColumn<int>("keyType");
    QTest::addColumn<QString>("cn");
    QTest::addColumn<bool>("broken");
    QTest::addColumn<QString>("expected");
    QTest::newRow("p256 ok") << int(TestKeyType::P256) << QStringLiteral("sn-1") << false << QString();
    QTest::newRow("p384 ok") << int(TestKeyType::P384) << QStringLiteral("sn-1") << false << QString();
    QTest::newRow("bad signature") << int(TestKeyType::P256) << QStringLiteral("sn-1") << true << ProvisioningReason::BadCsrSignature;
    QTest::newRow("wrong subject") << int(TestKeyType::P256) << QStringLiteral("sn-2") << false << ProvisioningReason::SubjectMismatch;
    QTest::newRow("p192 weak") << int(TestKeyType::P192) << QStringLiteral("sn-1") << false << ProvisioningReason::WeakKey;
    QTest::newRow("rsa1024 weak") << int(TestKeyType::Rsa1024) << QStringLiteral("sn-1") << false << ProvisioningReason::WeakKey;
    QTest::newRow("rsa2048 wrong type") << int(TestKeyType::Rsa2048) << QStringLiteral("sn-1") << false << ProvisioningReason::WrongKeyType;
    QTest::newRow("ed25519 wrong type") << int(TestKeyType::Ed25519) << QStringLiteral("sn-1") << false << ProvisioningReason::WrongKeyType;
}

void TestProvisioningChecker::csrReasons()
{
    QFETCH(int, keyType);
    QFETCH(QString, cn);
    QFETCH(bool, broken);
    QFETCH(QString, expected);
    TestFactoryDevice dev(QStringLiteral("SN-1"), QStringLiteral("c"), TestKeyType(keyType));
    QVERIFY(dev.key);
    ProvisioningRequest r = dev.request(kNow);
    r.csrPem = makeTestCsr(dev.key.get(), cn, broken);
    ProvisioningFacts f;
    f.listed = listed(dev);
    const ProvisioningVerdict v = ProvisioningChecker::check(r, f, {}, kNow);
    QCOMPARE(v.reasonKey, expected);

    QCOMPARE(ProvisioningChecker::checkCsr("garbage", QStringLiteral("sn-1")).reasonKey, ProvisioningReason::BadCsr);
}

void TestProvisioningChecker::technicianCheck()
{
    const TestFactoryDevice dev(QStringLiteral("SN-7"), QStringLiteral("LABEL-CODE"));
    const ProvisioningRequest r = dev.request(kNow);
    const std::optional<ExpectedDevice> entry = listed(dev);
    QVERIFY(ProvisioningChecker::checkTechnician(r, entry, QStringLiteral("SN-7"), QStringLiteral("LABEL-CODE")).ok());
    QVERIFY(ProvisioningChecker::checkTechnician(r, std::nullopt, QStringLiteral(" SN-7 "), QStringLiteral("LABEL-CODE\n")).ok());
    QCOMPARE(ProvisioningChecker::checkTechnician(r, entry, QStringLiteral("SN-8"), QStringLiteral("LABEL-CODE")).reasonKey,
             ProvisioningReason::WrongClaim);
    QCOMPARE(ProvisioningChecker::checkTechnician(r, entry, QStringLiteral("SN-7"), QStringLiteral("LABEL-CODF")).reasonKey,
             ProvisioningReason::WrongClaim);
    // The device and the label agree but the list says otherwise.
    std::optional<ExpectedDevice> other = entry;
    other->claimHash = ProvisioningIds::claimHash(dev.serial, QStringLiteral("LIST-CODE"));
    QCOMPARE(ProvisioningChecker::checkTechnician(r, other, QStringLiteral("SN-7"), QStringLiteral("LABEL-CODE")).reasonKey,
             ProvisioningReason::WrongClaim);
}

void TestProvisioningChecker::rotation()
{
    const TestFactoryDevice dev(QStringLiteral("SN-9"), QStringLiteral("c"));
    ProvisioningRequest r = dev.request(kNow);
    r.kind = ProvisioningRequest::Kind::Rotate;
    r.serial.clear();
    ProvisioningFacts f;
    f.deviceIdHasValidCertificate = true;
    QVERIFY(ProvisioningChecker::check(r, f, {}, kNow).ok());  // no list, no claim for a rotation
    f.deviceIdHasValidCertificate = false;
    QCOMPARE(ProvisioningChecker::check(r, f, {}, kNow).reasonKey, ProvisioningReason::InvalidDeviceId);
    f.deviceIdHasValidCertificate = true;
    f.samePending = true;
    QCOMPARE(ProvisioningChecker::check(r, f, {}, kNow).reasonKey, ProvisioningReason::Duplicate);
    f.samePending = false;
    r.csrPem = makeTestCsr(dev.key.get(), QStringLiteral("someone-else"));
    QCOMPARE(ProvisioningChecker::check(r, f, {}, kNow).reasonKey, ProvisioningReason::SubjectMismatch);
}

QTEST_GUILESS_MAIN(TestProvisioningChecker)
#include "test_provisioning_checker.moc"
