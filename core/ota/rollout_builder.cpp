#include "core/ota/rollout_builder.h"

#include <QJsonDocument>

namespace fd {

bool RolloutBuilder::build(const FirmwareArtifact &artifact, const QList<Device> &inventory,
                           const RolloutTargetFilter &filter, const RolloutPlan &plan, const QString &name,
                           const QString &actor, Result *out, QString *error)
{
    *out = Result{};
    const QString invalid = plan.validate();
    if (!invalid.isEmpty()) {
        *error = invalid;
        return false;
    }
    const RolloutTargetFilter::Result selected = filter.select(inventory, artifact.version, artifact.models,
                                                               plan.rollback);
    out->excluded = selected.excluded;
    const int targets = int(selected.targets.size());
    if (targets == 0) {
        *error = tr("no target left (%1 matching devices excluded)").arg(selected.excluded.size());
        return false;
    }
    out->summary = plan.summary(targets);
    out->waveSizes = plan.waveSizes(targets, error);
    if (out->waveSizes.isEmpty())
        return false;

    Rollout &r = out->rollout;
    r.name = name.trimmed().isEmpty() ? tr("%1 to %n devices", nullptr, targets).arg(artifact.version)
                                      : name.trimmed().left(200);
    r.artifactId = artifact.id;
    r.state = RolloutState::Scheduled;
    r.plan = plan;
    r.targetsJson = QString::fromUtf8(QJsonDocument(filter.toJson()).toJson(QJsonDocument::Compact));
    r.createdBy = actor;
    int wave = 0;
    int leftInWave = out->waveSizes[0];
    for (int i = 0; i < targets; ++i) {
        while (leftInWave == 0 && wave + 1 < out->waveSizes.size())
            leftInWave = out->waveSizes[++wave];
        const Device &d = selected.targets[i];
        RolloutDevice row;
        row.key = d.key();
        row.deviceId = row.key.id();
        row.model = d.model;
        row.fromVersion = d.fwVersion;
        row.wave = wave;
        row.position = i;
        out->devices.append(row);
        --leftInWave;
    }
    r.currentWave = out->devices.first().wave;
    return true;
}

} // namespace fd
