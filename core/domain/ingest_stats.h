#pragma once

#include "core/domain/device.h"
#include "core/domain/recent_rejects.h"

#include <QMap>
#include <QMetaType>
#include <QString>

namespace fd {

// Counters of one source (connection), or of all of them together.
struct SourceIngestStats
{
    quint64 received = 0;           // messages seen by the pipeline
    quint64 accepted = 0;
    quint64 rejected = 0;
    // Dropped before decoding because ingest did not keep up (InboundLimits): never seen.
    quint64 dropped = 0;
    double messagesPerSecond = 0;   // received, over the last interval
    RejectCounts unattributed{};    // rejects that name no valid device (bad id, unknown topic)
    // Rejects of devices that are not in the inventory (none of their messages was accepted),
    // by path: counted here instead of creating a device. At most kMaxUnknownDevices paths;
    // the rejects of further unknown devices are counted in `unattributed`. When a device
    // here is accepted after all, its counts move onto it (and out of this map).
    static constexpr qsizetype kMaxUnknownDevices = 1000;
    QMap<QString, RejectCounts> unknownDevices;
    qint64 lastMessageMs = 0;
};

// Ingest counters, published about once per second: the totals over every source, and
// each source's own.
struct IngestStats
{
    quint64 received = 0;
    quint64 accepted = 0;
    quint64 rejected = 0;
    quint64 gaps = 0;               // telemetry missed by sequence number (see FleetState)
    quint64 dropped = 0;            // the sources' dropped, together
    double messagesPerSecond = 0;
    RejectCounts unattributed{};
    qint64 lastMessageMs = 0;
    QMap<QString, SourceIngestStats> sources;
    // The last few rejected messages of each reason over every source (since the start or
    // the last reset; session only, never stored).
    RecentRejects recentRejects;
};

} // namespace fd

Q_DECLARE_METATYPE(fd::IngestStats)
