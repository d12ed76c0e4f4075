#include "core/ota/rollout_snapshot.h"

namespace fd {

RolloutSnapshot RolloutSnapshot::from(const Rollout &rollout, const QList<RolloutDevice> &devices,
                                      const QString &version)
{
    RolloutSnapshot s;
    s.rollout = rollout;
    s.version = version;
    s.summary = RolloutSummary::of(devices);
    return s;
}

int RolloutSnapshot::failedCount() const
{
    int n = 0;
    for (OtaDeviceState state : kAllOtaDeviceStates) {
        if (isFailure(state))
            n += count(state);
    }
    return n;
}

} // namespace fd
