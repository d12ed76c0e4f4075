#include "models/device_filter_proxy_model.h"

#include "models/device_inventory_model.h"

#include <algorithm>
#include <numeric>
#include <utility>

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
    dropCaches();
    if (model) {
        // Connected before setSourceModel() so they run before QSortFilterProxyModel's own
        // handlers (slots run in connection order): the caches follow the source first.
        connect(model, &QAbstractItemModel::dataChanged, this, &DeviceFilterProxyModel::beforeSourceDataChanged);
        connect(model, &QAbstractItemModel::rowsInserted, this, &DeviceFilterProxyModel::beforeSourceRowsInserted);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &DeviceFilterProxyModel::beforeSourceRowsRemoved);
        connect(model, &QAbstractItemModel::modelReset, this, &DeviceFilterProxyModel::dropCaches);
        connect(model, &QAbstractItemModel::layoutChanged, this, &DeviceFilterProxyModel::dropCaches);
        connect(model, &QAbstractItemModel::rowsMoved, this, &DeviceFilterProxyModel::dropCaches);
    }
    setSourceModel(model);
    m_baseDataChanged = QMetaMethod();
    if (model) {
        // Qt 6.4's handler re-sorts every row of a dataChanged range (one range per tick,
        // often spanning the whole table) as soon as the sort column is in it. When its
        // private slot is reachable, source dataChanged goes through sourceDataChanged(),
        // which hands it only the rows whose sort key or filter answer really changed.
        const int slot = QSortFilterProxyModel::staticMetaObject.indexOfSlot(
            "_q_sourceDataChanged(QModelIndex,QModelIndex,QList<int>)");
        if (slot >= 0) {
            m_baseDataChanged = QSortFilterProxyModel::staticMetaObject.method(slot);
            disconnect(model, &QAbstractItemModel::dataChanged, this, nullptr);  // ours and the base's
            connect(model, &QAbstractItemModel::dataChanged, this, &DeviceFilterProxyModel::sourceDataChanged);
        } else {
            connect(model, &QAbstractItemModel::dataChanged, this, [this] { m_filterValuesUnchanged = false; });
        }
    }
}

void DeviceFilterProxyModel::forwardDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                                                const QList<int> &roles)
{
    m_baseDataChanged.invoke(this, Qt::DirectConnection, Q_ARG(QModelIndex, topLeft),
                             Q_ARG(QModelIndex, bottomRight), Q_ARG(QList<int>, roles));
}

void DeviceFilterProxyModel::sourceDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                                               const QList<int> &roles)
{
    const int rows = sourceRows();
    const bool displayOnly = !roles.isEmpty() && !roles.contains(DeviceInventoryModel::SortRole);
    if (!displayOnly && !(m_acceptedValid && m_accepted.size() == size_t(rows))) {
        // After a reset: take the current answers from the mapping (the old ones for the
        // changed rows, which the mapping still reflects).
        m_accepted.assign(size_t(rows), quint8(0));
        for (int row = 0; row < rows; ++row)
            m_accepted[size_t(row)] = quint8(mapFromSource(m_inventory->index(row, 0)).isValid());
        m_acceptedValid = true;
    }
    const bool tracked = m_acceptedValid && m_accepted.size() == size_t(rows);
    const int sortedBy = sortColumn();
    const bool keys = sortedBy < 0 || (m_keyColumn == sortedBy && sortKeysValid());
    if (displayOnly || topLeft.parent().isValid() || !tracked || !keys || !topLeft.isValid()
        || !bottomRight.isValid()) {
        beforeSourceDataChanged(topLeft, bottomRight, roles);
        forwardDataChanged(topLeft, bottomRight, roles);
        m_filterValuesUnchanged = false;
        return;
    }
    const int first = std::max(0, topLeft.row());
    const int last = std::min(bottomRight.row(), rows - 1);
    const bool text = DeviceInventoryModel::isTextColumn(m_keyColumn);
    const bool search = m_searchValid && m_searchSpans.size() == size_t(rows);
    const bool otherKeys = sortedBy < 0 && sortKeysValid();  // kept for a later sort
    std::vector<std::pair<int, int>> runs;  // rows whose sort key or filter answer changed
    for (int row = first; row <= last; ++row) {
        bool moved = false;
        if (sortedBy < 0) {
            if (otherKeys)
                computeKey(row);
        } else if (text) {
            const QString old = m_textKeys[size_t(row)];
            computeKey(row);
            moved = old != m_textKeys[size_t(row)];
        } else {
            const quint64 old = m_numKeys[size_t(row)];
            computeKey(row);
            moved = old != m_numKeys[size_t(row)];
        }
        if (search)
            m_searchDirty[size_t(row)] = 1;  // rebuilt when a text filter reads it
        bool accepted = true;
        if (!m_filter.isEmpty()) {
            m_evaluatedRow = row;
            accepted = acceptsDevice(*m_inventory->deviceAt(row));
            m_evaluatedRow = -1;
        }
        moved = moved || accepted != bool(m_accepted[size_t(row)]);
        m_accepted[size_t(row)] = quint8(accepted);
        if (!moved)
            continue;
        if (!runs.empty() && runs.back().second == row - 1)
            runs.back().second = row;
        else
            runs.emplace_back(row, row);
    }
    m_answerFromAccepted = true;
    constexpr size_t kMaxRuns = 16;
    if (runs.size() > kMaxRuns) {
        forwardDataChanged(topLeft, bottomRight, roles);  // one re-sort of the range
    } else {
        for (const auto &[runFirst, runLast] : runs) {
            forwardDataChanged(m_inventory->index(runFirst, topLeft.column()),
                               m_inventory->index(runLast, bottomRight.column()), roles);
        }
        // Every row's text may have changed, but not its place: no re-sort.
        static const QList<int> displayRoles = {Qt::DisplayRole, Qt::ToolTipRole, Qt::DecorationRole,
                                                Qt::ForegroundRole, DeviceInventoryModel::OnlineRole};
        if (runs.size() != 1 || runs.front() != std::pair(first, last)) {
            m_filterValuesUnchanged = true;
            forwardDataChanged(topLeft, bottomRight, displayRoles);
            m_filterValuesUnchanged = false;
        }
    }
    m_answerFromAccepted = false;
}

