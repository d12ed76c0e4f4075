#include "models/rollout_event_model.h"

#include "models/connection_state_style.h"

#include <QDateTime>

#include <algorithm>

namespace fd {

void RolloutEventModel::setEvents(qint64 rolloutId, const QList<RolloutEvent> &events)
{
    beginResetModel();
    m_rolloutId = rolloutId;
    m_events = events;
    std::reverse(m_events.begin(), m_events.end());
    endResetModel();
}

int RolloutEventModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int RolloutEventModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RolloutEventModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_events.size())
        return {};
    const RolloutEvent &e = m_events.at(index.row());
    if (role == Qt::ToolTipRole)  // actors and details (device reasons, names) may look like markup
        return plainTextToolTip(data(index, Qt::DisplayRole).toString());
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case TimeColumn:
        return QDateTime::fromMSecsSinceEpoch(e.tsMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case KindColumn:
        return QString(e.kind).replace(u'_', u' ');
    case ActorColumn:
        return e.actor;
    case DetailColumn:
        return e.detail;
    default:
        return {};
    }
}

QVariant RolloutEventModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("Time");
    case KindColumn: return tr("Event");
    case ActorColumn: return tr("By");
    case DetailColumn: return tr("Detail");
    default: return {};
    }
}

} // namespace fd
