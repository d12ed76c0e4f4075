// Deleting devices from the inventory, end to end on a real cache and a real operations
// store: the context menu's "Delete Device…" (its text follows the selection), the
// confirmation (Cancel deletes nothing and records nothing), then the deletion recorded in
// the audit log before it happens and its outcome after the cache committed it; rows,
// Diagnostics rows and cache rows of the devices are gone, the others stay.
#include "core/ingest/fleet_session.h"
#include "core/operations/operations_store.h"
#include "core/storage/storage_writer.h"
#include "models/device_filter_proxy_model.h"
#include "models/device_inventory_model.h"
#include "models/device_tree_model.h"
#include "models/rejection_model.h"
#include "tests/support/raw_db.h"
#include "ui/device_deletion_controller.h"
#include "ui/inventory_page.h"
#include "ui/main_window.h"

#include <QAction>
#include <QDateTime>
#include <QItemSelectionModel>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace fd;
using namespace Qt::StringLiterals;

namespace {

const QString kSource = u"plant"_s;

DeviceKey key(int i)
{
    return DeviceKey(kSource, u"dev-%1"_s.arg(i));
}

// Five devices of "plant" with latest values, rejects and an hour of telemetry each.
bool fillCache(const QString &path)
{
    StorageWriter writer;
    if (!writer.start(path))
        return false;
    StorageBatch batch;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int i = 1; i <= 5; ++i) {
        Device d;
        d.source = kSource;
        d.id = d.path = key(i).path;
        d.name = u"Pump %1"_s.arg(i);
        d.lastSeenMs = now;
        d.metrics = {MetricValue(u"temperature"_s, 20.0 + i)};
        d.rejects[size_t(RejectReason::BadJson)] = quint32(i);
        batch.devices.append(d);
        for (int m = 0; m < 60; ++m) {
            TelemetrySample s;
            s.source = kSource;
            s.deviceId = s.path = d.id;
            s.timestampMs = now - m * 60'000;
            s.metrics = {MetricValue(u"temperature"_s, 20.0 + m % 5)};
            batch.samples.append(s);
        }
    }
    writer.submit(std::move(batch));
    return writer.flush();
}

qint64 rowsOf(const QString &cache, const QByteArray &table, const DeviceKey &device)
{
    test::RawDb raw(cache);
    const QByteArray where = "source = '" + device.source.toUtf8() + "' AND path = '" + device.path.toUtf8() + "'";
    if (table == "telemetry")
        return raw.rawPoints(where);
    if (table.startsWith("telemetry"))
        return raw.integer("SELECT count(*) FROM " + table + " WHERE device_key = (SELECT id FROM device_keys WHERE "
                           + where + ")");
    return raw.integer("SELECT count(*) FROM " + table + " WHERE " + where);
}

} // namespace

class TestDeviceDeletionUi : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void deleteFromTheContextMenu();
    void disabledWithoutTheOperationsStore();
    void treeViewHasTheActionToo();

private:
    void selectDevices(MainWindow &window, const QList<DeviceKey> &devices);
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_cache;
};

void TestDeviceDeletionUi::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_cache = m_dir->filePath(u"cache.sqlite"_s);
    QVERIFY(fillCache(m_cache));
}

