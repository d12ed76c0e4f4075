#pragma once

#include <QStringList>

namespace fd {

// `fleetdeckctl record`: the ingest pipeline of the console, without a UI, into the cache.
// Stops after --duration or on SIGINT/SIGTERM, with everything received committed.
class RecordCommand
{
public:
    // arguments: everything after "record". Returns the process exit code.
    static int run(const QStringList &arguments);
};

} // namespace fd
