#include "ui/overview_page.h"

#include "ui/rollout_segments.h"

#include "models/alert_queue_model.h"
#include "models/alert_style.h"
#include "models/device_inventory_model.h"
#include "models/device_presence_style.h"
#include "models/message_rate.h"
#include "widgets/breakdown_card.h"
#include "widgets/dashboard_tile.h"

#include <QElapsedTimer>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QLocale>
#include <QScrollArea>
#include <QShowEvent>
#include <QVBoxLayout>

#include <cmath>

namespace fd {

namespace {

constexpr int kCardColumns = 3;

QColor neutralAccent()
{
    return QColor(0x5b, 0x6b, 0x7f);
}

void appendTrend(QList<double> &trend, double value, int maximum)
{
    trend.append(value);
    while (trend.size() > maximum)
        trend.removeFirst();
}

} // namespace

OverviewPage::OverviewPage(DeviceInventoryModel *inventory, AlertQueueModel *alerts, QWidget *parent)
    : QWidget(parent)
    , m_inventory(inventory)
    , m_alerts(alerts)
{
    m_clock = [timer = std::make_shared<QElapsedTimer>()] {
        if (!timer->isValid())
            timer->start();
        return timer->elapsed();
    };
    setObjectName(QStringLiteral("overviewPage"));
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    outer->addWidget(scroll);
    auto *content = new QWidget(scroll);
    scroll->setWidget(content);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(16, 14, 16, 14);
    layout->setSpacing(10);

    QLabel *title = addHeading(tr("Fleet overview"), layout);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    title->setFont(titleFont);
    m_summary = new QLabel(content);
    m_summary->setObjectName(QStringLiteral("overviewSummary"));
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_summary);

    // Alerts: one tile per severity, then the whole queue.
    addHeading(tr("Alerts needing attention"), layout);
    auto *alertRow = new QHBoxLayout;
    alertRow->setSpacing(10);
    for (AlertSeverity s : kAllAlertSeverities) {
        auto *tile = new DashboardTile(content);
        tile->setObjectName(QStringLiteral("severityTile-%1").arg(alertSeverityKey(s).toLower()));
        tile->setTitle(alertSeverityLabel(s));
        tile->setAccentColor(alertSeverityColor(s));
        connect(tile, &QAbstractButton::clicked, this, [this, s] { emit severityRequested(s); });
        m_severityTiles[size_t(s)] = tile;
        alertRow->addWidget(tile);
    }
    m_attentionTile = new DashboardTile(content);
    m_attentionTile->setObjectName(QStringLiteral("attentionTile"));
    m_attentionTile->setTitle(tr("All severities"));
    m_attentionTile->setAccentColor(neutralAccent());
    m_attentionTile->setToolTip(tr("Open the triage queue"));
    connect(m_attentionTile, &QAbstractButton::clicked, this, &OverviewPage::alertsRequested);
    alertRow->addWidget(m_attentionTile);
    layout->addLayout(alertRow);

    // Devices and ingest.
    addHeading(tr("Devices and messages"), layout);
    auto *deviceRow = new QHBoxLayout;
    deviceRow->setSpacing(10);
    const std::pair<DevicePresence, QString> presences[] = {
        {DevicePresence::Online, tr("Online")},
        {DevicePresence::Offline, tr("Offline")},
        {DevicePresence::Unknown, tr("Unknown")},
    };
    for (size_t i = 0; i < std::size(presences); ++i) {
        const auto &[presence, label] = presences[i];
        auto *tile = new DashboardTile(content);
        tile->setObjectName(QStringLiteral("presenceTile-%1").arg(i));
        tile->setTitle(label);
        tile->setAccentColor(devicePresenceColor(presence));
        tile->setToolTip(tr("Open the inventory"));
        connect(tile, &QAbstractButton::clicked, this, &OverviewPage::inventoryRequested);
        m_presenceTiles[i] = tile;
        deviceRow->addWidget(tile);
    }
    m_presenceTiles[2]->setCaption(tr("source not connected"));
    m_messageRate = new DashboardTile(content);
    m_messageRate->setObjectName(QStringLiteral("messageRateTile"));
    m_messageRate->setTitle(tr("Messages"));
    m_messageRate->setAccentColor(QColor(0x2e, 0x7d, 0xb5));
    m_messageRate->setClickable(false);
    m_rejectRate = new DashboardTile(content);
    m_rejectRate->setObjectName(QStringLiteral("rejectRateTile"));
    m_rejectRate->setTitle(tr("Rejected messages"));
    m_rejectRate->setAccentColor(QColor(0xd3, 0x4a, 0x1a));
    m_rejectRate->setClickable(false);
    deviceRow->addWidget(m_messageRate);
    deviceRow->addWidget(m_rejectRate);
    layout->addLayout(deviceRow);

