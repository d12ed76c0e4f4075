#pragma once

#include "core/ota/rollout.h"
#include "core/ota/rollout_snapshot.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;
class QTreeWidget;
class QGridLayout;

namespace fd {

class BreakdownCard;
class RolloutDeviceModel;

// One rollout in detail (Rollouts page): name, firmware, state and why, the actions its
// state allows (start, pause, resume / approve the next wave, abort, cancel, roll back the
// failed devices), progress overall and per wave (BreakdownCard), rate and time left, and
// three tabs: the devices (RolloutDeviceModel, filterable by state), the failure reasons
// grouped, and the timeline (rollout events, the audit trail of operator actions).
// The panel only shows and asks: actionRequested() goes to the page, which confirms and
// calls RolloutService.
class RolloutDetailPanel : public QWidget
{
    Q_OBJECT
public:
    enum class Action { Start, Pause, Resume, Abort, Cancel, RollBackFailed };

    explicit RolloutDetailPanel(QWidget *parent = nullptr);

    void setSnapshot(const std::optional<RolloutSnapshot> &snapshot);
    void setDevices(qint64 rolloutId, const QList<RolloutDevice> &devices);
    void setEvents(qint64 rolloutId, const QList<RolloutEvent> &events);
    // '' clears it ("waiting for a connection to …", "broker not reachable", …).
    void setRunnerMessage(const QString &message);

    qint64 rolloutId() const { return m_snapshot ? m_snapshot->rollout.id : 0; }
    RolloutDeviceModel *deviceModel() const { return m_devices; }
    QTableView *deviceTable() const { return m_deviceTable; }
    QTreeWidget *reasonList() const { return m_reasons; }
    QTreeWidget *timeline() const { return m_timeline; }
    QLabel *titleLabel() const { return m_title; }
    QLabel *stateLabel() const { return m_state; }
    QLabel *rateLabel() const { return m_rate; }
    BreakdownCard *overallCard() const { return m_overall; }
    static constexpr int kWaveColumns = 3;
    QList<BreakdownCard *> waveCards() const { return m_waveCards; }
    QPushButton *actionButton(Action action) const;

signals:
    void actionRequested(fd::RolloutDetailPanel::Action action, qint64 rolloutId);

private:
    void updateActions();
    void updateCards();

    std::optional<RolloutSnapshot> m_snapshot;
    QLabel *m_title;
    QLabel *m_state;
    QLabel *m_runner;
    QLabel *m_rate;
    QPushButton *m_buttons[6];
    BreakdownCard *m_overall;
    QWidget *m_wavesBox;
    QGridLayout *m_wavesLayout;
    QList<BreakdownCard *> m_waveCards;
    QTabWidget *m_tabs;
    QList<QWidget *> m_whenSelected;  // hidden while no rollout is selected
    RolloutDeviceModel *m_devices;
    QSortFilterProxyModel *m_proxy;
    QComboBox *m_stateFilter;
    QTableView *m_deviceTable;
    QTreeWidget *m_reasons;
    QTreeWidget *m_timeline;
};

} // namespace fd
