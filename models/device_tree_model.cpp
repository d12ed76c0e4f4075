#include "models/device_tree_model.h"

#include "models/structural_reset_relay.h"

#include "models/device_inventory_model.h"

#include "core/domain/plain_text.h"

#include <QMimeData>
#include <QSet>

#include <algorithm>
#include <numeric>

namespace fd {

namespace {

constexpr quint32 kRoot = 0;

// Where a device goes: directly under its source (protocol v1: no group), or under the
// edge node "group/node" of the folder "group"; isEdgeNode: it is that edge node.
struct Placement
{
    QString group;
    QString edgeNode;
    bool isEdgeNode = false;
};

Placement placementOf(const QString &path)
{
    const qsizetype first = path.indexOf(QLatin1Char('/'));
    if (first < 0)
        return {};
    const qsizetype second = path.indexOf(QLatin1Char('/'), first + 1);
    if (second < 0)
        return {path.left(first), path, true};
    return {path.left(first), path.left(second), false};
}

QString nodeKey(const QString &source, const QString &path)
{
    return source + QLatin1Char('\n') + path;
}

} // namespace

DeviceTreeModel::DeviceTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
{
    m_nodes.resize(1);
    m_nodes[kRoot].kind = NodeKind::Source;
}

void DeviceTreeModel::setInventoryModel(DeviceInventoryModel *model)
{
    beginResetModel();
    if (m_inventory)
        disconnect(m_inventory, nullptr, this, nullptr);
    m_inventory = model;
    if (model) {
        connect(model, &QAbstractItemModel::dataChanged, this, &DeviceTreeModel::onDataChanged);
        connect(model, &QAbstractItemModel::rowsInserted, this, &DeviceTreeModel::onRowsInserted);
        connect(model, &QAbstractItemModel::headerDataChanged, this, &DeviceTreeModel::headerDataChanged);
        relayStructuralChangesAsReset(
            model, this,
            [this] {
                if (!m_resetting) {
                    m_resetting = true;
                    beginResetModel();
                }
            },
            [this] { onReset(); });
    }
    rebuild();
    endResetModel();
}

void DeviceTreeModel::onReset()
{
    if (!m_resetting)
        beginResetModel();
    rebuild();
    m_resetting = false;
    endResetModel();
}

void DeviceTreeModel::rebuild()
{
    m_nodes.assign(1, Node());
    m_nodes[kRoot].kind = NodeKind::Source;
    m_nodeOfRow.clear();
    m_sources.clear();
    m_groups.clear();
    m_edgeNodes.clear();
    if (m_inventory && m_inventory->rowCount() > 0)
        addRows(0, m_inventory->rowCount() - 1, false);
}

quint32 DeviceTreeModel::appendChild(quint32 parent, Node node)
{
    const quint32 id = quint32(m_nodes.size());
    node.parent = parent;
    node.row = quint32(m_nodes[parent].children.size());
    m_nodes.push_back(std::move(node));
    m_nodes[parent].children.push_back(id);
    return id;
}

void DeviceTreeModel::countDevice(quint32 node)
{
    for (quint32 n = node; n != kRoot; n = m_nodes[n].parent)
        ++m_nodes[n].devices;
}

void DeviceTreeModel::insertChildren(const std::vector<std::pair<quint32, std::vector<Node>>> &added, bool signal,
                                     QHash<QString, quint32> *index)
{
    for (const auto &[parent, nodes] : added) {
        const int at = int(m_nodes[parent].children.size());
        if (signal)
            beginInsertRows(indexOfNode(parent, 0), at, at + int(nodes.size()) - 1);
        m_nodes[parent].children.reserve(m_nodes[parent].children.size() + nodes.size());
        // A group's source is its parent; an edge node's, its parent's parent.
        const quint32 source = m_nodes[parent].kind == NodeKind::Source ? parent : m_nodes[parent].parent;
        for (const Node &node : nodes) {
            const QString key = index ? nodeKey(m_nodes[source].label, node.path) : QString();
            const quint32 id = appendChild(parent, node);
            if (index)
                index->insert(key, id);
        }
        if (signal)
            endInsertRows();
    }
}

void DeviceTreeModel::addRows(int first, int last, bool signal)
{
    const DeviceRowStore &store = m_inventory->store();
    m_nodeOfRow.resize(size_t(last) + 1, kRoot);
    std::vector<Placement> placements(size_t(last - first + 1));
    for (int row = first; row <= last; ++row)
        placements[size_t(row - first)] = placementOf(store.row(row).path);
    auto sourceOf = [&](int row) -> const QString & { return store.string(store.row(row).source); };

    // New children of existing or new parents, grouped by parent in first-seen order.
    using Added = std::vector<std::pair<quint32, std::vector<Node>>>;
    auto addTo = [](Added &added, QHash<quint32, size_t> &slot, quint32 parent, Node node) {
        auto it = slot.constFind(parent);
        if (it == slot.cend()) {
            it = slot.insert(parent, added.size());
            added.push_back({parent, {}});
        }
        added[*it].second.push_back(std::move(node));
    };

    // 1. New sources, under the root.
    {
        Added added;
        QHash<quint32, size_t> slot;
        QSet<QString> seen;
        for (int row = first; row <= last; ++row) {
            const QString &source = sourceOf(row);
            if (m_sources.contains(source) || seen.contains(source))
                continue;
            seen.insert(source);
            Node node;
            node.kind = NodeKind::Source;
            node.label = source;
            addTo(added, slot, kRoot, std::move(node));
        }
        if (!added.empty()) {
            insertChildren(added, signal, nullptr);
            for (quint32 id : m_nodes[kRoot].children)
                m_sources.insert(m_nodes[id].label, id);
        }
    }

    // 2. New groups (folders), one insert per source.
    {
        Added added;
        QHash<quint32, size_t> slot;
        QSet<QString> seen;
        for (int row = first; row <= last; ++row) {
            const Placement &p = placements[size_t(row - first)];
            if (p.group.isEmpty())
                continue;
            const QString key = nodeKey(sourceOf(row), p.group);
            if (m_groups.contains(key) || seen.contains(key))
                continue;
            seen.insert(key);
            Node node;
            node.kind = NodeKind::Group;
            node.label = p.group;
            node.path = p.group;
            addTo(added, slot, m_sources.value(sourceOf(row)), std::move(node));
        }
        insertChildren(added, signal, &m_groups);
    }

    // 3. New edge nodes (placeholders until their own row is placed), one insert per group.
    {
        Added added;
        QHash<quint32, size_t> slot;
        QSet<QString> seen;
        for (int row = first; row <= last; ++row) {
            const Placement &p = placements[size_t(row - first)];
            if (p.edgeNode.isEmpty())
                continue;
            const QString &source = sourceOf(row);
            const QString key = nodeKey(source, p.edgeNode);
            if (m_edgeNodes.contains(key) || seen.contains(key))
                continue;
            seen.insert(key);
            Node node;
            node.kind = NodeKind::EdgeNode;
            node.label = p.edgeNode.mid(p.group.size() + 1);
            node.path = p.edgeNode;
            addTo(added, slot, m_groups.value(nodeKey(source, p.group)), std::move(node));
        }
        insertChildren(added, signal, &m_edgeNodes);
    }

    // 4. Edge nodes take their row; devices are appended, one insert per parent.
    std::vector<quint32> touched;
    std::vector<quint32> parents;  // in first-seen order
    QHash<quint32, std::vector<int>> newDevices;
    for (int row = first; row <= last; ++row) {
        const Placement &p = placements[size_t(row - first)];
        const QString &source = sourceOf(row);
        if (p.isEdgeNode) {
            const quint32 node = m_edgeNodes.value(nodeKey(source, p.edgeNode));
            m_nodes[node].inventoryRow = row;
            m_nodeOfRow[size_t(row)] = node;
            countDevice(node);
            touched.push_back(node);
            continue;
        }
        const quint32 parent = p.edgeNode.isEmpty() ? m_sources.value(source)
                                                    : m_edgeNodes.value(nodeKey(source, p.edgeNode));
        std::vector<int> &rows = newDevices[parent];
        if (rows.empty())
            parents.push_back(parent);
        rows.push_back(row);
    }
    for (quint32 parent : parents) {
        const std::vector<int> &rows = newDevices[parent];
        const int at = int(m_nodes[parent].children.size());
        if (signal)
            beginInsertRows(indexOfNode(parent, 0), at, at + int(rows.size()) - 1);
        m_nodes[parent].children.reserve(m_nodes[parent].children.size() + rows.size());
        for (int row : rows) {
            Node node;
            node.kind = NodeKind::Device;
            node.inventoryRow = row;
            node.devices = 1;
            const quint32 id = appendChild(parent, std::move(node));
            m_nodeOfRow[size_t(row)] = id;
        }
        for (quint32 n = parent; n != kRoot; n = m_nodes[n].parent)
            m_nodes[n].devices += quint32(rows.size());
        if (signal)
            endInsertRows();
        touched.push_back(parent);
    }
    if (!signal)
        return;
    // Device counts shown by the ancestors (and edge nodes that became known): one
    // dataChanged per node, each node once.
    QSet<quint32> done;
    for (quint32 node : touched) {
        for (quint32 n = node; n != kRoot && !done.contains(n); n = m_nodes[n].parent) {
            done.insert(n);
            const QModelIndex left = indexOfNode(n, 0);
            emit dataChanged(left, left.siblingAtColumn(columnCount() - 1));
        }
    }
}

void DeviceTreeModel::onRowsInserted(const QModelIndex &parent, int first, int last)
{
    if (m_resetting || parent.isValid())
        return;
    if (size_t(first) != m_nodeOfRow.size()) {
        onReset();  // not an append (never from the inventory)
        return;
    }
    addRows(first, last, true);
}

void DeviceTreeModel::onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                                    const QList<int> &roles)
{
    if (m_resetting || !topLeft.isValid() || !bottomRight.isValid())
        return;
    // One dataChanged per parent, spanning the changed children.
    QHash<quint32, std::pair<quint32, quint32>> spans;
    auto add = [&](int row) {
        if (size_t(row) >= m_nodeOfRow.size())
            return;
        const Node &node = m_nodes[m_nodeOfRow[size_t(row)]];
        auto it = spans.find(node.parent);
        if (it == spans.end())
            spans.insert(node.parent, {node.row, node.row});
        else
            *it = {std::min(it->first, node.row), std::max(it->second, node.row)};
    };
    if (const std::vector<int> *changed = m_inventory->changedRows()) {
        for (int row : *changed)
            add(row);
    } else if (topLeft.row() == 0 && size_t(bottomRight.row()) + 1 >= m_nodeOfRow.size()) {
        // Every row (the "last seen" refresh): every parent, whole.
        for (quint32 n = 0; n < m_nodes.size(); ++n) {
            if (!m_nodes[n].children.empty())
                spans.insert(n, {0, quint32(m_nodes[n].children.size() - 1)});
        }
    } else {
        for (int row = topLeft.row(); row <= bottomRight.row(); ++row)
            add(row);
    }
    for (auto it = spans.cbegin(); it != spans.cend(); ++it) {
        const QModelIndex parent = indexOfNode(it.key(), 0);
        emit dataChanged(index(int(it->first), topLeft.column(), parent),
                         index(int(it->second), bottomRight.column(), parent), roles);
    }
}

