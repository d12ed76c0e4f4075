// The status as shown: device status x source connection state (DevicePresence), in the
// inventory model (display, roles, counts, one dataChanged per source change), its filter
// proxy (filters agree with what is shown) and the stale look of metric values.
#include "core/domain/device_filter.h"
#include "core/domain/device_presence.h"
#include "models/device_filter_proxy_model.h"
#include "models/device_inventory_model.h"
#include "models/device_presence_style.h"
#include "models/device_tree_model.h"
#include "tests/models/device_factory.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QFont>
#include <QSignalSpy>
#include <QTest>

using namespace fd;
using namespace Qt::StringLiterals;

namespace {
constexpr qint64 kNow = 1'700'000'100'000;

// 12 devices: rows 0-5 of source "plant-a", 6-11 of "lyon"; every 5th device offline.
QList<Device> twoSources()
{
    QList<Device> devices = test::makeDevices(12);
    for (int i = 0; i < devices.size(); ++i) {
        devices[i].source = i < 6 ? u"plant-a"_s : u"lyon"_s;
        devices[i].lastTelemetryMs = kNow - 1000;
    }
    return devices;
}

int countPresence(const DeviceInventoryModel &model, DevicePresence presence)
{
    int n = 0;
    for (int row = 0; row < model.rowCount(); ++row)
        n += model.presence(row) == presence ? 1 : 0;
    return n;
}
} // namespace

class TestDevicePresence : public QObject
{
    Q_OBJECT
private slots:
    void derivation();
    void filterAcceptsPresence();
    void sourceStateChangesShownStatus();
    void defaultStateAndStateBeforeDevices();
    void filterAgreesWithShownStatus();
    void treeShowsUnknown();
    void sortsByShownStatus();
    void staleMetricsByAgeAndSource();
    void rangesFollowDeletions();
};

void TestDevicePresence::derivation()
{
    QCOMPARE(devicePresence(true, ConnectionState::Connected), DevicePresence::Online);
    QCOMPARE(devicePresence(false, ConnectionState::Connected), DevicePresence::Offline);
    for (ConnectionState s : {ConnectionState::Disconnected, ConnectionState::Connecting,
                              ConnectionState::Reconnecting, ConnectionState::Failed}) {
        QCOMPARE(devicePresence(true, s), DevicePresence::Unknown);
        QCOMPARE(devicePresence(false, s), DevicePresence::Unknown);
    }
    // Offline stands out; unknown is neutral and hollow; none is the grey of the other.
    QVERIFY(devicePresenceColor(DevicePresence::Offline) != devicePresenceColor(DevicePresence::Unknown));
    QVERIFY(devicePresenceColor(DevicePresence::Offline).red() > 0xc0);
    QVERIFY(presenceIsHollow(DevicePresence::Unknown));
    QVERIFY(!presenceIsHollow(DevicePresence::Offline));
    QCOMPARE(devicePresenceToolTip(DevicePresence::Unknown), u"Unknown — source not connected"_s);
}

void TestDevicePresence::filterAcceptsPresence()
{
    DeviceFilter f;
    QVERIFY(f.acceptsPresence(DevicePresence::Unknown));
    f.online = DeviceFilter::Online::OnlineOnly;
    QVERIFY(f.acceptsPresence(DevicePresence::Online));
    QVERIFY(!f.acceptsPresence(DevicePresence::Unknown));
    f.online = DeviceFilter::Online::OfflineOnly;
    QVERIFY(!f.acceptsPresence(DevicePresence::Unknown));
    QVERIFY(f.acceptsPresence(DevicePresence::Offline));
    f.online = DeviceFilter::Online::UnknownOnly;
    QVERIFY(f.acceptsPresence(DevicePresence::Unknown));
    QVERIFY(!f.acceptsPresence(DevicePresence::Online));
    QVERIFY(!f.acceptsAttributes(true, u"", u"", u""));  // a reported status is never unknown
    QVERIFY(!f.isEmpty());
}

