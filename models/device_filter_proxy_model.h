#pragma once

#include "core/domain/device_filter.h"
#include "core/domain/device_key.h"

#include <QMetaMethod>
#include <QSortFilterProxyModel>

#include <vector>

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
//
// Large fleets (100k devices): per source row the proxy keeps
//  - the sort key of the sort column, precomputed (case-folded text, or a number encoded
//    as an order-preserving quint64), so a comparison is a key compare, not a Device walk;
//  - once a text filter is used, the case-folded search text (DeviceFilter::searchText),
//    so a keystroke is a plain substring search;
//  - whether the row is accepted, so a filter that narrows the previous one (typing one
//    more letter) only re-tests the accepted rows, and one that widens it (erasing) only
//    the rejected rows.
// All three are updated for the rows of a source dataChanged/rowsInserted/rowsRemoved
// before QSortFilterProxyModel handles it (the search text lazily, when a text filter
// reads it), and rebuilt after a reset or layout change. setFilter() evaluates every row
// once itself; when many rows leave and few remain it rebuilds the mapping (invalidate())
// instead of Qt's per-range removals.
//
// Source dataChanged (one range per inventory tick, often the whole table) is handed to
// QSortFilterProxyModel's handler (its Qt 6.4 private slot, found by name; without it the
// base class handles the signal as before) only for the rows whose sort key or filter
// answer changed; the other rows get a display-roles-only dataChanged, which re-sorts
// nothing.
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
    DeviceKey deviceKeyAt(int proxyRow) const;  // a null key for an invalid row
    // Proxy row of a device, -1 if filtered out or unknown.
    int proxyRowOf(const DeviceKey &device) const;

    // The precomputed sort key order for column (exposed for tests): true if the device at
    // sourceLeft sorts before the one at sourceRight.
    bool sourceRowLessThan(int sourceLeft, int sourceRight, int column) const;

    // Sorting a text column first ranks its case-folded keys once (std::sort on row
    // numbers), so QSortFilterProxyModel's own sort compares integers.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

signals:
    void filterChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    // Compares precomputed keys (same order as DeviceInventoryModel::lessThan).
    bool lessThan(const QModelIndex &sourceLeft, const QModelIndex &sourceRight) const override;
    // Evaluates the filter for one device (the only place that does).
    virtual bool acceptsDevice(const Device &device) const;

private:
    struct SearchSpan {
        qsizetype start = 0;
        qsizetype length = 0;
    };

    void beforeSourceDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                                 const QList<int> &roles);
    void sourceDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles);
    void forwardDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles);
    void beforeSourceRowsInserted(const QModelIndex &parent, int first, int last);
    void beforeSourceRowsRemoved(const QModelIndex &parent, int first, int last);
    void dropCaches();

    int sourceRows() const;
    bool sortKeysValid() const;
    void ensureSortKeys(int column) const;
    void computeKey(int row) const;
    void ensureSearchText() const;
    void updateSearchText(int row) const;
    QStringView searchTextAt(int row) const;

    DeviceInventoryModel *m_inventory = nullptr;
    QMetaMethod m_baseDataChanged;  // QSortFilterProxyModel's own source dataChanged handler
    DeviceFilter m_filter;
    QString m_needle;                      // m_filter.foldedNeedle()
    bool m_filterValuesUnchanged = false;  // inside a display-only dataChanged
    bool m_answerFromAccepted = false;     // inside setFilter(): m_accepted is the answer
    mutable int m_evaluatedRow = -1;       // source row of the acceptsDevice() call

    // Caches indexed by source row (mutable: filled lazily from const overrides).
    mutable int m_keyColumn = -1;               // column of m_textKeys/m_numKeys, -1: none
    mutable std::vector<QString> m_textKeys;    // text columns: case-folded value
    mutable std::vector<quint64> m_numKeys;     // other columns: order-preserving encoding
    std::vector<int> m_textRanks;               // inside sort() of a text column: rank per row
    mutable bool m_searchValid = false;
    mutable QString m_searchText;               // every row's DeviceFilter::searchText
    mutable std::vector<SearchSpan> m_searchSpans;  // a row's part of m_searchText
    mutable std::vector<quint8> m_searchDirty;  // row changed since its text was built
    mutable qsizetype m_searchGarbage = 0;      // characters no span refers to any more
    mutable bool m_acceptedValid = false;       // m_accepted matches the current mapping
    mutable std::vector<quint8> m_accepted;     // last filterAcceptsRow() answer per row
};

} // namespace fd
