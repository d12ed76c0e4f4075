#include "core/domain/device_filter.h"
#include "models/device_filter_proxy_model.h"
#include "models/device_inventory_model.h"
#include "tests/models/device_factory.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <numeric>
#include <vector>

using namespace fd;
using fd::test::makeDevice;
using fd::test::makeDevices;

namespace {
DeviceKey keyOf(const QString &id)
{
    return DeviceKey{DeviceKey::defaultSource(), id};
}
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
    void sortOrderMatchesReference_data();
    void sortOrderMatchesReference();
    void incrementalFilterMatchesFullRefilter();
    void updatesWithUnchangedKeysDoNotResort();
    void testerInEveryMode_data();
    void testerInEveryMode();
    void narrowingTestsOnlyAcceptedRows();
    void removedSourceRowsLeaveWithoutReset();
    void heldOrderKeepsRowsInPlace();
    void searchWordsCombine();
    void searchFindsTags();
};

namespace {
QStringList proxyIds(const DeviceFilterProxyModel &proxy)
{
    QStringList ids;
    for (int row = 0; row < proxy.rowCount(); ++row)
        ids.append(proxy.deviceIdAt(row));
    return ids;
}

// Devices with mixed case, ties, negative and missing metrics.
QList<Device> variedDevices(int count)
{
    QList<Device> devices = makeDevices(count);
    for (int i = 0; i < count; ++i) {
        Device &d = devices[i];
        if (i % 3 == 0)
            d.name = d.name.toUpper();
        if (i % 4 == 1)
            d.site = d.site.toUpper();
        if (i % 5 == 2)
            setMetric(d.metrics, QStringLiteral("temperature"), -1.5 * (i % 9));
        if (i % 11 == 3)
            setMetric(d.metrics, QStringLiteral("temperature"), -0.0);
        d.lastSeenMs = (i % 13) * 1000 - 5000;  // negative values too
    }
    return devices;
}
} // namespace

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
    QTest::newRow("words in two fields") << QStringLiteral("site-a 1.3") << QString() << QString() << any << true;
    QTest::newRow("one word missing") << QStringLiteral("site-a zzz") << QString() << QString() << any << false;
    QTest::newRow("quoted phrase") << QStringLiteral("\"sensor 3\"") << QString() << QString() << any << true;
    QTest::newRow("quoted phrase missing") << QStringLiteral("\"3 sensor\"") << QString() << QString() << any << false;
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
    DeviceFilter f{text, site, model, DeviceFilter::Online(online), QString()};
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
    DeviceFilterProxyModel proxy;
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
    qint64 base = proxy.filterEvaluations();
    inventory.applyUpdates({goesOffline, alsoOffline});
    inventory.flushPendingUpdates();
    QCOMPARE(proxy.rowCount(), 202);
    QVERIFY(proxy.proxyRowOf(goesOffline.key()) >= 0);
    QVERIFY2((proxy.filterEvaluations() - base) <= 3, qPrintable(QString::number((proxy.filterEvaluations() - base))));  // rows 501..503 only
}

