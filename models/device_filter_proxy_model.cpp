#include "models/device_filter_proxy_model.h"

#include "models/structural_reset_relay.h"

#include "models/device_inventory_model.h"
#include "core/domain/device_search_query.h"

#include <algorithm>
#include <array>
#include <numeric>
#include <utility>

namespace fd {

namespace {

// More contiguous proxy ranges than this in one change: one layoutChanged instead.
constexpr size_t kMaxRanges = 16;

struct Range
{
    int first;
    int last;
};

void addToRanges(std::vector<Range> &ranges, int position)
{
    if (!ranges.empty() && ranges.back().last == position - 1)
        ranges.back().last = position;
    else
        ranges.push_back({position, position});
}

} // namespace

DeviceFilterProxyModel::DeviceFilterProxyModel(QObject *parent)
    : QAbstractProxyModel(parent)
{
}

void DeviceFilterProxyModel::setSourceModel(QAbstractItemModel *model)
{
    setInventoryModel(qobject_cast<DeviceInventoryModel *>(model));
}

void DeviceFilterProxyModel::setInventoryModel(DeviceInventoryModel *model)
{
    if (model == m_inventory && model)
        return;
    beginResetModel();
    if (m_inventory)
        disconnect(m_inventory, nullptr, this, nullptr);
    m_inventory = model;
    QAbstractProxyModel::setSourceModel(model);
    if (model) {
        connect(model, &QAbstractItemModel::dataChanged, this, &DeviceFilterProxyModel::onSourceDataChanged);
        connect(model, &QAbstractItemModel::rowsInserted, this, &DeviceFilterProxyModel::onSourceRowsInserted);
        connect(model, &QAbstractItemModel::rowsAboutToBeRemoved, this,
                &DeviceFilterProxyModel::onSourceRowsAboutToBeRemoved);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &DeviceFilterProxyModel::onSourceRowsRemoved);
        connect(model, &QAbstractItemModel::headerDataChanged, this, &DeviceFilterProxyModel::headerDataChanged);
        relayStructuralChangesAsReset(
            model, this,
            [this] {
                if (!m_resetting) {
                    m_resetting = true;
                    beginResetModel();
                }
            },
            [this] { onSourceReset(); }, RowRemovals::Handled);
    }
    rebuild();
    endResetModel();
}

void DeviceFilterProxyModel::onSourceReset()
{
    if (!m_resetting)
        beginResetModel();
    rebuild();
    m_resetting = false;
    endResetModel();
    setStale(false);
}

int DeviceFilterProxyModel::sourceRows() const
{
    return m_inventory ? m_inventory->rowCount() : 0;
}

void DeviceFilterProxyModel::rebuild()
{
    prepareFilter();
    // The search text is built with the rest (part of a load), not by the first keystroke.
    m_search.clear();
    if (m_inventory)
        m_search.rebuild(*m_inventory);
    const int rows = sourceRows();
    m_accepted.assign(size_t(rows), quint8(1));
    if (!m_filter.isEmpty()) {
        for (int row = 0; row < rows; ++row)
            m_accepted[size_t(row)] = quint8(evaluate(row));
    }
    computeKeys();
    rebuildOrder();
    m_proxyToSource = acceptedInOrder();
    m_inverseValid = false;
}

void DeviceFilterProxyModel::computeKeys()
{
    const int rows = sourceRows();
    if (m_sortColumn < 0) {
        m_keys = {};
        return;
    }
    m_keys.resize(size_t(rows));
    for (int row = 0; row < rows; ++row)
        m_keys[size_t(row)] = m_inventory->sortKey(row, m_sortColumn);
}

bool DeviceFilterProxyModel::less(int a, int b) const
{
    const bool ascending = m_sortOrder == Qt::AscendingOrder;
    const DeviceSortKey &ka = m_keys[size_t(a)];
    const DeviceSortKey &kb = m_keys[size_t(b)];
    if (ka != kb)
        return ascending ? ka < kb : kb < ka;
    if (ka.truncated() && DeviceInventoryModel::isTextColumn(m_sortColumn)) {
        if (m_inventory->textLessThan(a, b, m_sortColumn))
            return ascending;
        if (m_inventory->textLessThan(b, a, m_sortColumn))
            return !ascending;
    }
    return a < b;  // a total order: equal keys keep the source order
}

