#pragma once

#include "core/domain/device.h"
#include "core/ota/firmware_artifact.h"
#include "core/ota/rollout_plan.h"
#include "core/ota/rollout_target_filter.h"

#include <QList>
#include <QString>

#include <optional>

namespace fd {

class ReleaseCatalog;

// What the rollout wizard's pages share: the inputs (catalog, inventory, optional fixed
// targets) and each page's answer as the operator gives it. Owned by RolloutWizard.
struct RolloutWizardContext
{
    ReleaseCatalog *catalog = nullptr;
    QList<Device> inventory;              // as of the wizard's opening
    std::optional<QList<Device>> fixedTargets;  // "roll back the failed ones": no filters
    bool rollback = false;

    // Page 1
    std::optional<FirmwareArtifact> artifact;
    // Page 2
    RolloutTargetFilter filter;
    RolloutTargetFilter::Result selection;
    // Page 3
    RolloutPlan plan;
};

} // namespace fd
