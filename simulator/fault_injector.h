#pragma once

#include "simulator/fault_kind.h"

#include <QByteArray>
#include <QString>

namespace fd {
class TopicScheme;
}

namespace fd::sim {

class SimulatedDevice;

// Builds the message that replaces a telemetry message when a fault is injected.
class FaultInjector
{
public:
    struct Message
    {
        QString topic;
        QByteArray payload;
    };

    // Does not advance the device's seq: valid telemetry stays gap-free.
    static Message make(FaultKind kind, const SimulatedDevice &device, const TopicScheme &topics, qint64 nowMs);
};

} // namespace fd::sim
