#pragma once

#include <QtGlobal>

#include <deque>

namespace fd {

// Rate (devices finished per minute) and ETA of a rollout from its recent past: samples of
// the finished-device count, at most one per second, over the last window (5 min). The rate
// needs 10 s of history (and one device finished in it) before it says anything.
class RolloutProgress
{
public:
    static constexpr qint64 kWindowMs = 5 * 60 * 1000;
    static constexpr qint64 kMinSpanMs = 10 * 1000;

    // The number of devices in a terminal state at nowMs (wall clock).
    void record(qint64 nowMs, int finished);
    void reset() { m_samples.clear(); }

    // Devices per minute over the window; 0 when unknown.
    double devicesPerMinute(qint64 nowMs) const;
    // Milliseconds until `remaining` more devices finish at that rate; -1 when unknown.
    qint64 etaMs(qint64 nowMs, int remaining) const;

private:
    struct Sample
    {
        qint64 ms;
        int finished;
    };
    std::deque<Sample> m_samples;
};

} // namespace fd
