#include "core/provisioning/provisioning_reason.h"

namespace fd::ProvisioningReason {

QStringList allKeys()
{
    return {Malformed, TooLarge, Expired, Replay, Duplicate, UnknownSerial, WrongClaim, ModelMismatch,
            AlreadyEnrolled, InvalidDeviceId, CaUnusable, RejectedByTechnician, BadCsr, CsrTooLarge,
            BadCsrSignature, SubjectMismatch, WeakKey, WrongKeyType};
}

QString describe(const QString &key)
{
    auto tr = [](const char *text) { return QCoreApplication::translate("fd::ProvisioningReason", text); };
    if (key == Malformed)
        return tr("the request is not a valid provisioning request");
    if (key == TooLarge)
        return tr("the request is larger than 16 KiB");
    if (key == Expired)
        return tr("the request's time is too old or too far in the future");
    if (key == Replay)
        return tr("this request (its nonce) was seen before");
    if (key == Duplicate)
        return tr("a request of this serial is already waiting for a decision");
    if (key == UnknownSerial)
        return tr("this serial is not on the list of expected devices");
    if (key == WrongClaim)
        return tr("the claim code does not match");
    if (key == ModelMismatch)
        return tr("the model does not match the list of expected devices");
    if (key == AlreadyEnrolled)
        return tr("this device is already enrolled");
    if (key == InvalidDeviceId)
        return tr("the device id is not valid or not the one assigned");
    if (key == CaUnusable)
        return tr("the fleet CA cannot issue certificates now (locked, expired or not yet valid)");
    if (key == RejectedByTechnician)
        return tr("rejected by the technician");
    if (key == BadCsr)
        return tr("the certificate request cannot be read");
    if (key == CsrTooLarge)
        return tr("the certificate request is too large");
    if (key == BadCsrSignature)
        return tr("the certificate request's signature does not verify");
    if (key == SubjectMismatch)
        return tr("the certificate request's subject does not name the device");
    if (key == WeakKey)
        return tr("the certificate request's key is too weak");
    if (key == WrongKeyType)
        return tr("the certificate request's key is not EC P-256 or P-384");
    return tr("rejected (%1)").arg(key);
}

} // namespace fd::ProvisioningReason
