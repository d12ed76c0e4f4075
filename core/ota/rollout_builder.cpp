#include "core/ota/rollout_builder.h"

namespace fd {

namespace {

std::optional<RolloutDraft> finish(Rollout base, const FirmwareArtifact &artifact,
                                   RolloutTargetFilter::Result selected, QString *error,
                                   QList<RolloutTargetFilter::Excluded> *excludedOut)
{
    if (excludedOut)
        *excludedOut = selected.excluded;
    if (selected.targets.isEmpty()) {
        *error = RolloutBuilder::tr("no device left to update (%n matching device(s) excluded)", nullptr,
                                    int(selected.excluded.size()));
        return std::nullopt;
    }
    const QString invalid = base.plan.validate();
    if (!invalid.isEmpty()) {
        *error = invalid;
        return std::nullopt;
    }
    const int count = int(selected.targets.size());
    const QList<int> sizes = base.plan.waveSizes(count, error);
    if (sizes.isEmpty())
        return std::nullopt;
    RolloutDraft draft;
    draft.rollout = std::move(base);
    draft.rollout.artifactId = artifact.id;
    draft.rollout.state = RolloutState::Scheduled;
    if (draft.rollout.name.trimmed().isEmpty())
        draft.rollout.name = RolloutBuilder::tr("%1 to %n device(s)", nullptr, count).arg(artifact.version);
    draft.devices = RolloutBuilder::assignWaves(selected.targets, sizes);
    draft.rollout.currentWave = draft.devices.constFirst().wave;
    draft.excluded = std::move(selected.excluded);
    draft.summary = draft.rollout.plan.summary(count);
    return draft;
}

} // namespace

std::optional<RolloutDraft> RolloutBuilder::build(Rollout base, const FirmwareArtifact &artifact,
                                                  const RolloutTargetFilter &filter, const QList<Device> &inventory,
                                                  QString *error, QList<RolloutTargetFilter::Excluded> *excluded)
{
    RolloutTargetFilter::Result selected =
        filter.select(inventory, artifact.version, artifact.models, base.plan.rollback);
    return finish(std::move(base), artifact, std::move(selected), error, excluded);
}

std::optional<RolloutDraft> RolloutBuilder::buildFor(Rollout base, const FirmwareArtifact &artifact,
                                                     const QList<Device> &targets, QString *error,
                                                     QList<RolloutTargetFilter::Excluded> *excluded)
{
    const RolloutTargetFilter everything;
    return build(std::move(base), artifact, everything, targets, error, excluded);
}

QList<RolloutDevice> RolloutBuilder::assignWaves(const QList<Device> &targets, const QList<int> &sizes)
{
    QList<RolloutDevice> devices;
    devices.reserve(targets.size());
    int wave = 0;
    int leftInWave = sizes.value(0);
    for (qsizetype i = 0; i < targets.size(); ++i) {
        while (leftInWave <= 0 && wave + 1 < sizes.size())
            leftInWave = sizes.at(++wave);
        const Device &d = targets.at(i);
        RolloutDevice row;
        row.key = d.key();
        row.deviceId = d.key().id();
        row.model = d.model;
        row.fromVersion = d.fwVersion;
        row.wave = wave;
        row.position = int(i);
        devices.append(row);
        --leftInWave;
    }
    return devices;
}

} // namespace fd
