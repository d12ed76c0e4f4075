#include "core/ota/rollout_progress.h"

#include <cmath>

namespace fd {

void RolloutProgress::record(qint64 nowMs, int finished)
{
    if (!m_samples.empty() && nowMs < m_samples.back().ms)
        m_samples.clear();  // the clock went back: start over
    if (!m_samples.empty() && finished < m_samples.back().finished)
        m_samples.clear();  // fewer finished (a retry): the old samples say nothing any more
    if (!m_samples.empty() && nowMs - m_samples.back().ms < 1000 && m_samples.size() > 1)
        m_samples.back() = {nowMs, finished};  // at most one sample per second
    else
        m_samples.push_back({nowMs, finished});
    while (m_samples.size() > 2 && nowMs - m_samples[1].ms >= kWindowMs)
        m_samples.pop_front();
}

double RolloutProgress::devicesPerMinute(qint64 nowMs) const
{
    if (m_samples.size() < 2)
        return 0;
    const Sample &first = m_samples.front();
    const Sample &last = m_samples.back();
    const qint64 span = std::max(nowMs, last.ms) - first.ms;
    if (span < kMinSpanMs || last.finished <= first.finished)
        return 0;
    return double(last.finished - first.finished) * 60000.0 / double(span);
}

qint64 RolloutProgress::etaMs(qint64 nowMs, int remaining) const
{
    if (remaining <= 0)
        return 0;
    const double rate = devicesPerMinute(nowMs);
    if (rate <= 0)
        return -1;
    return qint64(std::ceil(double(remaining) / rate * 60000.0));
}

} // namespace fd
