#include "simulator/device_ledger.h"

namespace fd::sim {

quint64 DeviceLedger::add(Entry entry)
{
    QMutexLocker lock(&m_mutex);
    const quint64 token = m_nextToken++;
    m_pending.insert(token, std::move(entry));
    return token;
}

void DeviceLedger::confirm(quint64 token)
{
    QMutexLocker lock(&m_mutex);
    auto it = m_pending.find(token);
    if (it == m_pending.end())
        return;
    const Entry &e = it.value();
    if (e.status) {
        m_done.retainedOnline = e.online;
    } else if (e.fault) {
        ++m_done.faults[faultKindKey(*e.fault)];
    } else {
        ++m_done.published;
        if (e.seq > m_done.lastSeq) {
            m_done.lastSeq = e.seq;
            m_done.lastMetrics = e.metrics;
        }
    }
    m_pending.erase(it);
}

void DeviceLedger::fail(quint64 token)
{
    QMutexLocker lock(&m_mutex);
    if (m_pending.remove(token))
        ++m_done.failed;
}

void DeviceLedger::forget(quint64 token)
{
    QMutexLocker lock(&m_mutex);
    m_pending.remove(token);
}

DeviceLedger::Snapshot DeviceLedger::snapshot() const
{
    QMutexLocker lock(&m_mutex);
    Snapshot s = m_done;
    s.pending = quint64(m_pending.size());
    return s;
}

quint64 DeviceLedger::pending() const
{
    QMutexLocker lock(&m_mutex);
    return quint64(m_pending.size());
}

} // namespace fd::sim
