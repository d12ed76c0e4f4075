#pragma once

#include "core/domain/device_key.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace fd {

// Something the cache refused because of what it contains (a constraint it breaks, a value
// SQLite cannot hold), found by splitting a failed commit until the offending unit is alone.
// The unit is one telemetry message (a sample) or one device-state update; the rest of the
// commit is saved. Faults of the file (disk full, I/O error, read-only) are never turned
// into rejects: those are retried.
struct StorageReject
{
    DeviceKey device;
    bool deviceState = false;  // the device's state (row and latest values), not a sample
    qint64 timestampMs = 0;    // of the sample
    QString error;             // SQLite's message
};

using StorageRejectList = QList<StorageReject>;

} // namespace fd

Q_DECLARE_METATYPE(fd::StorageRejectList)
