#include "ui/rollout_wizard.h"

#include "ui/rollout_artifact_page.h"
#include "ui/rollout_plan_page.h"
#include "ui/rollout_review_page.h"
#include "ui/rollout_targets_page.h"

#include <QJsonDocument>

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

std::optional<RolloutDraft> RolloutWizard::draft(QString *error) const
{
    QString why;
    if (!m_context.artifact) {
        if (error)
            *error = tr("no firmware chosen");
        return std::nullopt;
    }
    Rollout base;
    base.name = m_reviewPage->rolloutName();
    base.plan = m_context.plan;
    base.createdBy = m_actor;
    base.targetsJson = QString::fromUtf8(QJsonDocument(m_context.filter.toJson()).toJson(QJsonDocument::Compact));
    std::optional<RolloutDraft> draft = RolloutBuilder::buildFor(base, *m_context.artifact,
                                                                 m_context.selection.targets, &why);
    if (!draft && error)
        *error = why;
    return draft;
}

bool RolloutWizard::startNow() const
{
    return m_reviewPage->startNow();
}

} // namespace fd
