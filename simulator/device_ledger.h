#pragma once

#include "core/domain/metric_value.h"
#include "simulator/fault_kind.h"

#include <QHash>
#include <QMutex>

#include <optional>

namespace fd::sim {

// What one device has published, as confirmed by Paho (QoS 1: PUBACK received; QoS 0:
// written to the socket). Publishes are registered before they are handed to Paho and
// settled from Paho's callback thread, so everything is behind a mutex.
class DeviceLedger
{
public:
    struct Entry
    {
        quint64 seq = 0;                  // telemetry seq; 0 for status and faults
        MetricValues metrics;             // telemetry values
        std::optional<FaultKind> fault;   // set for an injected fault
        bool status = false;              // a retained status message
        bool online = false;              // ... with this "online" value
    };

    struct Snapshot
    {
        quint64 published = 0;  // confirmed valid telemetry messages
        quint64 lastSeq = 0;
        MetricValues lastMetrics;
        QHash<QString, quint64> faults;  // faultKindKey -> confirmed count
        quint64 failed = 0;              // publishes Paho reported as failed
        quint64 pending = 0;             // not settled yet
        std::optional<bool> retainedOnline;  // last confirmed status "online" value
    };

    // Returns the token to pass as Paho user context.
    quint64 add(Entry entry);
    void confirm(quint64 token);
    void fail(quint64 token);
    void forget(quint64 token);  // the publish was never handed to Paho
    Snapshot snapshot() const;
    quint64 pending() const;

private:
    mutable QMutex m_mutex;
    QHash<quint64, Entry> m_pending;
    quint64 m_nextToken = 1;
    Snapshot m_done;
};

} // namespace fd::sim
