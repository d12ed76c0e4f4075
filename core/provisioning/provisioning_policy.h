#pragma once

#include <QtGlobal>

namespace fd {

// How the provisioning service decides (docs/protocol.md "Provisioning"):
// - allowUnknown: a serial that is not on the expected-devices list waits for the technician
//   (false, strict: rejected at once with "unknown_serial");
// - autoApproveListed: bulk pre-provisioning: a listed, expected device whose request passes
//   every check is issued at once, without a technician;
// - a request's "ts" must be within [now - requestTtlMs, now + futureSkewMs]; a pending
//   request not decided within requestTtlMs after it was received expires too;
// - certDays: the validity of issued device certificates.
struct ProvisioningPolicy
{
    bool allowUnknown = false;
    bool autoApproveListed = false;
    qint64 requestTtlMs = 600000;
    qint64 futureSkewMs = 120000;
    int certDays = 365;
};

} // namespace fd
