#pragma once

#include "core/ingest/fleet_state.h"
#include "core/domain/ingest_stats.h"
#include "core/protocol/decode_sink.h"

#include <QList>

#include <functional>

namespace fd {

// The pipeline's side of the decoder seam: applies the normalised events of one source's
// messages to the FleetState and counts them, collecting the accepted samples of the
// batch. One per pipeline, re-aimed at each message (begin()).
class IngestSink final : public DecodeSink
{
public:
    using ResponseHandler = std::function<void(const DeviceKey &device, const QByteArray &payload)>;

    IngestSink(FleetState &state, IngestStats &totals);

    void setResponseHandler(ResponseHandler handler) { m_onResponse = std::move(handler); }
    // Telemetry stamped later than its receive time plus this is rejected (future_timestamp),
    // not clamped: a far-future "ts" would never be pruned and would pin "last telemetry".
    // Negative: no check.
    void setMaxFutureSkewMs(qint64 ms) { m_maxFutureSkewMs = ms; }

    // Aims the sink at one message of a source, whose counters it updates.
    void begin(const QString &source, SourceIngestStats *stats, qint64 receivedMs,
               QList<TelemetrySample> *samples);

    int device(QByteArrayView path) override;
    const QString &deviceId(int handle) const override;
    void status(int handle, const DeviceStatus &status) override;
    void death(int handle, qint64 tsMs) override;
    void metrics(int handle, TelemetrySample &&sample) override;
    void reject(int handle, RejectReason reason, const QString &detail) override;
    void commandResponse(QByteArrayView path, const QByteArray &payload) override;

private:
    void accepted();

    FleetState &m_state;
    IngestStats &m_totals;
    ResponseHandler m_onResponse;
    QString m_source;
    SourceIngestStats *m_stats = nullptr;
    qint64 m_receivedMs = 0;
    qint64 m_maxFutureSkewMs = 60 * 60 * 1000;
    QList<TelemetrySample> *m_samples = nullptr;
};

} // namespace fd
