#pragma once

#include "core/ingest/ingest_consumer.h"

#include <QTimer>

namespace fd {

class LiveTelemetry;

// Feeds the live telemetry buffers (LiveTelemetry, a core service the session owns) on the
// ingest thread with every accepted sample, and has it report which series changed at
// most once per interval (default 33 ms, about 30 Hz: the charts' redraw rate), never once
// per message.
class LiveSamplesConsumer final : public IngestConsumer
{
    Q_OBJECT
public:
    explicit LiveSamplesConsumer(LiveTelemetry *live, QObject *parent = nullptr);

    void setIntervalMs(int ms);

    QString consumerName() const override { return QStringLiteral("live-telemetry"); }
    void consume(const IngestBatch &batch) override;
    void devicesDeleted(const QList<DeviceKey> &devices, quint64 deletionId) override;
    void flush() override;

private:
    LiveTelemetry *m_live;
    QTimer m_timer;
};

} // namespace fd
