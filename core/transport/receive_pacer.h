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
// so a backlog is read at full speed, and sparse traffic naps not at all (the first message
// after a pause is delivered at once; only its followers wait, at most maxNapUs).
//
// The rate comes from whole windows of rateWindowUs (a preempted thread would overestimate
// the time between messages from single gaps), and naps happen only below
// targetMessages / minNapUs (8,000 msg/s by default): above that a wake-up is shared by
// several messages anyway, and the thread must keep up. At QoS 1 the broker sends at most
// its in-flight limit of unacknowledged messages (20 by default in mosquitto) while the
// thread naps, then queues the rest: a nap expects targetMessages, well below that, and
// at these rates the thread reads a longer backlog (an overslept nap) many times faster
// than it arrives. A nap that collected maxBacklog messages or more (a machine so busy
// that naps oversleep by several ms) stops naps for backOffUs.
//
// Not thread-safe: one per receiving thread. Times are in µs from any monotonic clock.
class ReceivePacer
{
public:
    struct Settings
    {
        int targetMessages = 8;  // messages expected to collect during one nap
        qint64 maxNapUs = 2000;
        qint64 minNapUs = 1000;
        // A message that arrived this long after the previous one was handled was waited
        // for: the thread had caught up.
        qint64 idleGapUs = 100;
        qint64 rateWindowUs = 100'000;
        int maxBacklog = 64;
        qint64 backOffUs = 500'000;
    };

    ReceivePacer() = default;
    explicit ReceivePacer(const Settings &settings) : m_settings(settings) {}

    // A message was handled: it became available at arrivedUs (before handling) and its
    // handling ended at doneUs. Returns how long to nap now (µs; 0: none). The caller naps
    // and then calls napped() with the time it woke.
    [[nodiscard]] qint64 messageHandled(qint64 arrivedUs, qint64 doneUs);
    void napped(qint64 wokeUs);

    // Mean time between messages in the last complete rate window (µs; 0 before the first).
    qint64 intervalUs() const { return m_intervalUs; }
    // Naps suspended (a nap collected maxBacklog messages) until this time (µs; -1: never).
    qint64 backOffUntilUs() const { return m_backOffUntilUs; }

private:
    Settings m_settings;
    qint64 m_lastDoneUs = -1;
    qint64 m_windowStartUs = -1;
    qint64 m_windowMessages = 0;
    qint64 m_intervalUs = 0;
    bool m_napped = false;  // no message was waited for since the last nap
    int m_backlog = 0;      // messages read since the last nap
    qint64 m_backOffUntilUs = -1;
};

} // namespace fd
