#pragma once

#include "core/domain/telemetry_sample.h"

#include <QList>
#include <QString>

namespace fd {

class FleetState;

// What one decoded message batch of one source gave: handed to every IngestConsumer.
struct IngestBatch
{
    QString source;                    // the connection the messages came from
    QList<TelemetrySample> samples;    // accepted telemetry, in arrival order
    QList<int> deviceIndices;          // per sample: its device's index in *state (this batch only)
    const FleetState *state = nullptr; // the fleet after the batch (read-only, ingest thread)
    qint64 receivedMs = 0;             // receive time of the batch's last message
};

} // namespace fd
