#include "models/device_inventory_model.h"
#include "models/device_tree_model.h"
#include "tests/models/device_factory.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QFont>
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
    void sparkplugGroupsNodesAndDevicesArriveIncrementally();
    void staleDevicesAreMarkedInTheTree();
    void groupAndNodeNamesAreShownAsPlainText();
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
    QCOMPARE(dump(tree), u"west(plant(gw-1(pump, valve)), dev-1), east(plant(gw-9(fan)), dev-1)"_qs);

    const QModelIndex west = tree.index(0, 0);
    QCOMPARE(tree.kind(west), DeviceTreeModel::NodeKind::Source);
    QCOMPARE(west.siblingAtColumn(DeviceInventoryModel::NameColumn).data().toString(), u"4 device(s)"_qs);
    // The group is a folder: no inventory row, its device count.
    const QModelIndex plant = tree.index(0, 0, west);
    QCOMPARE(tree.kind(plant), DeviceTreeModel::NodeKind::Group);
    QCOMPARE(tree.inventoryRow(plant), -1);
    QVERIFY(!plant.data(DeviceInventoryModel::DeviceKeyRole).isValid());
    QCOMPARE(plant.siblingAtColumn(DeviceInventoryModel::NameColumn).data().toString(), u"3 device(s)"_qs);
    const QModelIndex gateway = tree.index(0, 0, plant);
    QCOMPARE(tree.kind(gateway), DeviceTreeModel::NodeKind::EdgeNode);
    // The edge node is the intermediate node itself, with its own data.
    QCOMPARE(inventory.keyAt(tree.inventoryRow(gateway)), (DeviceKey{u"west"_qs, u"plant/gw-1"_qs}));
    QCOMPARE(gateway.siblingAtColumn(DeviceInventoryModel::NameColumn).data().toString(), u"name of plant/gw-1"_qs);
    const QModelIndex pump = tree.index(0, DeviceInventoryModel::NameColumn, gateway);
    QCOMPARE(pump.data().toString(), u"name of plant/gw-1/pump"_qs);
    QCOMPARE(pump.data(DeviceInventoryModel::DeviceKeyRole).value<DeviceKey>(),
             (DeviceKey{u"west"_qs, u"plant/gw-1/pump"_qs}));
    QCOMPARE(tree.parent(pump), gateway);
    QCOMPARE(tree.parent(gateway), plant);
    QCOMPARE(tree.kind(pump), DeviceTreeModel::NodeKind::Device);
    // A placeholder (the edge node was never heard of) has no inventory row.
    const QModelIndex gw9 = tree.index(0, 0, tree.index(0, 0, tree.index(1, 0)));
    QCOMPARE(tree.kind(gw9), DeviceTreeModel::NodeKind::EdgeNode);
    QCOMPARE(tree.inventoryRow(gw9), -1);
    QCOMPARE(tree.rowCount(gw9), 1);
    QCOMPARE(label(gw9), u"gw-9"_qs);
    QVERIFY(gw9.siblingAtColumn(DeviceInventoryModel::IdColumn).data(Qt::ToolTipRole).toString().contains(u"plant/gw-9"_qs));
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
    QCOMPARE(dump(tree), u"west(plant(gw-1(pump, valve), gw-2(fan)), dev-1, dev-2), east(dev-1)"_qs);
    // root (east), plant (gw-2), then devices: west, gw-1, gw-2, east.
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
    QCOMPARE(topLeft.parent(), tree.index(0, 0, tree.index(0, 0, tree.index(0, 0))));
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
    const QModelIndex gateway = tree.index(0, 0, tree.index(0, 0, tree.index(0, 0)));
    QCOMPARE(tree.inventoryRow(gateway), -1);
    QSignalSpy changed(&tree, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&tree, &QAbstractItemModel::rowsInserted);
    inventory.applyUpdates({deviceAt(u"west"_qs, u"plant/gw-1"_qs)});
    inventory.flushPendingUpdates();
    QCOMPARE(dump(tree), u"west(plant(gw-1(pump)))"_qs);
    QCOMPARE(inserted.count(), 0);  // the placeholder became the node: nothing new
    QCOMPARE(gateway.siblingAtColumn(DeviceInventoryModel::NameColumn).data().toString(), u"name of plant/gw-1"_qs);
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
    QCOMPARE(tree.rowCount(tree.index(0, 0)), 1);  // east: group g
    const QModelIndex g = tree.index(0, 0, tree.index(0, 0));
    QCOMPARE(tree.rowCount(g), 25);  // the even gateways
    QCOMPARE(tree.rowCount(tree.index(0, 0, g)), 400);
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
    QCOMPARE(dump(tree), u"west(plant(gw-1(valve)), dev-1)"_qs);  // east has no device left
    QCOMPARE(tree.index(0, DeviceInventoryModel::NameColumn).data().toString(), u"3 device(s)"_qs);
    QCOMPARE(tree.indexOfInventoryRow(inventory.rowOf({u"west"_qs, u"plant/gw-1/valve"_qs})).siblingAtColumn(
                 DeviceInventoryModel::NameColumn).data().toString(),
             u"name of plant/gw-1/valve"_qs);
}

