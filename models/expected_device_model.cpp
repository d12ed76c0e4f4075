#include "models/expected_device_model.h"

#include <QDateTime>

#include <algorithm>

namespace fd {

void ExpectedDeviceModel::setDevices(const QList<ExpectedDevice> &devices)
{
    bool sameRows = devices.size() == m_rows.size();
    for (qsizetype i = 0; sameRows && i < devices.size(); ++i)
        sameRows = devices.at(i).serial == m_rows.at(i).serial;
    if (!sameRows) {
        beginResetModel();
        m_rows = devices;
        endResetModel();
    } else {
        for (qsizetype i = 0; i < devices.size(); ++i) {
            if (devices.at(i) == m_rows.at(i))
                continue;
            m_rows[i] = devices.at(i);
            emit dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
        }
    }
    emit countsChanged(enrolledCount(), int(m_rows.size()));
}

const ExpectedDevice *ExpectedDeviceModel::deviceAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

int ExpectedDeviceModel::rowOfSerial(const QString &serial) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).serial == serial)
            return int(i);
    }
    return -1;
}

int ExpectedDeviceModel::enrolledCount() const
{
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(),
                             [](const ExpectedDevice &d) { return d.state == ExpectedDevice::State::Enrolled; }));
}

int ExpectedDeviceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ExpectedDeviceModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ExpectedDeviceModel::data(const QModelIndex &index, int role) const
{
    const ExpectedDevice *d = index.isValid() ? deviceAt(index.row()) : nullptr;
    if (!d)
        return {};
    const bool enrolled = d->state == ExpectedDevice::State::Enrolled;
    switch (role) {
    case SerialRole:
        return d->serial;
    case EnrolledRole:
        return enrolled;
    case Qt::DisplayRole:
    case SortRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case SerialColumn: return d->serial;
    case ModelColumn: return d->model;
    case DeviceIdColumn: return d->deviceId;
    case NameColumn: return d->name;
    case SiteColumn: return d->site;
    case TagsColumn: return d->tags.join(QStringLiteral(", "));
    case StateColumn:
        if (role == SortRole)
            return enrolled ? d->enrolledMs : qint64(0);
        if (enrolled && d->enrolledMs > 0)
            return tr("enrolled %1")
                .arg(QDateTime::fromMSecsSinceEpoch(d->enrolledMs).toString(QStringLiteral("yyyy-MM-dd HH:mm")));
        return enrolled ? tr("enrolled") : tr("expected");
    default:
        return {};
    }
}

QVariant ExpectedDeviceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SerialColumn: return tr("Serial");
    case ModelColumn: return tr("Model");
    case DeviceIdColumn: return tr("Device id");
    case NameColumn: return tr("Name");
    case SiteColumn: return tr("Site");
    case TagsColumn: return tr("Tags");
    case StateColumn: return tr("State");
    default: return {};
    }
}

} // namespace fd