void DeviceFilterProxyModel::rebuildOrder()
{
    const int rows = sourceRows();
    m_order.resize(size_t(rows));
    if (m_sortColumn < 0) {
        std::iota(m_order.begin(), m_order.end(), 0);
        return;
    }
    // LSD radix sort of (key, row) records, one pass per key byte that is not the same in
    // every record (text keys share prefixes and padding, numbers their high bytes): stable,
    // so equal keys stay in row order. A descending order complements the key.
    struct Entry
    {
        quint64 hi;
        quint64 lo;
        qint64 row;
    };
    std::vector<Entry> entries(static_cast<size_t>(rows));
    const quint64 flip = m_sortOrder == Qt::AscendingOrder ? 0 : ~quint64(0);
    std::vector<std::array<quint32, 256>> counts(16);
    for (auto &c : counts)
        c.fill(0);
    for (int row = 0; row < rows; ++row) {
        const DeviceSortKey &k = m_keys[size_t(row)];
        const Entry e{k.hi ^ flip, k.lo ^ flip, row};
        entries[size_t(row)] = e;
        for (int b = 0; b < 8; ++b) {
            ++counts[size_t(b)][(e.lo >> (8 * b)) & 0xff];
            ++counts[size_t(8 + b)][(e.hi >> (8 * b)) & 0xff];
        }
    }
    std::vector<Entry> scratch(static_cast<size_t>(rows));
    for (int pass = 0; pass < 16; ++pass) {
        std::array<quint32, 256> &c = counts[size_t(pass)];
        if (std::find(c.begin(), c.end(), quint32(rows)) != c.end())
            continue;  // every record has the same byte here
        quint32 sum = 0;
        for (quint32 &n : c)
            sum += std::exchange(n, sum);
        const int shift = 8 * (pass % 8);
        const bool high = pass >= 8;
        for (const Entry &e : entries)
            scratch[c[((high ? e.hi : e.lo) >> shift) & 0xff]++] = e;
        entries.swap(scratch);
    }
    for (int i = 0; i < rows; ++i)
        m_order[size_t(i)] = int(entries[size_t(i)].row);
    if (!DeviceInventoryModel::isTextColumn(m_sortColumn))
        return;
    // Equal 15-byte prefixes of longer texts: order those runs by the full text.
    for (size_t i = 0; i < entries.size();) {
        size_t j = i + 1;
        while (j < entries.size() && entries[j].hi == entries[i].hi && entries[j].lo == entries[i].lo)
            ++j;
        if (j - i > 1 && m_keys[size_t(entries[i].row)].truncated())
            std::sort(m_order.begin() + qsizetype(i), m_order.begin() + qsizetype(j),
                      [this](int a, int b) { return less(a, b); });
        i = j;
    }
}

void DeviceFilterProxyModel::mergeIntoOrder(std::vector<int> rows)
{
    if (rows.empty())
        return;
    if (m_sortColumn < 0) {
        // Source order: rows are merged by number.
        std::sort(rows.begin(), rows.end());
        std::vector<int> merged(m_order.size() + rows.size());
        std::merge(m_order.begin(), m_order.end(), rows.begin(), rows.end(), merged.begin());
        m_order = std::move(merged);
        return;
    }
    std::sort(rows.begin(), rows.end(), [this](int a, int b) { return less(a, b); });
    // Binary search per new row (k log n comparisons), then copy whole chunks.
    std::vector<int> merged;
    merged.reserve(m_order.size() + rows.size());
    auto from = m_order.begin();
    for (int row : rows) {
        auto at = std::lower_bound(from, m_order.end(), row, [this](int a, int b) { return less(a, b); });
        merged.insert(merged.end(), from, at);
        merged.push_back(row);
        from = at;
    }
    merged.insert(merged.end(), from, m_order.end());
    m_order = std::move(merged);
}

std::vector<int> DeviceFilterProxyModel::acceptedInOrder() const
{
    std::vector<int> rows;
    rows.reserve(m_proxyToSource.size() + 64);
    for (int row : m_order) {
        if (m_accepted[size_t(row)])
            rows.push_back(row);
    }
    return rows;
}

std::vector<int> DeviceFilterProxyModel::proxyTarget()
{
    if (!m_hold.isHeld())
        return acceptedInOrder();
    const bool was = m_hold.isStale();
    std::vector<int> rows = m_hold.target(m_proxyToSource, m_accepted, m_order);
    if (m_hold.isStale() != was)
        emit orderStaleChanged(true);
    return rows;
}