void TestDeviceDeletionUi::selectDevices(MainWindow &window, const QList<DeviceKey> &devices)
{
    QTableView *table = window.inventoryPage()->table();
    DeviceFilterProxyModel *proxy = window.inventoryPage()->proxy();
    table->selectionModel()->clearSelection();
    for (const DeviceKey &device : devices) {
        const int row = proxy->proxyRowOf(device);
        QVERIFY(row >= 0);
        table->selectionModel()->select(proxy->index(row, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
}

void TestDeviceDeletionUi::deleteFromTheContextMenu()
{
    FleetSession session;
    QVERIFY(session.open(m_cache).ok());
    OperationsStore store;
    QSignalSpy opened(&store, &OperationsStore::opened);
    store.open(OperationsStore::pathForCache(m_cache));
    QVERIFY(opened.wait(5000));
    QVERIFY(store.isOpen());
    MainWindow::Services services;
    services.session = &session;
    services.operations = &store;
    MainWindow window(services);
    window.resize(1300, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.inventoryModel()->rowCount(), 5);
    QCOMPARE(window.rejectionModel()->rowCount(), 5);

    // In the table's context menu; its text follows the selection.
    QAction *remove = window.deleteDevicesAction();
    QVERIFY(window.inventoryPage()->table()->actions().contains(remove));
    selectDevices(window, {key(2), key(4)});
    QCOMPARE(window.inventoryPage()->selectedDevices(), (QList<DeviceKey>{key(2), key(4)}));
    QCOMPARE(remove->text(), u"&Delete 2 Devices…"_s);
    QVERIFY(remove->isEnabled());

    // Cancel: nothing is deleted, nothing recorded.
    remove->trigger();
    auto *box = window.findChild<QMessageBox *>(u"deleteDevicesConfirmation"_s);
    QVERIFY(box);
    QTRY_VERIFY(box->isVisible());
    QVERIFY(box->text().contains(u"dev-2  (plant)"_s));
    QVERIFY(box->text().contains(u"dev-4  (plant)"_s));
    QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
    box->button(QMessageBox::Cancel)->click();
    QTRY_VERIFY(!window.findChild<QMessageBox *>(u"deleteDevicesConfirmation"_s));
    QCOMPARE(window.deletionController()->pendingCount(), 0);
    QCOMPARE(window.inventoryModel()->rowCount(), 5);
    const QString ops = OperationsStore::pathForCache(m_cache);
    QCOMPARE(test::RawDb(ops).integer("SELECT count(*) FROM audit_log"), 0);

    // Delete.
    QSignalSpy finished(window.deletionController(), &DeviceDeletionController::finished);
    remove->trigger();
    box = window.findChild<QMessageBox *>(u"deleteDevicesConfirmation"_s);
    QVERIFY(box);
    box->findChild<QPushButton *>(u"confirmDelete"_s)->click();
    QVERIFY(finished.wait(10000));
    QVERIFY(finished.at(0).at(1).toBool());
    const qint64 actionId = finished.at(0).at(0).toLongLong();
    QCOMPARE(window.inventoryModel()->rowCount(), 3);
    QCOMPARE(window.inventoryModel()->rowOf(key(2)), -1);
    QCOMPARE(window.inventoryModel()->rowOf(key(4)), -1);
    QCOMPARE(window.rejectionModel()->rowCount(), 3);
    QCOMPARE(window.rejectionModel()->rowOf(key(4)), -1);
    for (const char *table : {"devices", "device_metrics", "device_rejects", "telemetry", "telemetry_1m", "telemetry_1h"}) {
        QVERIFY2(rowsOf(m_cache, table, key(2)) == 0 && rowsOf(m_cache, table, key(4)) == 0, table);
        QVERIFY2(rowsOf(m_cache, table, key(3)) > 0, table);
    }
    // Recorded before and after, by the operator, with the devices named.
    test::RawDb audit(ops);
    const QByteArray where = " WHERE object_id = '" + QByteArray::number(actionId) + "' ORDER BY id";
    QCOMPARE(audit.texts("SELECT action FROM audit_log" + where),
             (QStringList{u"device.delete.requested"_s, u"device.delete.succeeded"_s}));
    QCOMPARE(audit.texts("SELECT actor FROM audit_log" + where).value(0), window.operatorName());
    QCOMPARE(audit.texts("SELECT source FROM operator_actions WHERE id = " + QByteArray::number(actionId)),
             QStringList{kSource});
    const QString payload =
        audit.texts("SELECT payload_json FROM operator_actions WHERE id = " + QByteArray::number(actionId)).value(0);
    QVERIFY2(payload.contains(u"\"path\":\"dev-2\""_s) && payload.contains(u"\"path\":\"dev-4\""_s), qPrintable(payload));
    QCOMPARE(audit.texts("SELECT state FROM operator_actions WHERE id = " + QByteArray::number(actionId)),
             QStringList{u"succeeded"_s});
    store.shutdown();
    session.shutdown();
}

void TestDeviceDeletionUi::disabledWithoutTheOperationsStore()
{
    FleetSession session;
    QVERIFY(session.open(m_cache).ok());
    MainWindow window(MainWindow::Services{&session, nullptr, nullptr, nullptr});
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    selectDevices(window, {key(1)});
    QCOMPARE(window.deleteDevicesAction()->text(), u"&Delete Device…"_s);
    QVERIFY(!window.deleteDevicesAction()->isEnabled());
    QVERIFY(window.deleteDevicesAction()->toolTip().contains(u"operations store"_s));
    session.shutdown();
}

void TestDeviceDeletionUi::treeViewHasTheActionToo()
{
    FleetSession session;
    QVERIFY(session.open(m_cache).ok());
    OperationsStore store;
    QSignalSpy opened(&store, &OperationsStore::opened);
    store.open(OperationsStore::pathForCache(m_cache));
    QVERIFY(opened.wait(5000));
    MainWindow::Services services;
    services.session = &session;
    services.operations = &store;
    MainWindow window(services);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    InventoryPage *page = window.inventoryPage();
    page->setViewMode(InventoryPage::ViewMode::Tree);  // built now, after the action was added
    QVERIFY(page->tree()->actions().contains(window.deleteDevicesAction()));
    const QModelIndex device = page->treeModel()->indexOfInventoryRow(window.inventoryModel()->rowOf(key(3)));
    QVERIFY(device.isValid());
    page->tree()->selectionModel()->select(device, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QCOMPARE(page->selectedDevices(), QList<DeviceKey>{key(3)});
    QCOMPARE(window.deleteDevicesAction()->text(), u"&Delete Device…"_s);
    QVERIFY(window.deleteDevicesAction()->isEnabled());
    // A source row is not a device.
    page->tree()->selectionModel()->select(page->treeModel()->index(0, 0),
                                           QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QVERIFY(page->selectedDevices().isEmpty());
    QVERIFY(!window.deleteDevicesAction()->isEnabled());
    store.shutdown();
    session.shutdown();
}

QTEST_MAIN(TestDeviceDeletionUi)
#include "test_device_deletion.moc"
