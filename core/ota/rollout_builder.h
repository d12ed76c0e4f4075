#pragma once

#include "core/domain/device.h"
#include "core/ota/firmware_artifact.h"
#include "core/ota/rollout.h"
#include "core/ota/rollout_target_filter.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

namespace fd {

// Makes a new rollout (state scheduled) and its device rows from an artifact, the
// inventory, a target filter and a plan: the targets (compatible devices matching the
// filter, in source / path order) split into the plan's waves, canary first. Pure; used by
// `fleetdeckctl rollout create` and the UI's rollout wizard, then RolloutTable::insertRollout.
class RolloutBuilder
{
    Q_DECLARE_TR_FUNCTIONS(fd::RolloutBuilder)
public:
    struct Result
    {
        Rollout rollout;               // id and uid assigned by the store
        QList<RolloutDevice> devices;  // position 0.., wave 0 (canary) or 1..n
        QList<RolloutTargetFilter::Excluded> excluded;
        QList<int> waveSizes;          // RolloutPlan::waveSizes
        QString summary;               // RolloutPlan::summary, for the operator
    };

    // False with the reason when nothing can be made: an invalid plan, no target left
    // ("no target left (3 matching devices excluded)"), a wave of 0 devices. *out is filled
    // as far as it got (excluded devices, summary) either way.
    static bool build(const FirmwareArtifact &artifact, const QList<Device> &inventory,
                      const RolloutTargetFilter &filter, const RolloutPlan &plan, const QString &name,
                      const QString &actor, Result *out, QString *error);
};

} // namespace fd
