#pragma once

#include "core/domain/alert_severity.h"
#include "core/domain/device_presence.h"
#include "core/domain/ingest_stats.h"
#include "models/fleet_presence_summary.h"
#include "core/ota/rollout_snapshot.h"

#include <QHash>
#include <QList>
#include <QTimer>
#include <QWidget>

#include <array>
#include <functional>

class QGridLayout;
class QLabel;
class QPushButton;
class QVBoxLayout;

namespace fd {

class AlertQueueModel;
class BreakdownCard;
class DashboardTile;
class DeviceInventoryModel;

// Overview: the page an operator opens first, a dashboard of cards rather than a table.
//  - Alerts needing attention by severity (AlertQueueModel::counts(); top-level alerts, as
//    the triage queue shows them by default): each tile opens the Triage page filtered to
//    its severity (severityRequested), the last one the whole queue (alertsRequested).
//  - Devices online / offline / unknown, in total and per source and per site
//    (FleetPresenceSummary). Recomputed at most every kPresenceIntervalMs, only after the
//    inventory changed and only while the page is shown (one pass over the compact rows:
//    cheap at 100k devices, and never per device update).
//  - Message rate and rejected-message rate (IngestStats, about once a second), with the
//    last minutes as a trend line.
//  - Rollouts in progress, one progress card each (setActiveRollouts); a click on
//    "Open Rollouts" goes to the Rollouts page (rolloutsRequested).
class OverviewPage : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kPresenceIntervalMs = 2000;
    static constexpr int kMaxCards = 24;  // per source / per site; the rest summed in one card
    static constexpr int kTrendPoints = 120;
    static constexpr int kMaxRolloutCards = 5;
    // The rejected rate shown: rejects over the last this many ms of statistics (a reject
    // every few seconds is a rate, not a flicker between 0 and 1 per second).
    static constexpr qint64 kRejectWindowMs = 30'000;

    OverviewPage(DeviceInventoryModel *inventory, AlertQueueModel *alerts, QWidget *parent = nullptr);

    using Clock = std::function<qint64()>;  // a monotonic clock in ms (default QElapsedTimer)

    // Without an alert service (no operations store) the alert tiles say so.
    void setAlertsAvailable(bool available);

    DashboardTile *severityTile(AlertSeverity severity) const { return m_severityTiles[size_t(severity)]; }
    DashboardTile *attentionTile() const { return m_attentionTile; }
    DashboardTile *presenceTile(DevicePresence presence) const;
    DashboardTile *messageRateTile() const { return m_messageRate; }
    DashboardTile *rejectRateTile() const { return m_rejectRate; }
    QList<BreakdownCard *> sourceCards() const { return m_sourceCards; }
    QList<BreakdownCard *> siteCards() const { return m_siteCards; }
    QWidget *rolloutsCard() const { return m_rollouts; }
    QList<BreakdownCard *> rolloutCards() const { return m_rolloutCards; }
    void setActiveRollouts(const QList<fd::RolloutSnapshot> &rollouts);
    const FleetPresenceSummary &presence() const { return m_presence; }
    // Recomputes the device counts now (tests; the page does it on its timer).
    void refreshPresenceNow();
    int presenceComputations() const { return m_presenceComputations; }
    // A recomputation is due (the inventory changed while the page is shown).
    bool isPresencePending() const { return m_presenceTimer.isActive(); }
    // The clock of the rejected rate (rejects between two statistics / the time between them).
    void setClock(Clock clock) { m_clock = std::move(clock); }

public slots:
    void setStats(const fd::IngestStats &stats);

signals:
    void severityRequested(fd::AlertSeverity severity);
    void alertsRequested();
    void inventoryRequested();
    void rolloutsRequested();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void updateAlertTiles();
    void markPresenceDirty();
    void updatePresence();
    void fillCards(QGridLayout *grid, QList<BreakdownCard *> &cards, const QList<FleetPresenceSummary::Group> &groups,
                   const QString &noName);
    QLabel *addHeading(const QString &text, QLayout *layout);

    DeviceInventoryModel *m_inventory;
    AlertQueueModel *m_alerts;
    FleetPresenceSummary m_presence;
    std::array<DashboardTile *, 5> m_severityTiles{};
    DashboardTile *m_attentionTile = nullptr;
    std::array<DashboardTile *, 3> m_presenceTiles{};  // online, offline, unknown
    DashboardTile *m_messageRate = nullptr;
    DashboardTile *m_rejectRate = nullptr;
    QLabel *m_summary = nullptr;
    QGridLayout *m_sourceGrid = nullptr;
    QGridLayout *m_siteGrid = nullptr;
    QList<BreakdownCard *> m_sourceCards;
    QList<BreakdownCard *> m_siteCards;
    QWidget *m_rollouts = nullptr;
    QVBoxLayout *m_rolloutsLayout = nullptr;
    QLabel *m_noRollouts = nullptr;
    QPushButton *m_rolloutsLink = nullptr;
    QList<BreakdownCard *> m_rolloutCards;
    QTimer m_presenceTimer;
    bool m_presenceDirty = true;
    int m_presenceComputations = 0;
    bool m_alertsAvailable = true;

    QList<double> m_rateTrend;
    QList<double> m_rejectTrend;
    Clock m_clock;
    qint64 m_lastStatsMs = -1;
    struct Interval
    {
        qint64 ms;
        quint64 rejected;
        quint64 received;
    };
    QList<Interval> m_rejectWindow;
    quint64 m_lastRejected = 0;
    quint64 m_lastReceived = 0;
};

} // namespace fd
