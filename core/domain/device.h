#pragma once

#include "core/domain/device_key.h"
#include "core/domain/metric_value.h"
#include "core/domain/reject_reason.h"
#include "core/domain/sparkplug_session.h"

#include <QString>
#include <QStringList>
#include <QtGlobal>

#include <array>

namespace fd {

// Counts of rejected messages attributed to one device, indexed by RejectReason.
using RejectCounts = std::array<quint32, kAllRejectReasons.size()>;

inline quint64 totalRejects(const RejectCounts &c)
{
    quint64 sum = 0;
    for (quint32 v : c)
        sum += v;
    return sum;
}

// What FleetDeck knows about one device: identity and attributes from its retained status,
// the latest value of every metric, and message counters. A plain value type, copied
// between threads (ingest -> GUI, ingest -> storage).
struct Device
{
    QString source = DeviceKey::defaultSource();  // the connection it was heard on
    QString path;                // in the source's namespace (DeviceKey); v1: == id
    QString id;                  // the device's own id: the last segment of path
    QString name;
    QString model;
    QString fwVersion;
    QString site;
    QStringList tags;            // from the status, in its order, without duplicates; usually shared
    QString certSerial;          // from the status ("cert_serial"): the certificate it connected with
    bool online = false;
    quint32 gapCount = 0;        // telemetry messages missed, by seq, while FleetDeck was listening
    qint64 lastSeenMs = 0;       // ms since epoch of the last accepted message; 0 = never
    qint64 lastTelemetryMs = 0;  // device timestamp ("ts") of the latest telemetry
    quint64 lastSeq = 0;
    MetricValues metrics;        // latest value per metric
    quint64 messageCount = 0;    // accepted messages
    RejectCounts rejects{};      // rejected messages by reason
    // The device's metrics are STALE since this time (ms since epoch): it died (Sparkplug
    // NDEATH / DDEATH, or its node's) or the broker connection that carried it was lost;
    // the values are the last known ones, not current. 0: current. Cleared by its next
    // BIRTH or data.
    qint64 staleSinceMs = 0;
    SparkplugSession sparkplug;  // Sparkplug B session facts (edge nodes and their devices)

    quint64 rejectedCount() const { return totalRejects(rejects); }
    DeviceKey key() const { return DeviceKey{source, path.isEmpty() ? id : path}; }
};

} // namespace fd