void TestDevicePresence::sourceStateChangesShownStatus()
{
    DeviceInventoryModel model;
    model.setClock([] { return kNow; });
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.resetDevices(twoSources());
    const int reportedOnline = model.onlineCount();
    QCOMPARE(reportedOnline, 9);  // devices 0, 5, 10 offline
    QCOMPARE(model.unknownCount(), 0);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy counts(&model, &DeviceInventoryModel::countsChanged);
    model.setSourceState(u"lyon"_s, ConnectionState::Reconnecting);
    // One dataChanged over lyon's rows, every column.
    QCOMPARE(changed.size(), 1);
    const QModelIndex topLeft = changed.at(0).at(0).toModelIndex();
    const QModelIndex bottomRight = changed.at(0).at(1).toModelIndex();
    QCOMPARE(topLeft.row(), 6);
    QCOMPARE(bottomRight.row(), 11);
    QCOMPARE(topLeft.column(), 0);
    QCOMPARE(bottomRight.column(), DeviceInventoryModel::ColumnCount - 1);
    QCOMPARE(counts.size(), 1);
    QCOMPARE(counts.at(0).at(1).toInt(), 4);  // plant-a: devices 0 and 5 offline
    QCOMPARE(model.onlineCount(), 4);
    QCOMPARE(model.unknownCount(), 6);
    QCOMPARE(model.unknownSources(), QStringList{u"lyon"_s});

    for (int row = 6; row < 12; ++row) {
        QCOMPARE(model.presence(row), DevicePresence::Unknown);
        const QModelIndex status = model.index(row, DeviceInventoryModel::StatusColumn);
        QCOMPARE(status.data().toString(), u"Unknown"_s);
        QCOMPARE(status.data(DeviceInventoryModel::PresenceRole).toInt(), int(DevicePresence::Unknown));
        QVERIFY(status.data(DeviceInventoryModel::StaleRole).toBool());
        QVERIFY(status.data(Qt::ToolTipRole).toString().contains(u"Unknown — source not connected"_s));
        QVERIFY(status.data(Qt::FontRole).value<QFont>().italic());
        // The store keeps the device's last report.
        QCOMPARE(status.data(DeviceInventoryModel::OnlineRole).toBool(), model.device(row).online);
    }
    QCOMPARE(model.index(0, 0).data().toString(), u"Offline"_s);
    QCOMPARE(model.index(1, 0).data().toString(), u"Online"_s);

    // The same state again: nothing to do.
    model.setSourceState(u"lyon"_s, ConnectionState::Failed);
    QCOMPARE(changed.size(), 1);

    model.setSourceState(u"lyon"_s, ConnectionState::Connected);
    QCOMPARE(changed.size(), 2);
    QCOMPARE(model.onlineCount(), reportedOnline);
    QCOMPARE(model.unknownCount(), 0);
    QVERIFY(model.unknownSources().isEmpty());
    QCOMPARE(countPresence(model, DevicePresence::Unknown), 0);
    QCOMPARE(model.index(10, 0).data().toString(), u"Offline"_s);
}

void TestDevicePresence::defaultStateAndStateBeforeDevices()
{
    DeviceInventoryModel model;
    model.setClock([] { return kNow; });
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDefaultSourceState(ConnectionState::Disconnected);
    model.resetDevices(twoSources());  // the cache: no source connected yet
    QCOMPARE(countPresence(model, DevicePresence::Unknown), 12);
    QCOMPARE(model.onlineCount(), 0);
    QCOMPARE(model.unknownCount(), 12);
    QCOMPARE(model.unknownSources(), (QStringList{u"lyon"_s, u"plant-a"_s}));

    model.setSourceState(u"plant-a"_s, ConnectionState::Connected);
    QCOMPARE(model.onlineCount(), 4);
    QCOMPARE(model.unknownCount(), 6);

    // A source connected before its first device arrives.
    model.setSourceState(u"new-site"_s, ConnectionState::Connected);
    Device d = test::makeDevice(100);
    d.source = u"new-site"_s;
    d.online = true;
    model.applyUpdates({d});
    model.flushPendingUpdates();
    QCOMPARE(model.presence(model.rowOf(d.key())), DevicePresence::Online);
    QCOMPARE(model.onlineCount(), 5);
    QCOMPARE(model.sourceState(u"new-site"_s), ConnectionState::Connected);
    QCOMPARE(model.sourceState(u"unheard"_s), ConnectionState::Disconnected);

    // A device of a source not connected that changes: still unknown, counted once.
    Device lyon = model.device(7);
    lyon.online = !lyon.online;
    model.applyUpdates({lyon});
    model.flushPendingUpdates();
    QCOMPARE(model.presence(7), DevicePresence::Unknown);
    QCOMPARE(model.unknownCount(), 6);
}

void TestDevicePresence::filterAgreesWithShownStatus()
{
    DeviceInventoryModel model;
    model.setClock([] { return kNow; });
    model.resetDevices(twoSources());
    DeviceFilterProxyModel proxy;
    proxy.setInventoryModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    DeviceFilter online;
    online.online = DeviceFilter::Online::OnlineOnly;
    proxy.setFilter(online);
    QCOMPARE(proxy.rowCount(), 9);

    model.setSourceState(u"lyon"_s, ConnectionState::Disconnected);
    QCOMPARE(proxy.rowCount(), model.onlineCount());
    QCOMPARE(proxy.rowCount(), 4);
    for (int row = 0; row < proxy.rowCount(); ++row)
        QCOMPARE(proxy.index(row, 0).data().toString(), u"Online"_s);

    DeviceFilter unknown;
    unknown.online = DeviceFilter::Online::UnknownOnly;
    proxy.setFilter(unknown);
    QCOMPARE(proxy.rowCount(), 6);
    DeviceFilter offline;
    offline.online = DeviceFilter::Online::OfflineOnly;
    proxy.setFilter(offline);
    QCOMPARE(proxy.rowCount(), 2);  // plant-a's devices 0 and 5; lyon's offline device is unknown

    model.setSourceState(u"lyon"_s, ConnectionState::Connected);
    QCOMPARE(proxy.rowCount(), 3);
}

