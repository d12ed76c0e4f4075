#include "core/transport/receive_pacer.h"

#include <algorithm>

namespace fd {

qint64 ReceivePacer::messageHandled(qint64 arrivedUs, qint64 doneUs)
{
    const bool waitedFor = m_lastDoneUs < 0 || arrivedUs - m_lastDoneUs > m_settings.idleGapUs;
    m_lastDoneUs = doneUs;
    if (m_cycleStartUs < 0)
        m_cycleStartUs = arrivedUs;
    ++m_cycleMessages;
    if (!waitedFor || m_cycleMessages < 2)
        return 0;  // a backlog is read at full speed; one message alone says nothing of the rate
    // The thread caught up: the rate of this cycle (since the end of the last nap, or the
    // first message) says how long the next few messages take to arrive.
    const qint64 span = std::max<qint64>(1, arrivedUs - m_cycleStartUs);
    m_intervalUs = span / (m_cycleMessages - 1);
    m_cycleStartUs = arrivedUs;
    m_cycleMessages = 1;
    // Fewer than two messages expected within the longest nap: traffic is sparse, a nap
    // would add a wake-up instead of saving one.
    if (m_intervalUs * 2 > m_settings.maxNapUs)
        return 0;
    const qint64 nap = std::min(m_settings.maxNapUs, m_intervalUs * m_settings.targetMessages);
    return nap >= m_settings.minNapUs ? nap : 0;
}

void ReceivePacer::napped(qint64 wokeUs)
{
    m_lastDoneUs = wokeUs;  // what arrived during the nap is a backlog, not a wait
}

} // namespace fd
