#pragma once

namespace fd {

// Capped exponential backoff for reconnect attempts: 1 s, 2 s, 4 s, ... up to 30 s.
class ReconnectBackoff
{
public:
    explicit ReconnectBackoff(int initialMs = 1000, int maxMs = 30000);

    // Delay before the next attempt; doubles the following one (up to the cap).
    int nextDelayMs();
    void reset();
    int attempts() const { return m_attempts; }

private:
    int m_initialMs;
    int m_maxMs;
    int m_nextMs;
    int m_attempts = 0;
};

} // namespace fd
