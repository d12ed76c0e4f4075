#include "models/device_filter_proxy_model.h"

#include "models/device_inventory_model.h"

namespace fd {

DeviceFilterProxyModel::DeviceFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(DeviceInventoryModel::SortRole);
    // Filtering does not look at a role; a role the inventory never changes keeps
    // QSortFilterProxyModel from re-filtering on display-only updates.
    setFilterRole(DeviceInventoryModel::DeviceIdRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
}

void DeviceFilterProxyModel::setInventoryModel(DeviceInventoryModel *model)
{
    if (m_inventory)
        disconnect(m_inventory, nullptr, this, nullptr);
    m_inventory = model;
    if (model) {
        // Connected before setSourceModel() so it runs before QSortFilterProxyModel's own
        // handler, and the second one after it (slots run in connection order).
        connect(model, &QAbstractItemModel::dataChanged, this, &DeviceFilterProxyModel::beforeSourceDataChanged);
    }
    setSourceModel(model);
    if (model) {
        connect(model, &QAbstractItemModel::dataChanged, this, [this] { m_filterValuesUnchanged = false; });
    }
}

void DeviceFilterProxyModel::beforeSourceDataChanged(const QModelIndex &, const QModelIndex &,
                                                     const QList<int> &roles)
{
    m_filterValuesUnchanged = !roles.isEmpty() && !roles.contains(DeviceInventoryModel::SortRole);
}

void DeviceFilterProxyModel::setFilter(const DeviceFilter &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    invalidateFilter();
    emit filterChanged();
}

QString DeviceFilterProxyModel::deviceIdAt(int proxyRow) const
{
    if (proxyRow < 0 || proxyRow >= rowCount())
        return {};
    return index(proxyRow, 0).data(DeviceInventoryModel::DeviceIdRole).toString();
}

int DeviceFilterProxyModel::proxyRowOf(const QString &deviceId) const
{
    if (!m_inventory)
        return -1;
    const int sourceRow = m_inventory->rowOf(deviceId);
    if (sourceRow < 0)
        return -1;
    return mapFromSource(m_inventory->index(sourceRow, 0)).row();
}

bool DeviceFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid() || !m_inventory)
        return false;
    if (m_filter.isEmpty())
        return true;
    if (m_filterValuesUnchanged) {
        // Nothing the filter reads has changed: keep the row where it is.
        return mapFromSource(m_inventory->index(sourceRow, 0)).isValid();
    }
    const Device *device = m_inventory->deviceAt(sourceRow);
    return device && acceptsDevice(*device);
}

bool DeviceFilterProxyModel::lessThan(const QModelIndex &sourceLeft, const QModelIndex &sourceRight) const
{
    if (!m_inventory || sortRole() != DeviceInventoryModel::SortRole)
        return QSortFilterProxyModel::lessThan(sourceLeft, sourceRight);
    const Device *a = m_inventory->deviceAt(sourceLeft.row());
    const Device *b = m_inventory->deviceAt(sourceRight.row());
    if (!a || !b)
        return QSortFilterProxyModel::lessThan(sourceLeft, sourceRight);
    return DeviceInventoryModel::lessThan(*a, *b, sourceLeft.column());
}

bool DeviceFilterProxyModel::acceptsDevice(const Device &device) const
{
    return m_filter.matches(device);
}

} // namespace fd
