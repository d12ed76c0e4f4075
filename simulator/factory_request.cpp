#include "simulator/factory_request.h"

#include "core/provisioning/provisioning_ids.h"
#include "core/provisioning/provisioning_request.h"
#include "simulator/device_csr.h"

#include <QRandomGenerator>

namespace fd::sim {

QString FactoryRequest::randomNonce()
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(words), sizeof words).toHex());
}

std::optional<FactoryRequest> FactoryRequest::build(const FactoryIdentity &identity, const FactoryFaults &faults,
                                                    qint64 nowMs, QString *error)
{
    const QString subject = faults.has(FactoryFault::WrongSubject) ? identity.deviceId + QStringLiteral("-impostor")
                                                                   : identity.deviceId;
    const std::optional<DeviceCsr::Made> made =
        DeviceCsr::make(subject, faults.has(FactoryFault::WeakKey) ? DeviceCsr::KeyKind::P192 : DeviceCsr::KeyKind::P256,
                        faults.has(FactoryFault::BadCsr), error);
    if (!made)
        return std::nullopt;
    ProvisioningRequest request;
    request.kind = ProvisioningRequest::Kind::Enroll;
    request.serial = identity.serial;
    request.model = identity.model;
    const QString claim = faults.has(FactoryFault::WrongClaim) ? identity.claimCode + QStringLiteral("-WRONG")
                                                               : identity.claimCode;
    request.claimHash = ProvisioningIds::claimHash(identity.serial, claim);
    request.deviceId = identity.deviceId;
    request.csrPem = made->csrPem;
    request.nonce = randomNonce();
    request.tsMs = faults.has(FactoryFault::Expired) ? nowMs - kExpiredAgeMs : nowMs;
    return FactoryRequest{request.toJson(), made->keyPem, request.nonce, identity.deviceId};
}

std::optional<FactoryRequest> FactoryRequest::rotation(const QString &deviceId, qint64 nowMs, QString *error)
{
    const std::optional<DeviceCsr::Made> made = DeviceCsr::make(deviceId, DeviceCsr::KeyKind::P256, false, error);
    if (!made)
        return std::nullopt;
    ProvisioningRequest request;
    request.kind = ProvisioningRequest::Kind::Rotate;
    request.deviceId = deviceId;
    request.csrPem = made->csrPem;
    request.nonce = randomNonce();
    request.tsMs = nowMs;
    return FactoryRequest{request.toJson(), made->keyPem, request.nonce, deviceId};
}

} // namespace fd::sim