void DeviceFilterProxyModel::setStale(bool stale)
{
    if (m_hold.isStale() == stale)
        return;
    m_hold.setStale(stale);
    emit orderStaleChanged(stale);
}

void DeviceFilterProxyModel::setOrderHeld(bool held)
{
    m_hold.setHeld(held);
    if (!held)
        resort();
}

void DeviceFilterProxyModel::resort()
{
    if (!m_hold.isStale())
        return;
    if (m_inventory)
        layoutTo(acceptedInOrder());
    setStale(false);
}

void DeviceFilterProxyModel::prepareFilter()
{
    m_words = DeviceSearchQuery(m_filter.text).foldedWords();
    m_stringMatches.clear();
    m_anyStringMatches = 0;
    DeviceFilter attributes = m_filter;
    attributes.text.clear();
    m_checkAttributes = !attributes.isEmpty();
}

bool DeviceFilterProxyModel::evaluate(int row) const
{
    ++m_evaluations;
    const DeviceRowStore &store = m_inventory->store();
    if (m_checkAttributes) {
        const DeviceRowStore::Row &d = store.row(row);
        // The status as shown (a device of a source that is not connected is Unknown).
        if (!m_filter.acceptsAttributes(m_inventory->presence(row), store.string(d.site), store.string(d.model),
                                        store.string(d.source)))
            return false;
    }
    if (m_words.isEmpty())
        return true;
    // Every word in some field (AND). Site, model, firmware, tags and source are interned: each
    // distinct value is tested once per word; the words they lack are searched in the id
    // and name (one sequential buffer).
    if (m_stringMatches.size() < store.stringCount()) {
        for (quint32 i = quint32(m_stringMatches.size()); i < store.stringCount(); ++i) {
            const QByteArray folded = DeviceFilter::foldedUtf8(store.string(i));
            quint32 bits = 0;
            for (qsizetype w = 0; w < m_words.size(); ++w) {
                if (DeviceFilter::containsFolded(folded, m_words[w]))
                    bits |= quint32(1) << w;
            }
            m_stringMatches.push_back(bits);
            m_anyStringMatches |= bits;
        }
    }
    quint32 found = 0;
    if (m_anyStringMatches) {
        const DeviceRowStore::Row &d = store.row(row);
        found = m_stringMatches[d.site] | m_stringMatches[d.model] | m_stringMatches[d.fwVersion]
                | m_stringMatches[d.tags] | m_stringMatches[d.source];
    }
    if (m_search.needsRebuild())
        m_search.rebuild(*m_inventory);
    for (qsizetype w = 0; w < m_words.size(); ++w) {
        if (!(found & (quint32(1) << w)) && !m_search.contains(row, m_words[w]))
            return false;
    }
    return true;
}

void DeviceFilterProxyModel::ensureInverse() const
{
    if (m_inverseValid)
        return;
    m_sourceToProxy.assign(size_t(sourceRows()), -1);
    for (size_t i = 0; i < m_proxyToSource.size(); ++i)
        m_sourceToProxy[size_t(m_proxyToSource[i])] = int(i);
    m_inverseValid = true;
}

void DeviceFilterProxyModel::layoutTo(std::vector<int> target)
{
    const bool sameCount = target.size() == m_proxyToSource.size();
    const auto hint = sameCount ? QAbstractItemModel::VerticalSortHint : QAbstractItemModel::NoLayoutChangeHint;
    emit layoutAboutToBeChanged({}, hint);
    const QModelIndexList from = persistentIndexList();
    std::vector<int> sources(size_t(from.size()), -1);
    for (qsizetype i = 0; i < from.size(); ++i) {
        const int row = from[i].row();
        if (row >= 0 && size_t(row) < m_proxyToSource.size())
            sources[size_t(i)] = m_proxyToSource[size_t(row)];
    }
    m_proxyToSource = std::move(target);
    m_inverseValid = false;
    if (!from.isEmpty()) {
        ensureInverse();
        QModelIndexList to;
        to.reserve(from.size());
        for (qsizetype i = 0; i < from.size(); ++i) {
            const int source = sources[size_t(i)];
            const int row = source >= 0 ? m_sourceToProxy[size_t(source)] : -1;
            to.append(row >= 0 ? index(row, from[i].column()) : QModelIndex());
        }
        changePersistentIndexList(from, to);
    }
    emit layoutChanged({}, hint);
}

