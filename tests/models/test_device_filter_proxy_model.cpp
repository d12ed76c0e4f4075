#include "core/domain/device_filter.h"
#include "models/device_filter_proxy_model.h"
#include "models/device_inventory_model.h"
#include "tests/models/device_factory.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace fd;
using fd::test::makeDevice;
using fd::test::makeDevices;

namespace {
// Counts filterAcceptsRow calls, to prove what does (not) re-filter.
class CountingProxy : public DeviceFilterProxyModel
{
public:
    mutable int calls = 0;

protected:
    bool acceptsDevice(const Device &device) const override
    {
        ++calls;
        return DeviceFilterProxyModel::acceptsDevice(device);
    }
};
} // namespace

class TestDeviceFilterProxyModel : public QObject
{
    Q_OBJECT
private slots:
    void filterMatches_data();
    void filterMatches();
    void proxyFiltersAndCountsRows();
    void updatesRefilterOnlyChangedRows();
    void lastSeenRefreshDoesNotRefilter();
    void newRowsAreFiltered();
    void mapsDeviceIds();
    void largeFleetSortAndFilter();
};

void TestDeviceFilterProxyModel::filterMatches_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("site");
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("online");
    QTest::addColumn<bool>("matches");

    // Device under test: id dev-00003, name "Sensor 3", site-a, TH-200, fw 1.3.0, online.
    const int any = int(DeviceFilter::Online::Any);
    QTest::newRow("empty") << QString() << QString() << QString() << any << true;
    QTest::newRow("id substring") << QStringLiteral("00003") << QString() << QString() << any << true;
    QTest::newRow("name case-insensitive") << QStringLiteral("sensor 3") << QString() << QString() << any << true;
    QTest::newRow("site text") << QStringLiteral("SITE-A") << QString() << QString() << any << true;
    QTest::newRow("model text") << QStringLiteral("th-2") << QString() << QString() << any << true;
    QTest::newRow("firmware text") << QStringLiteral("1.3.0") << QString() << QString() << any << true;
    QTest::newRow("whitespace only") << QStringLiteral("   ") << QString() << QString() << any << true;
    QTest::newRow("no match") << QStringLiteral("zzz") << QString() << QString() << any << false;
    QTest::newRow("site exact") << QString() << QStringLiteral("site-a") << QString() << any << true;
    QTest::newRow("site other") << QString() << QStringLiteral("site-b") << QString() << any << false;
    QTest::newRow("site is not substring") << QString() << QStringLiteral("site") << QString() << any << false;
    QTest::newRow("model exact") << QString() << QString() << QStringLiteral("TH-200") << any << true;
    QTest::newRow("model other") << QString() << QString() << QStringLiteral("GW-10") << any << false;
    QTest::newRow("online only") << QString() << QString() << QString() << int(DeviceFilter::Online::OnlineOnly) << true;
    QTest::newRow("offline only") << QString() << QString() << QString() << int(DeviceFilter::Online::OfflineOnly) << false;
    QTest::newRow("all criteria") << QStringLiteral("sensor") << QStringLiteral("site-a") << QStringLiteral("TH-200")
                                  << int(DeviceFilter::Online::OnlineOnly) << true;
}

void TestDeviceFilterProxyModel::filterMatches()
{
    QFETCH(QString, text);
    QFETCH(QString, site);
    QFETCH(QString, model);
    QFETCH(int, online);
    QFETCH(bool, matches);
    const Device d = makeDevice(3);
    QCOMPARE(d.site, QStringLiteral("site-a"));
    DeviceFilter f{text, site, model, DeviceFilter::Online(online)};
    QCOMPARE(f.matches(d), matches);
}

void TestDeviceFilterProxyModel::proxyFiltersAndCountsRows()
{
    DeviceInventoryModel inventory;
    inventory.setLastSeenRefreshIntervalMs(0);
    inventory.resetDevices(makeDevices(300));
    DeviceFilterProxyModel proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setInventoryModel(&inventory);
    QCOMPARE(proxy.rowCount(), 300);

    QSignalSpy filterChanged(&proxy, &DeviceFilterProxyModel::filterChanged);
    DeviceFilter f;
    f.site = QStringLiteral("site-b");
    proxy.setFilter(f);
    QCOMPARE(filterChanged.count(), 1);
    QCOMPARE(proxy.rowCount(), 100);
    proxy.setFilter(f);  // unchanged: nothing happens
    QCOMPARE(filterChanged.count(), 1);

    f.online = DeviceFilter::Online::OfflineOnly;
    proxy.setFilter(f);
    // site-b: i % 3 == 1; offline: i % 5 == 0 -> i % 15 == 10: 20 devices in 0..299
    QCOMPARE(proxy.rowCount(), 20);
    for (int row = 0; row < proxy.rowCount(); ++row)
        QVERIFY(!proxy.index(row, 0).data(DeviceInventoryModel::OnlineRole).toBool());

    f = {};
    f.text = QStringLiteral("dev-0002");
    proxy.setFilter(f);
    QCOMPARE(proxy.rowCount(), 10);  // dev-00020 .. dev-00029
}

