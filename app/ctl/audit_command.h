#pragma once

#include <QStringList>

namespace fd {

// `fleetdeckctl audit --db CACHE [--json]`: prints the audit log of the operations store
// beside the cache (OperationsStore::pathForCache), opened read-only. No store yet: an
// empty log (`[]`), exit code 0.
class AuditCommand
{
public:
    static int run(const QStringList &arguments);
};

} // namespace fd
