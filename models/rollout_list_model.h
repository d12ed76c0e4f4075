#pragma once

#include "core/ota/rollout_snapshot.h"

#include <QAbstractTableModel>
#include <QList>

namespace fd {

// Every rollout as a table (Rollouts page), newest first: name, firmware version, state,
// progress (finished of targeted), updated, failed, in progress, rate and time left, and
// when it started. updateRollout() changes one row in place (the runner's progress, a few
// times a second at most); setRollouts() replaces the list.
class RolloutListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        NameColumn, VersionColumn, StateColumn, ProgressColumn, UpdatedColumn, FailedColumn, InProgressColumn,
        EtaColumn, StartedColumn, ColumnCount
    };
    enum Role { SortRole = Qt::UserRole + 1, RolloutIdRole, ActiveRole, ProgressPercentRole };

    using QAbstractTableModel::QAbstractTableModel;

    void setRollouts(const QList<RolloutSnapshot> &rollouts);
    // Replaces the row of snapshot.rollout.id, or inserts it at the top (a new rollout).
    void updateRollout(const RolloutSnapshot &snapshot);
    const QList<RolloutSnapshot> &rollouts() const { return m_rollouts; }
    const RolloutSnapshot *rolloutAt(int row) const;
    int rowOfRollout(qint64 id) const;  // -1 if unknown

    // "3 h 20 min", "4 min", "< 1 min"; '' when unknown.
    static QString durationText(qint64 ms);
    // "running", "paused: approve wave 2", ...
    static QString stateText(const RolloutSnapshot &snapshot);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<RolloutSnapshot> m_rollouts;
};

} // namespace fd