void DeviceFilterProxyModel::dropCaches()
{
    m_keyColumn = -1;
    m_textKeys = {};
    m_numKeys = {};
    m_searchValid = false;
    m_searchText = QString();
    m_searchSpans = {};
    m_searchDirty = {};
    m_searchGarbage = 0;
    m_acceptedValid = false;
    m_accepted = {};
}

int DeviceFilterProxyModel::sourceRows() const
{
    return m_inventory ? m_inventory->rowCount() : 0;
}

bool DeviceFilterProxyModel::sortKeysValid() const
{
    if (m_keyColumn < 0)
        return false;
    const size_t rows = size_t(sourceRows());
    return (DeviceInventoryModel::isTextColumn(m_keyColumn) ? m_textKeys.size() : m_numKeys.size()) == rows;
}

void DeviceFilterProxyModel::computeKey(int row) const
{
    const Device *d = m_inventory->deviceAt(row);
    if (DeviceInventoryModel::isTextColumn(m_keyColumn))
        m_textKeys[size_t(row)] = d ? DeviceInventoryModel::textSortKey(*d, m_keyColumn) : QString();
    else
        m_numKeys[size_t(row)] = d ? DeviceInventoryModel::numericSortKey(*d, m_keyColumn, m_inventory->trendMetric()) : 0;
}

void DeviceFilterProxyModel::ensureSortKeys(int column) const
{
    if (m_keyColumn == column && sortKeysValid())
        return;
    const size_t rows = size_t(sourceRows());
    m_keyColumn = column;
    m_textKeys = {};
    m_numKeys = {};
    if (DeviceInventoryModel::isTextColumn(column))
        m_textKeys.resize(rows);
    else
        m_numKeys.resize(rows);
    for (size_t row = 0; row < rows; ++row)
        computeKey(int(row));
}

void DeviceFilterProxyModel::ensureSearchText() const
{
    const size_t rows = size_t(sourceRows());
    if (m_searchValid && m_searchSpans.size() == rows && m_searchGarbage <= m_searchText.size() / 2)
        return;
    m_searchText.clear();
    m_searchText.reserve(qsizetype(rows) * 48);
    m_searchSpans.assign(rows, SearchSpan());
    for (size_t row = 0; row < rows; ++row) {
        const qsizetype start = m_searchText.size();
        m_searchSpans[row] = {start, DeviceFilter::appendSearchText(*m_inventory->deviceAt(int(row)), m_searchText)};
    }
    m_searchText.squeeze();
    m_searchDirty.assign(rows, quint8(0));
    m_searchGarbage = 0;
    m_searchValid = true;
}

void DeviceFilterProxyModel::updateSearchText(int row) const
{
    SearchSpan &span = m_searchSpans[size_t(row)];
    const qsizetype start = m_searchText.size();
    const qsizetype length = DeviceFilter::appendSearchText(*m_inventory->deviceAt(row), m_searchText);
    if (length == span.length && length > 0
        && QStringView(m_searchText).sliced(start, length) == QStringView(m_searchText).sliced(span.start, length)) {
        m_searchText.truncate(start);  // unchanged (the usual telemetry update): keep the old text
        return;
    }
    m_searchGarbage += span.length;
    span = {start, length};
}

