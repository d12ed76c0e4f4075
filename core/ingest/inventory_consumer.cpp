#include "core/ingest/inventory_consumer.h"

namespace fd {

InventoryConsumer::InventoryConsumer(QObject *parent)
    : IngestConsumer(parent)
    , m_timer(this)
{
    qRegisterMetaType<QList<fd::Device>>();
    qRegisterMetaType<QList<fd::DeviceKey>>();
    m_timer.setSingleShot(true);
    m_timer.setInterval(100);
    connect(&m_timer, &QTimer::timeout, this, &InventoryConsumer::publish);
}

void InventoryConsumer::setIntervalMs(int ms)
{
    m_timer.setInterval(ms);
}

void InventoryConsumer::attach(FleetState &state)
{
    m_state = &state;
    m_tracker = state.addChangeTracker();
}

void InventoryConsumer::consume(const IngestBatch &)
{
    if (!m_timer.isActive() && m_state && m_state->hasChanges(m_tracker))
        m_timer.start();
}

void InventoryConsumer::devicesDeleted(const QList<DeviceKey> &devices, quint64)
{
    emit devicesRemoved(devices);
}

void InventoryConsumer::publish()
{
    if (m_state && m_state->hasChanges(m_tracker))
        emit devicesUpdated(m_state->takeChanged(m_tracker));
}

void InventoryConsumer::flush()
{
    m_timer.stop();
    publish();
}

} // namespace fd
