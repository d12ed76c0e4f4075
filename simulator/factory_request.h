#pragma once

#include "simulator/factory_fault.h"
#include "simulator/factory_identity.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace fd::sim {

// One provisioning request of a factory device (docs/protocol.md "Provisioning"): a fresh
// key and CSR (CN = the device id asked for), the claim as claim_sha256, a random nonce and
// the device's clock; with the device's faults applied (FactoryFault).
struct FactoryRequest
{
    QByteArray json;    // the payload for {root}/{serial}/request
    QByteArray keyPem;  // the private key the CSR is for (kept until the answer)
    QString nonce;      // 32 lowercase hex digits
    QString deviceId;   // asked for

    static std::optional<FactoryRequest> build(const FactoryIdentity &identity, const FactoryFaults &faults,
                                               qint64 nowMs, QString *error);
    // A rotation request for an enrolled device ({prefix}/{id}/pki/csr): {"v":1,"nonce","ts","csr"}.
    static std::optional<FactoryRequest> rotation(const QString &deviceId, qint64 nowMs, QString *error);
    static QString randomNonce();

    static constexpr qint64 kExpiredAgeMs = 2 * 3600 * 1000;  // --factory-fault expired
};

} // namespace fd::sim