void TestDevicePresence::treeShowsUnknown()
{
    DeviceInventoryModel model;
    model.setClock([] { return kNow; });
    model.resetDevices(twoSources());
    DeviceTreeModel tree;
    tree.setInventoryModel(&model);
    QAbstractItemModelTester tester(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSourceState(u"lyon"_s, ConnectionState::Reconnecting);
    int unknownLeaves = 0;
    std::function<void(const QModelIndex &)> walk = [&](const QModelIndex &parent) {
        for (int r = 0; r < tree.rowCount(parent); ++r) {
            const QModelIndex i = tree.index(r, DeviceInventoryModel::StatusColumn, parent);
            if (i.data().toString() == u"Unknown"_s)
                ++unknownLeaves;
            walk(tree.index(r, 0, parent));
        }
    };
    walk({});
    QCOMPARE(unknownLeaves, 6);
}

void TestDevicePresence::sortsByShownStatus()
{
    DeviceInventoryModel model;
    model.setClock([] { return kNow; });
    model.resetDevices(twoSources());
    model.setSourceState(u"lyon"_s, ConnectionState::Failed);
    DeviceFilterProxyModel proxy;
    proxy.setInventoryModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.sort(DeviceInventoryModel::StatusColumn, Qt::AscendingOrder);
    QStringList shown;
    for (int row = 0; row < proxy.rowCount(); ++row)
        shown.append(proxy.index(row, 0).data().toString());
    QCOMPARE(shown.count(u"Offline"_s), 2);
    QCOMPARE(shown.first(), u"Offline"_s);
    QCOMPARE(shown.at(2), u"Unknown"_s);
    QCOMPARE(shown.last(), u"Online"_s);
    // The sort follows a source coming back.
    model.setSourceState(u"lyon"_s, ConnectionState::Connected);
    QCOMPARE(proxy.index(2, 0).data().toString(), u"Offline"_s);
    QCOMPARE(proxy.index(proxy.rowCount() - 1, 0).data().toString(), u"Online"_s);
}

void TestDevicePresence::staleMetricsByAgeAndSource()
{
    qint64 now = kNow;
    DeviceInventoryModel model;
    model.setClock([&now] { return now; });
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setStaleAfterMs(5 * 60 * 1000);
    model.resetDevices(twoSources());
    const QModelIndex temperature = model.index(1, DeviceInventoryModel::TemperatureColumn);
    QVERIFY(!temperature.data(DeviceInventoryModel::StaleRole).toBool());
    QVERIFY(!temperature.data(Qt::FontRole).isValid());

    now += 14 * 60 * 1000;  // 14 minutes later, nothing heard
    QVERIFY(temperature.data(DeviceInventoryModel::StaleRole).toBool());
    QVERIFY(temperature.data(Qt::FontRole).value<QFont>().italic());
    QCOMPARE(temperature.data(Qt::ForegroundRole).value<QColor>(), staleValueColor());
    QVERIFY2(temperature.data(Qt::ToolTipRole).toString().contains(u"last updated 14 min ago"_s),
             qPrintable(temperature.data(Qt::ToolTipRole).toString()));
    QVERIFY(!model.index(1, DeviceInventoryModel::IdColumn).data(DeviceInventoryModel::StaleRole).toBool());
    // The per-second refresh signals the look of the metric columns (not their order).
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setLastSeenRefreshIntervalMs(10);
    QVERIFY(changed.wait(1000));
    bool metricLook = false;
    for (const QList<QVariant> &args : std::as_const(changed)) {
        const auto roles = args.at(2).value<QList<int>>();
        if (args.at(0).toModelIndex().column() == DeviceInventoryModel::TemperatureColumn)
            metricLook = roles.contains(DeviceInventoryModel::StaleRole) && !roles.contains(DeviceInventoryModel::SortRole);
    }
    QVERIFY(metricLook);
    model.setLastSeenRefreshIntervalMs(0);

    // Recent values of a source that is not connected are stale as well.
    now = kNow;
    model.setSourceState(u"plant-a"_s, ConnectionState::Reconnecting);
    QVERIFY(temperature.data(DeviceInventoryModel::StaleRole).toBool());
    QVERIFY(temperature.data(Qt::ToolTipRole).toString().contains(u"source not connected"_s));
    QVERIFY(!model.index(7, DeviceInventoryModel::TemperatureColumn).data(DeviceInventoryModel::StaleRole).toBool());
}

void TestDevicePresence::rangesFollowDeletions()
{
    DeviceInventoryModel model;
    model.setClock([] { return kNow; });
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.resetDevices(twoSources());
    model.removeDevices({model.keyAt(0), model.keyAt(1), model.keyAt(11)});
    QCOMPARE(model.rowCount(), 9);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setSourceState(u"lyon"_s, ConnectionState::Reconnecting);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 4);
    QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 8);
    QCOMPARE(model.unknownCount(), 5);
    QCOMPARE(countPresence(model, DevicePresence::Unknown), 5);
}

QTEST_MAIN(TestDevicePresence)
#include "test_device_presence.moc"
