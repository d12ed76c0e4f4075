#pragma once

#include "core/ota/rollout.h"

#include <QAbstractTableModel>
#include <QList>

namespace fd {

// A rollout's timeline (Rollouts page, Timeline tab), newest first: time, event, who, detail.
// setEvents() replaces it (read from the store when the rollout is selected or changes).
class RolloutEventModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TimeColumn, KindColumn, ActorColumn, DetailColumn, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    // events in store order (oldest first); shown newest first.
    void setEvents(qint64 rolloutId, const QList<RolloutEvent> &events);
    qint64 rolloutId() const { return m_rolloutId; }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    qint64 m_rolloutId = 0;
    QList<RolloutEvent> m_events;  // newest first
};

} // namespace fd
