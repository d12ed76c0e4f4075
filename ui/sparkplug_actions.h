#pragma once

#include "core/domain/connection_state.h"
#include "core/domain/device.h"

#include <QString>

namespace fd {

// Whether an operator can write a metric of a Sparkplug B edge node or device, or ask its
// edge node for a rebirth, from the detail panel, and if not, why (the disabled button's
// tooltip). A write needs a live session: a BIRTH seen in this run of FleetDeck (the
// metrics' datatypes; SparkplugSession::metrics), the device online and not STALE, at
// least one writable metric, and its source connected. A rebirth request needs only the
// source connected: it is the remedy when no BIRTH was seen.
struct SparkplugActions
{
    bool applies = false;  // a Sparkplug node or device (else the actions are not offered)
    bool canWrite = false;
    QString writeReason;   // why not (empty when it can)
    bool canRebirth = false;
    QString rebirthReason;

    static SparkplugActions of(const Device &device, ConnectionState sourceState);
};

} // namespace fd
