#include "models/device_inventory_model.h"
#include "models/device_tree_model.h"
#include "tests/models/device_factory.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace fd;
using fd::test::makeDevice;
using fd::test::makeDevices;

namespace {

Device deviceAt(const QString &source, const QString &path, int i = 1)
{
    Device d = makeDevice(i);
    d.source = source;
    d.path = path;
    d.id = DeviceKey{source, path}.id();
    d.name = QStringLiteral("name of ") + path;
    return d;
}

QString label(const QModelIndex &index)
{
    return index.siblingAtColumn(DeviceInventoryModel::IdColumn).data().toString();
}

// "label(child, child(...)), ..." of the whole tree, for compact comparisons.
QString dump(const QAbstractItemModel &model, const QModelIndex &parent = QModelIndex())
{
    QStringList parts;
    for (int row = 0; row < model.rowCount(parent); ++row) {
        const QModelIndex child = model.index(row, 0, parent);
        const QString inner = dump(model, child);
        parts.append(inner.isEmpty() ? label(child) : label(child) + QLatin1Char('(') + inner + QLatin1Char(')'));
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace

class TestDeviceTreeModel : public QObject
{
    Q_OBJECT
private slots:
    void buildsSourceGatewayDeviceLevels();
    void followsInsertsAndChangesWithoutReset();
    void placeholderBecomesTheEdgeNode();
    void largeFleetBuildsOnce();
    void removedDevicesLeaveTheTree();
};

void TestDeviceTreeModel::buildsSourceGatewayDeviceLevels()
{
    DeviceInventoryModel inventory;
    inventory.setLastSeenRefreshIntervalMs(0);
    DeviceTreeModel tree;
    QAbstractItemModelTester tester(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
    tree.setInventoryModel(&inventory);
    inventory.resetDevices({deviceAt(u"west"_qs, u"dev-1"_qs), deviceAt(u"east"_qs, u"dev-1"_qs),
                            deviceAt(u"west"_qs, u"plant/gw-1"_qs), deviceAt(u"west"_qs, u"plant/gw-1/pump"_qs),
                            deviceAt(u"west"_qs, u"plant/gw-1/valve"_qs), deviceAt(u"east"_qs, u"plant/gw-9/fan"_qs)});
    QCOMPARE(dump(tree), u"west(plant/gw-1(pump, valve), dev-1), east(plant/gw-9(fan), dev-1)"_qs);

    const QModelIndex west = tree.index(0, 0);
    QCOMPARE(tree.kind(west), DeviceTreeModel::NodeKind::Source);
    QCOMPARE(west.siblingAtColumn(DeviceInventoryModel::NameColumn).data().toString(), u"4 device(s)"_qs);
    const QModelIndex gateway = tree.index(0, 0, west);
    QCOMPARE(tree.kind(gateway), DeviceTreeModel::NodeKind::Group);
    // The edge node is the intermediate node itself, with its own data.
    QCOMPARE(inventory.keyAt(tree.inventoryRow(gateway)), (DeviceKey{u"west"_qs, u"plant/gw-1"_qs}));
    QCOMPARE(gateway.siblingAtColumn(DeviceInventoryModel::NameColumn).data().toString(), u"name of plant/gw-1"_qs);
    const QModelIndex pump = tree.index(0, DeviceInventoryModel::NameColumn, gateway);
    QCOMPARE(pump.data().toString(), u"name of plant/gw-1/pump"_qs);
    QCOMPARE(pump.data(DeviceInventoryModel::DeviceKeyRole).value<DeviceKey>(),
             (DeviceKey{u"west"_qs, u"plant/gw-1/pump"_qs}));
    QCOMPARE(tree.parent(pump), gateway);
    // A placeholder (the edge node was never heard of) has no inventory row.
    const QModelIndex gw9 = tree.index(0, 0, tree.index(1, 0));
    QCOMPARE(tree.inventoryRow(gw9), -1);
    QCOMPARE(tree.rowCount(gw9), 1);
    // Identity: the same id on two sources is two devices.
    QCOMPARE(tree.indexOfInventoryRow(inventory.rowOf({u"east"_qs, u"dev-1"_qs})), tree.index(1, 0, tree.index(1, 0)));
}

void TestDeviceTreeModel::followsInsertsAndChangesWithoutReset()
{
    DeviceInventoryModel inventory;
    inventory.setLastSeenRefreshIntervalMs(0);
    inventory.resetDevices({deviceAt(u"west"_qs, u"dev-1"_qs), deviceAt(u"west"_qs, u"plant/gw-1/pump"_qs)});
    DeviceTreeModel tree;
    QAbstractItemModelTester tester(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
    tree.setInventoryModel(&inventory);
    QSignalSpy reset(&tree, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&tree, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&tree, &QAbstractItemModel::dataChanged);

    // New devices under an existing source and gateway, a new gateway and a new source.
    inventory.applyUpdates({deviceAt(u"west"_qs, u"dev-2"_qs), deviceAt(u"west"_qs, u"plant/gw-1/valve"_qs),
                            deviceAt(u"west"_qs, u"plant/gw-2/fan"_qs), deviceAt(u"east"_qs, u"dev-1"_qs)});
    inventory.flushPendingUpdates();
    QCOMPARE(reset.count(), 0);
    QCOMPARE(dump(tree), u"west(plant/gw-1(pump, valve), dev-1, plant/gw-2(fan), dev-2), east(dev-1)"_qs);
    // root (east), west (gw-2), then devices: west, gw-1, gw-2, east.
    QCOMPARE(inserted.count(), 6);

    // A change is a dataChanged of that row under its parent, not a reset.
    changed.clear();
    Device pump = deviceAt(u"west"_qs, u"plant/gw-1/pump"_qs);
    pump.name = u"Pump 1"_qs;
    inventory.applyUpdates({pump});
    inventory.flushPendingUpdates();
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 1);
    const QModelIndex topLeft = changed.at(0).at(0).value<QModelIndex>();
    QCOMPARE(topLeft.parent(), tree.index(0, 0, tree.index(0, 0)));
    QCOMPARE(topLeft.row(), 0);
    QCOMPARE(topLeft.siblingAtColumn(DeviceInventoryModel::NameColumn).data().toString(), u"Pump 1"_qs);

    // The "last seen" refresh: one dataChanged per parent.
    changed.clear();
    inventory.setLastSeenRefreshIntervalMs(10);
    QVERIFY(changed.wait(2000));
    inventory.setLastSeenRefreshIntervalMs(0);
    QCOMPARE(reset.count(), 0);
}

void TestDeviceTreeModel::placeholderBecomesTheEdgeNode()
{
    DeviceInventoryModel inventory;
    inventory.setLastSeenRefreshIntervalMs(0);
    DeviceTreeModel tree;
    QAbstractItemModelTester tester(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
    tree.setInventoryModel(&inventory);
    inventory.applyUpdates({deviceAt(u"west"_qs, u"plant/gw-1/pump"_qs)});
    inventory.flushPendingUpdates();
    const QModelIndex gateway = tree.index(0, 0, tree.index(0, 0));
    QCOMPARE(tree.inventoryRow(gateway), -1);
    QSignalSpy changed(&tree, &QAbstractItemModel::dataChanged);
    inventory.applyUpdates({deviceAt(u"west"_qs, u"plant/gw-1"_qs)});
    inventory.flushPendingUpdates();
    QCOMPARE(dump(tree), u"west(plant/gw-1(pump))"_qs);
    QCOMPARE(inventory.keyAt(tree.inventoryRow(gateway)), (DeviceKey{u"west"_qs, u"plant/gw-1"_qs}));
    QVERIFY(changed.count() >= 1);
}

void TestDeviceTreeModel::largeFleetBuildsOnce()
{
    DeviceInventoryModel inventory;
    inventory.setLastSeenRefreshIntervalMs(0);
    QList<Device> devices = makeDevices(20'000);
    for (int i = 0; i < devices.size(); ++i) {
        devices[i].source = i % 2 ? u"west"_qs : u"east"_qs;
        devices[i].path = QStringLiteral("g/n%1/").arg(i % 50) + devices[i].id;
    }
    inventory.resetDevices(devices);
    DeviceTreeModel tree;
    tree.setInventoryModel(&inventory);
    QCOMPARE(tree.rowCount(), 2);
    QCOMPARE(tree.rowCount(tree.index(0, 0)), 25);  // east: the even gateways
    QCOMPARE(tree.rowCount(tree.index(0, 0, tree.index(0, 0))), 400);
    for (int row = 0; row < inventory.rowCount(); row += 997)
        QCOMPARE(tree.inventoryRow(tree.indexOfInventoryRow(row)), row);
}

void TestDeviceTreeModel::removedDevicesLeaveTheTree()
{
    DeviceInventoryModel inventory;
    inventory.setLastSeenRefreshIntervalMs(0);
    DeviceTreeModel tree;
    QAbstractItemModelTester tester(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
    tree.setInventoryModel(&inventory);
    inventory.resetDevices({deviceAt(u"west"_qs, u"dev-1"_qs), deviceAt(u"east"_qs, u"dev-1"_qs),
                            deviceAt(u"west"_qs, u"plant/gw-1"_qs), deviceAt(u"west"_qs, u"plant/gw-1/pump"_qs),
                            deviceAt(u"west"_qs, u"plant/gw-1/valve"_qs)});
    // Followed as a reset (the tree is rebuilt; deletions are rare).
    inventory.removeDevices({DeviceKey{u"west"_qs, u"plant/gw-1/pump"_qs}, DeviceKey{u"east"_qs, u"dev-1"_qs}});
    QCOMPARE(dump(tree), u"west(plant/gw-1(valve), dev-1)"_qs);  // east has no device left
    QCOMPARE(tree.index(0, DeviceInventoryModel::NameColumn).data().toString(), u"3 device(s)"_qs);
    QCOMPARE(tree.indexOfInventoryRow(inventory.rowOf({u"west"_qs, u"plant/gw-1/valve"_qs})).siblingAtColumn(
                 DeviceInventoryModel::NameColumn).data().toString(),
             u"name of plant/gw-1/valve"_qs);
}

QTEST_MAIN(TestDeviceTreeModel)
#include "test_device_tree_model.moc"
