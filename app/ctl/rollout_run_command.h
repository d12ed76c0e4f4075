#pragma once

#include <QStringList>

namespace fd {

// `fleetdeckctl rollout run`: executes rollouts against the broker. Written by the runner
// (feat/ota-runner replaces this file); a stub until then.
int runRollout(const QStringList &args);

} // namespace fd
