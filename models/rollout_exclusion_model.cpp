#include "models/rollout_exclusion_model.h"

#include "models/connection_state_style.h"

namespace fd {

void RolloutExclusionModel::setExcluded(const QList<RolloutTargetFilter::Excluded> &excluded)
{
    beginResetModel();
    m_excluded = excluded;
    endResetModel();
}

int RolloutExclusionModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_excluded.size());
}

int RolloutExclusionModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RolloutExclusionModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_excluded.size())
        return {};
    if (role == Qt::ToolTipRole)  // device names, sources and models may look like markup
        return plainTextToolTip(data(index, Qt::DisplayRole).toString());
    if (role != Qt::DisplayRole)
        return {};
    const RolloutTargetFilter::Excluded &x = m_excluded.at(index.row());
    switch (index.column()) {
    case DeviceColumn: {
        const QString id = x.device.key().id();
        return x.device.name.isEmpty() || x.device.name == id ? id : tr("%1 (%2)").arg(id, x.device.name);
    }
    case SourceColumn: return x.device.source;
    case ModelColumn: return x.device.model;
    case FirmwareColumn: return x.device.fwVersion;
    case ReasonColumn: return x.reason;
    default: return {};
    }
}

QVariant RolloutExclusionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case DeviceColumn: return tr("Device");
    case SourceColumn: return tr("Source");
    case ModelColumn: return tr("Model");
    case FirmwareColumn: return tr("Firmware");
    case ReasonColumn: return tr("Why it is left out");
    default: return {};
    }
}

} // namespace fd
