#include "core/storage/device_state_coalescer.h"

#include <limits>

namespace fd {

qint64 DeviceStateCoalescer::now()
{
    if (!m_clock.isValid())
        m_clock.start();
    return m_clock.elapsed();
}

size_t DeviceStateCoalescer::identityOf(const Device &device)
{
    size_t h = qHashMulti(0, device.id, device.name, device.model, device.fwVersion, device.site, device.tags,
                          device.online, device.staleSinceMs, device.sparkplug.bdSeq, device.sparkplug.births,
                          device.sparkplug.deaths, device.sparkplug.lastRebirthMs);
    for (quint32 count : device.rejects)
        h = qHashMulti(h, count);
    return h;
}

QList<const Device *> DeviceStateCoalescer::select(const QList<const Device *> &newest, Mode mode)
{
    const qint64 t = now();
    QList<const Device *> write;
    QList<const Device *> writeNow;
    for (const Device *device : newest) {
        const DeviceKey key = device->key();
        const auto last = m_writes.constFind(key);
        const bool due = mode != Mode::Coalesce || last == m_writes.cend() || t - last->writtenMs >= kIntervalMs
                         || last->identity != identityOf(*device);
        if (due) {
            m_pending.remove(key);  // superseded
            writeNow.append(device);
        } else {
            const qint64 dueMs = last->writtenMs + kIntervalMs;
            m_soonestDueMs = m_pending.isEmpty() ? dueMs : qMin(m_soonestDueMs, dueMs);
            m_pending.insert(key, Pending{*device, dueMs});
        }
    }
    // Held-back states join only a segment not followed by a deletion (theirs may be next).
    if (mode == Mode::WriteAll || (mode == Mode::Coalesce && !m_pending.isEmpty() && m_soonestDueMs <= t)) {
        for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it) {
            if (mode == Mode::WriteAll || it->dueMs <= t)
                write.append(&it->device);
        }
    }
    write.append(writeNow);
    return write;
}

void DeviceStateCoalescer::written(const QList<const Device *> &states)
{
    // Keys first: erasing from a QHash moves its other entries, which some of these
    // pointers point into.
    struct Done
    {
        DeviceKey key;
        size_t identity;
        bool wasPending;
    };
    QList<Done> done;
    done.reserve(states.size());
    for (const Device *device : states) {
        DeviceKey key = device->key();
        const auto pending = m_pending.constFind(key);
        const bool wasPending = pending != m_pending.cend() && &pending.value().device == device;
        done.append(Done{std::move(key), identityOf(*device), wasPending});
    }
    const qint64 t = now();
    for (const Done &d : std::as_const(done)) {
        m_writes.insert(d.key, Write{t, d.identity});
        if (d.wasPending)
            m_pending.remove(d.key);
    }
    updateSoonestDue();
}

void DeviceStateCoalescer::forget(const QList<DeviceKey> &devices)
{
    for (const DeviceKey &key : devices) {
        m_pending.remove(key);
        m_writes.remove(key);
    }
    updateSoonestDue();
}

void DeviceStateCoalescer::updateSoonestDue()
{
    qint64 soonest = std::numeric_limits<qint64>::max();
    for (const Pending &p : std::as_const(m_pending))
        soonest = qMin(soonest, p.dueMs);
    m_soonestDueMs = soonest;
}

qint64 DeviceStateCoalescer::msUntilDue() const
{
    if (m_pending.isEmpty())
        return -1;
    const qint64 t = m_clock.isValid() ? m_clock.elapsed() : 0;
    return qMax<qint64>(0, m_soonestDueMs - t);
}

qsizetype DeviceStateCoalescer::dropPending()
{
    const qsizetype n = m_pending.size();
    m_pending.clear();
    return n;
}

} // namespace fd