void DeviceFilterProxyModel::transition(std::vector<int> target, const std::vector<int> &moved)
{
    // bit 0: a proxy row before, bit 1: after.
    std::vector<quint8> state(size_t(sourceRows()), 0);
    for (int row : m_proxyToSource)
        state[size_t(row)] |= 1;
    for (int row : target)
        state[size_t(row)] |= 2;
    std::vector<Range> removed;
    std::vector<Range> inserted;
    for (size_t p = 0; p < m_proxyToSource.size() && removed.size() <= kMaxRanges; ++p) {
        if (!(state[size_t(m_proxyToSource[p])] & 2))
            addToRanges(removed, int(p));
    }
    for (size_t p = 0; p < target.size() && removed.size() + inserted.size() <= kMaxRanges; ++p) {
        if (!(state[size_t(target[p])] & 1))
            addToRanges(inserted, int(p));
    }
    if (removed.size() + inserted.size() > kMaxRanges) {
        layoutTo(std::move(target));
        return;
    }
    for (auto it = removed.rbegin(); it != removed.rend(); ++it) {
        beginRemoveRows(QModelIndex(), it->first, it->last);
        m_proxyToSource.erase(m_proxyToSource.begin() + it->first, m_proxyToSource.begin() + it->last + 1);
        m_inverseValid = false;
        endRemoveRows();
    }
    if (!moved.empty()) {
        std::vector<int> kept;
        kept.reserve(target.size());
        for (int row : target) {
            if (state[size_t(row)] & 1)
                kept.push_back(row);
        }
        if (kept != m_proxyToSource) {
            const auto from = std::find(m_proxyToSource.begin(), m_proxyToSource.end(), moved.front());
            const auto to = std::find(kept.begin(), kept.end(), moved.front());
            const int p = int(from - m_proxyToSource.begin());
            const int q = int(to - kept.begin());
            if (moved.size() == 1 && from != m_proxyToSource.end() && to != kept.end()) {
                // One row changed place: a rowsMoved, not a layout change.
                const int destination = q > p ? q + 1 : q;
                beginMoveRows(QModelIndex(), p, p, QModelIndex(), destination);
                m_proxyToSource = std::move(kept);
                m_inverseValid = false;
                endMoveRows();
            } else {
                layoutTo(std::move(kept));
            }
        }
    }
    for (const Range &range : inserted) {
        beginInsertRows(QModelIndex(), range.first, range.last);
        m_proxyToSource.insert(m_proxyToSource.begin() + range.first, target.begin() + range.first,
                               target.begin() + range.last + 1);
        m_inverseValid = false;
        endInsertRows();
    }
}

void DeviceFilterProxyModel::setFilter(const DeviceFilter &filter)
{
    if (filter == m_filter)
        return;
    resort();  // an explicit change: the held rows go to their sorted places first
    const bool narrowing = filter.narrows(m_filter);   // only removes devices
    const bool widening = !narrowing && m_filter.narrows(filter);  // only adds devices
    m_filter = filter;
    prepareFilter();
    const int rows = sourceRows();
    size_t changed = 0;
    if (m_filter.isEmpty()) {
        for (quint8 &accepted : m_accepted) {
            changed += !accepted;
            accepted = 1;
        }
    } else {
        // Source order: sequential memory.
        for (int row = 0; row < rows; ++row) {
            quint8 &accepted = m_accepted[size_t(row)];
            if ((narrowing && !accepted) || (widening && accepted))
                continue;
            const quint8 now = quint8(evaluate(row));
            changed += now != accepted;
            accepted = now;
        }
    }
    if (changed > 0)  // a keystroke that keeps every row ("sensor" -> "sensor ") moves nothing
        transition(acceptedInOrder(), {});
    emit filterChanged();
}

void DeviceFilterProxyModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= DeviceInventoryModel::ColumnCount)
        column = -1;
    if (column == m_sortColumn && (column < 0 || order == m_sortOrder))
        return;
    const bool newColumn = column != m_sortColumn;
    m_sortColumn = column;
    m_sortOrder = order;
    if (!m_inventory)
        return;
    if (newColumn)
        computeKeys();
    rebuildOrder();
    layoutTo(acceptedInOrder());
    setStale(false);
}

