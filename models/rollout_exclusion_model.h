#pragma once

#include "core/ota/rollout_target_filter.h"

#include <QAbstractTableModel>
#include <QList>

namespace fd {

// The devices a rollout's filters matched but that cannot take the firmware, with why
// (rollout wizard, Targets page): device, source, model, firmware, reason. Thousands of rows
// are fine (a view, not a widget per row). setExcluded() replaces them on every filter change.
class RolloutExclusionModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { DeviceColumn, SourceColumn, ModelColumn, FirmwareColumn, ReasonColumn, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setExcluded(const QList<RolloutTargetFilter::Excluded> &excluded);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<RolloutTargetFilter::Excluded> m_excluded;
};

} // namespace fd
