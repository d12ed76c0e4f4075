#include "models/alert_filter_proxy_model.h"

#include "models/alert_queue_model.h"

#include <QFont>

namespace fd {

AlertFilterProxyModel::AlertFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(AlertQueueModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(this, signal, this, &AlertFilterProxyModel::invalidateGroupSizes);
    connect(this, &QAbstractItemModel::layoutChanged, this, &AlertFilterProxyModel::invalidateGroupSizes);
    connect(this, &QAbstractItemModel::modelReset, this, &AlertFilterProxyModel::invalidateGroupSizes);
    connect(this, &QAbstractItemModel::dataChanged, this, &AlertFilterProxyModel::invalidateGroupSizes);
}

void AlertFilterProxyModel::setSourceModel(QAbstractItemModel *model)
{
    if (m_queue)
        disconnect(m_queue, nullptr, this, nullptr);
    m_queue = qobject_cast<AlertQueueModel *>(model);
    QSortFilterProxyModel::setSourceModel(m_queue);
    if (m_queue) {
        // After the proxy's own handling of the change (connected first, by the base class).
        connect(m_queue, &QAbstractItemModel::dataChanged, this, &AlertFilterProxyModel::onSourceChanged);
        connect(m_queue, &QAbstractItemModel::rowsInserted, this, &AlertFilterProxyModel::onSourceChanged);
        connect(m_queue, &QAbstractItemModel::rowsRemoved, this, &AlertFilterProxyModel::onSourceChanged);
        connect(m_queue, &QAbstractItemModel::layoutChanged, this, &AlertFilterProxyModel::onSourceChanged);
        connect(m_queue, &QAbstractItemModel::modelReset, this, &AlertFilterProxyModel::onSourceChanged);
    }
    m_groupRanks = computeGroupRanks();
    invalidateGroupSizes();
}

QHash<QString, int> AlertFilterProxyModel::computeGroupRanks() const
{
    QHash<QString, int> ranks;
    if (!m_queue || m_groupBy == GroupBy::None)
        return ranks;
    for (int row = 0; row < m_queue->rowCount(); ++row) {
        const QString key = groupKeyOfSource(row);
        const int severity = int(m_queue->alertAt(row)->severity);
        const auto it = ranks.find(key);
        if (it == ranks.end())
            ranks.insert(key, severity);
        else if (severity < *it)
            *it = severity;
    }
    return ranks;
}

void AlertFilterProxyModel::onSourceChanged()
{
    if (m_groupBy == GroupBy::None)
        return;
    QHash<QString, int> ranks = computeGroupRanks();
    if (ranks == m_groupRanks)
        return;
    // A group's worst severity changed (or a group came or went): groups move.
    const bool reorder = [&] {
        for (auto it = ranks.cbegin(); it != ranks.cend(); ++it) {
            const auto before = m_groupRanks.constFind(it.key());
            if (before != m_groupRanks.cend() && *before != *it)
                return true;
        }
        return false;
    }();
    m_groupRanks = std::move(ranks);
    if (reorder)
        invalidate();
}

void AlertFilterProxyModel::setFilter(const AlertFilter &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    invalidateRowsFilter();
    invalidateGroupSizes();
}

void AlertFilterProxyModel::setGroupBy(GroupBy group)
{
    if (group == m_groupBy)
        return;
    m_groupBy = group;
    m_groupRanks = computeGroupRanks();
    invalidateGroupSizes();
    invalidate();  // re-sorts (and tells the views: the group column's text changed)
}

int AlertFilterProxyModel::groupColumn() const
{
    switch (m_groupBy) {
    case GroupBy::Rule: return AlertQueueModel::RuleColumn;
    case GroupBy::Site: return AlertQueueModel::SiteColumn;
    case GroupBy::None: break;
    }
    return -1;
}

QString AlertFilterProxyModel::groupKeyOfSource(int sourceRow) const
{
    const Alert *a = m_queue ? m_queue->alertAt(sourceRow) : nullptr;
    if (!a)
        return {};
    switch (m_groupBy) {
    case GroupBy::Rule: return a->ruleName;
    case GroupBy::Site: return a->site;
    case GroupBy::None: break;
    }
    return {};
}

int AlertFilterProxyModel::groupSize(int row) const
{
    if (m_groupBy == GroupBy::None || row < 0 || row >= rowCount())
        return 0;
    if (!m_groupSizesValid) {
        m_groupSizes.clear();
        for (int r = 0; r < rowCount(); ++r)
            ++m_groupSizes[groupKeyOfSource(mapToSource(index(r, 0)).row())];
        m_groupSizesValid = true;
    }
    return m_groupSizes.value(groupKeyOfSource(mapToSource(index(row, 0)).row()));
}

qint64 AlertFilterProxyModel::alertIdAt(int row) const
{
    if (!m_queue || row < 0 || row >= rowCount())
        return 0;
    return m_queue->idAt(mapToSource(index(row, 0)).row());
}

int AlertFilterProxyModel::rowOfAlert(qint64 id) const
{
    if (!m_queue)
        return -1;
    const int source = m_queue->rowOf(id);
    if (source < 0)
        return -1;
    return mapFromSource(m_queue->index(source, 0)).row();
}

QVariant AlertFilterProxyModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || m_groupBy == GroupBy::None)
        return QSortFilterProxyModel::data(index, role);
    const int row = index.row();
    const auto groupOf = [this](int proxyRow) { return groupKeyOfSource(mapToSource(this->index(proxyRow, 0)).row()); };
    const QString key = groupOf(row);
    const bool start = row == 0 || groupOf(row - 1) != key;
    if (role == GroupStartRole)
        return start;
    if (role == GroupKeyRole)
        return key;
    if (index.column() == groupColumn()) {
        if (role == Qt::DisplayRole) {
            if (!start)
                return QString();
            const QString name = key.isEmpty() ? tr("(no site)") : key;
            return tr("%1 (%2)").arg(name).arg(groupSize(row));
        }
        if (role == Qt::FontRole && start) {
            QFont font = QSortFilterProxyModel::data(index, role).value<QFont>();
            font.setBold(true);
            return font;
        }
    }
    return QSortFilterProxyModel::data(index, role);
}