    // Per source and per site.
    auto *breakdown = new QHBoxLayout;
    breakdown->setSpacing(16);
    auto *sourceColumn = new QVBoxLayout;
    addHeading(tr("By source"), sourceColumn);
    m_sourceGrid = new QGridLayout;
    m_sourceGrid->setSpacing(8);
    sourceColumn->addLayout(m_sourceGrid);
    sourceColumn->addStretch(1);
    auto *siteColumn = new QVBoxLayout;
    addHeading(tr("By site"), siteColumn);
    m_siteGrid = new QGridLayout;
    m_siteGrid->setSpacing(8);
    siteColumn->addLayout(m_siteGrid);
    siteColumn->addStretch(1);
    breakdown->addLayout(sourceColumn, 1);
    breakdown->addLayout(siteColumn, 2);
    layout->addLayout(breakdown);

    // Rollouts in progress: one progress card each (the first kMaxRolloutCards).
    addHeading(tr("Rollouts"), layout);
    auto *rollouts = new QFrame(content);
    rollouts->setObjectName(QStringLiteral("rolloutsCard"));
    rollouts->setFrameShape(QFrame::StyledPanel);
    rollouts->setAutoFillBackground(true);
    rollouts->setBackgroundRole(QPalette::Base);
    m_rolloutsLayout = new QVBoxLayout(rollouts);
    m_noRollouts = new QLabel(tr("No rollout in progress."), rollouts);
    m_noRollouts->setTextFormat(Qt::PlainText);
    QFont bold = m_noRollouts->font();
    bold.setBold(true);
    m_noRollouts->setFont(bold);
    m_rolloutsLink = new QPushButton(tr("Open Rollouts"), rollouts);
    m_rolloutsLink->setFlat(true);
    connect(m_rolloutsLink, &QPushButton::clicked, this, &OverviewPage::rolloutsRequested);
    m_rolloutsLayout->addWidget(m_noRollouts);
    m_rolloutsLayout->addWidget(m_rolloutsLink, 0, Qt::AlignLeft);
    m_rollouts = rollouts;
    layout->addWidget(rollouts);
    layout->addStretch(1);

    // Tab order: the clickable tiles in reading order.
    QWidget *previous = nullptr;
    for (DashboardTile *tile : content->findChildren<DashboardTile *>()) {
        if (!tile->isClickable())
            continue;
        if (previous)
            setTabOrder(previous, tile);
        previous = tile;
    }

    m_presenceTimer.setSingleShot(true);
    m_presenceTimer.setInterval(kPresenceIntervalMs);
    connect(&m_presenceTimer, &QTimer::timeout, this, &OverviewPage::updatePresence);
    connect(m_inventory, &DeviceInventoryModel::countsChanged, this, &OverviewPage::markPresenceDirty);
    connect(m_inventory, &QAbstractItemModel::rowsInserted, this, &OverviewPage::markPresenceDirty);
    connect(m_inventory, &QAbstractItemModel::rowsRemoved, this, &OverviewPage::markPresenceDirty);
    connect(m_inventory, &QAbstractItemModel::modelReset, this, &OverviewPage::markPresenceDirty);
    connect(m_inventory, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &, const QModelIndex &, const QList<int> &roles) {
                // The per-second "last seen" refresh changes no status or site.
                if (roles.isEmpty() || roles.contains(DeviceInventoryModel::PresenceRole)
                    || roles.contains(DeviceInventoryModel::SortRole))
                    markPresenceDirty();
            });
    connect(m_alerts, &AlertQueueModel::countsChanged, this, &OverviewPage::updateAlertTiles);
    connect(m_alerts, &QAbstractItemModel::modelReset, this, &OverviewPage::updateAlertTiles);
    updateAlertTiles();
    setStats(IngestStats{});
    refreshPresenceNow();
}

QLabel *OverviewPage::addHeading(const QString &text, QLayout *layout)
{
    auto *label = new QLabel(text, layout->parentWidget() ? layout->parentWidget() : this);
    label->setTextFormat(Qt::PlainText);
    QFont f = label->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.08);
    label->setFont(f);
    label->setContentsMargins(0, 6, 0, 0);
    layout->addWidget(label);
    return label;
}

DashboardTile *OverviewPage::presenceTile(DevicePresence presence) const
{
    switch (presence) {
    case DevicePresence::Online: return m_presenceTiles[0];
    case DevicePresence::Offline: return m_presenceTiles[1];
    case DevicePresence::Unknown: return m_presenceTiles[2];
    }
    return nullptr;
}

