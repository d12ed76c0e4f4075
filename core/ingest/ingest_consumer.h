#pragma once

#include "core/ingest/fleet_state.h"
#include "core/ingest/ingest_batch.h"

#include <QObject>

namespace fd {

// Something fed by ingest: storage, the inventory, live charts today; alert evaluation and
// the rollout engine next. Consumers register with IngestPipeline::addConsumer() and are
// called on the ingest thread, off the GUI thread, in registration order, once per decoded
// batch. Adding one touches no other.
//
// Rules: consume() must be quick (hand heavy work to your own worker, bounded); a consumer
// that needs to know which devices changed gets its own FleetState change tracker in
// attach() and takes the changes at its own pace; results go out through the consumer's
// own signals (queued to whoever listens). A consumer is moved to the ingest thread with
// the pipeline, so its timers run there.
class IngestConsumer : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual QString consumerName() const = 0;
    // Once, when registered (the state may already hold the cached inventory).
    virtual void attach(FleetState &state) { Q_UNUSED(state); }
    virtual void consume(const IngestBatch &batch) = 0;
    // The devices were deleted (FleetSession::deleteDevices): they are gone from the state
    // already; forget what you hold of them. Called on the ingest thread between batches,
    // in registration order. deletionId names the request (storage reports it committed).
    virtual void devicesDeleted(const QList<DeviceKey> &devices, quint64 deletionId)
    {
        Q_UNUSED(devices);
        Q_UNUSED(deletionId);
    }
    // Hand over everything pending now (shutdown, tests).
    virtual void flush() {}
};

} // namespace fd
