#pragma once

#include "core/domain/device_key.h"

#include <QString>

#include <optional>

class QTextStream;

namespace fd {

class Database;

// The device a command line names (`--device ID` / `--delete ID`, with `--source NAME`): its
// path, or its own id when no path matches (InventoryStore::findDevices). When it names no
// device or several, says so on err (after prefix: which sources, what to give) and sets
// *exitCode (1 unknown or ambiguous, 2 the cache could not be read).
class DeviceLookup
{
public:
    static std::optional<DeviceKey> find(Database &db, const QString &name, const QString &source,
                                         const QString &cachePath, const char *prefix, const char *nothingDone,
                                         QTextStream &err, int *exitCode);
};

} // namespace fd
