#include "app/ctl/rollout_run_command.h"

#include <QTextStream>

namespace fd {

int runRollout(const QStringList &args)
{
    Q_UNUSED(args);
    QTextStream(stderr) << "fleetdeckctl rollout run: not implemented\n";
    return 1;
}

} // namespace fd