QStringView DeviceFilterProxyModel::searchTextAt(int row) const
{
    if (m_searchDirty[size_t(row)]) {
        updateSearchText(row);
        m_searchDirty[size_t(row)] = 0;
    }
    const SearchSpan span = m_searchSpans[size_t(row)];
    return QStringView(m_searchText).sliced(span.start, span.length);
}

void DeviceFilterProxyModel::beforeSourceDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                                                     const QList<int> &roles)
{
    m_filterValuesUnchanged = !roles.isEmpty() && !roles.contains(DeviceInventoryModel::SortRole);
    if (m_filterValuesUnchanged || topLeft.parent().isValid())
        return;
    const int first = std::max(0, topLeft.row());
    const int last = std::min(bottomRight.row(), sourceRows() - 1);
    const bool keys = sortKeysValid();
    const bool search = m_searchValid && m_searchSpans.size() == size_t(sourceRows());
    for (int row = first; row <= last; ++row) {
        if (keys)
            computeKey(row);
        if (search)
            m_searchDirty[size_t(row)] = 1;  // rebuilt when a text filter reads it
    }
}

void DeviceFilterProxyModel::beforeSourceRowsInserted(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid())
        return;
    const size_t count = size_t(last - first + 1);
    const size_t oldRows = size_t(sourceRows()) - count;
    if (m_keyColumn >= 0) {
        const bool text = DeviceInventoryModel::isTextColumn(m_keyColumn);
        if ((text ? m_textKeys.size() : m_numKeys.size()) != oldRows) {
            m_keyColumn = -1;  // rebuilt on the next comparison
        } else {
            if (text)
                m_textKeys.insert(m_textKeys.begin() + first, count, QString());
            else
                m_numKeys.insert(m_numKeys.begin() + first, count, 0);
            for (int row = first; row <= last; ++row)
                computeKey(row);
        }
    }
    if (m_searchValid && m_searchSpans.size() == oldRows) {
        m_searchSpans.insert(m_searchSpans.begin() + first, count, SearchSpan());
        m_searchDirty.insert(m_searchDirty.begin() + first, count, quint8(1));
    } else {
        m_searchValid = false;
    }
    if (m_acceptedValid && m_accepted.size() == oldRows)
        m_accepted.insert(m_accepted.begin() + first, count, quint8(0));  // filled by filterAcceptsRow
    else
        m_acceptedValid = false;
}

void DeviceFilterProxyModel::beforeSourceRowsRemoved(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid())
        return;
    auto erase = [&](auto &list) {
        if (size_t(last) < list.size())
            list.erase(list.begin() + first, list.begin() + last + 1);
        else
            list.clear();
    };
    if (size_t(last) < m_searchSpans.size()) {
        for (int row = first; row <= last; ++row)
            m_searchGarbage += m_searchSpans[size_t(row)].length;
    }
    erase(m_textKeys);
    erase(m_numKeys);
    erase(m_searchSpans);
    erase(m_searchDirty);
    erase(m_accepted);
    if (m_accepted.size() != size_t(sourceRows()))
        m_acceptedValid = false;
}

void DeviceFilterProxyModel::setFilter(const DeviceFilter &filter)
{
    if (filter == m_filter)
        return;
    const size_t rows = size_t(sourceRows());
    const bool tracked = m_acceptedValid && m_accepted.size() == rows;
    const bool narrowing = tracked && filter.narrows(m_filter);  // only removes devices
    const bool widening = tracked && !narrowing && m_filter.narrows(filter);  // only adds devices
    m_filter = filter;
    m_needle = filter.foldedNeedle();

    // Evaluate every row once here, in a tight loop; QSortFilterProxyModel then asks
    // filterAcceptsRow(), which answers from m_accepted.
    std::vector<quint8> next(rows, quint8(1));
    size_t changed = 0;
    size_t acceptedCount = rows;
    if (!filter.isEmpty() && m_inventory) {
        acceptedCount = 0;
        for (size_t row = 0; row < rows; ++row) {
            bool accepted;
            if (narrowing && !m_accepted[row]) {
                accepted = false;
            } else if (widening && m_accepted[row]) {
                accepted = true;
            } else {
                m_evaluatedRow = int(row);
                accepted = acceptsDevice(*m_inventory->deviceAt(int(row)));
                m_evaluatedRow = -1;
            }
            next[row] = quint8(accepted);
            acceptedCount += accepted;
        }
    }
    if (tracked) {
        for (size_t row = 0; row < rows; ++row)
            changed += next[row] != m_accepted[row];
    }
    m_accepted = std::move(next);
    m_acceptedValid = true;

    m_answerFromAccepted = true;
    // Qt 6.4 removes/inserts rows in one step per contiguous proxy range, each rebuilding
    // its whole mapping: when many rows leave and few remain, clearing the mapping and
    // sorting the remaining rows once is much cheaper.
    if (tracked && changed > 2 * acceptedCount) {
        invalidate();
        rowCount();  // rebuilds the mapping now, from m_accepted
    } else {
        invalidateFilter();
    }
    m_answerFromAccepted = false;
    emit filterChanged();
}

