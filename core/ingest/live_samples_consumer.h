#pragma once

#include "core/ingest/ingest_consumer.h"

#include <QTimer>

namespace fd {

class LiveTelemetry;

// Feeds the live telemetry buffers (LiveTelemetry, a core service the session owns) on the
// ingest thread with every accepted sample, and tells listeners at most once per interval
// (default 33 ms, about 30 Hz) which samples arrived, for redraws. Off (no copies) until
// setIntervalMs() > 0 or a LiveTelemetry is given.
class LiveSamplesConsumer final : public IngestConsumer
{
    Q_OBJECT
public:
    explicit LiveSamplesConsumer(LiveTelemetry *live /* may be null */, QObject *parent = nullptr);

    void setIntervalMs(int ms);  // 0: no samplesDecoded() signal

    QString consumerName() const override { return QStringLiteral("live-telemetry"); }
    void consume(const IngestBatch &batch) override;
    void flush() override;

signals:
    // Every accepted sample since the last emission; never one signal per message.
    void samplesDecoded(const QList<fd::TelemetrySample> &samples);

private:
    void publish();

    LiveTelemetry *m_live;
    QTimer m_timer;
    bool m_enabled = false;
    QList<TelemetrySample> m_pending;
};

} // namespace fd