void OverviewPage::setAlertsAvailable(bool available)
{
    m_alertsAvailable = available;
    updateAlertTiles();
}

void OverviewPage::updateAlertTiles()
{
    const QLocale locale;
    const AlertQueueModel::Counts counts = m_alerts->counts();
    for (AlertSeverity s : kAllAlertSeverities) {
        DashboardTile *tile = m_severityTiles[size_t(s)];
        const size_t i = size_t(s);
        if (!m_alertsAvailable) {
            tile->setValue(tr("—"));
            tile->setCaption(tr("needs the operations store"));
            tile->setMuted(true);
            continue;
        }
        tile->setValue(locale.toString(counts.needsAttention[i]));
        tile->setCaption(tr("%1 unacked · %2 open")
                             .arg(locale.toString(counts.unackedActive[i]), locale.toString(counts.open[i])));
        tile->setToolTip(tr("%1 alerts need attention: %2 active and not acknowledged yet; %3 open in all "
                            "(cleared and acknowledged, snoozed and grouped ones too). Click: the triage queue "
                            "of %1 alerts.")
                             .arg(alertSeverityLabel(s))
                             .arg(counts.unackedActive[i])
                             .arg(counts.open[i]));
        tile->setMuted(counts.needsAttention[i] == 0);
    }
    m_attentionTile->setValue(m_alertsAvailable ? locale.toString(counts.totalNeedsAttention()) : tr("—"));
    m_attentionTile->setCaption(m_alertsAvailable ? tr("%1 open in total").arg(locale.toString(counts.total()))
                                                  : tr("needs the operations store"));
    m_attentionTile->setMuted(!m_alertsAvailable || counts.totalNeedsAttention() == 0);
}

void OverviewPage::markPresenceDirty()
{
    m_presenceDirty = true;
    if (isVisible() && !m_presenceTimer.isActive())
        m_presenceTimer.start();
}

void OverviewPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_presenceDirty)
        updatePresence();
}

void OverviewPage::refreshPresenceNow()
{
    m_presenceDirty = true;
    updatePresence();
}

void OverviewPage::updatePresence()
{
    if (!m_presenceDirty)
        return;
    m_presenceDirty = false;
    ++m_presenceComputations;
    m_presence.compute(*m_inventory);
    const QLocale locale;
    const FleetPresenceSummary::Counts &total = m_presence.total();
    const int counts[] = {total.online, total.offline, total.unknown};
    for (size_t i = 0; i < m_presenceTiles.size(); ++i) {
        m_presenceTiles[i]->setValue(locale.toString(counts[i]));
        m_presenceTiles[i]->setMuted(counts[i] == 0);
    }
    const int devices = total.total();
    m_presenceTiles[0]->setCaption(devices > 0 ? tr("%1 % of %Ln device(s)", nullptr, devices)
                                                     .arg(locale.toString(100.0 * total.online / devices, 'f', 0))
                                               : tr("no devices yet"));
    m_presenceTiles[1]->setCaption(devices > 0 ? tr("%1 %").arg(locale.toString(100.0 * total.offline / devices, 'f', 0))
                                               : QString());
    m_summary->setText(tr("%1 on %2 at %3.")
                           .arg(tr("%Ln device(s)", nullptr, devices),
                                tr("%Ln source(s)", nullptr, int(m_presence.bySource().size())),
                                tr("%Ln site(s)", nullptr, int(m_presence.bySite().size()))));
    fillCards(m_sourceGrid, m_sourceCards, m_presence.bySource(), tr("(no source)"));
    fillCards(m_siteGrid, m_siteCards, m_presence.bySite(), tr("(no site)"));
}

void OverviewPage::fillCards(QGridLayout *grid, QList<BreakdownCard *> &cards,
                             const QList<FleetPresenceSummary::Group> &groups, const QString &noName)
{
    // The first kMaxCards - 1 groups, and the rest together in the last card.
    QList<FleetPresenceSummary::Group> shown = groups;
    if (shown.size() > kMaxCards) {
        FleetPresenceSummary::Group rest;
        rest.name = tr("%n more", nullptr, int(shown.size() - (kMaxCards - 1)));
        for (qsizetype i = kMaxCards - 1; i < shown.size(); ++i) {
            rest.counts.online += shown.at(i).counts.online;
            rest.counts.offline += shown.at(i).counts.offline;
            rest.counts.unknown += shown.at(i).counts.unknown;
        }
        shown.resize(kMaxCards - 1);
        shown.append(rest);
    }
    while (cards.size() > shown.size())
        delete cards.takeLast();
    const int columns = grid == m_siteGrid ? kCardColumns : qMax(1, kCardColumns - 2);
    while (cards.size() < shown.size()) {
        auto *card = new BreakdownCard(grid->parentWidget());
        const int at = int(cards.size());
        grid->addWidget(card, at / columns, at % columns);
        cards.append(card);
    }
    for (qsizetype i = 0; i < shown.size(); ++i) {
        const FleetPresenceSummary::Group &g = shown.at(i);
        cards[i]->setTitle(g.name.isEmpty() ? noName : g.name);
        cards[i]->setSegments({
            {tr("online"), g.counts.online, devicePresenceColor(DevicePresence::Online)},
            {tr("offline"), g.counts.offline, devicePresenceColor(DevicePresence::Offline)},
            {tr("unknown"), g.counts.unknown, devicePresenceColor(DevicePresence::Unknown)},
        });
    }
}