void TestDeviceTreeModel::sparkplugGroupsNodesAndDevicesArriveIncrementally()
{
    using fd::test::makeSparkplugDevice;
    DeviceInventoryModel inventory;
    inventory.setLastSeenRefreshIntervalMs(0);
    DeviceTreeModel tree;
    QAbstractItemModelTester tester(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
    tree.setInventoryModel(&inventory);
    QSignalSpy reset(&tree, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&tree, &QAbstractItemModel::rowsInserted);

    // A v1 device, then devices whose node is not known yet (DBIRTH seen first is not
    // Sparkplug's order, but a host restarted mid-session sees DATA of devices first).
    inventory.applyUpdates({deviceAt(u"lyon"_qs, u"dev-1"_qs), makeSparkplugDevice(u"lyon"_qs, u"plant-a/gw-1/pump"_qs),
                            makeSparkplugDevice(u"lyon"_qs, u"plant-a/gw-1/valve"_qs)});
    inventory.flushPendingUpdates();
    QCOMPARE(dump(tree), u"lyon(plant-a(gw-1(pump, valve)), dev-1)"_qs);
    // Level by level: the source, the group, the node, then the devices of lyon and gw-1.
    QCOMPARE(inserted.count(), 5);
    const QModelIndex gw1 = tree.index(0, 0, tree.index(0, 0, tree.index(0, 0)));
    QCOMPARE(tree.inventoryRow(gw1), -1);
    QCOMPARE(gw1.siblingAtColumn(DeviceInventoryModel::NameColumn).data().toString(), u"2 device(s)"_qs);

    // The node itself, a second node of the same group, a second group: no reset; each new
    // level is one insert per parent.
    inserted.clear();
    inventory.applyUpdates({makeSparkplugDevice(u"lyon"_qs, u"plant-a/gw-1"_qs), makeSparkplugDevice(u"lyon"_qs, u"plant-a/gw-2"_qs),
                            makeSparkplugDevice(u"lyon"_qs, u"plant-a/gw-2/fan"_qs),
                            makeSparkplugDevice(u"lyon"_qs, u"plant-b/gw-7/press"_qs),
                            makeSparkplugDevice(u"lyon"_qs, u"plant-b/gw-7"_qs)});
    inventory.flushPendingUpdates();
    QCOMPARE(reset.count(), 0);
    QCOMPARE(dump(tree), u"lyon(plant-a(gw-1(pump, valve), gw-2(fan)), dev-1, plant-b(gw-7(press)))"_qs);
    // plant-b under lyon; gw-2 under plant-a and gw-7 under plant-b; fan under gw-2 and
    // press under gw-7.
    QCOMPARE(inserted.count(), 5);
    QCOMPARE(inventory.keyAt(tree.inventoryRow(gw1)), (DeviceKey{u"lyon"_qs, u"plant-a/gw-1"_qs}));
    QCOMPARE(tree.kind(gw1), DeviceTreeModel::NodeKind::EdgeNode);
    QCOMPARE(label(gw1), u"gw-1"_qs);
    QCOMPARE(gw1.data(DeviceInventoryModel::DeviceKeyRole).value<DeviceKey>(), (DeviceKey{u"lyon"_qs, u"plant-a/gw-1"_qs}));
    // Counts: the source holds every device and node, the group its nodes and devices.
    QCOMPARE(tree.index(0, DeviceInventoryModel::NameColumn).data().toString(), u"8 device(s)"_qs);
    QCOMPARE(tree.index(0, DeviceInventoryModel::NameColumn, tree.index(0, 0)).data().toString(), u"5 device(s)"_qs);

    // A device's change is one dataChanged under its node.
    QSignalSpy changed(&tree, &QAbstractItemModel::dataChanged);
    Device fan = makeSparkplugDevice(u"lyon"_qs, u"plant-a/gw-2/fan"_qs);
    fan.messageCount = 99;
    inventory.applyUpdates({fan});
    inventory.flushPendingUpdates();
    QCOMPARE(changed.count(), 1);
    const QModelIndex topLeft = changed.at(0).at(0).value<QModelIndex>();
    QCOMPARE(label(topLeft.parent()), u"gw-2"_qs);
    QCOMPARE(topLeft.siblingAtColumn(DeviceInventoryModel::IdColumn).data().toString(), u"fan"_qs);
}

void TestDeviceTreeModel::staleDevicesAreMarkedInTheTree()
{
    using fd::test::died;
    using fd::test::makeSparkplugDevice;
    DeviceInventoryModel inventory;
    inventory.setLastSeenRefreshIntervalMs(0);
    inventory.setStaleAfterMs(0);  // only the STALE mark makes values stale here
    DeviceTreeModel tree;
    QAbstractItemModelTester tester(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
    tree.setInventoryModel(&inventory);
    const qint64 death = QDateTime::currentMSecsSinceEpoch() - 5000;
    inventory.resetDevices({makeSparkplugDevice(u"lyon"_qs, u"plant-a/gw-1"_qs),
                            makeSparkplugDevice(u"lyon"_qs, u"plant-a/gw-1/pump"_qs)});
    const QModelIndex pump = tree.indexOfInventoryRow(inventory.rowOf({u"lyon"_qs, u"plant-a/gw-1/pump"_qs}));
    const QModelIndex status = pump.siblingAtColumn(DeviceInventoryModel::StatusColumn);
    const QModelIndex trend = pump.siblingAtColumn(DeviceInventoryModel::TrendColumn);
    QCOMPARE(status.data().toString(), u"Online"_qs);
    QCOMPARE(trend.data(DeviceInventoryModel::StaleRole).toBool(), false);
    QCOMPARE(trend.data(DeviceInventoryModel::StaleSinceRole).toLongLong(), 0);

    QSignalSpy changed(&tree, &QAbstractItemModel::dataChanged);
    inventory.applyUpdates({died(makeSparkplugDevice(u"lyon"_qs, u"plant-a/gw-1"_qs), death),
                            died(makeSparkplugDevice(u"lyon"_qs, u"plant-a/gw-1/pump"_qs), death)});
    inventory.flushPendingUpdates();
    QVERIFY(changed.count() >= 1);
    const QString clock = QDateTime::fromMSecsSinceEpoch(death).toString(u"HH:mm:ss"_qs);
    QCOMPARE(status.data().toString(), u"Offline · stale"_qs);
    QVERIFY2(status.data(Qt::ToolTipRole).toString().contains(u"Offline · stale since "_qs + clock),
             qPrintable(status.data(Qt::ToolTipRole).toString()));
    QCOMPARE(trend.data(DeviceInventoryModel::StaleRole).toBool(), true);
    QCOMPARE(trend.data(DeviceInventoryModel::StaleSinceRole).toLongLong(), death);
    QVERIFY(trend.data(Qt::FontRole).value<QFont>().italic());
    QVERIFY(trend.data(Qt::ForegroundRole).isValid());
    QVERIFY(trend.data(Qt::ToolTipRole).toString().contains(u"STALE since"_qs));
    // The value stays: the last known one.
    QCOMPARE(trend.data().toString(), u"21.5"_qs);
    // The edge node row too.
    const QModelIndex node = tree.index(0, DeviceInventoryModel::StatusColumn, tree.index(0, 0, tree.index(0, 0)));
    QCOMPARE(node.data().toString(), u"Offline · stale"_qs);

    // Reborn: the mark goes.
    Device again = makeSparkplugDevice(u"lyon"_qs, u"plant-a/gw-1/pump"_qs);
    again.sparkplug.births = 2;
    inventory.applyUpdates({again});
    inventory.flushPendingUpdates();
    QCOMPARE(status.data().toString(), u"Online"_qs);
    QCOMPARE(trend.data(DeviceInventoryModel::StaleRole).toBool(), false);
    QVERIFY(!trend.data(Qt::FontRole).isValid());
}

void TestDeviceTreeModel::groupAndNodeNamesAreShownAsPlainText()
{
    DeviceInventoryModel inventory;
    inventory.setLastSeenRefreshIntervalMs(0);
    DeviceTreeModel tree;
    tree.setInventoryModel(&inventory);
    inventory.resetDevices({fd::test::makeSparkplugDevice(u"lyon"_qs, u"<b>g&amp;/<h1>n<br>/<i>d"_qs)});
    const QModelIndex group = tree.index(0, DeviceInventoryModel::IdColumn, tree.index(0, 0));
    const QModelIndex node = tree.index(0, DeviceInventoryModel::IdColumn, group.siblingAtColumn(0));
    QCOMPARE(group.data().toString(), u"<b>g&amp;"_qs);
    QCOMPARE(node.data().toString(), u"<h1>n<br>"_qs);
    // Tooltips are rich text whose content is the escaped name.
    QVERIFY(group.data(Qt::ToolTipRole).toString().contains(u"&lt;b&gt;g&amp;amp;"_qs));
    QVERIFY(!group.data(Qt::ToolTipRole).toString().contains(u"<b>"_qs));
    QVERIFY(node.data(Qt::ToolTipRole).toString().contains(u"&lt;h1&gt;n&lt;br&gt;"_qs));
    QVERIFY(!node.data(Qt::ToolTipRole).toString().contains(u"<h1>"_qs));
}

QTEST_MAIN(TestDeviceTreeModel)
#include "test_device_tree_model.moc"
