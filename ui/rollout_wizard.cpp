#include "ui/rollout_wizard.h"

#include "ui/rollout_artifact_page.h"
#include "ui/rollout_plan_page.h"
#include "ui/rollout_review_page.h"
#include "ui/rollout_targets_page.h"


namespace fd {

RolloutWizard::RolloutWizard(ReleaseCatalog *catalog, QList<Device> inventory, const QString &actor,
                             QWidget *parent)
    : QWizard(parent)
    , m_actor(actor)
{
    m_context.catalog = catalog;
    m_context.inventory = std::move(inventory);
    m_artifactPage = new RolloutArtifactPage(&m_context, this);
    m_targetsPage = new RolloutTargetsPage(&m_context, this);
    m_planPage = new RolloutPlanPage(&m_context, this);
    m_reviewPage = new RolloutReviewPage(&m_context, this);
    setPage(ArtifactPageId, m_artifactPage);
    setPage(TargetsPageId, m_targetsPage);
    setPage(PlanPageId, m_planPage);
    setPage(ReviewPageId, m_reviewPage);
    setWindowTitle(tr("New firmware rollout"));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setButtonText(QWizard::FinishButton, tr("Create rollout"));
    resize(860, 680);
}

void RolloutWizard::setFixedTargets(const QList<Device> &devices)
{
    m_context.fixedTargets = devices;
    m_context.rollback = true;
    setWindowTitle(tr("Roll back devices"));
}

std::optional<RolloutBuilder::Result> RolloutWizard::draft(QString *error) const
{
    QString why;
    if (!m_context.artifact) {
        if (error)
            *error = tr("no firmware chosen");
        return std::nullopt;
    }
    // The devices the Targets page chose (the inventory may have moved on since), the
    // filter kept for the record.
    RolloutBuilder::Result result;
    if (!RolloutBuilder::build(*m_context.artifact, m_context.selection.targets, m_context.filter, m_context.plan,
                               m_reviewPage->rolloutName(), m_actor, &result, &why)) {
        if (error)
            *error = why;
        return std::nullopt;
    }
    return result;
}

bool RolloutWizard::startNow() const
{
    return m_reviewPage->startNow();
}

} // namespace fd
