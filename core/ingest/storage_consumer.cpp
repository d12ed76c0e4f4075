#include "core/ingest/storage_consumer.h"

#include "core/storage/storage_writer.h"

namespace fd {

StorageConsumer::StorageConsumer(StorageWriter *writer, QObject *parent)
    : IngestConsumer(parent)
    , m_writer(writer)
    , m_deviceTimer(this)
{
    // Single-shot, armed only when something changed: an idle fleet costs nothing.
    m_deviceTimer.setSingleShot(true);
    m_deviceTimer.setInterval(1000);
    connect(&m_deviceTimer, &QTimer::timeout, this, &StorageConsumer::persistDevices);
}

void StorageConsumer::setDeviceIntervalMs(int ms)
{
    m_deviceTimer.setInterval(ms);
}

void StorageConsumer::attach(FleetState &state)
{
    m_state = &state;
    m_tracker = state.addChangeTracker();
}

void StorageConsumer::consume(const IngestBatch &batch)
{
    if (!batch.samples.isEmpty()) {
        StorageBatch storage;
        storage.samples = batch.samples;  // implicitly shared with the other consumers
        m_writer->submit(std::move(storage));
    }
    if (!m_deviceTimer.isActive() && m_state && m_state->hasChanges(m_tracker))
        m_deviceTimer.start();
}

void StorageConsumer::devicesDeleted(const QList<DeviceKey> &devices, quint64 deletionId)
{
    StorageBatch deletion;
    deletion.deletedDevices = devices;
    deletion.deletionId = deletionId;
    m_writer->submit(std::move(deletion));
}

void StorageConsumer::persistDevices()
{
    if (!m_state || !m_state->hasChanges(m_tracker))
        return;
    StorageBatch storage;
    storage.devices = m_state->takeChanged(m_tracker);
    m_writer->submit(std::move(storage));
}

void StorageConsumer::flush()
{
    m_deviceTimer.stop();
    persistDevices();
}

} // namespace fd