void OverviewPage::setStats(const IngestStats &stats)
{
    m_messageRate->setValue(formatMessageRate(stats.messagesPerSecond));
    appendTrend(m_rateTrend, std::isfinite(stats.messagesPerSecond) ? stats.messagesPerSecond : 0.0, kTrendPoints);
    m_messageRate->setTrend(m_rateTrend);
    m_messageRate->setCaption(tr("%1 received in total").arg(QLocale().toString(stats.received)));

    // The rejected rate: rejects per second since the last statistics (about a second ago).
    const qint64 nowMs = m_clock();
    const qint64 elapsed = m_lastStatsMs >= 0 ? nowMs - m_lastStatsMs : 0;
    m_lastStatsMs = nowMs;
    if (elapsed > 0 && stats.rejected >= m_lastRejected && stats.received >= m_lastReceived) {
        const quint64 rejectedNow = stats.rejected - m_lastRejected;
        appendTrend(m_rejectTrend, double(rejectedNow) * 1000.0 / double(elapsed), kTrendPoints);
        m_rejectRate->setTrend(m_rejectTrend);
        m_rejectWindow.append({elapsed, rejectedNow, stats.received - m_lastReceived});
        qint64 windowMs = 0;
        quint64 rejected = 0;
        quint64 received = 0;
        for (qsizetype i = m_rejectWindow.size() - 1; i >= 0; --i) {
            if (windowMs >= kRejectWindowMs) {
                m_rejectWindow.remove(0, i + 1);
                break;
            }
            windowMs += m_rejectWindow.at(i).ms;
            rejected += m_rejectWindow.at(i).rejected;
            received += m_rejectWindow.at(i).received;
        }
        const double rate = double(rejected) * 1000.0 / double(windowMs);
        // A reject now and then is not "0.0 msg/s".
        m_rejectRate->setValue(rejected > 0 && rate < 0.05 ? tr("< %1").arg(formatMessageRate(0.1))
                                                           : formatMessageRate(rate));
        m_rejectRate->setCaption(received > 0 ? tr("%1 % of received").arg(QLocale().toString(100.0 * double(rejected) / double(received), 'f', 1))
                                              : tr("%1 rejected in total").arg(QLocale().toString(stats.rejected)));
        m_rejectRate->setMuted(rejected == 0);
    } else {
        // The first statistics, or counters reset (Diagnostics > Reset Counters).
        m_rejectWindow.clear();
        m_rejectRate->setValue(formatMessageRate(-1));
        m_rejectRate->setCaption(tr("%1 rejected in total").arg(QLocale().toString(stats.rejected)));
        m_rejectRate->setMuted(true);
    }
    m_lastRejected = stats.rejected;
    m_lastReceived = stats.received;
}

} // namespace fd

namespace fd {

void OverviewPage::setActiveRollouts(const QList<RolloutSnapshot> &rollouts)
{
    QList<const RolloutSnapshot *> active;
    for (const RolloutSnapshot &r : rollouts) {
        if (r.isActive() && active.size() < kMaxRolloutCards)
            active.append(&r);
    }
    while (m_rolloutCards.size() > active.size())
        delete m_rolloutCards.takeLast();
    while (m_rolloutCards.size() < active.size()) {
        auto *card = new BreakdownCard(m_rollouts);
        m_rolloutsLayout->insertWidget(int(m_rolloutCards.size()), card);
        m_rolloutCards.append(card);
    }
    for (qsizetype i = 0; i < active.size(); ++i) {
        const RolloutSnapshot &r = *active.at(i);
        m_rolloutCards[i]->setTitle(tr("%1 — %2 — %3: %4 of %5 finished")
                                        .arg(r.rollout.name, r.version, rolloutStateKey(r.rollout.state))
                                        .arg(r.finished())
                                        .arg(r.total()));
        m_rolloutCards[i]->setSegments(rolloutSegments(r.summary.counts));
    }
    m_noRollouts->setVisible(active.isEmpty());
}

} // namespace fd
