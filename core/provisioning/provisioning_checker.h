#pragma once

#include "core/provisioning/expected_device.h"
#include "core/provisioning/provisioning_policy.h"
#include "core/provisioning/provisioning_request.h"

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace fd {

// What the store knows about a request when it arrives (read in the same transaction that
// records it, so two requests never see each other half-done).
struct ProvisioningFacts
{
    bool nonceSeen = false;                 // a provisioning_requests row has this nonce
    bool samePending = false;               // a pending request of this serial (rotate: device id) exists
    std::optional<ExpectedDevice> listed;   // the expected_devices row of the serial
    bool deviceIdHasValidCertificate = false;  // a valid, unexpired device certificate names this device id
    // The serial is listed and enrolled as this device id, and the CSR's public key (its
    // SubjectPublicKeyInfo) is the one of a valid, unexpired certificate of that device id:
    // the device lost the answer to its enrollment and asks again with the same key.
    bool enrolledKeyMatches = false;
};

struct ProvisioningVerdict
{
    QString reasonKey;  // empty: passes; else a ProvisioningReason key
    QString reason;     // for people
    // Passes as a lost acceptance: answer "accepted" again with the certificate already
    // issued for that key (nothing new is issued, no technician).
    bool resendIssued = false;
    bool ok() const { return reasonKey.isEmpty(); }
};

// The automatic checks of a provisioning request, pure (no clock, no store, no network):
// in this order (the first failing one is the verdict):
//   replay, expired, duplicate, invalid_device_id, unknown_serial (strict policy),
//   model_mismatch, wrong_claim, already_enrolled, then the CSR (CsrCheck's keys: bad_csr,
//   csr_too_large, bad_csr_signature, subject_mismatch, weak_key, wrong_key_type).
// An enrolled serial whose CSR carries the key of its valid certificate
// (facts.enrolledKeyMatches) is not already_enrolled: when the CSR passes its checks (the
// signature proves the key is the device's) the verdict is ok with resendIssued.
// A rotation request: replay, expired, duplicate, invalid_device_id (also: no valid
// certificate to rotate), then the CSR.
class ProvisioningChecker
{
    Q_DECLARE_TR_FUNCTIONS(fd::ProvisioningChecker)
public:
    static ProvisioningVerdict check(const ProvisioningRequest &request, const ProvisioningFacts &facts,
                                     const ProvisioningPolicy &policy, qint64 nowMs);
    // The technician's typed serial and claim code (approve()): the typed serial must be the
    // request's, SHA-256(serial:typedClaim) the request's claim hash and, when the serial is
    // listed, the list's. Else wrong_claim.
    static ProvisioningVerdict checkTechnician(const ProvisioningRequest &request,
                                               const std::optional<ExpectedDevice> &listed,
                                               const QString &typedSerial, const QString &typedClaim);
    // Only the CSR (CsrCheck against the device id).
    static ProvisioningVerdict checkCsr(const QByteArray &csrPem, const QString &deviceId);
};

} // namespace fd
