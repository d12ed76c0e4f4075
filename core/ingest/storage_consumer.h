#pragma once

#include "core/ingest/ingest_consumer.h"

#include <QTimer>

namespace fd {

class StorageWriter;

// Persists ingest: the raw telemetry of every batch at once (the writer commits them in
// few large transactions), changed devices at most once per deviceIntervalMs (default 1 s:
// device rows are rewritten whole, and a busy device changes every message).
class StorageConsumer final : public IngestConsumer
{
    Q_OBJECT
public:
    explicit StorageConsumer(StorageWriter *writer, QObject *parent = nullptr);

    void setDeviceIntervalMs(int ms);

    QString consumerName() const override { return QStringLiteral("storage"); }
    void attach(FleetState &state) override;
    void consume(const IngestBatch &batch) override;
    // Queued behind every sample and device of theirs submitted so far (the writer keeps
    // submission order), so none of their rows outlives the deletion.
    void devicesDeleted(const QList<DeviceKey> &devices, quint64 deletionId) override;
    void flush() override;

private:
    void persistDevices();

    StorageWriter *m_writer;
    FleetState *m_state = nullptr;
    FleetState::Tracker m_tracker = -1;
    QTimer m_deviceTimer;
};

} // namespace fd
