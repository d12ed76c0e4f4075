#pragma once

#include "core/domain/device.h"
#include "core/ota/firmware_artifact.h"
#include "core/ota/rollout.h"
#include "core/ota/rollout_target_filter.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <optional>

namespace fd {

// A rollout ready to insert (RolloutTable::insertRollout): its row and its device rows in
// dispatch order, each with its wave (RolloutPlan::waveSizes), plus what was left out and
// why. The one place that turns (artifact, targets, plan) into rows: fleetdeckctl rollout
// create and the rollout wizard both use it.
struct RolloutDraft
{
    Rollout rollout;
    QList<RolloutDevice> devices;
    QList<RolloutTargetFilter::Excluded> excluded;
    QString summary;  // RolloutPlan::summary for the targets
};

class RolloutBuilder
{
    Q_DECLARE_TR_FUNCTIONS(fd::RolloutBuilder)
public:
    // Targets chosen by filter among inventory (compatibility with the artifact checked).
    // base carries name (default "<version> to N devices"), plan, createdBy. nullopt with
    // *error: no target left, invalid plan, a wave of 0 devices; *draft->excluded is filled
    // either way when draft is given.
    static std::optional<RolloutDraft> build(Rollout base, const FirmwareArtifact &artifact,
                                             const RolloutTargetFilter &filter, const QList<Device> &inventory,
                                             QString *error, QList<RolloutTargetFilter::Excluded> *excluded = nullptr);
    // Targets given one by one (e.g. the failed devices of a rollout, to roll them back);
    // incompatible ones are excluded the same way.
    static std::optional<RolloutDraft> buildFor(Rollout base, const FirmwareArtifact &artifact,
                                                const QList<Device> &targets, QString *error,
                                                QList<RolloutTargetFilter::Excluded> *excluded = nullptr);
    // Device rows for ordered targets split by wave sizes ([0] canary, [1..n] waves).
    static QList<RolloutDevice> assignWaves(const QList<Device> &targets, const QList<int> &sizes);
};

} // namespace fd
