#pragma once

#include <QStringList>

namespace fd {

// `fleetdeckctl devices --db FILE [--json]`: prints the cached inventory.
class DevicesCommand
{
public:
    static int run(const QStringList &arguments);
};

} // namespace fd