bool AlertFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid() || !m_queue)
        return false;
    const Alert *a = m_queue->alertAt(sourceRow);
    return a && m_filter.matches(*a, m_queue->now());
}

bool AlertFilterProxyModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const Alert *a = m_queue ? m_queue->alertAt(left.row()) : nullptr;
    const Alert *b = m_queue ? m_queue->alertAt(right.row()) : nullptr;
    if (!a || !b)
        return QSortFilterProxyModel::lessThan(left, right);
    const bool descending = sortOrder() == Qt::DescendingOrder;
    if (m_groupBy != GroupBy::None) {
        // Groups always ascend (worst severity first, then by name): the view inverts
        // lessThan() for a descending sort, so the group comparison is inverted back. A new
        // group's rank (not known at the last sort) is its own alert's severity.
        const QString ka = groupKeyOfSource(left.row());
        const QString kb = groupKeyOfSource(right.row());
        if (ka != kb) {
            const int ra = m_groupRanks.value(ka, int(a->severity));
            const int rb = m_groupRanks.value(kb, int(b->severity));
            if (ra != rb)
                return descending ? ra > rb : ra < rb;
            const int c = QString::compare(ka, kb, Qt::CaseInsensitive);
            if (c != 0)
                return descending ? c > 0 : c < 0;
        }
    }
    const QVariant l = left.data(sortRole());
    const QVariant r = right.data(sortRole());
    const QPartialOrdering order = QVariant::compare(l, r);
    if (order == QPartialOrdering::Less || order == QPartialOrdering::Greater) {
        if (l.typeId() == QMetaType::QString) {
            const int c = QString::compare(l.toString(), r.toString(), Qt::CaseInsensitive);
            if (c != 0)
                return c < 0;
        } else {
            return order == QPartialOrdering::Less;
        }
    }
    // Ties: the worse severity, then the newest alert (by its first occurrence, which repeats
    // do not move: rows hold still under j/k while their alerts repeat), then the id.
    if (a->severity != b->severity)
        return (a->severity < b->severity) != descending;
    if (a->firstTsMs != b->firstTsMs)
        return (a->firstTsMs > b->firstTsMs) != descending;
    return (a->id > b->id) != descending;
}

} // namespace fd