void DeviceFilterProxyModel::onSourceDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                                                 const QList<int> &roles)
{
    if (!m_inventory || m_resetting || !topLeft.isValid() || !bottomRight.isValid() || topLeft.parent().isValid())
        return;
    std::vector<int> rows;
    if (const std::vector<int> *changed = m_inventory->changedRows()) {
        rows = *changed;
    } else {
        rows.resize(size_t(bottomRight.row() - topLeft.row() + 1));
        std::iota(rows.begin(), rows.end(), topLeft.row());
    }
    const bool displayOnly = !roles.isEmpty() && !roles.contains(DeviceInventoryModel::SortRole);
    if (!displayOnly) {
        const bool sortedColumnChanged = m_sortColumn >= 0 && topLeft.column() <= m_sortColumn
                                         && bottomRight.column() >= m_sortColumn;
        const bool textSort = m_sortColumn >= 0 && DeviceInventoryModel::isTextColumn(m_sortColumn);
        std::vector<int> keyChanged;
        std::vector<int> moved;
        bool acceptChanged = false;
        for (int row : rows) {
            if (m_search.isValid())
                m_search.update(*m_inventory, row);
            bool keyMoved = false;
            if (sortedColumnChanged) {
                const DeviceSortKey key = m_inventory->sortKey(row, m_sortColumn);
                DeviceSortKey &old = m_keys[size_t(row)];
                keyMoved = key != old || (textSort && key.truncated());
                old = key;
            }
            const bool accepted = m_filter.isEmpty() || evaluate(row);
            quint8 &was = m_accepted[size_t(row)];
            acceptChanged = acceptChanged || accepted != bool(was);
            if (keyMoved) {
                keyChanged.push_back(row);
                if (accepted && was)
                    moved.push_back(row);
            }
            was = quint8(accepted);
        }
        if (!keyChanged.empty()) {
            std::vector<quint8> out(size_t(sourceRows()), 0);
            for (int row : keyChanged)
                out[size_t(row)] = 1;
            std::erase_if(m_order, [&out](int row) { return out[size_t(row)] != 0; });
            mergeIntoOrder(keyChanged);
        }
        if (!keyChanged.empty() || acceptChanged) {
            if (m_hold.isHeld())
                moved.clear();  // held: rows keep their places
            transition(proxyTarget(), moved);
        }
    }
    emitDataChangedFor(rows, topLeft.column(), bottomRight.column(), roles);
}

void DeviceFilterProxyModel::emitDataChangedFor(const std::vector<int> &rows, int firstColumn, int lastColumn,
                                                const QList<int> &roles)
{
    if (m_proxyToSource.empty() || rows.empty())
        return;
    int first = int(m_proxyToSource.size());
    int last = -1;
    if (rows.size() >= m_proxyToSource.size()) {
        first = 0;  // every row (the "last seen" refresh): no need to look them up
        last = int(m_proxyToSource.size()) - 1;
    } else {
        ensureInverse();
        for (int row : rows) {
            const int p = m_sourceToProxy[size_t(row)];
            if (p < 0)
                continue;
            first = std::min(first, p);
            last = std::max(last, p);
        }
    }
    if (last >= 0)
        emit dataChanged(index(first, firstColumn), index(last, lastColumn), roles);
}

void DeviceFilterProxyModel::onSourceRowsInserted(const QModelIndex &parent, int first, int last)
{
    if (!m_inventory || m_resetting || parent.isValid())
        return;
    const size_t oldRows = m_accepted.size();
    if (size_t(first) != oldRows || size_t(sourceRows()) != oldRows + size_t(last - first + 1)) {
        onSourceReset();  // not an append (never from the inventory)
        return;
    }
    const size_t rows = size_t(sourceRows());
    if (m_search.isValid())
        m_search.append(*m_inventory, first, last);
    m_accepted.resize(rows, quint8(1));
    std::vector<int> added;
    added.reserve(size_t(last - first + 1));
    for (int row = first; row <= last; ++row) {
        if (!m_filter.isEmpty())
            m_accepted[size_t(row)] = quint8(evaluate(row));
        added.push_back(row);
    }
    if (m_sortColumn >= 0) {
        m_keys.resize(rows);
        for (int row = first; row <= last; ++row)
            m_keys[size_t(row)] = m_inventory->sortKey(row, m_sortColumn);
    }
    mergeIntoOrder(std::move(added));
    transition(proxyTarget(), {});
}

