#include "models/rollout_device_model.h"

#include "models/connection_state_style.h"

#include "core/ota/ota_device_state.h"

#include <QDateTime>

namespace fd {

namespace {

bool sameRows(const QList<RolloutDevice> &a, const QList<RolloutDevice> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a.at(i).key != b.at(i).key)
            return false;
    }
    return true;
}

} // namespace

void RolloutDeviceModel::setDevices(qint64 rolloutId, const QList<RolloutDevice> &devices)
{
    if (rolloutId == m_rolloutId && sameRows(m_devices, devices)) {
        for (qsizetype i = 0; i < devices.size(); ++i) {
            if (m_devices.at(i) == devices.at(i))
                continue;
            m_devices[i] = devices.at(i);
            emit dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
        }
        return;
    }
    beginResetModel();
    m_rolloutId = rolloutId;
    m_devices = devices;
    endResetModel();
}

void RolloutDeviceModel::clear()
{
    setDevices(0, {});
}

const RolloutDevice *RolloutDeviceModel::deviceAt(int row) const
{
    return row >= 0 && row < m_devices.size() ? &m_devices.at(row) : nullptr;
}

QString RolloutDeviceModel::waveName(int wave)
{
    return wave == 0 ? tr("canary") : tr("wave %1").arg(wave);
}

int RolloutDeviceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_devices.size());
}

int RolloutDeviceModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RolloutDeviceModel::data(const QModelIndex &index, int role) const
{
    const RolloutDevice *d = index.isValid() ? deviceAt(index.row()) : nullptr;
    if (!d)
        return {};
    if (role == StateRole)
        return int(d->state);
    if (role == FailureRole)
        return isFailure(d->state);
    if (role == Qt::ToolTipRole) {
        // The source is the operator's name for a broker, the reason the device's own words:
        // shown literally.
        if (index.column() == DeviceColumn)
            return plainTextToolTip(tr("%1 on %2").arg(d->key.path, d->key.source));
        if (index.column() == ReasonColumn && !d->reason.isEmpty())
            return plainTextToolTip(d->reason);
        if (index.column() == StateColumn && !d->jobId.isEmpty())
            return tr("job %1").arg(d->jobId);
        return {};
    }
    if (role == Qt::TextAlignmentRole) {
        switch (index.column()) {
        case WaveColumn:
        case ProgressColumn:
        case AttemptColumn:
            return int(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool sort = role == SortRole;
    switch (index.column()) {
    case DeviceColumn:
        return d->deviceId;
    case ModelColumn:
        return d->model;
    case WaveColumn:
        return sort ? QVariant(d->wave) : QVariant(waveName(d->wave));
    case StateColumn:
        return sort ? QVariant(int(d->state)) : QVariant(otaDeviceStateKey(d->state).replace(u'_', u' '));
    case ProgressColumn:
        if (sort)
            return d->progress;
        return d->state == OtaDeviceState::Downloading ? tr("%1 %").arg(d->progress) : QString();
    case AttemptColumn:
        return sort ? QVariant(d->attempt) : (d->attempt > 0 ? QVariant(d->attempt) : QVariant(QString()));
    case FromColumn:
        return d->toVersion.isEmpty() ? d->fromVersion : tr("%1 → %2").arg(d->fromVersion, d->toVersion);
    case ReasonColumn:
        return d->reason;
    case UpdatedColumn:
        if (sort)
            return d->updatedMs;
        return d->updatedMs > 0 ? QDateTime::fromMSecsSinceEpoch(d->updatedMs).toString(QStringLiteral("HH:mm:ss"))
                                : QString();
    default:
        return {};
    }
}

QVariant RolloutDeviceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case DeviceColumn: return tr("Device");
    case ModelColumn: return tr("Model");
    case WaveColumn: return tr("Wave");
    case StateColumn: return tr("State");
    case ProgressColumn: return tr("Download");
    case AttemptColumn: return tr("Attempt");
    case FromColumn: return tr("Firmware");
    case ReasonColumn: return tr("Reason");
    case UpdatedColumn: return tr("Changed");
    default: return {};
    }
}

} // namespace fd
