#pragma once

#include <QStringList>

namespace fd {

// `fleetdeckctl rollout create|status|list|run`: firmware rollouts in the operations store
// beside a cache (docs/ota.md "Rollouts"). create prints only the new rollout's id on
// stdout; what was excluded and the plan go to stderr.
class RolloutCommand
{
public:
    static int run(const QStringList &arguments);

private:
    static int create(const QStringList &arguments);
    static int status(const QStringList &arguments);
    static int list(const QStringList &arguments);
};

} // namespace fd