void DeviceFilterProxyModel::onSourceRowsAboutToBeRemoved(const QModelIndex &parent, int first, int last)
{
    if (!m_inventory || m_resetting || parent.isValid())
        return;
    // The proxy rows of the leaving devices go first, while they still map to their source
    // rows (removals per proxy range, or one layout change past kMaxRanges ranges).
    std::vector<int> target;
    target.reserve(m_proxyToSource.size());
    for (int row : m_proxyToSource) {
        if (row < first || row > last)
            target.push_back(row);
    }
    if (target.size() != m_proxyToSource.size())
        transition(std::move(target), {});
}

void DeviceFilterProxyModel::onSourceRowsRemoved(const QModelIndex &parent, int first, int last)
{
    if (!m_inventory || m_resetting || parent.isValid())
        return;
    // Then the source rows after them are renumbered: no proxy row moves, no signal. The
    // order of the others stays what it was (removing rows changes no key).
    const int count = last - first + 1;
    auto renumber = [last, count](int row) { return row > last ? row - count : row; };
    std::erase_if(m_order, [first, last](int row) { return row >= first && row <= last; });
    for (int &row : m_order)
        row = renumber(row);
    for (int &row : m_proxyToSource)
        row = renumber(row);
    if (!m_keys.empty())
        m_keys.erase(m_keys.begin() + first, m_keys.begin() + last + 1);
    m_accepted.erase(m_accepted.begin() + first, m_accepted.begin() + last + 1);
    if (m_search.isValid())
        m_search.removeRows(first, last);
    m_inverseValid = false;
}

QString DeviceFilterProxyModel::deviceIdAt(int proxyRow) const
{
    if (proxyRow < 0 || size_t(proxyRow) >= m_proxyToSource.size())
        return {};
    return m_inventory->store().id(m_proxyToSource[size_t(proxyRow)]).toString();
}

DeviceKey DeviceFilterProxyModel::deviceKeyAt(int proxyRow) const
{
    if (proxyRow < 0 || size_t(proxyRow) >= m_proxyToSource.size())
        return {};
    return m_inventory->keyAt(m_proxyToSource[size_t(proxyRow)]);
}

int DeviceFilterProxyModel::proxyRowOf(const DeviceKey &key) const
{
    if (!m_inventory)
        return -1;
    const int row = m_inventory->rowOf(key);
    if (row < 0)
        return -1;
    ensureInverse();
    return m_sourceToProxy[size_t(row)];
}

QModelIndex DeviceFilterProxyModel::index(int row, int column, const QModelIndex &parent) const
{
    if (parent.isValid() || row < 0 || size_t(row) >= m_proxyToSource.size() || column < 0
        || column >= columnCount())
        return {};
    return createIndex(row, column);
}

QModelIndex DeviceFilterProxyModel::parent(const QModelIndex &) const
{
    return {};
}

QModelIndex DeviceFilterProxyModel::sibling(int row, int column, const QModelIndex &idx) const
{
    return idx.isValid() ? index(row, column) : QModelIndex();
}

int DeviceFilterProxyModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_proxyToSource.size());
}

int DeviceFilterProxyModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_inventory ? 0 : DeviceInventoryModel::ColumnCount;
}

bool DeviceFilterProxyModel::hasChildren(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_proxyToSource.empty();
}

QModelIndex DeviceFilterProxyModel::mapToSource(const QModelIndex &proxyIndex) const
{
    if (!m_inventory || !proxyIndex.isValid() || proxyIndex.model() != this
        || size_t(proxyIndex.row()) >= m_proxyToSource.size())
        return {};
    return m_inventory->index(m_proxyToSource[size_t(proxyIndex.row())], proxyIndex.column());
}

QModelIndex DeviceFilterProxyModel::mapFromSource(const QModelIndex &sourceIndex) const
{
    if (!m_inventory || !sourceIndex.isValid() || sourceIndex.model() != m_inventory)
        return {};
    ensureInverse();
    if (size_t(sourceIndex.row()) >= m_sourceToProxy.size())
        return {};
    const int row = m_sourceToProxy[size_t(sourceIndex.row())];
    return row < 0 ? QModelIndex() : index(row, sourceIndex.column());
}

} // namespace fd
