#pragma once

#include "core/ota/rollout.h"
#include "core/ota/rollout_summary.h"

#include <QList>
#include <QString>

namespace fd {

// What a rollout's list row, overview card and progress header show: the rollout row, its
// device counts (overall, per wave, failure reasons: RolloutSummary), the artifact's version,
// and the finish rate and estimated time left as the runner measures them. Small: sent to
// the UI on every change (the device rows go separately, only for the rollout on screen).
struct RolloutSnapshot
{
    Rollout rollout;
    QString version;            // the artifact's version ('' when the artifact is unknown)
    RolloutSummary summary;
    double ratePerMinute = 0;   // devices finished per minute, recent (0: not measured)
    qint64 etaMs = -1;          // estimated time until every device finished; -1 unknown

    static RolloutSnapshot from(const Rollout &rollout, const QList<RolloutDevice> &devices,
                                const QString &version = QString());

    int total() const { return summary.total; }
    int count(OtaDeviceState state) const { return summary.count(state); }
    int finished() const { return summary.terminal(); }
    int inProgress() const { return summary.inProgress(); }
    int failedCount() const;    // failed rejected timed_out rolled_back
    bool isActive() const { return !isTerminal(rollout.state); }
};

} // namespace fd
