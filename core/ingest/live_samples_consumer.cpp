#include "core/ingest/live_samples_consumer.h"

#include "core/telemetry/live_telemetry.h"

#include <utility>

namespace fd {

LiveSamplesConsumer::LiveSamplesConsumer(LiveTelemetry *live, QObject *parent)
    : IngestConsumer(parent)
    , m_live(live)
    , m_timer(this)
{
    qRegisterMetaType<QList<fd::TelemetrySample>>();
    m_timer.setSingleShot(true);
    m_timer.setInterval(33);
    connect(&m_timer, &QTimer::timeout, this, &LiveSamplesConsumer::publish);
}

void LiveSamplesConsumer::setIntervalMs(int ms)
{
    m_enabled = ms > 0;
    if (m_enabled)
        m_timer.setInterval(ms);
    if (!m_enabled)
        m_pending.clear();
}

void LiveSamplesConsumer::consume(const IngestBatch &batch)
{
    if (batch.samples.isEmpty())
        return;
    if (m_live)
        m_live->append(batch.samples);
    if (m_enabled) {
        // Shares the list with the other consumers when nothing is pending (no copy).
        if (m_pending.isEmpty())
            m_pending = batch.samples;
        else
            m_pending.append(batch.samples);
    }
    if ((m_enabled || m_live) && !m_timer.isActive())
        m_timer.start();
}

void LiveSamplesConsumer::publish()
{
    if (!m_pending.isEmpty())
        emit samplesDecoded(std::exchange(m_pending, {}));
    if (m_live)
        m_live->publishChanges();
}

void LiveSamplesConsumer::flush()
{
    m_timer.stop();
    publish();
}

} // namespace fd
