#include "core/ingest/live_samples_consumer.h"

#include "core/telemetry/live_telemetry.h"

namespace fd {

LiveSamplesConsumer::LiveSamplesConsumer(LiveTelemetry *live, QObject *parent)
    : IngestConsumer(parent)
    , m_live(live)
    , m_timer(this)
{
    Q_ASSERT(live);
    m_timer.setSingleShot(true);
    m_timer.setInterval(33);
    connect(&m_timer, &QTimer::timeout, this, [this] { m_live->publishChanges(); });
}

void LiveSamplesConsumer::setIntervalMs(int ms)
{
    m_timer.setInterval(qMax(0, ms));
}

void LiveSamplesConsumer::consume(const IngestBatch &batch)
{
    if (batch.samples.isEmpty())
        return;
    m_live->append(batch.samples);
    if (!m_timer.isActive())
        m_timer.start();
}

void LiveSamplesConsumer::devicesDeleted(const QList<DeviceKey> &devices, quint64)
{
    m_live->clearDevices(devices);
    if (!m_timer.isActive())
        m_timer.start();
}

void LiveSamplesConsumer::flush()
{
    m_timer.stop();
    m_live->publishChanges();
}

} // namespace fd
