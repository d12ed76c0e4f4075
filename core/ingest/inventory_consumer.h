#pragma once

#include "core/ingest/ingest_consumer.h"

#include <QTimer>

namespace fd {

// Publishes changed devices for the inventory, coalesced: at most one devicesUpdated() per
// interval (default 100 ms, about 10 Hz), each with the newest copy of every device that
// changed since the last one.
class InventoryConsumer final : public IngestConsumer
{
    Q_OBJECT
public:
    explicit InventoryConsumer(QObject *parent = nullptr);

    void setIntervalMs(int ms);

    QString consumerName() const override { return QStringLiteral("inventory"); }
    void attach(FleetState &state) override;
    void consume(const IngestBatch &batch) override;
    void devicesDeleted(const QList<DeviceKey> &devices, quint64 deletionId) override;
    void flush() override;

signals:
    void devicesUpdated(const QList<fd::Device> &changed);
    // At once (not coalesced), after every devicesUpdated() that still had them.
    void devicesRemoved(const QList<fd::DeviceKey> &devices);

private:
    void publish();

    FleetState *m_state = nullptr;
    FleetState::Tracker m_tracker = -1;
    QTimer m_timer;
};

} // namespace fd