quint32 DeviceTreeModel::nodeOf(const QModelIndex &index) const
{
    if (!index.isValid())
        return kRoot;
    return m_nodes[size_t(index.internalId())].children[size_t(index.row())];
}

QModelIndex DeviceTreeModel::indexOfNode(quint32 node, int column) const
{
    if (node == kRoot)
        return {};
    return createIndex(int(m_nodes[node].row), column, quintptr(m_nodes[node].parent));
}

int DeviceTreeModel::inventoryRow(const QModelIndex &index) const
{
    return index.isValid() && index.model() == this ? m_nodes[nodeOf(index)].inventoryRow : -1;
}

QModelIndex DeviceTreeModel::indexOfInventoryRow(int row, int column) const
{
    if (row < 0 || size_t(row) >= m_nodeOfRow.size())
        return {};
    return indexOfNode(m_nodeOfRow[size_t(row)], column);
}

DeviceTreeModel::NodeKind DeviceTreeModel::kind(const QModelIndex &index) const
{
    return m_nodes[nodeOf(index)].kind;
}

QModelIndex DeviceTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= columnCount() || (parent.isValid() && parent.model() != this))
        return {};
    const quint32 node = nodeOf(parent);
    if (size_t(row) >= m_nodes[node].children.size())
        return {};
    return createIndex(row, column, quintptr(node));
}

