#pragma once

#include <QStringList>
#include <QWizardPage>

class QComboBox;
class QLabel;
class QTableView;

namespace fd {

class RolloutExclusionModel;
struct RolloutWizardContext;

// Rollout wizard, step 2: which devices. Filters by source, site, model, tag, current
// firmware and online state (values offered from the inventory), and the live result: how
// many devices will be updated, and the matching devices left out with why (incompatible
// model, already on the version, newer, Sparkplug). With fixed targets (rolling back the
// failed devices of a rollout) the filters are off and the list is what it is.
class RolloutTargetsPage : public QWizardPage
{
    Q_OBJECT
public:
    enum Filter { SourceFilter, SiteFilter, ModelFilter, TagFilter, FirmwareFilter, OnlineFilter, FilterCount };

    RolloutTargetsPage(RolloutWizardContext *context, QWidget *parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;

    QComboBox *filterChoice(Filter filter) const { return m_filters[filter]; }
    QLabel *countLabel() const { return m_count; }
    QTableView *excludedList() const { return m_excluded; }
    RolloutExclusionModel *excludedModel() const { return m_excludedModel; }
    // Recomputes the selection from the filters (also on every filter change).
    void recompute();
    // The sources of the chosen devices; more than one cannot go on (one broker per rollout).
    QStringList sources() const;

private:
    void fillChoices();

    RolloutWizardContext *m_context;
    QComboBox *m_filters[FilterCount];
    QLabel *m_count;
    QLabel *m_excludedTitle;
    RolloutExclusionModel *m_excludedModel;
    QTableView *m_excluded;
};

} // namespace fd
