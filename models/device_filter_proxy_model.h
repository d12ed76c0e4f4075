#pragma once

#include "core/domain/device_filter.h"

#include <QSortFilterProxyModel>

namespace fd {

class DeviceInventoryModel;

// Sorts DeviceInventoryModel by its SortRole and filters with fd::DeviceFilter (the logic
// lives in core; this only calls DeviceFilter::matches). Only setFilter() re-filters the
// whole table; a source dataChanged re-checks just the rows in the changed range.
//
// Qt 6.4's QSortFilterProxyModel re-filters every row of a dataChanged range whatever the
// roles. A dataChanged whose roles exclude SortRole (the inventory's per-second "last seen"
// text refresh) changes nothing the filter or sort looks at, so during it filterAcceptsRow()
// answers from the current mapping instead of evaluating the filter on every device.
class DeviceFilterProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit DeviceFilterProxyModel(QObject *parent = nullptr);

    void setInventoryModel(DeviceInventoryModel *model);
    DeviceInventoryModel *inventoryModel() const { return m_inventory; }

    const DeviceFilter &filter() const { return m_filter; }
    void setFilter(const DeviceFilter &filter);

    // Device id of a proxy row, empty if out of range.
    QString deviceIdAt(int proxyRow) const;
    // Proxy row of a device, -1 if filtered out or unknown.
    int proxyRowOf(const QString &deviceId) const;

signals:
    void filterChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    // Compares devices directly (DeviceInventoryModel::lessThan), not through QVariants.
    bool lessThan(const QModelIndex &sourceLeft, const QModelIndex &sourceRight) const override;
    // Evaluates the filter for one device (the only place that does).
    virtual bool acceptsDevice(const Device &device) const;

private:
    void beforeSourceDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                                 const QList<int> &roles);

    DeviceInventoryModel *m_inventory = nullptr;
    DeviceFilter m_filter;
    bool m_filterValuesUnchanged = false;  // inside a display-only dataChanged
};

} // namespace fd
