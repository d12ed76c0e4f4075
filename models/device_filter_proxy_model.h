#pragma once

#include "core/domain/device_filter.h"
#include "models/device_search_text.h"
#include "models/device_sort_key.h"
#include "models/held_row_order.h"

#include <QAbstractProxyModel>
#include <QByteArray>

#include <vector>

namespace fd {

class DeviceInventoryModel;

// Sorts and filters DeviceInventoryModel (a QAbstractProxyModel of our own; the filter
// logic is fd::DeviceFilter's, in core). Per source row it keeps the sort key of the sort
// column (DeviceSortKey: two integers), whether the row is accepted, and (once a text
// filter is used) its case-folded id and name; all source rows in sorted order (m_order),
// and the accepted ones of them as the proxy rows.
//
//  - sort(): keys computed once per column, then one sort of (key, row) pairs; the order
//    is total (ties by source row), so equal keys keep the source order in both directions.
//  - setFilter(): a filter that narrows the previous one (one more letter) re-tests only
//    the accepted rows, one that widens it only the rejected rows; the proxy rows are then
//    the accepted rows of m_order (no sort).
//  - source dataChanged (one range per inventory tick, DeviceInventoryModel::changedRows()
//    says which rows): only rows whose sort key or filter answer changed move; they are
//    re-sorted among themselves and merged into the order. A dataChanged whose roles
//    exclude SortRole (the per-second "last seen" text) only forwards a dataChanged.
//  - source rows inserted: new rows sorted among themselves and merged.
//  - source rows removed (deleted devices): their proxy rows are removed before the source
//    removes them, then the rows after them are renumbered; nothing is re-sorted.
// Changes are signalled as row removals and insertions per contiguous proxy range and,
// for rows that moved, one rowsMoved (a single row) or one layoutChanged; when a change
// would take more than a few ranges (a keystroke hiding 900,000 rows), one layoutChanged
// with every persistent index re-mapped (rows that left become invalid), as
// QSortFilterProxyModel::invalidate() does.
class DeviceFilterProxyModel : public QAbstractProxyModel
{
    Q_OBJECT
public:
    explicit DeviceFilterProxyModel(QObject *parent = nullptr);

    void setInventoryModel(DeviceInventoryModel *model);
    DeviceInventoryModel *inventoryModel() const { return m_inventory; }
    // Only a DeviceInventoryModel (or nullptr) is accepted.
    void setSourceModel(QAbstractItemModel *model) override;

    const DeviceFilter &filter() const { return m_filter; }
    void setFilter(const DeviceFilter &filter);

    QString deviceIdAt(int proxyRow) const;      // empty if out of range
    DeviceKey deviceKeyAt(int proxyRow) const;   // null if out of range
    int proxyRowOf(const DeviceKey &key) const;  // -1 if filtered out or unknown

    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    // The held order (HeldRowOrder): while held, changed sort keys move no row and new or
    // newly matching rows are appended at the end; isOrderStale() says the rows are not in
    // sorted order (orderStaleChanged). resort(), sort(), setFilter() and releasing the hold
    // apply the sorted order (one layoutChanged). The view decides when to hold
    // (TableOrderHold: pointer over the table, a selection, a context menu).
    void setOrderHeld(bool held);
    bool isOrderHeld() const { return m_hold.isHeld(); }
    bool isOrderStale() const { return m_hold.isStale(); }
    void resort();

    // How many times a row was tested against the filter (diagnostics and tests: proves
    // that a narrowing keystroke only re-tests the accepted rows).
    qint64 filterEvaluations() const { return m_evaluations; }

    QModelIndex index(int row, int column, const QModelIndex &parent = QModelIndex()) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    QModelIndex sibling(int row, int column, const QModelIndex &idx) const override;
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    bool hasChildren(const QModelIndex &parent = QModelIndex()) const override;
    QModelIndex mapToSource(const QModelIndex &proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex &sourceIndex) const override;

signals:
    void filterChanged();
    void orderStaleChanged(bool stale);

private:
    int sourceRows() const;
    void rebuild();  // everything from the source, no signals
    void computeKeys();
    void rebuildOrder();
    bool less(int a, int b) const;
    void mergeIntoOrder(std::vector<int> rows);  // rows not in m_order (removed or new)
    std::vector<int> acceptedInOrder() const;
    std::vector<int> proxyTarget();  // acceptedInOrder(), or the held order
    void setStale(bool stale);
    void prepareFilter();
    bool evaluate(int row) const;
    void ensureInverse() const;

    // Moves the proxy from m_proxyToSource to `target` (same relative order of the rows in
    // both), with the signals described above; `moved`: rows in both whose place changed.
    void transition(std::vector<int> target, const std::vector<int> &moved);
    void layoutTo(std::vector<int> target);

    void onSourceDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles);
    void onSourceRowsInserted(const QModelIndex &parent, int first, int last);
    void onSourceRowsAboutToBeRemoved(const QModelIndex &parent, int first, int last);
    void onSourceRowsRemoved(const QModelIndex &parent, int first, int last);
    void onSourceReset();
    void emitDataChangedFor(const std::vector<int> &sourceRows, int firstColumn, int lastColumn,
                            const QList<int> &roles);

    DeviceInventoryModel *m_inventory = nullptr;
    DeviceFilter m_filter;
    QList<QByteArray> m_words;             // DeviceSearchQuery(m_filter.text).foldedWords()
    bool m_checkAttributes = false;        // the filter has more than text
    mutable std::vector<quint32> m_stringMatches;  // per interned string: bit i: contains m_words[i]
    mutable quint32 m_anyStringMatches = 0;        // bit i: some string contains m_words[i]
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    bool m_resetting = false;
    HeldRowOrder m_hold;

    std::vector<DeviceSortKey> m_keys;  // per source row, of m_sortColumn (empty: unsorted)
    std::vector<int> m_order;           // every source row, in sorted order
    std::vector<quint8> m_accepted;     // per source row
    std::vector<int> m_proxyToSource;
    mutable std::vector<int> m_sourceToProxy;  // rebuilt on demand
    mutable bool m_inverseValid = false;

    mutable DeviceSearchText m_search;  // per row: folded id '\0' folded name
    mutable qint64 m_evaluations = 0;
};

} // namespace fd
