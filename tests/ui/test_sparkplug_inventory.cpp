// Sparkplug B edge nodes and devices in the main window, through the path the app uses:
// FleetSession::devicesUpdated (what the ingest pipeline's decoders publish) reaches the
// inventory, whose tree mode shows source > group > edge node > devices with the session
// facts; a death marks the devices STALE; the detail panel shows the session and writes a
// metric to a device over a real mosquitto (the DCMD as an edge node receives it, decoded
// with the Sparkplug B .proto), audited in the operations store with the value before and
// the value typed; a rebirth request goes out as NCMD to the node.
// Writes a screenshot to <build>/screenshots/ui-sparkplug-tree.png.
#include "core/ingest/fleet_session.h"
#include "core/operations/operations_store.h"
#include "core/transport/mqtt_client.h"
#include "models/device_inventory_model.h"
#include "models/device_tree_model.h"
#include "protocol/sparkplug/sparkplug_b.pb.h"
#include "tests/models/device_factory.h"
#include "tests/support/broker_fixture.h"
#include "tests/support/raw_db.h"
#include "ui/device_detail_panel.h"
#include "ui/inventory_page.h"
#include "ui/main_window.h"
#include "ui/sparkplug_write_dialog.h"

#include <QDateTime>
#include <QDir>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTableView>
#include <QTreeView>

using namespace fd;
using namespace Qt::StringLiterals;
using fd::test::died;
using fd::test::makeSparkplugDevice;

namespace {

QString label(const QModelIndex &index)
{
    return index.siblingAtColumn(DeviceInventoryModel::IdColumn).data().toString();
}

QString dump(const QAbstractItemModel &model, const QModelIndex &parent = QModelIndex())
{
    QStringList parts;
    for (int row = 0; row < model.rowCount(parent); ++row) {
        const QModelIndex child = model.index(row, 0, parent);
        const QString inner = dump(model, child);
        parts.append(inner.isEmpty() ? label(child) : label(child) + u'(' + inner + u')');
    }
    return parts.join(u", "_s);
}

QString screenshotDir()
{
    const QString dir = QDir(QStringLiteral(FLEETDECK_BIN_DIR)).absoluteFilePath(u"../screenshots"_s);
    QDir().mkpath(dir);
    return QDir::cleanPath(dir);
}

// The fleet of one broker "lyon": a protocol v1 device and two Sparkplug groups; gw-2's
// own NBIRTH has not been seen (a placeholder holds its device).
Device sparkplug(const QString &path)
{
    return makeSparkplugDevice(u"lyon"_s, path, QDateTime::currentMSecsSinceEpoch() - 1000);
}

QList<Device> fleet()
{
    Device v1 = fd::test::makeDevice(1, QDateTime::currentMSecsSinceEpoch() - 2000);
    v1.source = u"lyon"_s;
    v1.path = v1.id;
    v1.lastTelemetryMs = v1.lastSeenMs;
    return {v1,
            sparkplug(u"plant-a/gw-1"_s),
            sparkplug(u"plant-a/gw-1/pump"_s),
            sparkplug(u"plant-a/gw-1/valve"_s),
            sparkplug(u"plant-a/gw-2/fan"_s),
            sparkplug(u"plant-b/gw-7"_s),
            sparkplug(u"plant-b/gw-7/press"_s)};
}

} // namespace

class TestSparkplugInventory : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void treeDetailWriteAndRebirth();
    void cleanupTestCase();

private:
    QTemporaryDir m_dir;
    test::BrokerFixture m_broker;
};

void TestSparkplugInventory::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (!test::BrokerFixture::mosquittoAvailable())
        QFAIL("mosquitto is required");
    QString error;
    QVERIFY2(m_broker.start(&error), qPrintable(error));
}

void TestSparkplugInventory::cleanupTestCase()
{
    m_broker.stop();
}

