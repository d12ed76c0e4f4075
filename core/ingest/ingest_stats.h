#pragma once

#include "core/domain/device.h"

#include <QMetaType>

namespace fd {

// Ingest counters, published about once per second.
struct IngestStats
{
    quint64 received = 0;           // messages seen by the pipeline
    quint64 accepted = 0;
    quint64 rejected = 0;
    quint64 gaps = 0;               // telemetry missed by sequence number (see FleetState)
    double messagesPerSecond = 0;   // received, over the last interval
    RejectCounts unattributed{};    // rejects that name no valid device (bad id, unknown topic)
    qint64 lastMessageMs = 0;
};

} // namespace fd

Q_DECLARE_METATYPE(fd::IngestStats)
