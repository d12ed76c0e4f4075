#include "ui/rollout_detail_panel.h"

#include "models/rollout_device_model.h"
#include "models/rollout_list_model.h"
#include "ui/rollout_segments.h"
#include "widgets/breakdown_card.h"
#include "widgets/warning_colors.h"

#include <QComboBox>
#include <QDateTime>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace fd {

namespace {

// Keeps the rows whose state is one of the chosen group ('' = all).
class StateFilterProxy : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setGroup(const QString &group)
    {
        m_group = group;
        invalidateRowsFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        if (m_group.isEmpty())
            return true;
        const auto state = OtaDeviceState(
            sourceModel()->index(row, 0, parent).data(RolloutDeviceModel::StateRole).toInt());
        if (m_group == u"failed")
            return isFailure(state);
        if (m_group == u"in_progress")
            return isInProgress(state);
        return otaDeviceStateKey(state) == m_group;
    }

private:
    QString m_group;
};

constexpr int kMaxReasonsShown = 200;

} // namespace

RolloutDetailPanel::RolloutDetailPanel(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_state(new QLabel(this))
    , m_runner(new QLabel(this))
    , m_rate(new QLabel(this))
    , m_overall(new BreakdownCard(this))
    , m_wavesBox(new QWidget(this))
    , m_wavesLayout(new QGridLayout(m_wavesBox))
    , m_tabs(new QTabWidget(this))
    , m_devices(new RolloutDeviceModel(this))
    , m_proxy(new StateFilterProxy(this))
    , m_stateFilter(new QComboBox(this))
    , m_deviceTable(new QTableView(this))
    , m_reasons(new QTreeWidget(this))
    , m_timeline(new QTreeWidget(this))
{
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    for (QLabel *label : {m_title, m_state, m_runner, m_rate}) {
        label->setTextFormat(Qt::PlainText);
        label->setWordWrap(true);
    }
    QPalette warn = m_runner->palette();
    warn.setColor(QPalette::WindowText, warningColors(palette()).errorText);
    m_runner->setPalette(warn);
    m_runner->hide();

    const QString labels[] = {tr("&Start"), tr("&Pause"), tr("&Resume"), tr("&Abort…"), tr("&Cancel…"),
                              tr("Roll &back failed…")};
    auto *buttons = new QHBoxLayout;
    for (int a = 0; a < 6; ++a) {
        m_buttons[a] = new QPushButton(labels[a], this);
        m_buttons[a]->setObjectName(QStringLiteral("rolloutAction%1").arg(a));
        buttons->addWidget(m_buttons[a]);
        connect(m_buttons[a], &QPushButton::clicked, this, [this, a] {
            if (m_snapshot)
                emit actionRequested(Action(a), m_snapshot->rollout.id);
        });
    }
    m_buttons[int(Action::Start)]->setToolTip(tr("Start sending the firmware to the first wave."));
    m_buttons[int(Action::Pause)]->setToolTip(tr("Send no new job; devices already updating go on."));
    m_buttons[int(Action::Abort)]->setToolTip(
        tr("Stop the rollout: devices not started never start, devices updating may finish."));
    m_buttons[int(Action::Cancel)]->setToolTip(
        tr("Stop at once: every job not finished is withdrawn from the broker."));
    m_buttons[int(Action::RollBackFailed)]->setToolTip(
        tr("Roll the devices that failed back to an older firmware, in a new rollout."));
    buttons->addStretch(1);

    m_wavesLayout->setContentsMargins(0, 0, 0, 0);
    m_overall->setTitle(tr("All devices"));

    m_stateFilter->addItem(tr("All states"), QString());
    m_stateFilter->addItem(tr("In progress"), QStringLiteral("in_progress"));
    m_stateFilter->addItem(tr("Failed (any kind)"), QStringLiteral("failed"));
    for (OtaDeviceState state : kAllOtaDeviceStates)
        m_stateFilter->addItem(otaDeviceStateKey(state).replace(u'_', u' '), otaDeviceStateKey(state));
    m_proxy->setSourceModel(m_devices);
    m_proxy->setSortRole(RolloutDeviceModel::SortRole);
    m_deviceTable->setModel(m_proxy);
    m_deviceTable->setSortingEnabled(true);
    m_deviceTable->sortByColumn(-1, Qt::AscendingOrder);
    m_deviceTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_deviceTable->setAlternatingRowColors(true);
    m_deviceTable->verticalHeader()->hide();
    m_deviceTable->horizontalHeader()->setStretchLastSection(true);
    m_deviceTable->horizontalHeader()->setSectionResizeMode(RolloutDeviceModel::ReasonColumn, QHeaderView::Stretch);
    m_deviceTable->horizontalHeader()->setStretchLastSection(false);
    m_deviceTable->setWordWrap(false);
    connect(m_stateFilter, &QComboBox::currentIndexChanged, this, [this] {
        static_cast<StateFilterProxy *>(m_proxy)->setGroup(m_stateFilter->currentData().toString());
    });
    auto *devicesTab = new QWidget(this);
    auto *devicesLayout = new QVBoxLayout(devicesTab);
    auto *filterRow = new QHBoxLayout;
    filterRow->addWidget(new QLabel(tr("Show:"), devicesTab));
    filterRow->addWidget(m_stateFilter);
    filterRow->addStretch(1);
    devicesLayout->addLayout(filterRow);
    devicesLayout->addWidget(m_deviceTable, 1);

    m_reasons->setHeaderLabels({tr("Reason"), tr("Devices")});
    m_reasons->setRootIsDecorated(false);
    m_reasons->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_reasons->header()->setStretchLastSection(false);
    m_timeline->setHeaderLabels({tr("Time"), tr("Event"), tr("By"), tr("Detail")});
    m_timeline->setRootIsDecorated(false);
    m_timeline->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_timeline->header()->setStretchLastSection(true);
    m_tabs->addTab(devicesTab, tr("Devices"));
    m_tabs->addTab(m_reasons, tr("Failures"));
    m_tabs->addTab(m_timeline, tr("Timeline"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_state);
    layout->addWidget(m_runner);
    layout->addLayout(buttons);
    layout->addWidget(m_overall);
    layout->addWidget(m_wavesBox);
    layout->addWidget(m_rate);
    layout->addWidget(m_tabs, 1);
    layout->addStretch(0);
    m_whenSelected = {m_overall, m_wavesBox, m_rate, m_tabs};
    setSnapshot(std::nullopt);
}

QPushButton *RolloutDetailPanel::actionButton(Action action) const
{
    return m_buttons[int(action)];
}

void RolloutDetailPanel::setSnapshot(const std::optional<RolloutSnapshot> &snapshot)
{
    const bool other = !snapshot || !m_snapshot || snapshot->rollout.id != m_snapshot->rollout.id;
    m_snapshot = snapshot;
    if (!snapshot) {
        m_title->setText(tr("No rollout selected"));
        m_state->setText(tr("Create one with New rollout…, or choose one in the list."));
        m_rate->clear();
        m_devices->clear();
        m_reasons->clear();
        m_timeline->clear();
        setRunnerMessage({});
    } else {
        const Rollout &r = snapshot->rollout;
        m_title->setText(snapshot->version.isEmpty() ? r.name : tr("%1 — firmware %2").arg(r.name, snapshot->version));
        QString state = RolloutListModel::stateText(*snapshot);
        if (r.state == RolloutState::Running || r.state == RolloutState::Paused)
            state += tr(" · current wave: %1").arg(RolloutDeviceModel::waveName(r.currentWave));
        m_state->setText(tr("State: %1").arg(state));
        QStringList rate;
        rate << tr("%1 of %2 devices finished").arg(snapshot->finished()).arg(snapshot->total());
        if (snapshot->ratePerMinute > 0)
            rate << tr("%1 devices/min").arg(snapshot->ratePerMinute, 0, 'f', 1);
        if (snapshot->isActive() && snapshot->etaMs >= 0)
            rate << tr("about %1 left").arg(RolloutListModel::durationText(snapshot->etaMs));
        if (r.startedMs > 0)
            rate << tr("started %1").arg(QDateTime::fromMSecsSinceEpoch(r.startedMs).toString(QStringLiteral("yyyy-MM-dd HH:mm")));
        if (r.finishedMs > 0)
            rate << tr("finished %1").arg(QDateTime::fromMSecsSinceEpoch(r.finishedMs).toString(QStringLiteral("yyyy-MM-dd HH:mm")));
        rate << tr("by %1").arg(r.createdBy);
        m_rate->setText(rate.join(QStringLiteral(" · ")));
        // Failure reasons, grouped (terminal devices that did not update).
        m_reasons->clear();
        QList<QTreeWidgetItem *> items;
        for (auto it = snapshot->summary.reasons.cbegin();
             it != snapshot->summary.reasons.cend() && items.size() < kMaxReasonsShown; ++it) {
            auto *item = new QTreeWidgetItem;
            item->setText(0, it.key());
            item->setText(1, QString::number(it.value()));
            item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
            items.append(item);
        }
        m_reasons->addTopLevelItems(items);
        m_reasons->sortItems(1, Qt::DescendingOrder);
        m_tabs->setTabText(1, items.isEmpty() ? tr("Failures") : tr("Failures (%1)").arg(snapshot->failedCount()));
        if (other) {
            m_devices->clear();
            m_timeline->clear();
            setRunnerMessage({});
        }
    }
    updateCards();
    updateActions();
    for (QWidget *w : std::as_const(m_whenSelected)) {
        if (w != m_wavesBox)
            w->setVisible(snapshot.has_value());
    }
}

void RolloutDetailPanel::updateCards()
{
    m_overall->setVisible(m_snapshot.has_value());
    const QList<RolloutSummary::Wave> waves = m_snapshot ? m_snapshot->summary.waves : QList<RolloutSummary::Wave>();
    if (m_snapshot)
        m_overall->setSegments(rolloutSegments(m_snapshot->summary.counts));
    while (m_waveCards.size() > waves.size())
        delete m_waveCards.takeLast();
    while (m_waveCards.size() < waves.size()) {
        auto *card = new BreakdownCard(m_wavesBox);
        const int at = int(m_waveCards.size());
        m_wavesLayout->addWidget(card, at / kWaveColumns, at % kWaveColumns);
        m_waveCards.append(card);
    }
    for (qsizetype i = 0; i < waves.size(); ++i) {
        const RolloutSummary::Wave &w = waves.at(i);
        const bool current = m_snapshot && w.index == m_snapshot->rollout.currentWave && m_snapshot->isActive();
        m_waveCards[i]->setTitle(current ? tr("%1 (%2 devices) — current").arg(w.name).arg(w.size)
                                         : tr("%1 (%2 devices)").arg(w.name).arg(w.size));
        m_waveCards[i]->setSegments(rolloutSegments(w.counts));
    }
    m_wavesBox->setVisible(waves.size() > 1);
}

void RolloutDetailPanel::updateActions()
{
    const std::optional<RolloutState> state = m_snapshot ? std::optional(m_snapshot->rollout.state) : std::nullopt;
    const auto show = [this](Action a, bool visible) { m_buttons[int(a)]->setVisible(visible); };
    show(Action::Start, state == RolloutState::Scheduled);
    show(Action::Pause, state == RolloutState::Running);
    show(Action::Resume, state == RolloutState::Paused);
    show(Action::Abort, state == RolloutState::Running || state == RolloutState::Paused
                            || state == RolloutState::Scheduled);
    show(Action::Cancel, state && !isTerminal(*state));
    show(Action::RollBackFailed, state && isTerminal(*state) && m_snapshot->failedCount() > 0);
    const bool approval = state == RolloutState::Paused
                          && m_snapshot->rollout.stateReason.contains(QLatin1String("approve"), Qt::CaseInsensitive);
    m_buttons[int(Action::Resume)]->setText(approval ? tr("&Approve next wave") : tr("&Resume"));
}

void RolloutDetailPanel::setDevices(qint64 rolloutId, const QList<RolloutDevice> &devices)
{
    if (rolloutId != this->rolloutId())
        return;
    m_devices->setDevices(rolloutId, devices);
    m_tabs->setTabText(0, tr("Devices (%1)").arg(devices.size()));
}

void RolloutDetailPanel::setEvents(qint64 rolloutId, const QList<RolloutEvent> &events)
{
    if (rolloutId != this->rolloutId())
        return;
    m_timeline->clear();
    QList<QTreeWidgetItem *> items;
    for (auto it = events.crbegin(); it != events.crend(); ++it) {
        auto *item = new QTreeWidgetItem;
        item->setText(0, QDateTime::fromMSecsSinceEpoch(it->tsMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
        item->setText(1, QString(it->kind).replace(u'_', u' '));
        item->setText(2, it->actor);
        item->setText(3, it->detail);
        item->setToolTip(3, it->detail);
        items.append(item);
    }
    m_timeline->addTopLevelItems(items);
}

void RolloutDetailPanel::setRunnerMessage(const QString &message)
{
    m_runner->setText(message);
    m_runner->setVisible(!message.isEmpty());
}

} // namespace fd
