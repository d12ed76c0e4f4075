#include "core/platform/event_loop_lateness_probe.h"

#include <algorithm>

namespace fd {

namespace {
constexpr int kIntervalMs = 1;
}

EventLoopLatenessProbe::EventLoopLatenessProbe(QObject *parent)
    : QObject(parent)
    , m_timer(this)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(kIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &EventLoopLatenessProbe::tick);
}

void EventLoopLatenessProbe::start()
{
    m_latenessMs.clear();
    m_latenessMs.reserve(1 << 16);
    m_lastNs = -1;
    m_maxMs = -1;
    m_maxAtMs = 0;
    m_clock.start();
    m_timer.start();
}

void EventLoopLatenessProbe::stop()
{
    m_timer.stop();
}

void EventLoopLatenessProbe::tick()
{
    const qint64 now = m_clock.nsecsElapsed();
    if (m_lastNs >= 0 && m_latenessMs.size() < kMaxSamples) {
        const double late = std::max(0.0, double(now - m_lastNs) / 1e6 - kIntervalMs);
        m_latenessMs.push_back(float(late));
        if (late > m_maxMs) {
            m_maxMs = late;
            m_maxAtMs = double(now) / 1e6;
        }
    }
    m_lastNs = now;
}

EventLoopLatenessProbe::Stats EventLoopLatenessProbe::stats() const
{
    Stats s;
    s.samples = m_latenessMs.size();
    if (m_latenessMs.empty())
        return s;
    std::vector<float> sorted = m_latenessMs;
    std::sort(sorted.begin(), sorted.end());
    const auto at = [&sorted](double q) {
        const std::size_t i = std::min(sorted.size() - 1, std::size_t(q * double(sorted.size() - 1) + 0.5));
        return double(sorted[i]);
    };
    s.p50Ms = at(0.50);
    s.p99Ms = at(0.99);
    s.maxMs = double(sorted.back());
    s.maxAtMs = m_maxAtMs;
    return s;
}

} // namespace fd