void TestDeviceFilterProxyModel::lastSeenRefreshDoesNotRefilter()
{
    DeviceInventoryModel inventory;
    inventory.resetDevices(makeDevices(1000));
    DeviceFilterProxyModel proxy;
    proxy.setInventoryModel(&inventory);
    proxy.sort(DeviceInventoryModel::NameColumn);
    DeviceFilter f;
    f.text = QStringLiteral("sensor");
    proxy.setFilter(f);
    QSignalSpy layout(&proxy, &QAbstractItemModel::layoutChanged);
    QSignalSpy changed(&proxy, &QAbstractItemModel::dataChanged);
    qint64 base = proxy.filterEvaluations();
    inventory.setLastSeenRefreshIntervalMs(20);
    QVERIFY(changed.wait(2000));
    inventory.setLastSeenRefreshIntervalMs(0);
    QCOMPARE((proxy.filterEvaluations() - base), 0);
    QCOMPARE(layout.count(), 0);
    QCOMPARE(proxy.rowCount(), 1000);

    // A real change still re-filters (just that row).
    Device renamed = makeDevice(5);
    renamed.name = QStringLiteral("Pump");
    inventory.applyUpdates({renamed});
    inventory.flushPendingUpdates();
    QCOMPARE((proxy.filterEvaluations() - base), 1);
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
    QCOMPARE(proxy.proxyRowOf(keyOf(QStringLiteral("dev-00009"))), 0);
    QCOMPARE(proxy.proxyRowOf(keyOf(QStringLiteral("unknown"))), -1);
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
    f.text = QStringLiteral("\"sensor 4242\"");  // a phrase (words would be AND)
    proxy.setFilter(f);
    const qint64 filterMs = timer.elapsed();
    QCOMPARE(proxy.rowCount(), 11);  // 4242, 42420..42429
    proxy.setFilter(DeviceFilter{});
    timer.restart();
    inventory.removeDevices({makeDevice(50'000).key()});  // one range: rows removed, no reset
    const qint64 deleteOneMs = timer.restart();
    QList<DeviceKey> scattered;
    for (int i = 0; i < 1000; ++i)
        scattered.append(makeDevice(i * 97).key());
    inventory.removeDevices(scattered);  // many ranges: one reset
    const qint64 deleteManyMs = timer.elapsed();
    QCOMPARE(proxy.rowCount(), 100'000 - 1001);
    qInfo("100k devices: sort by name %lld ms, text filter %lld ms, delete 1 device %lld ms, 1,000 scattered "
          "devices %lld ms",
          sortMs, filterMs, deleteOneMs, deleteManyMs);
}

void TestDeviceFilterProxyModel::sortOrderMatchesReference_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("order");
    for (int column = 0; column < DeviceInventoryModel::ColumnCount; ++column) {
        QTest::addRow("column %d asc", column) << column << int(Qt::AscendingOrder);
        QTest::addRow("column %d desc", column) << column << int(Qt::DescendingOrder);
    }
}

void TestDeviceFilterProxyModel::sortOrderMatchesReference()
{
    QFETCH(int, column);
    QFETCH(int, order);
    DeviceInventoryModel inventory;
    inventory.setLastSeenRefreshIntervalMs(0);
    inventory.resetDevices(variedDevices(1500));
    DeviceFilterProxyModel proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setInventoryModel(&inventory);
    proxy.sort(column, Qt::SortOrder(order));

    auto reference = [&] {
        const QList<Device> &devices = inventory.devices();
        std::vector<int> rows(size_t(devices.size()));
        std::iota(rows.begin(), rows.end(), 0);
        std::stable_sort(rows.begin(), rows.end(), [&](int a, int b) {
            return order == Qt::AscendingOrder ? DeviceInventoryModel::lessThan(devices[a], devices[b], column)
                                               : DeviceInventoryModel::lessThan(devices[b], devices[a], column);
        });
        QStringList ids;
        for (int row : rows)
            ids.append(devices[row].id);
        return ids;
    };
    QCOMPARE(proxyIds(proxy), reference());

    // Still the reference order after changes and new devices (keys follow the source).
    QList<Device> updates = variedDevices(40);
    for (Device &d : updates) {
        d.name = QStringLiteral("zz %1").arg(d.name);
        d.messageCount += 7777;
        setMetric(d.metrics, QStringLiteral("battery"), -3);
    }
    updates += makeDevices(30, 5000);
    inventory.applyUpdates(updates);
    inventory.flushPendingUpdates();
    QCOMPARE(proxy.rowCount(), 1530);
    QStringList expected = reference();
    QStringList actual = proxyIds(proxy);
    // The order is total (equal keys in source order), also after updates: the very same
    // order as a stable sort of the current devices.
    QCOMPARE(actual, expected);
    auto keysOf = [&](const QStringList &ids) {
        QStringList keys;
        for (const QString &id : ids)
            keys.append(inventory.index(inventory.rowOf(keyOf(id)), column)
                            .data(DeviceInventoryModel::SortRole).toString().toCaseFolded());
        return keys;
    };
    QCOMPARE(keysOf(actual), keysOf(expected));
}

void TestDeviceFilterProxyModel::incrementalFilterMatchesFullRefilter()
{
    // Small: QAbstractItemModelTester checks the whole model on every layout change.
    constexpr int kDevices = 500;
    DeviceInventoryModel inventory;
    inventory.setLastSeenRefreshIntervalMs(0);
    inventory.resetDevices(variedDevices(kDevices));
    DeviceFilterProxyModel proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setInventoryModel(&inventory);
    proxy.sort(DeviceInventoryModel::TemperatureColumn, Qt::DescendingOrder);

    const QString typed = QStringLiteral("SENSOR 12");
    QStringList steps;  // typing a phrase (after an open quote: one word, spaces included)
    for (qsizetype n = 1; n <= typed.size(); ++n)
        steps.append(u'"' + typed.left(n));
    for (qsizetype n = typed.size() - 1; n >= 0; --n)
        steps.append(u'"' + typed.left(n));
    steps += {QStringLiteral("site-B"), QStringLiteral("site-b 1"), QStringLiteral("1.2"), QStringLiteral("dev-0001")};

    int step = 0;
    for (const QString &text : std::as_const(steps)) {
        DeviceFilter f;
        f.text = text;
        if (step % 7 == 6)
            f.online = DeviceFilter::Online::OnlineOnly;
        qint64 base = proxy.filterEvaluations();
        proxy.setFilter(f);
        if (step > 0 && step < typed.size() && step % 7 != 6 && (step - 1) % 7 != 6)
            QVERIFY2((proxy.filterEvaluations() - base) <= proxy.rowCount() + kDevices / 2, qPrintable(text));  // narrowing: fewer tests

        auto fullPass = [&] {  // reference: a new proxy, one full filter pass
            DeviceFilterProxyModel full;
            full.setInventoryModel(&inventory);
            full.sort(DeviceInventoryModel::TemperatureColumn, Qt::DescendingOrder);
            full.setFilter(f);
            return proxyIds(full);
        };
        const QStringList ids = proxyIds(proxy);
        const QStringList fullIds = fullPass();
        QCOMPARE(ids, fullIds);  // incremental == full, order included
        {
            for (qsizetype i = 1; i < ids.size(); ++i) {
                const Device *before = inventory.deviceAt(inventory.rowOf(keyOf(ids.at(i - 1))));
                const Device *after = inventory.deviceAt(inventory.rowOf(keyOf(ids.at(i))));
                QVERIFY(!DeviceInventoryModel::lessThan(*before, *after, DeviceInventoryModel::TemperatureColumn));
            }
        }

        // Changes between keystrokes are filtered too (and tracked for the next one).
        Device d = makeDevice(step * 37 % kDevices);
        d.name = step % 2 ? QStringLiteral("Sensor 1212") : QStringLiteral("Pump");
        inventory.applyUpdates({d, makeDevice(kDevices + step)});
        inventory.flushPendingUpdates();
        QCOMPARE(proxyIds(proxy), fullPass());
        ++step;
    }
}

void TestDeviceFilterProxyModel::updatesWithUnchangedKeysDoNotResort()
{
    DeviceInventoryModel inventory;
    inventory.setLastSeenRefreshIntervalMs(0);
    inventory.resetDevices(makeDevices(1000));
    DeviceFilterProxyModel proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setInventoryModel(&inventory);
    proxy.sort(DeviceInventoryModel::NameColumn, Qt::DescendingOrder);
    const QStringList before = proxyIds(proxy);
    QSignalSpy layout(&proxy, &QAbstractItemModel::layoutChanged);
    QSignalSpy moved(&proxy, &QAbstractItemModel::rowsMoved);
    QSignalSpy changed(&proxy, &QAbstractItemModel::dataChanged);

    // One range 3..997 (the inventory's one dataChanged per tick), no name changed.
    Device a = makeDevice(3);
    Device b = makeDevice(997);
    a.messageCount += 5;
    b.online = !b.online;
    inventory.applyUpdates({a, b});
    inventory.flushPendingUpdates();
    QCOMPARE(layout.count(), 0);
    QVERIFY(changed.count() >= 1);
    QCOMPARE(proxyIds(proxy), before);
    const QModelIndex shown = proxy.index(proxy.proxyRowOf(a.key()), DeviceInventoryModel::MessagesColumn);
    QCOMPARE(shown.data(DeviceInventoryModel::SortRole).toULongLong(), a.messageCount);

    // A renamed device moves (one re-sort of its own row).
    Device c = makeDevice(500);
    c.name = QStringLiteral("ZZZ top");
    inventory.applyUpdates({a, c, b});
    inventory.flushPendingUpdates();
    QCOMPARE(layout.count(), 0);
    QCOMPARE(moved.count(), 1);  // one row: a move, not a layout change
    QCOMPARE(proxy.deviceIdAt(0), c.id);
    QStringList expected = before;
    expected.removeOne(c.id);
    expected.prepend(c.id);
    QCOMPARE(proxyIds(proxy), expected);
}

void TestDeviceFilterProxyModel::testerInEveryMode_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("order");
    QTest::addColumn<int>("filterKind");
    const int columns[] = {-1, DeviceInventoryModel::IdColumn, DeviceInventoryModel::NameColumn,
                           DeviceInventoryModel::TemperatureColumn, DeviceInventoryModel::LastSeenColumn,
                           DeviceInventoryModel::SourceColumn};
    for (int column : columns)
        for (int order : {int(Qt::AscendingOrder), int(Qt::DescendingOrder)})
            for (int filterKind = 0; filterKind < 4; ++filterKind)
                QTest::addRow("col %d order %d filter %d", column, order, filterKind) << column << order << filterKind;
}

// QAbstractItemModelTester (which checks every signal against the model's state) through
// every kind of change: many rows moving (layout change), one row moving (rowsMoved), rows
// leaving and entering the filter (removals/insertions), new devices, filter changes; the
// result is always what a new proxy computes from scratch, and persistent indexes follow.
void TestDeviceFilterProxyModel::testerInEveryMode()
{
    QFETCH(int, column);
    QFETCH(int, order);
    QFETCH(int, filterKind);
    DeviceInventoryModel inventory;
    inventory.setLastSeenRefreshIntervalMs(0);
    QList<Device> devices = variedDevices(300);
    for (int i = 0; i < devices.size(); i += 4)
        devices[i].source = u"east"_qs;
    inventory.resetDevices(devices);
    DeviceFilterProxyModel proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setInventoryModel(&inventory);
    proxy.sort(column, Qt::SortOrder(order));
    DeviceFilter f;
    if (filterKind == 1)
        f.text = u"sensor 1"_qs;
    if (filterKind == 2)
        f.online = DeviceFilter::Online::OnlineOnly;
    if (filterKind == 3)
        f.source = u"east"_qs;
    proxy.setFilter(f);
    auto fresh = [&] {
        DeviceFilterProxyModel full;
        full.setInventoryModel(&inventory);
        full.sort(column, Qt::SortOrder(order));
        full.setFilter(f);
        return proxyIds(full);
    };
    QCOMPARE(proxyIds(proxy), fresh());
    QVERIFY(proxy.rowCount() > 3);
    const QPersistentModelIndex kept = proxy.index(proxy.rowCount() / 2, DeviceInventoryModel::NameColumn);
    const DeviceKey keptKey = kept.data(DeviceInventoryModel::DeviceKeyRole).value<DeviceKey>();

    for (int round = 0; round < 4; ++round) {
        QList<Device> updates;
        const int count = round == 1 ? 1 : 40;  // round 1: a single row changes
        for (int n = 0; n < count; ++n) {
            const int i = (round * 97 + n * 13) % 300;
            Device d = inventory.device(inventory.rowOf(devices[i].key()));
            if (d.key() == keptKey)
                continue;
            d.name = QStringLiteral("Sensor %1").arg((i * 7 + round) % 500);
            d.online = (i + round) % 3 != 0;
            d.lastSeenMs += 1000 * (round + 1) * (n % 5 - 2);
            setMetric(d.metrics, u"temperature"_qs, (i * 3 + round) % 17 - 4.5);
            updates.append(d);
        }
        if (round == 2)
            updates += variedDevices(320).mid(300);  // 20 new devices
        inventory.applyUpdates(updates);
        inventory.flushPendingUpdates();
        QCOMPARE(proxyIds(proxy), fresh());
        // The kept device never changes: it stays, wherever it moved.
        QVERIFY(kept.isValid());
        QCOMPARE(kept.data(DeviceInventoryModel::DeviceKeyRole).value<DeviceKey>(), keptKey);
    }
    // Narrow, widen, replace (a row that leaves invalidates its persistent index for good).
    for (const QString &text : {u"sensor 1"_qs, u"sensor 12"_qs, u"sensor"_qs, u"site-c"_qs, QString()}) {
        f.text = text;
        proxy.setFilter(f);
        QCOMPARE(proxyIds(proxy), fresh());
        if (kept.isValid())
            QCOMPARE(kept.data(DeviceInventoryModel::DeviceKeyRole).value<DeviceKey>(), keptKey);
    }
}

void TestDeviceFilterProxyModel::narrowingTestsOnlyAcceptedRows()
{
    DeviceInventoryModel inventory;
    inventory.setLastSeenRefreshIntervalMs(0);
    inventory.resetDevices(makeDevices(1000));
    DeviceFilterProxyModel proxy;
    proxy.setInventoryModel(&inventory);
    DeviceFilter f;
    f.text = u"\"sensor 1\""_qs;  // a phrase: 1, 10-19, 100-199: 111 devices
    proxy.setFilter(f);
    QCOMPARE(proxy.rowCount(), 111);
    const qint64 before = proxy.filterEvaluations();
    f.text = u"\"sensor 12\""_qs;  // one more letter: only the 111 accepted rows are tested
    proxy.setFilter(f);
    QCOMPARE(proxy.filterEvaluations() - before, 111);
    QCOMPARE(proxy.rowCount(), 11);
    const qint64 widen = proxy.filterEvaluations();
    f.text = u"\"sensor 1\""_qs;  // erasing it: only the rejected rows are tested
    proxy.setFilter(f);
    QCOMPARE(proxy.filterEvaluations() - widen, 1000 - 11);
    QCOMPARE(proxy.rowCount(), 111);
}

void TestDeviceFilterProxyModel::removedSourceRowsLeaveWithoutReset()
{
    // Sorted and filtered; deleting devices removes their proxy rows (no reset: the view
    // keeps its scroll position and selection), the others keep their order, and the result
    // is what a proxy built afresh shows.
    DeviceInventoryModel inventory;
    inventory.setLastSeenRefreshIntervalMs(0);
    const QList<Device> devices = variedDevices(200);
    inventory.resetDevices(devices);
    DeviceFilterProxyModel proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setInventoryModel(&inventory);
    proxy.sort(DeviceInventoryModel::TemperatureColumn, Qt::DescendingOrder);
    DeviceFilter filter;
    filter.text = QStringLiteral("sensor 1");
    proxy.setFilter(filter);
    const QPersistentModelIndex kept = proxy.index(proxy.proxyRowOf(keyOf(QStringLiteral("dev-00150"))), 0);
    QVERIFY(kept.isValid());
    QSignalSpy reset(&proxy, &QAbstractItemModel::modelReset);
    QSignalSpy removed(&proxy, &QAbstractItemModel::rowsRemoved);

    QList<DeviceKey> doomed;
    for (const char *id : {"dev-00010", "dev-00011", "dev-00012", "dev-00100", "dev-00003"})
        doomed.append(keyOf(QString::fromLatin1(id)));
    const QStringList before = proxyIds(proxy);
    inventory.removeDevices(doomed);
    QCOMPARE(reset.count(), 0);
    QVERIFY(removed.count() >= 1);
    QStringList expected = before;
    for (const DeviceKey &key : doomed)
        expected.removeAll(key.path);
    QCOMPARE(proxyIds(proxy), expected);
    QVERIFY(kept.isValid());
    QCOMPARE(proxy.deviceIdAt(kept.row()), QStringLiteral("dev-00150"));
    for (int row = 0; row < proxy.rowCount(); ++row)  // the mapping agrees with the source
        QCOMPARE(proxy.mapToSource(proxy.index(row, 0)).data(DeviceInventoryModel::DeviceIdRole).toString(),
                 proxy.deviceIdAt(row));

    DeviceFilterProxyModel fresh;
    fresh.setInventoryModel(&inventory);
    fresh.sort(DeviceInventoryModel::TemperatureColumn, Qt::DescendingOrder);
    fresh.setFilter(filter);
    QCOMPARE(proxyIds(proxy), proxyIds(fresh));

    // Later changes still land on the right rows (in descending order, devices without a
    // temperature come first, then the highest).
    Device d = devices.at(150);
    setMetric(d.metrics, QStringLiteral("temperature"), 1000);
    inventory.applyUpdates({d});
    inventory.flushPendingUpdates();
    QCOMPARE(proxyIds(proxy), proxyIds(fresh));
    const QStringList ids = proxyIds(proxy);
    const qsizetype at = ids.indexOf(QStringLiteral("dev-00150"));
    QVERIFY(at > 0);
    QVERIFY(inventory.device(inventory.rowOf(keyOf(ids.at(at - 1)))).metrics.isEmpty());
    QVERIFY(!inventory.device(inventory.rowOf(keyOf(ids.at(at + 1)))).metrics.isEmpty());
    filter.text = QStringLiteral("sensor");
    proxy.setFilter(filter);
    fresh.setFilter(filter);
    QCOMPARE(proxyIds(proxy), proxyIds(fresh));
    QCOMPARE(proxy.rowCount(), 195);
}

void TestDeviceFilterProxyModel::heldOrderKeepsRowsInPlace()
{
    DeviceInventoryModel inventory;
    inventory.setLastSeenRefreshIntervalMs(0);
    inventory.resetDevices(makeDevices(50));
    DeviceFilterProxyModel proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setInventoryModel(&inventory);
    proxy.sort(DeviceInventoryModel::MessagesColumn, Qt::DescendingOrder);  // dev-00049 first
    DeviceFilter f;
    f.online = DeviceFilter::Online::OnlineOnly;
    proxy.setFilter(f);
    QSignalSpy stale(&proxy, &DeviceFilterProxyModel::orderStaleChanged);
    proxy.setOrderHeld(true);
    const QStringList before = proxyIds(proxy);
    QSignalSpy layout(&proxy, &QAbstractItemModel::layoutChanged);
    QSignalSpy moved(&proxy, &QAbstractItemModel::rowsMoved);

    Device busy = makeDevice(1);  // online, last
    busy.messageCount = 1'000'000;
    Device leaves = makeDevice(2);
    leaves.online = false;
    Device comesOnline = makeDevice(10);  // was offline
    comesOnline.online = true;
    comesOnline.messageCount = 2'000'000;
    inventory.applyUpdates({busy, leaves, comesOnline, makeDevice(61)});
    inventory.flushPendingUpdates();
    QCOMPARE(layout.count(), 0);
    QCOMPARE(moved.count(), 0);
    QStringList expected = before;
    expected.removeAll(QStringLiteral("dev-00002"));
    // Newly matching rows at the end, in sorted order.
    expected << QStringLiteral("dev-00010") << QStringLiteral("dev-00061");
    QCOMPARE(proxyIds(proxy), expected);
    QVERIFY(proxy.isOrderStale());
    QCOMPARE(stale.count(), 1);
    QCOMPARE(proxy.index(proxy.proxyRowOf(busy.key()), DeviceInventoryModel::MessagesColumn)
                 .data(DeviceInventoryModel::SortRole).toULongLong(),
             1'000'000ULL);

    proxy.resort();
    QCOMPARE(layout.count(), 1);
    QVERIFY(!proxy.isOrderStale());
    QCOMPARE(stale.count(), 2);
    QCOMPARE(proxy.deviceIdAt(0), QStringLiteral("dev-00010"));
    QCOMPARE(proxy.deviceIdAt(1), QStringLiteral("dev-00001"));

    // Releasing the hold applies a stale order too.
    Device again = makeDevice(3);
    again.messageCount = 3'000'000;
    inventory.applyUpdates({again});
    inventory.flushPendingUpdates();
    QCOMPARE(proxy.deviceIdAt(0), QStringLiteral("dev-00010"));
    proxy.setOrderHeld(false);
    QCOMPARE(proxy.deviceIdAt(0), QStringLiteral("dev-00003"));
    QVERIFY(!proxy.isOrderStale());
}

void TestDeviceFilterProxyModel::searchWordsCombine()
{
    DeviceInventoryModel inventory;
    inventory.setLastSeenRefreshIntervalMs(0);
    const QList<Device> devices = makeDevices(300);
    inventory.resetDevices(devices);
    DeviceFilterProxyModel proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setInventoryModel(&inventory);
    for (const QString &text : {QStringLiteral("site-b th-200"), QStringLiteral("site-b th-200 1.3"),
                                QStringLiteral("site-b"), QStringLiteral("SENSOR 1 gw"), QStringLiteral("\"sensor 1\" gw"),
                                QStringLiteral("dev-001 site-c"), QStringLiteral("site")}) {
        DeviceFilter f;
        f.text = text;
        proxy.setFilter(f);
        QStringList expected;
        for (const Device &d : devices) {
            if (f.matches(d))
                expected.append(d.id);
        }
        QCOMPARE(proxyIds(proxy), expected);
    }
    DeviceFilter f;
    f.text = QStringLiteral("site-b th-200");
    proxy.setFilter(f);
    QCOMPARE(proxy.rowCount(), 50);  // i % 3 == 1 and odd i
}

// Tags are searched like the other fields (each word in some field, case-insensitive
// substrings); the proxy answers what DeviceFilter::matches() answers, also after a
// device's tags change.
void TestDeviceFilterProxyModel::searchFindsTags()
{
    DeviceInventoryModel inventory;
    inventory.setLastSeenRefreshIntervalMs(0);
    QList<Device> devices = makeDevices(300);
    for (int i = 0; i < devices.size(); ++i) {
        if (i % 3 == 0)
            devices[i].tags = QStringList{QStringLiteral("freezer")};
        else if (i % 3 == 1)
            devices[i].tags = QStringList{QStringLiteral("Cold-Room"), QStringLiteral("pilot")};
    }
    inventory.resetDevices(devices);
    DeviceFilterProxyModel proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setInventoryModel(&inventory);
    // Each text: the proxy shows what DeviceFilter::matches() accepts, this many devices.
    const QList<QPair<QString, int>> searches = {
        {QStringLiteral("freezer"), 100},
        {QStringLiteral("FREEZ"), 100},
        {QStringLiteral("cold-room"), 100},
        {QStringLiteral("pilot th-200"), 50},  // i % 3 == 1 and odd i
        {QStringLiteral("room pilot"), 100},
        {QStringLiteral("\"room pilot\""), 0},  // a phrase does not run across tags
        {QStringLiteral("freezer pilot"), 0},
        {QStringLiteral("sensor 1 pilot"), -1},  // -1: whatever matches() says
    };
    for (const auto &[text, count] : searches) {
        DeviceFilter f;
        f.text = text;
        proxy.setFilter(f);
        QStringList expected;
        for (const Device &d : std::as_const(devices)) {
            if (f.matches(d))
                expected.append(d.id);
        }
        QCOMPARE(proxyIds(proxy), expected);
        if (count >= 0)
            QCOMPARE(expected.size(), count);
    }

    // A device's tags change: the search follows.
    DeviceFilter f;
    f.text = QStringLiteral("freezer");
    proxy.setFilter(f);
    devices[1].tags = QStringList{QStringLiteral("freezer")};
    devices[3].tags = QStringList();
    inventory.applyUpdates({devices[1], devices[3]});
    inventory.flushPendingUpdates();
    QCOMPARE(proxy.rowCount(), 100);
    QVERIFY(proxy.proxyRowOf(devices[1].key()) >= 0);
    QCOMPARE(proxy.proxyRowOf(devices[3].key()), -1);
}

QTEST_MAIN(TestDeviceFilterProxyModel)
#include "test_device_filter_proxy_model.moc"
