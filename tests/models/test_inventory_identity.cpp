#include "core/domain/device_filter.h"
#include "models/device_filter_proxy_model.h"
#include "models/device_inventory_model.h"
#include "tests/models/device_factory.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace fd;
using fd::test::makeDevice;

namespace {
Device on(const QString &source, int i)
{
    Device d = makeDevice(i);
    d.source = source;
    d.path = d.id;
    return d;
}
} // namespace

// Devices are identified by (source, path): the same id heard on two connections is two rows.
class TestInventoryIdentity : public QObject
{
    Q_OBJECT
private slots:
    void sameIdFromTwoSourcesIsTwoRows();
    void updatesFindTheirSource();
    void sourceColumnSortsAndFilters();
    void oldDevicesWithoutPathUseTheirId();
    void deviceTextInToolTipsIsLiteral();
};

void TestInventoryIdentity::sameIdFromTwoSourcesIsTwoRows()
{
    DeviceInventoryModel inventory;
    inventory.setLastSeenRefreshIntervalMs(0);
    QAbstractItemModelTester tester(&inventory, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Device west = on(u"west"_qs, 1);
    Device east = on(u"east"_qs, 1);
    east.name = u"East one"_qs;
    inventory.resetDevices({west, east});
    QCOMPARE(inventory.rowCount(), 2);
    const int w = inventory.rowOf(west.key());
    const int e = inventory.rowOf(east.key());
    QVERIFY(w >= 0 && e >= 0 && w != e);
    QCOMPARE(inventory.rowOf(DeviceKey{u"north"_qs, west.id}), -1);
    QCOMPARE(inventory.deviceAt(e)->name, u"East one"_qs);
    QCOMPARE(inventory.index(w, DeviceInventoryModel::SourceColumn).data().toString(), u"west"_qs);
    QCOMPARE(inventory.index(e, 0).data(DeviceInventoryModel::DeviceKeyRole).value<DeviceKey>(), east.key());
    QCOMPARE(inventory.index(e, 0).data(DeviceInventoryModel::DeviceIdRole).toString(), east.id);
    QCOMPARE(inventory.sources(), (QStringList{u"east"_qs, u"west"_qs}));
    // A full round trip of the compact row: what went in comes out.
    const Device back = inventory.device(w);
    QCOMPARE(back.key(), west.key());
    QCOMPARE(back.metrics, west.metrics);
    QCOMPARE(back.rejects, west.rejects);
    QCOMPARE(back.messageCount, west.messageCount);
}

void TestInventoryIdentity::updatesFindTheirSource()
{
    DeviceInventoryModel inventory;
    inventory.setLastSeenRefreshIntervalMs(0);
    inventory.resetDevices({on(u"west"_qs, 1), on(u"east"_qs, 1)});
    QSignalSpy inserted(&inventory, &QAbstractItemModel::rowsInserted);
    Device east = on(u"east"_qs, 1);
    east.messageCount = 999;
    east.metrics = {MetricValue::ofString(u"state"_qs, u"open"_qs), MetricValue::ofInt64(u"count"_qs, 9007199254740993)};
    inventory.applyUpdates({east, on(u"north"_qs, 1)});
    inventory.flushPendingUpdates();
    QCOMPARE(inserted.count(), 1);  // only north is new
    QCOMPARE(inventory.rowCount(), 3);
    QCOMPARE(inventory.device(inventory.rowOf(east.key())).messageCount, 999u);
    QCOMPARE(inventory.device(inventory.rowOf(east.key())).metrics, east.metrics);  // typed values kept
    QCOMPARE(inventory.device(inventory.rowOf(on(u"west"_qs, 1).key())).messageCount, on(u"west"_qs, 1).messageCount);
}

void TestInventoryIdentity::sourceColumnSortsAndFilters()
{
    DeviceInventoryModel inventory;
    inventory.setLastSeenRefreshIntervalMs(0);
    inventory.resetDevices({on(u"west"_qs, 1), on(u"east"_qs, 2), on(u"west"_qs, 3), on(u"Central"_qs, 4)});
    DeviceFilterProxyModel proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setInventoryModel(&inventory);
    proxy.sort(DeviceInventoryModel::SourceColumn, Qt::AscendingOrder);
    QStringList sources;
    for (int row = 0; row < proxy.rowCount(); ++row)
        sources.append(proxy.index(row, DeviceInventoryModel::SourceColumn).data().toString());
    QCOMPARE(sources, (QStringList{u"Central"_qs, u"east"_qs, u"west"_qs, u"west"_qs}));

    DeviceFilter f;
    f.source = u"west"_qs;
    proxy.setFilter(f);
    QCOMPARE(proxy.rowCount(), 2);
    f = {};
    f.text = u"centr"_qs;  // the text search matches the source too
    proxy.setFilter(f);
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.deviceKeyAt(0), on(u"Central"_qs, 4).key());
    QCOMPARE(proxy.proxyRowOf(on(u"Central"_qs, 4).key()), 0);
    QCOMPARE(proxy.proxyRowOf(on(u"west"_qs, 1).key()), -1);
    QVERIFY(f.matches(on(u"Central"_qs, 4)));
    QVERIFY(!f.matches(on(u"west"_qs, 4)));
}

void TestInventoryIdentity::oldDevicesWithoutPathUseTheirId()
{
    DeviceInventoryModel inventory;
    inventory.setLastSeenRefreshIntervalMs(0);
    Device old = makeDevice(7);  // no path, default source: a cache from before sources
    QVERIFY(old.path.isEmpty());
    inventory.resetDevices({old});
    QCOMPARE(inventory.rowOf(DeviceKey{DeviceKey::defaultSource(), old.id}), 0);
    QCOMPARE(inventory.keyAt(0), old.key());
    QCOMPARE(inventory.deviceAt(0)->id, old.id);
}

// A source name or a path can look like markup: tooltips show it as the characters it is.
void TestInventoryIdentity::deviceTextInToolTipsIsLiteral()
{
    DeviceInventoryModel inventory;
    inventory.setLastSeenRefreshIntervalMs(0);
    Device d = on(u"<h1>BIG</h1>"_qs, 1);
    inventory.resetDevices({d});
    const QString tip = inventory.index(0, DeviceInventoryModel::IdColumn).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(u"&lt;h1&gt;BIG&lt;/h1&gt;"_qs), qPrintable(tip));
    QVERIFY(!tip.contains(u"<h1>"_qs));
}

QTEST_MAIN(TestInventoryIdentity)
#include "test_inventory_identity.moc"
