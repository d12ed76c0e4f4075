#pragma once

#include <QStringList>

namespace fd {

// `fleetdeckctl alerts --db CACHE [--json] [--all]`: the alerts of the operations store
// beside the cache, opened read-only: every alert not resolved (cleared ones included);
// --all adds the resolved ones. JSON: an array of AlertJson objects. No store yet: `[]`.
class AlertsCommand
{
public:
    static int run(const QStringList &arguments);
};

} // namespace fd
