#include "core/transport/reconnect_backoff.h"

#include <algorithm>

namespace fd {

ReconnectBackoff::ReconnectBackoff(int initialMs, int maxMs)
    : m_initialMs(initialMs)
    , m_maxMs(std::max(initialMs, maxMs))
    , m_nextMs(initialMs)
{
}

int ReconnectBackoff::nextDelayMs()
{
    const int delay = m_nextMs;
    m_nextMs = std::min(m_maxMs, m_nextMs * 2);
    ++m_attempts;
    return delay;
}

void ReconnectBackoff::reset()
{
    m_nextMs = m_initialMs;
    m_attempts = 0;
}

} // namespace fd
