#pragma once

#include "simulator/sparkplug_fault_spec.h"

#include <QList>

#include <optional>

namespace fd::sim {

// The --sparkplug-fault entries of one edge node, on its clock (ms since the simulator
// started): the timed ones (seq_gap, stale_ndeath, die_rebirth) come due once, or every
// period; data_before_birth applies to the first session; alias_only from its start on.
class SparkplugNodeFaults
{
public:
    struct Event
    {
        SparkplugFaultKind kind;
        qint64 downMs = 0;  // die_rebirth
        int spec = 0;       // index into specs()
    };

    SparkplugNodeFaults() = default;
    explicit SparkplugNodeFaults(QList<SparkplugFaultSpec> specs);

    bool isEmpty() const { return m_specs.isEmpty(); }
    bool hasTimedFaults() const;
    const QList<SparkplugFaultSpec> &specs() const { return m_specs; }
    // The timed events due at elapsedMs, oldest first; each occurrence is handed out once.
    QList<Event> takeDue(qint64 elapsedMs);
    // data_before_birth: how long the first session sends DATA before its BIRTH.
    std::optional<qint64> dataBeforeBirthMs() const;
    // alias_only: whether the node ignores its primary host's STATE changes at elapsedMs.
    bool ignoresHostState(qint64 elapsedMs) const;
    // How many times each spec fired so far (manifest).
    const QList<int> &fired() const { return m_fired; }
    void markFired(int spec) { ++m_fired[spec]; }

private:
    QList<SparkplugFaultSpec> m_specs;
    QList<qint64> m_nextMs;  // per spec: next due time; -1: done or not timed
    QList<int> m_fired;
};

} // namespace fd::sim