void TestDeviceFilterProxyModel::updatesRefilterOnlyChangedRows()
{
    DeviceInventoryModel inventory;
    inventory.setLastSeenRefreshIntervalMs(0);
    inventory.resetDevices(makeDevices(1000));
    CountingProxy proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setInventoryModel(&inventory);
    DeviceFilter f;
    f.online = DeviceFilter::Online::OfflineOnly;
    proxy.setFilter(f);
    QCOMPARE(proxy.rowCount(), 200);

    Device goesOffline = makeDevice(501);
    goesOffline.online = false;
    Device alsoOffline = makeDevice(503);
    alsoOffline.online = false;
    proxy.calls = 0;
    inventory.applyUpdates({goesOffline, alsoOffline});
    inventory.flushPendingUpdates();
    QCOMPARE(proxy.rowCount(), 202);
    QVERIFY(proxy.proxyRowOf(goesOffline.id) >= 0);
    QVERIFY2(proxy.calls <= 3, qPrintable(QString::number(proxy.calls)));  // rows 501..503 only
}

void TestDeviceFilterProxyModel::lastSeenRefreshDoesNotRefilter()
{
    DeviceInventoryModel inventory;
    inventory.resetDevices(makeDevices(1000));
    CountingProxy proxy;
    proxy.setInventoryModel(&inventory);
    proxy.sort(DeviceInventoryModel::NameColumn);
    DeviceFilter f;
    f.text = QStringLiteral("sensor");
    proxy.setFilter(f);
    QSignalSpy layout(&proxy, &QAbstractItemModel::layoutChanged);
    QSignalSpy changed(&proxy, &QAbstractItemModel::dataChanged);
    proxy.calls = 0;
    inventory.setLastSeenRefreshIntervalMs(20);
    QVERIFY(changed.wait(2000));
    inventory.setLastSeenRefreshIntervalMs(0);
    QCOMPARE(proxy.calls, 0);
    QCOMPARE(layout.count(), 0);
    QCOMPARE(proxy.rowCount(), 1000);

    // A real change still re-filters (just that row).
    Device renamed = makeDevice(5);
    renamed.name = QStringLiteral("Pump");
    inventory.applyUpdates({renamed});
    inventory.flushPendingUpdates();
    QCOMPARE(proxy.calls, 1);
    QCOMPARE(proxy.rowCount(), 999);
}

void TestDeviceFilterProxyModel::newRowsAreFiltered()
{
    DeviceInventoryModel inventory;
    inventory.setLastSeenRefreshIntervalMs(0);
    DeviceFilterProxyModel proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setInventoryModel(&inventory);
    DeviceFilter f;
    f.model = QStringLiteral("GW-10");
    proxy.setFilter(f);
    QSignalSpy inserted(&proxy, &QAbstractItemModel::rowsInserted);
    inventory.applyUpdates(makeDevices(1000));
    inventory.flushPendingUpdates();
    QCOMPARE(proxy.rowCount(), 500);
    QVERIFY(inserted.count() >= 1);
}

void TestDeviceFilterProxyModel::mapsDeviceIds()
{
    DeviceInventoryModel inventory;
    inventory.setLastSeenRefreshIntervalMs(0);
    inventory.resetDevices(makeDevices(10));
    DeviceFilterProxyModel proxy;
    proxy.setInventoryModel(&inventory);
    proxy.sort(DeviceInventoryModel::IdColumn, Qt::DescendingOrder);
    QCOMPARE(proxy.deviceIdAt(0), QStringLiteral("dev-00009"));
    QCOMPARE(proxy.proxyRowOf(QStringLiteral("dev-00009")), 0);
    QCOMPARE(proxy.proxyRowOf(QStringLiteral("unknown")), -1);
    QCOMPARE(proxy.deviceIdAt(99), QString());
}

void TestDeviceFilterProxyModel::largeFleetSortAndFilter()
{
    // Not a benchmark (bench/ measures); reports the time so regressions are visible.
    DeviceInventoryModel inventory;
    inventory.setLastSeenRefreshIntervalMs(0);
    inventory.resetDevices(makeDevices(100'000));
    DeviceFilterProxyModel proxy;
    proxy.setInventoryModel(&inventory);
    QElapsedTimer timer;
    timer.start();
    proxy.sort(DeviceInventoryModel::NameColumn, Qt::DescendingOrder);
    const qint64 sortMs = timer.restart();
    DeviceFilter f;
    f.text = QStringLiteral("sensor 4242");
    proxy.setFilter(f);
    const qint64 filterMs = timer.elapsed();
    QCOMPARE(proxy.rowCount(), 11);  // 4242, 42420..42429
    qInfo("100k devices: sort by name %lld ms, text filter %lld ms", sortMs, filterMs);
}

QTEST_MAIN(TestDeviceFilterProxyModel)
#include "test_device_filter_proxy_model.moc"
