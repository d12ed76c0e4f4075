#pragma once

#include <QStringList>

namespace fd {

// `fleetdeckctl devices --db FILE [--json] [--source NAME]`: prints the cached inventory
// (of one source); with --delete ID, deletes a device instead (DeviceDeleteCommand).
class DevicesCommand
{
public:
    static int run(const QStringList &arguments);
};

} // namespace fd
