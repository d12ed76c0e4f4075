#pragma once

#include <QStringList>

namespace fd {

// `fleetdeckctl rules import --db CACHE FILE` and `fleetdeckctl rules export --db CACHE
// [--out FILE]`: the alert rules of the operations store beside the cache, as the rules file
// of docs/alerts.md. Import creates the cache and its operations store when missing,
// replaces a rule of the same name and adds the others, all or nothing (a file with any
// error imports nothing and names every problem); every change is audited.
class RulesCommand
{
public:
    static int run(const QStringList &arguments);
};

} // namespace fd
