#include "models/rollout_list_model.h"

#include <QDateTime>

#include <algorithm>

namespace fd {

void RolloutListModel::setRollouts(const QList<RolloutSnapshot> &rollouts)
{
    beginResetModel();
    m_rollouts = rollouts;
    std::stable_sort(m_rollouts.begin(), m_rollouts.end(), [](const RolloutSnapshot &a, const RolloutSnapshot &b) {
        return a.rollout.id > b.rollout.id;
    });
    endResetModel();
}

void RolloutListModel::updateRollout(const RolloutSnapshot &snapshot)
{
    const int row = rowOfRollout(snapshot.rollout.id);
    if (row >= 0) {
        m_rollouts[row] = snapshot;
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
        return;
    }
    // Newest first: a new rollout has the largest id, but keep the order whatever comes.
    const auto at = std::find_if(m_rollouts.cbegin(), m_rollouts.cend(), [&snapshot](const RolloutSnapshot &s) {
        return s.rollout.id < snapshot.rollout.id;
    });
    const int insertAt = int(at - m_rollouts.cbegin());
    beginInsertRows(QModelIndex(), insertAt, insertAt);
    m_rollouts.insert(insertAt, snapshot);
    endInsertRows();
}

const RolloutSnapshot *RolloutListModel::rolloutAt(int row) const
{
    return row >= 0 && row < m_rollouts.size() ? &m_rollouts.at(row) : nullptr;
}

int RolloutListModel::rowOfRollout(qint64 id) const
{
    for (qsizetype i = 0; i < m_rollouts.size(); ++i) {
        if (m_rollouts.at(i).rollout.id == id)
            return int(i);
    }
    return -1;
}

QString RolloutListModel::durationText(qint64 ms)
{
    if (ms < 0)
        return {};
    const qint64 minutes = (ms + 59'999) / 60'000;
    if (ms < 60'000)
        return tr("< 1 min");
    if (minutes < 60)
        return tr("%1 min").arg(minutes);
    const qint64 hours = minutes / 60;
    if (hours < 48)
        return tr("%1 h %2 min").arg(hours).arg(minutes % 60);
    return tr("%1 d %2 h").arg(hours / 24).arg(hours % 24);
}

QString RolloutListModel::stateText(const RolloutSnapshot &snapshot)
{
    const QString state = rolloutStateKey(snapshot.rollout.state);
    if (snapshot.rollout.stateReason.isEmpty())
        return state;
    return tr("%1: %2").arg(state, snapshot.rollout.stateReason);
}

int RolloutListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rollouts.size());
}

int RolloutListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RolloutListModel::data(const QModelIndex &index, int role) const
{
    const RolloutSnapshot *s = index.isValid() ? rolloutAt(index.row()) : nullptr;
    if (!s)
        return {};
    const int percent = s->total() > 0 ? int(qint64(s->finished()) * 100 / s->total()) : 0;
    switch (role) {
    case RolloutIdRole:
        return s->rollout.id;
    case ActiveRole:
        return s->isActive();
    case ProgressPercentRole:
        return percent;
    case Qt::ToolTipRole:
        if (index.column() == StateColumn || index.column() == NameColumn)
            return stateText(*s);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() >= ProgressColumn && index.column() <= InProgressColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::DisplayRole:
    case SortRole:
        break;
    default:
        return {};
    }
    const bool sort = role == SortRole;
    switch (index.column()) {
    case NameColumn:
        return sort ? QVariant(s->rollout.id) : QVariant(s->rollout.name);
    case VersionColumn:
        return s->version;
    case StateColumn:
        return sort ? QVariant(int(s->rollout.state)) : QVariant(rolloutStateKey(s->rollout.state));
    case ProgressColumn:
        return sort ? QVariant(percent) : QVariant(tr("%1 % (%2/%3)").arg(percent).arg(s->finished()).arg(s->total()));
    case UpdatedColumn:
        return s->count(OtaDeviceState::Updated);
    case FailedColumn:
        return s->failedCount();
    case InProgressColumn:
        return s->inProgress();
    case EtaColumn:
        if (sort)
            return s->etaMs;
        return s->isActive() ? durationText(s->etaMs) : QString();
    case StartedColumn:
        if (sort)
            return s->rollout.startedMs;
        return s->rollout.startedMs > 0
                   ? QDateTime::fromMSecsSinceEpoch(s->rollout.startedMs).toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                   : tr("not started");
    default:
        return {};
    }
}

QVariant RolloutListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Rollout");
    case VersionColumn: return tr("Firmware");
    case StateColumn: return tr("State");
    case ProgressColumn: return tr("Finished");
    case UpdatedColumn: return tr("Updated");
    case FailedColumn: return tr("Failed");
    case InProgressColumn: return tr("In progress");
    case EtaColumn: return tr("Time left");
    case StartedColumn: return tr("Started");
    default: return {};
    }
}

} // namespace fd
