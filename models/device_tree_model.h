#pragma once

#include <QAbstractItemModel>
#include <QHash>
#include <QString>

#include <vector>

namespace fd {

class DeviceInventoryModel;

// The inventory as a tree: source (connection) -> Sparkplug group -> edge node -> devices,
// built from each device's DeviceKey path:
//   "dev-1"              (protocol v1)    a device directly under its source;
//   "group/node"         (an edge node)   the edge node, under the folder "group" of its
//                                         source;
//   "group/node/device"  (behind a node)  a device under the edge node "group/node" (a
//                                         placeholder until the edge node itself is in
//                                         the inventory, then that node's own row).
// The group is a folder (no inventory row of its own). Same columns and roles as
// DeviceInventoryModel (device and edge node rows forward to it); a source, group or
// placeholder shows its name in the Device ID column and how many devices it holds in the
// Name column. Follows the inventory: new devices are appended to their parent (one
// beginInsertRows per parent per tick, level by level), changed ones give one dataChanged
// per parent; only an inventory reset (or a deletion) resets it. Children stay in arrival
// order (within one update, new groups before new edge nodes before new devices).
class DeviceTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    // Group: a Sparkplug group (folder). EdgeNode: "group/node", with an inventory row once
    // the node itself is known (else a placeholder).
    enum class NodeKind { Source, Group, EdgeNode, Device };
    enum Role {
        NodeKindRole = Qt::UserRole + 100,  // int(NodeKind)
    };

    explicit DeviceTreeModel(QObject *parent = nullptr);

    void setInventoryModel(DeviceInventoryModel *model);
    DeviceInventoryModel *inventoryModel() const { return m_inventory; }

    // The inventory row of a device or edge node (-1 for a source, group or placeholder).
    int inventoryRow(const QModelIndex &index) const;
    QModelIndex indexOfInventoryRow(int row, int column = 0) const;
    NodeKind kind(const QModelIndex &index) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = QModelIndex()) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    bool hasChildren(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    Qt::DropActions supportedDragActions() const override;

private:
    struct Node
    {
        quint32 parent = 0;
        quint32 row = 0;          // in the parent's children
        qint32 inventoryRow = -1;
        NodeKind kind = NodeKind::Device;
        quint32 devices = 0;      // inventory rows in this subtree, itself included
        QString label;            // source name, group name, or edge node id
        QString path;             // group: "group"; edge node: "group/node"
        std::vector<quint32> children;
    };

    quint32 nodeOf(const QModelIndex &index) const;
    QModelIndex indexOfNode(quint32 node, int column) const;
    void rebuild();
    void addRows(int first, int last, bool signal);
    quint32 appendChild(quint32 parent, Node node);
    // Appends the nodes of `added` (parent -> nodes, parents in first-seen order), one
    // insert per parent.
    void insertChildren(const std::vector<std::pair<quint32, std::vector<Node>>> &added, bool signal,
                        QHash<QString, quint32> *index);
    void countDevice(quint32 node);
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles);
    void onRowsInserted(const QModelIndex &parent, int first, int last);
    void onReset();

    DeviceInventoryModel *m_inventory = nullptr;
    std::vector<Node> m_nodes;              // 0: the invisible root
    std::vector<quint32> m_nodeOfRow;       // inventory row -> node
    QHash<QString, quint32> m_sources;      // source name -> node
    QHash<QString, quint32> m_groups;       // source + '\n' + group -> node
    QHash<QString, quint32> m_edgeNodes;    // source + '\n' + "group/node" -> node
    bool m_resetting = false;
};

} // namespace fd