QModelIndex DeviceTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexOfNode(quint32(child.internalId()), 0);
}

int DeviceTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(m_nodes[nodeOf(parent)].children.size());
}

int DeviceTreeModel::columnCount(const QModelIndex &) const
{
    return m_inventory ? int(DeviceInventoryModel::ColumnCount) : 0;
}

bool DeviceTreeModel::hasChildren(const QModelIndex &parent) const
{
    return rowCount(parent) > 0;
}

QVariant DeviceTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node &node = m_nodes[nodeOf(index)];
    if (role == NodeKindRole)
        return int(node.kind);
    const int column = index.column();
    if (node.kind != NodeKind::Device && (role == Qt::DisplayRole || role == Qt::ToolTipRole)) {
        const bool tip = role == Qt::ToolTipRole;
        if (column == DeviceInventoryModel::IdColumn && (node.inventoryRow < 0 || !tip)) {
            if (!tip)
                return node.label;
            // Group and edge node names come from devices: plain text.
            switch (node.kind) {
            case NodeKind::Group:
                return plainTextAsRichText(tr("Sparkplug group %1: %n device(s)", nullptr, int(node.devices)).arg(node.label));
            case NodeKind::EdgeNode:
                return plainTextAsRichText(tr("Edge node %1 (not heard from itself yet: known from its devices)")
                                               .arg(node.path));
            default:
                return plainTextAsRichText(node.label);
            }
        }
        if (column == DeviceInventoryModel::NameColumn && (node.inventoryRow < 0 || tip))
            return tr("%n device(s)", nullptr, int(node.devices));
        if (column == DeviceInventoryModel::SourceColumn && node.kind == NodeKind::Source)
            return tip ? plainTextAsRichText(node.label) : node.label;
    }
    if (node.inventoryRow < 0)
        return {};
    // Under its edge node a device is named by its own id (the flat list says "node/device").
    if (node.kind == NodeKind::Device && column == DeviceInventoryModel::IdColumn && role == Qt::DisplayRole)
        return m_inventory->keyAt(node.inventoryRow).id();
    return m_inventory->index(node.inventoryRow, column).data(role);
}

QVariant DeviceTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && m_inventory)
        return m_inventory->headerData(section, orientation, role);
    return QAbstractItemModel::headerData(section, orientation, role);
}

Qt::ItemFlags DeviceTreeModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    const Node &node = m_nodes[nodeOf(index)];
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (node.inventoryRow >= 0)
        f |= Qt::ItemIsDragEnabled;
    if (node.children.empty() && node.kind == NodeKind::Device)
        f |= Qt::ItemNeverHasChildren;
    return f;
}

QStringList DeviceTreeModel::mimeTypes() const
{
    return m_inventory ? m_inventory->mimeTypes() : QStringList();
}

QMimeData *DeviceTreeModel::mimeData(const QModelIndexList &indexes) const
{
    if (!m_inventory)
        return nullptr;
    QModelIndexList rows;
    for (const QModelIndex &index : indexes) {
        const int row = inventoryRow(index);
        if (row >= 0)
            rows.append(m_inventory->index(row, index.column()));
    }
    return rows.isEmpty() ? nullptr : m_inventory->mimeData(rows);
}

Qt::DropActions DeviceTreeModel::supportedDragActions() const
{
    return Qt::CopyAction;
}

} // namespace fd