DeviceKey DeviceFilterProxyModel::deviceKeyAt(int proxyRow) const
{
    const QModelIndex i = index(proxyRow, 0);
    return DeviceKey{i.data(DeviceInventoryModel::SourceRole).toString(),
                     i.data(DeviceInventoryModel::PathRole).toString()};
}

int DeviceFilterProxyModel::proxyRowOf(const DeviceKey &device) const
{
    if (!m_inventory)
        return -1;
    const int sourceRow = m_inventory->rowOf(device);
    if (sourceRow < 0)
        return -1;
    return mapFromSource(m_inventory->index(sourceRow, 0)).row();
}

bool DeviceFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid() || !m_inventory)
        return false;
    const bool recorded = size_t(sourceRow) < m_accepted.size();
    if (m_answerFromAccepted && recorded)
        return m_accepted[size_t(sourceRow)];
    bool accepted;
    if (m_filter.isEmpty()) {
        accepted = true;
    } else if (m_filterValuesUnchanged) {
        // Nothing the filter reads has changed: keep the row where it is.
        accepted = mapFromSource(m_inventory->index(sourceRow, 0)).isValid();
    } else {
        const Device *device = m_inventory->deviceAt(sourceRow);
        m_evaluatedRow = sourceRow;
        accepted = device && acceptsDevice(*device);
        m_evaluatedRow = -1;
    }
    if (recorded)
        m_accepted[size_t(sourceRow)] = quint8(accepted);
    return accepted;
}

void DeviceFilterProxyModel::sort(int column, Qt::SortOrder order)
{
    const int rows = sourceRows();
    if (!m_inventory || column < 0 || !DeviceInventoryModel::isTextColumn(column) || rows < 2
        || sortRole() != DeviceInventoryModel::SortRole
        || (column == sortColumn() && order == sortOrder())) {  // already sorted so
        QSortFilterProxyModel::sort(column, order);
        return;
    }
    ensureSortKeys(column);
    std::vector<int> byKey(static_cast<size_t>(rows));
    std::iota(byKey.begin(), byKey.end(), 0);
    std::sort(byKey.begin(), byKey.end(),
              [this](int a, int b) { return m_textKeys[size_t(a)] < m_textKeys[size_t(b)]; });
    m_textRanks.assign(size_t(rows), 0);
    int rank = 0;
    for (size_t i = 1; i < byKey.size(); ++i) {
        if (m_textKeys[size_t(byKey[i - 1])] != m_textKeys[size_t(byKey[i])])
            ++rank;
        m_textRanks[size_t(byKey[i])] = rank;
    }
    QSortFilterProxyModel::sort(column, order);
    m_textRanks = {};
}

bool DeviceFilterProxyModel::sourceRowLessThan(int sourceLeft, int sourceRight, int column) const
{
    if (!m_textRanks.empty() && column == m_keyColumn && size_t(std::max(sourceLeft, sourceRight)) < m_textRanks.size())
        return m_textRanks[size_t(sourceLeft)] < m_textRanks[size_t(sourceRight)];
    ensureSortKeys(column);
    if (DeviceInventoryModel::isTextColumn(column))
        return m_textKeys[size_t(sourceLeft)] < m_textKeys[size_t(sourceRight)];
    return m_numKeys[size_t(sourceLeft)] < m_numKeys[size_t(sourceRight)];
}

bool DeviceFilterProxyModel::lessThan(const QModelIndex &sourceLeft, const QModelIndex &sourceRight) const
{
    if (!m_inventory || sortRole() != DeviceInventoryModel::SortRole || sourceLeft.model() != m_inventory
        || sourceLeft.column() < 0 || sourceLeft.column() >= DeviceInventoryModel::ColumnCount)
        return QSortFilterProxyModel::lessThan(sourceLeft, sourceRight);
    return sourceRowLessThan(sourceLeft.row(), sourceRight.row(), sourceLeft.column());
}

bool DeviceFilterProxyModel::acceptsDevice(const Device &device) const
{
    if (m_needle.isEmpty())
        return m_filter.matches(device);
    // Called from filterAcceptsRow() for m_evaluatedRow: its search text is in the cache.
    const int row = m_evaluatedRow;
    if (row < 0 || m_inventory->deviceAt(row) != &device)
        return m_filter.matches(device);
    ensureSearchText();
    return m_filter.matches(device, searchTextAt(row), m_needle);
}

} // namespace fd
