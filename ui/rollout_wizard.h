#pragma once

#include "core/ota/rollout_builder.h"
#include "ui/rollout_wizard_context.h"

#include <QWizard>

#include <optional>

namespace fd {

class ReleaseCatalog;
class RolloutArtifactPage;
class RolloutPlanPage;
class RolloutReviewPage;
class RolloutTargetsPage;

// The rollout wizard: 1. firmware (RolloutArtifactPage), 2. targets (RolloutTargetsPage),
// 3. plan (RolloutPlanPage), 4. review (RolloutReviewPage). On Finish, draft() is the
// rollout to create (RolloutBuilder: rows with their waves) and startNow() whether to start
// it; the caller hands both to RolloutService::create(). The inventory is the one of the
// moment the wizard opened.
class RolloutWizard : public QWizard
{
    Q_OBJECT
public:
    enum PageId { ArtifactPageId, TargetsPageId, PlanPageId, ReviewPageId };

    RolloutWizard(ReleaseCatalog *catalog, QList<Device> inventory, const QString &actor, QWidget *parent = nullptr);

    // Roll back: these devices only (no filters), older versions allowed.
    void setFixedTargets(const QList<Device> &devices);

    // Valid once accepted (also callable on the review page).
    std::optional<RolloutBuilder::Result> draft(QString *error = nullptr) const;
    bool startNow() const;

    RolloutArtifactPage *artifactPage() const { return m_artifactPage; }
    RolloutTargetsPage *targetsPage() const { return m_targetsPage; }
    RolloutPlanPage *planPage() const { return m_planPage; }
    RolloutReviewPage *reviewPage() const { return m_reviewPage; }
    const RolloutWizardContext &context() const { return m_context; }

private:
    RolloutWizardContext m_context;
    QString m_actor;
    RolloutArtifactPage *m_artifactPage;
    RolloutTargetsPage *m_targetsPage;
    RolloutPlanPage *m_planPage;
    RolloutReviewPage *m_reviewPage;
};

} // namespace fd
