#include "simulator/sparkplug_node_faults.h"

#include <cmath>

namespace fd::sim {

namespace {

bool isTimed(SparkplugFaultKind kind)
{
    return kind == SparkplugFaultKind::SeqGap || kind == SparkplugFaultKind::StaleNdeath
        || kind == SparkplugFaultKind::DieRebirth;
}

qint64 toMs(double seconds)
{
    return qint64(std::llround(seconds * 1000.0));
}

} // namespace

SparkplugNodeFaults::SparkplugNodeFaults(QList<SparkplugFaultSpec> specs)
    : m_specs(std::move(specs))
{
    for (const SparkplugFaultSpec &s : std::as_const(m_specs)) {
        m_nextMs.append(isTimed(s.kind) ? toMs(s.startS) : -1);
        m_fired.append(0);
    }
}

bool SparkplugNodeFaults::hasTimedFaults() const
{
    for (const SparkplugFaultSpec &s : m_specs) {
        if (isTimed(s.kind))
            return true;
    }
    return false;
}

QList<SparkplugNodeFaults::Event> SparkplugNodeFaults::takeDue(qint64 elapsedMs)
{
    QList<Event> due;
    for (qsizetype i = 0; i < m_specs.size(); ++i) {
        qint64 &next = m_nextMs[i];
        const SparkplugFaultSpec &s = m_specs.at(i);
        if (next < 0 || next > elapsedMs)
            continue;
        due.append({s.kind, toMs(s.downS), int(i)});
        next = s.periodS ? next + qMax<qint64>(500, toMs(*s.periodS)) : -1;
        if (next >= 0 && next <= elapsedMs)  // after a stall: once, then on schedule again
            next = elapsedMs + qMax<qint64>(500, toMs(*s.periodS));
    }
    return due;
}

std::optional<qint64> SparkplugNodeFaults::dataBeforeBirthMs() const
{
    for (const SparkplugFaultSpec &s : m_specs) {
        if (s.kind == SparkplugFaultKind::DataBeforeBirth)
            return toMs(s.durationS);
    }
    return std::nullopt;
}

bool SparkplugNodeFaults::ignoresHostState(qint64 elapsedMs) const
{
    for (const SparkplugFaultSpec &s : m_specs) {
        if (s.kind == SparkplugFaultKind::AliasOnly && elapsedMs >= toMs(s.startS))
            return true;
    }
    return false;
}

} // namespace fd::sim
