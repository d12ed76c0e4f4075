#pragma once

#include <QString>

class QTextStream;

namespace fd {

// `fleetdeckctl devices --db CACHE --delete NAME [--source SOURCE]`: deletes one device from
// the cache (its latest values, reject counts, raw telemetry and rollups; DeviceDeleter),
// recorded in the operations store beside the cache first (operator action "device.delete"
// and its outcome, as the GUI does). NAME is the device's path or its own id; a name that
// matches devices of several sources, or several devices of one, is refused (--source, or
// the full path, says which). Safe beside a running recorder: its own connection, one
// IMMEDIATE transaction, SQLite's busy timeout while the recorder commits.
// Exit codes: 0 deleted; 1 no such device, or ambiguous; 2 the cache or the operations
// store cannot be opened; 3 the deletion could not be recorded or committed.
class DeviceDeleteCommand
{
public:
    static int run(const QString &cachePath, const QString &name, const QString &source, QTextStream &out,
                   QTextStream &err);
};

} // namespace fd
