#include "core/ingest/ingest_sink.h"

namespace fd {

IngestSink::IngestSink(FleetState &state, IngestStats &totals)
    : m_state(state)
    , m_totals(totals)
{
}

void IngestSink::begin(const QString &source, SourceIngestStats *stats, qint64 receivedMs,
                       QList<TelemetrySample> *samples)
{
    m_source = source;
    m_stats = stats;
    m_receivedMs = receivedMs;
    m_samples = samples;
}

int IngestSink::device(QByteArrayView path)
{
    return m_state.ensureDevice(m_source, path);
}

const QString &IngestSink::deviceId(int handle) const
{
    return m_state.devices().at(handle).id;
}

void IngestSink::accepted()
{
    ++m_stats->accepted;
    ++m_totals.accepted;
}

void IngestSink::status(int handle, const DeviceStatus &status)
{
    m_state.applyStatusAt(handle, status, m_receivedMs);
    accepted();
}

void IngestSink::death(int handle, qint64)
{
    m_state.applyDeathAt(handle, m_receivedMs);
    accepted();
}

void IngestSink::metrics(int handle, TelemetrySample &&sample)
{
    if (m_maxFutureSkewMs >= 0 && sample.timestampMs > m_receivedMs + m_maxFutureSkewMs) {
        reject(handle, RejectReason::FutureTimestamp, QString());
        return;
    }
    const Device &d = m_state.devices().at(handle);
    sample.source = d.source;  // shared strings, no copies
    sample.path = d.path;
    m_state.applyTelemetryAt(handle, sample, m_receivedMs);
    m_samples->append(std::move(sample));
    accepted();
}

void IngestSink::reject(int handle, RejectReason reason, const QString &)
{
    if (handle >= 0) {
        m_state.applyRejectAt(handle, reason);
    } else {
        ++m_stats->unattributed[std::size_t(reason)];
        ++m_totals.unattributed[std::size_t(reason)];
    }
    ++m_stats->rejected;
    ++m_totals.rejected;
}

void IngestSink::commandResponse(QByteArrayView path, const QByteArray &payload)
{
    if (m_onResponse)
        m_onResponse(DeviceKey{m_source, QString::fromUtf8(path)}, payload);
    accepted();
}

} // namespace fd
