#pragma once

#include <QtGlobal>

namespace fd {

// Decides when Paho's receive thread should pause briefly, so that the messages arriving
// meanwhile are read in one go instead of waking the thread once per message.
//
// Without it, a subscriber at a few thousand msg/s is woken from poll() for nearly every
// message (measured: 0.7 context switches per message on the receive thread, ~40 % of its
// CPU). After a message the thread had to wait for (it had caught up with the socket), a
// nap of about targetMessages inter-arrival times lets that many collect in the socket;
// Paho then reads them back to back. Messages that were already waiting never cause a nap,
// so a backlog is read at full speed, and a quiet link naps not at all (the first message
// after a pause is delivered at once; only its followers wait, at most maxNapUs).
//
// At QoS 1 the broker sends at most its in-flight limit of unacknowledged messages (20 by
// default in mosquitto) while the thread naps, and a busy machine oversleeps a nap by
// milliseconds. So targetMessages stays well below that limit, and when a nap collected
// maxBacklog messages or more (the rate is high, or the nap overslept), naps stop for
// backOffUs: at such rates the wake-ups are shared by many messages anyway, and a nap could
// leave the broker waiting for acknowledgements while its queue fills.
//
// Not thread-safe: one per receiving thread. Times are in µs from any monotonic clock.
class ReceivePacer
{
public:
    struct Settings
    {
        int targetMessages = 8;  // messages expected to collect during one nap
        qint64 maxNapUs = 2000;
        // Shorter naps are not worth their own wake-up; also keeps naps to rates below
        // targetMessages / minNapUs (16,000 msg/s), where a wake-up is not yet shared anyway.
        qint64 minNapUs = 500;
        // A message that arrived this long after the previous one was handled was waited
        // for: the thread had caught up.
        qint64 idleGapUs = 100;
        int maxBacklog = 16;
        qint64 backOffUs = 200'000;
    };

    ReceivePacer() = default;
    explicit ReceivePacer(const Settings &settings) : m_settings(settings) {}

    // A message was handled: it became available at arrivedUs (before handling) and its
    // handling ended at doneUs. Returns how long to nap now (µs; 0: none). The caller naps
    // and then calls napped() with the time it woke.
    [[nodiscard]] qint64 messageHandled(qint64 arrivedUs, qint64 doneUs);
    void napped(qint64 wokeUs);

    // Inter-arrival time the last nap was computed from (µs; 0 before the first estimate).
    qint64 intervalUs() const { return m_intervalUs; }
    // Naps suspended (a nap collected maxBacklog messages) until this time (µs; -1: never).
    qint64 backOffUntilUs() const { return m_backOffUntilUs; }

private:
    Settings m_settings;
    qint64 m_lastDoneUs = -1;
    qint64 m_cycleStartUs = -1;  // start of the current cycle (end of the last nap)
    qint64 m_cycleMessages = 0;
    qint64 m_intervalUs = 0;
    bool m_napped = false;   // the current cycle began with a nap
    int m_backlog = 0;       // messages read since the nap, none of them waited for
    qint64 m_backOffUntilUs = -1;
};

} // namespace fd
