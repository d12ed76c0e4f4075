#include "ui/rollout_targets_page.h"

#include "models/rollout_exclusion_model.h"
#include "ui/rollout_wizard_context.h"

#include <QComboBox>
#include <QFont>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSet>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace fd {

namespace {

// The filter keys of RolloutTargetFilter, in the order of RolloutTargetsPage::Filter.
const char *const kKeys[] = {"source", "site", "model", "tag", "firmware", "online"};

} // namespace

RolloutTargetsPage::RolloutTargetsPage(RolloutWizardContext *context, QWidget *parent)
    : QWizardPage(parent)
    , m_context(context)
    , m_count(new QLabel(this))
    , m_excludedTitle(new QLabel(this))
    , m_excludedModel(new RolloutExclusionModel(this))
    , m_excluded(new QTableView(this))
{
    setTitle(tr("Targets"));
    setSubTitle(tr("Choose the devices to update. Only devices whose model the firmware supports and that run an "
                   "older version are updated."));
    const QString labels[] = {tr("&Source:"), tr("S&ite:"), tr("&Model:"), tr("&Tag:"), tr("Current &firmware:"),
                              tr("&State:")};
    auto *form = new QFormLayout;
    for (int f = 0; f < FilterCount; ++f) {
        m_filters[f] = new QComboBox(this);
        m_filters[f]->setObjectName(QStringLiteral("filter_%1").arg(QLatin1StringView(kKeys[f])));
        m_filters[f]->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        form->addRow(labels[f], m_filters[f]);
        connect(m_filters[f], &QComboBox::currentIndexChanged, this, &RolloutTargetsPage::recompute);
    }
    QFont big = m_count->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_count->setFont(big);
    m_count->setTextFormat(Qt::PlainText);
    m_excludedTitle->setTextFormat(Qt::PlainText);
    m_excluded->setModel(m_excludedModel);
    m_excluded->setAlternatingRowColors(true);
    m_excluded->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_excluded->verticalHeader()->hide();
    m_excluded->setWordWrap(false);
    m_excluded->horizontalHeader()->setStretchLastSection(true);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_count);
    layout->addWidget(m_excludedTitle);
    layout->addWidget(m_excluded, 100);
    layout->addStretch(1);  // takes the room while no device is left out
}

void RolloutTargetsPage::initializePage()
{
    fillChoices();
    const bool fixed = m_context->fixedTargets.has_value();
    for (QComboBox *choice : m_filters)
        choice->setEnabled(!fixed);
    recompute();
}

bool RolloutTargetsPage::isComplete() const
{
    return !m_context->selection.targets.isEmpty() && sources().size() == 1;
}

QStringList RolloutTargetsPage::sources() const
{
    QStringList sources;
    for (const Device &d : std::as_const(m_context->selection.targets)) {
        if (!sources.contains(d.source))
            sources.append(d.source);
    }
    return sources;
}

void RolloutTargetsPage::fillChoices()
{
    QSet<QString> values[FilterCount];
    for (const Device &d : std::as_const(m_context->inventory)) {
        values[SourceFilter].insert(d.source);
        if (!d.site.isEmpty())
            values[SiteFilter].insert(d.site);
        if (!d.model.isEmpty())
            values[ModelFilter].insert(d.model);
        for (const QString &tag : d.tags)
            values[TagFilter].insert(tag);
        if (!d.fwVersion.isEmpty())
            values[FirmwareFilter].insert(d.fwVersion);
    }
    for (int f = 0; f < FilterCount; ++f) {
        QComboBox *choice = m_filters[f];
        const QString current = choice->currentData().toString();
        const QSignalBlocker block(choice);
        choice->clear();
        choice->addItem(tr("Any"), QString());
        if (f == OnlineFilter) {
            choice->addItem(tr("Online now"), QStringLiteral("true"));
            choice->addItem(tr("Offline now"), QStringLiteral("false"));
        } else {
            QStringList sorted = values[f].values();
            std::sort(sorted.begin(), sorted.end(), [](const QString &a, const QString &b) {
                return QString::localeAwareCompare(a, b) < 0;
            });
            for (const QString &v : std::as_const(sorted))
                choice->addItem(v, v);
        }
        // The artifact's only model is the obvious choice.
        if (f == ModelFilter && current.isEmpty() && m_context->artifact && m_context->artifact->models.size() == 1) {
            const int at = choice->findData(m_context->artifact->models.constFirst());
            if (at >= 0)
                choice->setCurrentIndex(at);
            continue;
        }
        const int at = choice->findData(current);
        choice->setCurrentIndex(at >= 0 ? at : 0);
    }
}

void RolloutTargetsPage::recompute()
{
    if (!m_context->artifact) {
        m_context->selection = {};
        emit completeChanged();
        return;
    }
    m_context->filter = RolloutTargetFilter();
    if (!m_context->fixedTargets) {
        for (int f = 0; f < FilterCount; ++f) {
            const QString value = m_filters[f]->currentData().toString();
            if (!value.isEmpty())
                m_context->filter.add(QString::fromLatin1(kKeys[f]), value, nullptr);
        }
    }
    const FirmwareArtifact &artifact = *m_context->artifact;
    m_context->selection = m_context->filter.select(m_context->fixedTargets ? *m_context->fixedTargets
                                                                            : m_context->inventory,
                                                    artifact.version, artifact.models, m_context->rollback);
    const int count = int(m_context->selection.targets.size());
    // A rollout runs on the broker of one source (its runner's connection): devices heard on
    // several sources are refused here rather than left waiting for a job that never comes.
    const QStringList chosenSources = sources();
    if (chosenSources.size() > 1)
        m_count->setText(tr("These devices are on %1 connections (%2): choose one source, a rollout runs on one "
                            "broker.")
                             .arg(chosenSources.size())
                             .arg(chosenSources.join(QStringLiteral(", "))));
    else
        m_count->setText(count == 0 ? tr("No device will be updated.")
                                    : tr("%n device(s) will be updated to %1.", nullptr, count).arg(artifact.version));
    const QList<RolloutTargetFilter::Excluded> &excluded = m_context->selection.excluded;
    m_excludedTitle->setText(excluded.isEmpty()
                                 ? tr("No matching device is left out.")
                                 : tr("%n matching device(s) left out:", nullptr, int(excluded.size())));
    m_excludedModel->setExcluded(excluded);
    if (excluded.size() <= 500)  // sizing reads every row: only while that is cheap
        m_excluded->resizeColumnsToContents();
    m_excluded->setVisible(!excluded.isEmpty());
    emit completeChanged();
}

} // namespace fd
