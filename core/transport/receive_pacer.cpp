#include "core/transport/receive_pacer.h"

#include <algorithm>

namespace fd {

qint64 ReceivePacer::messageHandled(qint64 arrivedUs, qint64 doneUs)
{
    const bool waitedFor = m_lastDoneUs < 0 || arrivedUs - m_lastDoneUs > m_settings.idleGapUs;
    m_lastDoneUs = doneUs;

    // The rate, over whole windows. A window with a long silence in it (more than one window
    // without a message) restarts instead.
    if (m_windowStartUs < 0 || arrivedUs - m_windowStartUs >= 2 * m_settings.rateWindowUs) {
        m_windowStartUs = arrivedUs;
        m_windowMessages = 0;
        m_intervalUs = 0;
    } else if (arrivedUs - m_windowStartUs >= m_settings.rateWindowUs) {
        m_intervalUs = (arrivedUs - m_windowStartUs) / std::max<qint64>(1, m_windowMessages);
        m_windowStartUs = arrivedUs;
        m_windowMessages = 0;
    }
    ++m_windowMessages;

    if (!waitedFor) {
        if (m_napped)
            ++m_backlog;
        return 0;  // a backlog is read at full speed
    }
    // The thread caught up. A nap that collected that much: no naps for a while.
    if (m_napped && m_backlog >= m_settings.maxBacklog)
        m_backOffUntilUs = arrivedUs + m_settings.backOffUs;
    m_napped = false;
    m_backlog = 0;
    if (m_intervalUs <= 0 || arrivedUs < m_backOffUntilUs)
        return 0;
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
    m_napped = true;
    m_backlog = 0;
}

} // namespace fd
