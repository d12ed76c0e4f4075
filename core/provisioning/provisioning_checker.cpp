#include "core/provisioning/provisioning_checker.h"

#include "core/provisioning/provisioning_ids.h"
#include "core/provisioning/provisioning_reason.h"
#include "core/pki/csr_check.h"

namespace fd {
namespace {

ProvisioningVerdict reject(const QString &key, const QString &reason = QString())
{
    return ProvisioningVerdict{key, reason.isEmpty() ? ProvisioningReason::describe(key) : reason};
}

} // namespace

ProvisioningVerdict ProvisioningChecker::check(const ProvisioningRequest &r, const ProvisioningFacts &facts,
                                               const ProvisioningPolicy &policy, qint64 nowMs)
{
    const bool rotate = r.kind == ProvisioningRequest::Kind::Rotate;
    if (facts.nonceSeen)
        return reject(ProvisioningReason::Replay);
    if (r.tsMs < nowMs - policy.requestTtlMs)
        return reject(ProvisioningReason::Expired,
                      tr("the request was made %1 s ago; requests are valid for %2 s")
                          .arg((nowMs - r.tsMs) / 1000)
                          .arg(policy.requestTtlMs / 1000));
    if (r.tsMs > nowMs + policy.futureSkewMs)
        return reject(ProvisioningReason::Expired,
                      tr("the request's time is %1 s in the future (the device's clock is wrong?)")
                          .arg((r.tsMs - nowMs) / 1000));
    if (facts.samePending)
        return reject(ProvisioningReason::Duplicate,
                      rotate ? tr("a rotation of this device is already waiting for a decision")
                             : ProvisioningReason::describe(ProvisioningReason::Duplicate));
    QString why;
    if (!ProvisioningIds::isValidDeviceId(r.deviceId, &why))
        return reject(ProvisioningReason::InvalidDeviceId, why);
    if (rotate) {
        if (!facts.deviceIdHasValidCertificate)
            return reject(ProvisioningReason::InvalidDeviceId,
                          tr("device %1 has no valid certificate to rotate").arg(r.deviceId));
        return checkCsr(r.csrPem, r.deviceId);
    }

    if (!facts.listed) {
        if (!policy.allowUnknown)
            return reject(ProvisioningReason::UnknownSerial);
    } else {
        const ExpectedDevice &d = *facts.listed;
        if (!d.deviceId.isEmpty() && d.deviceId != r.deviceId)
            return reject(ProvisioningReason::InvalidDeviceId,
                          tr("the list of expected devices assigns the device id %1").arg(d.deviceId));
        if (d.model != r.model)
            return reject(ProvisioningReason::ModelMismatch,
                          tr("the list expects model %1, the device says %2").arg(d.model, r.model));
        if (!ProvisioningIds::sameHash(d.claimHash, r.claimHash))
            return reject(ProvisioningReason::WrongClaim);
        if (d.state == ExpectedDevice::State::Enrolled) {
            if (!facts.enrolledKeyMatches)
                return reject(ProvisioningReason::AlreadyEnrolled);
            // The same key as its certificate's: the device lost our answer. Only a CSR that
            // passes every check (its signature proves possession of the key) gets it again.
            ProvisioningVerdict v = checkCsr(r.csrPem, r.deviceId);
            v.resendIssued = v.ok();
            return v;
        }
    }
    if (facts.deviceIdHasValidCertificate)
        return reject(ProvisioningReason::AlreadyEnrolled,
                      tr("device id %1 already has a valid certificate (revoke it first to enroll it again)")
                          .arg(r.deviceId));
    return checkCsr(r.csrPem, r.deviceId);
}

ProvisioningVerdict ProvisioningChecker::checkTechnician(const ProvisioningRequest &r,
                                                         const std::optional<ExpectedDevice> &listed,
                                                         const QString &typedSerial, const QString &typedClaim)
{
    const QString serial = typedSerial.trimmed();
    if (serial != r.serial)
        return reject(ProvisioningReason::WrongClaim,
                      tr("the serial on the label (%1) is not the request's (%2)").arg(serial.left(64), r.serial));
    const QString hash = ProvisioningIds::claimHash(r.serial, typedClaim.trimmed());
    if (!ProvisioningIds::sameHash(hash, r.claimHash))
        return reject(ProvisioningReason::WrongClaim, tr("the claim code on the label is not the device's"));
    if (listed && !ProvisioningIds::sameHash(hash, listed->claimHash))
        return reject(ProvisioningReason::WrongClaim, tr("the claim code is not the one on the list of expected devices"));
    return {};
}

ProvisioningVerdict ProvisioningChecker::checkCsr(const QByteArray &csrPem, const QString &deviceId)
{
    const CsrVerdict v = CsrCheck::check(csrPem, deviceId);
    if (v.ok())
        return {};
    return reject(CsrCheck::problemKey(v.problem), v.reason);
}

} // namespace fd