void TestSparkplugInventory::treeDetailWriteAndRebirth()
{
    const QString cache = m_dir.filePath(u"cache.sqlite"_s);
    FleetSession session;
    QVERIFY(session.open(cache).ok());
    OperationsStore store;
    QSignalSpy opened(&store, &OperationsStore::opened);
    store.open(OperationsStore::pathForCache(cache));
    QVERIFY(opened.wait(5000));
    QVERIFY(store.isOpen());

    MainWindow::Services services;
    services.session = &session;
    services.operations = &store;
    MainWindow window(services);
    window.resize(1400, 860);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.showPage(MainWindow::InventoryPageIndex);

    ConnectionProfile profile = m_broker.profile();
    profile.name = u"lyon"_s;
    session.connectSource(profile);
    DeviceInventoryModel *inventory = window.inventoryModel();
    QTRY_COMPARE_WITH_TIMEOUT(inventory->sourceState(u"lyon"_s), ConnectionState::Connected, 10000);

    // What the decoders publish reaches the window as it would from the ingest thread.
    emit session.devicesUpdated(fleet());
    InventoryPage *page = window.inventoryPage();
    page->setViewMode(InventoryPage::ViewMode::Tree);
    QTreeView *tree = page->tree();
    QVERIFY(tree && tree->isVisible());
    DeviceTreeModel *model = page->treeModel();
    QTRY_COMPARE(dump(*model), u"lyon(plant-a(gw-1(pump, valve), gw-2(fan)), plant-b(gw-7(press)), dev-00001)"_s);

    // Every level is open and every device visible.
    const QModelIndex lyon = model->index(0, 0);
    const QModelIndex plantA = model->index(0, 0, lyon);
    const QModelIndex gw1 = model->index(0, 0, plantA);
    const QModelIndex pump = model->index(0, 0, gw1);
    QVERIFY(tree->isExpanded(lyon));
    QVERIFY(tree->isExpanded(plantA));
    QVERIFY(tree->isExpanded(gw1));
    QVERIFY(tree->visualRect(pump).isValid());
    QCOMPARE(model->kind(plantA), DeviceTreeModel::NodeKind::Group);
    QCOMPARE(model->kind(gw1), DeviceTreeModel::NodeKind::EdgeNode);
    QCOMPARE(model->inventoryRow(model->index(1, 0, plantA)), -1);  // gw-2: a placeholder
    // The session column appeared (there are Sparkplug devices); empty for protocol v1.
    QVERIFY(!tree->header()->isSectionHidden(DeviceInventoryModel::SessionColumn));
    QVERIFY(!page->table()->horizontalHeader()->isSectionHidden(DeviceInventoryModel::SessionColumn));
    // Room for "Offline · stale" in the status.
    QVERIFY(tree->header()->sectionSize(DeviceInventoryModel::StatusColumn)
            > tree->fontMetrics().horizontalAdvance(u"Offline · stale"_s));
    QCOMPARE(pump.siblingAtColumn(DeviceInventoryModel::SessionColumn).data().toString(),
             u"bdSeq 3 · births 1 · deaths 0"_s);
    QVERIFY(model->index(2, DeviceInventoryModel::SessionColumn, lyon).data().toString().isEmpty());

    // The detail panel: the session facts and the commands, available.
    tree->setCurrentIndex(pump);
    DeviceDetailPanel *detail = page->detailPanel();
    QCOMPARE(detail->deviceKey(), (DeviceKey{u"lyon"_s, u"plant-a/gw-1/pump"_s}));
    QVERIFY(detail->sparkplugSection()->isVisible());
    QCOMPARE(detail->findChild<QLabel *>(u"detailBdSeq"_s)->text(), u"3"_s);
    QVERIFY(detail->findChild<QLabel *>(u"detailBirths"_s)->text().startsWith(u"1 · last "_s));
    QVERIFY(detail->writeMetricButton()->isEnabled());
    QVERIFY(detail->rebirthButton()->isEnabled());

    // A death of gw-2's device: STALE in the tree, no writes to it.
    const qint64 death = QDateTime::currentMSecsSinceEpoch() - 2000;
    emit session.devicesUpdated({died(sparkplug(u"plant-a/gw-2/fan"_s), death)});
    const QModelIndex fan = model->index(0, DeviceInventoryModel::StatusColumn, model->index(1, 0, plantA));
    QTRY_COMPARE(fan.data().toString(), u"Offline · stale"_s);
    QVERIFY(fan.data(Qt::ToolTipRole).toString().contains(u"stale since "_s));
    QVERIFY(fan.siblingAtColumn(DeviceInventoryModel::TrendColumn).data(DeviceInventoryModel::StaleRole).toBool());
    tree->setCurrentIndex(fan.siblingAtColumn(0));
    QCOMPARE(detail->deviceKey().path, u"plant-a/gw-2/fan"_s);
    QVERIFY(!detail->writeMetricButton()->isEnabled());
    QVERIFY(detail->writeMetricButton()->toolTip().contains(u"offline"_s));
    QVERIFY(detail->findChild<QLabel *>(u"detailDeaths"_s)->text().startsWith(u"1 · last "_s));
    QTRY_VERIFY(detail->findChild<QLabel *>(u"detailDeaths"_s)->isVisible());  // laid out
    QVERIFY(window.grab().save(screenshotDir() + u"/ui-sparkplug-tree.png"_s));

    // An edge node's view of the broker: what FleetDeck sends to plant-a's nodes.
    MqttClient edge;
    QSignalSpy received(&edge, &MqttClient::messagesReceived);
    QSignalSpy subscribed(&edge, &MqttClient::subscribed);
    edge.subscribe(u"spBv1.0/plant-a/+/#"_s, 0);
    edge.connectToBroker(m_broker.profile());
    QVERIFY(subscribed.wait(10000));
    QVERIFY(subscribed.last().at(1).toBool());

    // Write Metric… on the pump: the dialog, a value, Write.
    tree->setCurrentIndex(pump);
    detail->writeMetricButton()->click();
    SparkplugWriteDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<SparkplugWriteDialog *>()) && dialog->isVisible());
    QVERIFY(dialog->selectMetric(u"setpoint"_s));
    QCOMPARE(dialog->datatypeName(), u"Double"_s);
    QTest::keyClicks(dialog->valueField(), u"22.5"_s);
    QVERIFY(dialog->writeButton()->isEnabled());
    dialog->writeButton()->click();

    // The DCMD as the edge node gets it: the metric by name and alias, its BIRTH's datatype.
    QByteArray dcmd;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const QList<QVariant> &args : std::as_const(received))
                for (const MqttMessage &m : args.at(0).value<MqttMessageBatch>())
                    if (m.topic == "spBv1.0/plant-a/DCMD/gw-1/pump")
                        dcmd = m.payload;
            return !dcmd.isEmpty();
        }(),
        10000);
    fleetdeck::sparkplug_b::Payload payload;
    QVERIFY(payload.ParseFromArray(dcmd.constData(), int(dcmd.size())));
    QCOMPARE(payload.metrics_size(), 1);
    QCOMPARE(QString::fromStdString(payload.metrics(0).name()), u"setpoint"_s);
    QCOMPARE(payload.metrics(0).alias(), quint64(1));
    QCOMPARE(payload.metrics(0).datatype(), 10u);
    QCOMPARE(payload.metrics(0).double_value(), 22.5);

    // Audited: requested (with what was asked) and done, by this operator.
    const QString ops = OperationsStore::pathForCache(cache);
    QStringList actions;
    QTRY_VERIFY_WITH_TIMEOUT(
        (actions = test::RawDb(ops).texts("SELECT action FROM audit_log WHERE device_path = 'plant-a/gw-1/pump' ORDER BY id"))
            .contains(u"device.sparkplug.write.succeeded"_s),
        10000);
    QCOMPARE(actions, (QStringList{u"device.sparkplug.write.requested"_s, u"device.sparkplug.write.succeeded"_s}));
    const QString asked = test::RawDb(ops).texts(
        "SELECT payload_json FROM operator_actions WHERE device_path = 'plant-a/gw-1/pump'").value(0);
    QVERIFY2(asked.contains(uR"("metric":"setpoint")"_s) && asked.contains(uR"("datatype":"Double")"_s)
                 && asked.contains(uR"("before":"20")"_s) && asked.contains(uR"("after":"22.5")"_s)
                 && asked.contains(uR"("topic":"spBv1.0/plant-a/DCMD/gw-1/pump")"_s),
             qPrintable(asked));
    QCOMPARE(test::RawDb(ops).texts("SELECT actor FROM audit_log WHERE device_path = 'plant-a/gw-1/pump'").value(0),
             window.operatorName());

    // Request Rebirth from the device: NCMD Node Control/Rebirth to its edge node.
    received.clear();
    detail->rebirthButton()->click();
    QByteArray ncmd;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const QList<QVariant> &args : std::as_const(received))
                for (const MqttMessage &m : args.at(0).value<MqttMessageBatch>())
                    if (m.topic == "spBv1.0/plant-a/NCMD/gw-1")
                        ncmd = m.payload;
            return !ncmd.isEmpty();
        }(),
        10000);
    fleetdeck::sparkplug_b::Payload rebirth;
    QVERIFY(rebirth.ParseFromArray(ncmd.constData(), int(ncmd.size())));
    QCOMPARE(QString::fromStdString(rebirth.metrics(0).name()), u"Node Control/Rebirth"_s);
    QVERIFY(rebirth.metrics(0).boolean_value());
    QTRY_VERIFY_WITH_TIMEOUT(test::RawDb(ops)
                                 .texts("SELECT action FROM audit_log WHERE device_path = 'plant-a/gw-1' ORDER BY id")
                                 .contains(u"device.sparkplug.rebirth.succeeded"_s),
                             10000);

    edge.disconnectFromBroker();
    store.shutdown();
    session.shutdown();
}

QTEST_MAIN(TestSparkplugInventory)
#include "test_sparkplug_inventory.moc"
