#include "models/device_inventory_model.h"
#include "core/domain/metric_catalogue.h"
#include "models/device_filter_proxy_model.h"
#include "models/series_mime.h"
#include "tests/models/device_factory.h"
#include "tests/support/linear_cost.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QMimeData>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace fd;
using fd::test::makeDevice;
using fd::test::makeDevices;

class TestDeviceInventoryModel : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void resetLoadsCache();
    void thousandNewDevicesAreOneInsert();
    void updatesAreCoalescedIntoOneRangePerTick();
    void mixedBatchIsOneInsertAndOneRange();
    void nothingIsEmittedBeforeTheTick();
    void lastSeenRefreshIsOneColumnRange();
    void displayAndRoles();
    void tagsSurviveTheCompactRows();
    void missingMetricsAreEmpty();
    void distinctValuesAndCounts();
    void sortingOnEveryColumn_data();
    void sortingOnEveryColumn();
    void bigInsertIsSpreadOverTicks();
    void bigChangeIsSpreadOverTicks();
    void mimeDataOfSelectedRows();
    void seriesMimeRejectsBadInput();
    void seriesMimeNamesIgnoreLeadingByteOrderMark();
    void trendColumnFollowsChosenMetric();
    void trendMetricChangeResortsProxy();
    void metricOfADeviceWithManyMetricsIsFoundInLogTime();
    void removedDevicesLeaveWithTheirPendingUpdates();
    void scatteredRemovalIsOneReset();
    void sparkplugSessionAndStaleMarkSurviveTheCompactRows();
    void sparkplugDevicesShowTheirEdgeNode();

private:
    DeviceInventoryModel *m_model = nullptr;
    QAbstractItemModelTester *m_tester = nullptr;
    qint64 m_now = 1'700'000'100'000;
};

void TestDeviceInventoryModel::init()
{
    m_model = new DeviceInventoryModel;
    m_model->setClock([this] { return m_now; });
    m_model->setLastSeenRefreshIntervalMs(0);  // enabled only by the test that needs it
    m_model->setUpdateIntervalMs(20);
    m_tester = new QAbstractItemModelTester(m_model, QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void TestDeviceInventoryModel::cleanup()
{
    delete m_tester;
    delete m_model;
}

void TestDeviceInventoryModel::resetLoadsCache()
{
    QSignalSpy reset(m_model, &QAbstractItemModel::modelReset);
    QSignalSpy counts(m_model, &DeviceInventoryModel::countsChanged);
    m_model->resetDevices(makeDevices(100));
    QCOMPARE(reset.count(), 1);
    QCOMPARE(m_model->rowCount(), 100);
    QCOMPARE(m_model->columnCount(), int(DeviceInventoryModel::ColumnCount));
    QCOMPARE(m_model->rowOf(DeviceKey{DeviceKey::defaultSource(), QStringLiteral("dev-00042")}), 42);
    QCOMPARE(m_model->rowOf(DeviceKey{DeviceKey::defaultSource(), QStringLiteral("nope")}), -1);
    QCOMPARE(counts.count(), 1);
    QCOMPARE(counts.first().at(0).toInt(), 100);
    QCOMPARE(counts.first().at(1).toInt(), 80);  // every 5th is offline
}

void TestDeviceInventoryModel::thousandNewDevicesAreOneInsert()
{
    m_model->resetDevices(makeDevices(10));
    QSignalSpy aboutToInsert(m_model, &QAbstractItemModel::rowsAboutToBeInserted);
    QSignalSpy inserted(m_model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(m_model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(m_model, &QAbstractItemModel::modelReset);

    const QList<Device> batch = makeDevices(1000, 10);
    // Delivered in several chunks, as ingest may do between two ticks.
    m_model->applyUpdates(batch.mid(0, 400));
    m_model->applyUpdates(batch.mid(400, 600));
    QVERIFY(inserted.wait(2000));
    QTest::qWait(60);  // a second tick would have happened by now

    QCOMPARE(aboutToInsert.count(), 1);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 10);
    QCOMPARE(inserted.first().at(2).toInt(), 1009);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(m_model->rowCount(), 1010);
    QCOMPARE(m_model->index(1009, DeviceInventoryModel::IdColumn).data().toString(), QStringLiteral("dev-01009"));
}

void TestDeviceInventoryModel::bigInsertIsSpreadOverTicks()
{
    m_model->resetDevices(makeDevices(10));
    m_model->setMaxInsertsPerTick(300);
    QSignalSpy inserted(m_model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(m_model, &QAbstractItemModel::dataChanged);

    Device known = makeDevice(3);
    known.name = QStringLiteral("Renamed");
    QList<Device> batch = makeDevices(1000, 10);
    batch.prepend(known);
    m_model->applyUpdates(batch);
    m_model->flushPendingUpdates();  // one tick: every change, the first 300 new devices
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.last().at(1).toInt(), 10);
    QCOMPARE(inserted.last().at(2).toInt(), 309);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(m_model->deviceAt(3)->name, QStringLiteral("Renamed"));
    QVERIFY(m_model->hasPendingUpdates());

    // A device still waiting for its row is updated in place, not inserted twice.
    Device waiting = makeDevice(900);
    waiting.name = QStringLiteral("Latest");
    m_model->applyUpdates({waiting});

    QTRY_COMPARE_WITH_TIMEOUT(m_model->rowCount(), 1010, 5000);
    QCOMPARE(inserted.count(), 4);  // 300 + 300 + 300 + 100: one beginInsertRows per tick
    for (const QList<QVariant> &args : std::as_const(inserted))
        QVERIFY(args.at(2).toInt() - args.at(1).toInt() + 1 <= 300);
    QVERIFY(!m_model->hasPendingUpdates());
    const int row = m_model->rowOf(DeviceKey{DeviceKey::defaultSource(), QStringLiteral("dev-00900")});
    QVERIFY(row >= 0);
    QCOMPARE(m_model->deviceAt(row)->name, QStringLiteral("Latest"));
    for (int i = 0; i < 1010; ++i)
        QCOMPARE(m_model->rowOf(m_model->deviceAt(i)->key()), i);
}

void TestDeviceInventoryModel::bigChangeIsSpreadOverTicks()
{
    m_model->resetDevices(makeDevices(1000));
    m_model->setMaxChangesPerTick(400);
    QSignalSpy changed(m_model, &QAbstractItemModel::dataChanged);
    QList<Device> batch = makeDevices(1000);
    for (Device &d : batch)
        d.messageCount += 1;
    m_model->applyUpdates(batch);
    m_model->flushPendingUpdates();  // one tick: the first 400 changes
    QCOMPARE(changed.count(), 1);
    QCOMPARE(m_model->device(399).messageCount, batch[399].messageCount);
    QCOMPARE(m_model->device(400).messageCount, batch[400].messageCount - 1);
    QVERIFY(m_model->hasPendingUpdates());
    // A newer update of a waiting device replaces it there.
    Device newer = batch[999];
    newer.name = QStringLiteral("Newest");
    m_model->applyUpdates({newer});
    QTRY_VERIFY_WITH_TIMEOUT(!m_model->hasPendingUpdates(), 5000);
    QCOMPARE(changed.count(), 3);  // 400 + 400 + 200
    QCOMPARE(m_model->device(999).name, QStringLiteral("Newest"));
    QCOMPARE(m_model->device(998).messageCount, batch[998].messageCount);
}

void TestDeviceInventoryModel::updatesAreCoalescedIntoOneRangePerTick()
{
    m_model->resetDevices(makeDevices(1000));
    QSignalSpy changed(m_model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(m_model, &QAbstractItemModel::rowsInserted);

    Device a = makeDevice(10);
    Device b = makeDevice(500);
    Device c = makeDevice(20);
    for (int i = 0; i < 5; ++i) {  // five ingest batches, the same devices changing
        a.messageCount += 1;
        b.messageCount += 1;
        c.messageCount += 1;
        m_model->applyUpdates({b});
        m_model->applyUpdates({a, c});
    }
    QVERIFY(changed.wait(2000));
    QTest::qWait(60);

    QCOMPARE(changed.count(), 1);
    QCOMPARE(inserted.count(), 0);
    const auto topLeft = changed.first().at(0).value<QModelIndex>();
    const auto bottomRight = changed.first().at(1).value<QModelIndex>();
    QCOMPARE(topLeft.row(), 10);
    QCOMPARE(topLeft.column(), 0);
    QCOMPARE(bottomRight.row(), 500);
    QCOMPARE(bottomRight.column(), DeviceInventoryModel::ColumnCount - 1);
    // The latest value wins.
    QCOMPARE(m_model->deviceAt(500)->messageCount, b.messageCount);
    QCOMPARE(m_model->deviceAt(10)->messageCount, a.messageCount);

    // Next tick: another single range.
    changed.clear();
    a.online = !a.online;
    m_model->applyUpdates({a});
    QVERIFY(changed.wait(2000));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().at(0).value<QModelIndex>().row(), 10);
    QCOMPARE(changed.first().at(1).value<QModelIndex>().row(), 10);
}

void TestDeviceInventoryModel::mixedBatchIsOneInsertAndOneRange()
{
    m_model->resetDevices(makeDevices(100));
    QSignalSpy changed(m_model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(m_model, &QAbstractItemModel::rowsInserted);
    QList<Device> batch = makeDevices(50, 100);       // new
    batch.append(makeDevice(3));                      // existing
    batch.append(makeDevice(77));                     // existing
    batch.append(makeDevices(50, 150));               // new
    m_model->applyUpdates(batch);
    m_model->flushPendingUpdates();
    QCOMPARE(changed.count(), 1);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 100);
    QCOMPARE(inserted.first().at(2).toInt(), 199);
    QCOMPARE(m_model->rowCount(), 200);
    QVERIFY(!m_model->hasPendingUpdates());
}

void TestDeviceInventoryModel::nothingIsEmittedBeforeTheTick()
{
    m_model->setUpdateIntervalMs(100);
    QSignalSpy inserted(m_model, &QAbstractItemModel::rowsInserted);
    m_model->applyUpdates(makeDevices(5));
    QCOMPARE(inserted.count(), 0);
    QVERIFY(m_model->hasPendingUpdates());
    QCOMPARE(m_model->rowCount(), 0);
    QVERIFY(inserted.wait(2000));
    QCOMPARE(m_model->rowCount(), 5);
}

void TestDeviceInventoryModel::lastSeenRefreshIsOneColumnRange()
{
    QList<Device> devices = makeDevices(3);
    devices[0].lastSeenMs = m_now - 12'000;
    devices[1].lastSeenMs = m_now - 5 * 60'000;
    devices[2].lastSeenMs = 0;
    m_model->resetDevices(devices);
    const QModelIndex first = m_model->index(0, DeviceInventoryModel::LastSeenColumn);
    QCOMPARE(first.data().toString(), QStringLiteral("12 s ago"));
    QCOMPARE(m_model->index(1, DeviceInventoryModel::LastSeenColumn).data().toString(), QStringLiteral("5 min ago"));
    QCOMPARE(m_model->index(2, DeviceInventoryModel::LastSeenColumn).data().toString(), QStringLiteral("never"));

    QSignalSpy changed(m_model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(m_model, &QAbstractItemModel::modelReset);
    m_now += 1000;
    m_model->setLastSeenRefreshIntervalMs(30);
    QVERIFY(changed.wait(2000));
    m_model->setLastSeenRefreshIntervalMs(0);
    const auto topLeft = changed.first().at(0).value<QModelIndex>();
    const auto bottomRight = changed.first().at(1).value<QModelIndex>();
    QCOMPARE(topLeft, m_model->index(0, DeviceInventoryModel::LastSeenColumn));
    QCOMPARE(bottomRight, m_model->index(2, DeviceInventoryModel::LastSeenColumn));
    const auto roles = changed.first().at(2).value<QList<int>>();
    QVERIFY(roles.contains(Qt::DisplayRole));
    QVERIFY(!roles.contains(DeviceInventoryModel::SortRole));
    QCOMPARE(reset.count(), 0);
    QCOMPARE(first.data().toString(), QStringLiteral("13 s ago"));
}

void TestDeviceInventoryModel::displayAndRoles()
{
    Device d = makeDevice(3);
    d.rejects = {};
    d.rejects[size_t(RejectReason::WrongType)] = 2;
    d.rejects[size_t(RejectReason::Oversize)] = 1;
    m_model->resetDevices({d});
    auto at = [&](int column, int role = Qt::DisplayRole) { return m_model->index(0, column).data(role); };
    // Without a metric catalogue: plain numbers.
    QCOMPARE(at(DeviceInventoryModel::TemperatureColumn).toString(), QStringLiteral("21.5"));
    MetricCatalogue catalogue;
    m_model->setMetricCatalogue(&catalogue);
    const auto unset = qScopeGuard([this] { m_model->setMetricCatalogue(nullptr); });
    QCOMPARE(at(DeviceInventoryModel::StatusColumn).toString(), QStringLiteral("Online"));
    QCOMPARE(at(DeviceInventoryModel::IdColumn).toString(), d.id);
    QCOMPARE(at(DeviceInventoryModel::NameColumn).toString(), d.name);
    QCOMPARE(at(DeviceInventoryModel::SiteColumn).toString(), d.site);
    QCOMPARE(at(DeviceInventoryModel::ModelColumn).toString(), d.model);
    QCOMPARE(at(DeviceInventoryModel::FirmwareColumn).toString(), d.fwVersion);
    QCOMPARE(at(DeviceInventoryModel::TemperatureColumn).toString(), QStringLiteral("21.5 °C"));
    QCOMPARE(at(DeviceInventoryModel::BatteryColumn).toString(), QStringLiteral("97 %"));
    QCOMPARE(at(DeviceInventoryModel::RssiColumn).toString(), QStringLiteral("-53 dBm"));
    {
        // Catalogue edits reach the columns at once.
        QSignalSpy changed(m_model, &QAbstractItemModel::dataChanged);
        QList<MetricInfo> entries = MetricCatalogue::defaults();
        for (MetricInfo &m : entries) {
            if (m.name == u"temperature")
                m.precision = 2;
        }
        catalogue.setEntries(entries);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(at(DeviceInventoryModel::TemperatureColumn).toString(), QStringLiteral("21.50 °C"));
        catalogue.setEntries(MetricCatalogue::defaults());
    }
    QCOMPARE(at(DeviceInventoryModel::MessagesColumn).toString(), QStringLiteral("30"));
    QCOMPARE(at(DeviceInventoryModel::RejectedColumn).toString(), QStringLiteral("3"));
    QCOMPARE(at(DeviceInventoryModel::RejectedColumn, DeviceInventoryModel::SortRole).toULongLong(), 3u);
    QVERIFY(at(DeviceInventoryModel::RejectedColumn, Qt::ToolTipRole).toString().contains(QStringLiteral("Wrong type: 2")));
    QCOMPARE(at(DeviceInventoryModel::LastSeenColumn, DeviceInventoryModel::SortRole).toLongLong(), d.lastSeenMs);
    QCOMPARE(at(DeviceInventoryModel::TemperatureColumn, DeviceInventoryModel::SortRole).toDouble(), 21.5);
    QCOMPARE(at(DeviceInventoryModel::NameColumn, DeviceInventoryModel::DeviceIdRole).toString(), d.id);
    QCOMPARE(at(DeviceInventoryModel::StatusColumn, DeviceInventoryModel::OnlineRole).toBool(), true);
    QCOMPARE(at(DeviceInventoryModel::StatusColumn, Qt::DecorationRole).userType(), QMetaType::QColor);
    QVERIFY(!at(DeviceInventoryModel::IdColumn, Qt::DecorationRole).isValid());

    Device off = d;
    off.online = false;
    m_model->applyUpdates({off});
    m_model->flushPendingUpdates();
    QCOMPARE(at(DeviceInventoryModel::StatusColumn).toString(), QStringLiteral("Offline"));
    QVERIFY(at(DeviceInventoryModel::StatusColumn, Qt::DecorationRole).value<QColor>()
            != QColor(Qt::green));
}

// The compact rows keep a device's tags (shared: one list per distinct set), through
// updates that change, keep or clear them.
void TestDeviceInventoryModel::tagsSurviveTheCompactRows()
{
    QList<Device> devices = makeDevices(4);
    const QStringList two{QStringLiteral("freezer"), QStringLiteral("pilot")};
    devices[1].tags = two;
    devices[2].tags = QStringList{QStringLiteral("freezer")} << QStringLiteral("pilot");  // equal, its own list
    devices[3].tags = QStringList{QStringLiteral("<b>x</b>")};
    m_model->resetDevices(devices);
    QVERIFY(m_model->device(0).tags.isEmpty());
    QCOMPARE(m_model->device(1).tags, two);
    QCOMPARE(m_model->device(2).tags, two);
    QCOMPARE(m_model->device(1).tags.constData(), m_model->device(2).tags.constData());
    QCOMPARE(m_model->deviceAt(3)->tags, QStringList{QStringLiteral("<b>x</b>")});

    devices[1].tags = QStringList{QStringLiteral("ambient")};
    devices[2].tags = QStringList();  // "tags": []
    devices[3].messageCount += 1;     // tags unchanged
    m_model->applyUpdates({devices[1], devices[2], devices[3]});
    m_model->flushPendingUpdates();
    QCOMPARE(m_model->device(1).tags, QStringList{QStringLiteral("ambient")});
    QVERIFY(m_model->device(2).tags.isEmpty());
    QCOMPARE(m_model->device(3).tags, QStringList{QStringLiteral("<b>x</b>")});
}

void TestDeviceInventoryModel::missingMetricsAreEmpty()
{
    m_model->resetDevices({makeDevice(7)});  // no metrics
    const QModelIndex t = m_model->index(0, DeviceInventoryModel::TemperatureColumn);
    QVERIFY(t.data().toString().isEmpty());
    QVERIFY(!t.data(DeviceInventoryModel::SortRole).isValid());
}

void TestDeviceInventoryModel::distinctValuesAndCounts()
{
    QSignalSpy distinct(m_model, &DeviceInventoryModel::distinctValuesChanged);
    m_model->resetDevices(makeDevices(6));
    QCOMPARE(m_model->sites(), (QStringList{QStringLiteral("site-a"), QStringLiteral("site-b"), QStringLiteral("site-c")}));
    QCOMPARE(m_model->models(), (QStringList{QStringLiteral("GW-10"), QStringLiteral("TH-200")}));
    distinct.clear();

    Device moved = makeDevice(1);
    moved.site = QStringLiteral("site-z");
    m_model->applyUpdates({moved});
    m_model->flushPendingUpdates();
    QCOMPARE(distinct.count(), 1);
    QVERIFY(m_model->sites().contains(QStringLiteral("site-z")));

    distinct.clear();
    Device same = makeDevice(2);
    same.messageCount += 5;
    m_model->applyUpdates({same});
    m_model->flushPendingUpdates();
    QCOMPARE(distinct.count(), 0);
    QCOMPARE(m_model->onlineCount(), 4);
}

void TestDeviceInventoryModel::sortingOnEveryColumn_data()
{
    QTest::addColumn<int>("column");
    for (int c = 0; c < DeviceInventoryModel::ColumnCount; ++c) {
        const QByteArray name = QMetaEnum::fromType<DeviceInventoryModel::Column>().valueToKey(c);
        QTest::newRow(name.constData()) << c;
    }
}

void TestDeviceInventoryModel::sortingOnEveryColumn()
{
    QFETCH(int, column);
    m_model->resetDevices(makeDevices(200));
    DeviceFilterProxyModel proxy;
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setInventoryModel(m_model);
    for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
        proxy.sort(column, order);
        QCOMPARE(proxy.rowCount(), 200);
        int invalidSeen = 0;
        for (int row = 0; row + 1 < proxy.rowCount(); ++row) {
            const QVariant a = proxy.index(row, column).data(DeviceInventoryModel::SortRole);
            const QVariant b = proxy.index(row + 1, column).data(DeviceInventoryModel::SortRole);
            if (!a.isValid() || !b.isValid()) {
                ++invalidSeen;
                continue;
            }
            QPartialOrdering cmp = QVariant::compare(a, b);
            if (a.userType() == QMetaType::QString)
                cmp = QString::compare(a.toString(), b.toString(), Qt::CaseInsensitive) < 0 ? QPartialOrdering::Less
                      : QString::compare(a.toString(), b.toString(), Qt::CaseInsensitive) > 0 ? QPartialOrdering::Greater
                                                                                                : QPartialOrdering::Equivalent;
            if (order == Qt::AscendingOrder)
                QVERIFY2(cmp != QPartialOrdering::Greater, qPrintable(QStringLiteral("row %1").arg(row)));
            else
                QVERIFY2(cmp != QPartialOrdering::Less, qPrintable(QStringLiteral("row %1").arg(row)));
        }
        Q_UNUSED(invalidSeen);
    }
    // Updates keep the sort: make one device the largest.
    proxy.sort(DeviceInventoryModel::MessagesColumn, Qt::DescendingOrder);
    Device top = makeDevice(42);
    top.messageCount = 1'000'000;
    m_model->applyUpdates({top});
    m_model->flushPendingUpdates();
    QCOMPARE(proxy.deviceIdAt(0), top.id);
}

void TestDeviceInventoryModel::mimeDataOfSelectedRows()
{
    m_model->resetDevices(makeDevices(20));
    QVERIFY(m_model->flags(m_model->index(3, 0)) & Qt::ItemIsDragEnabled);
    QVERIFY(m_model->mimeTypes().contains(SeriesMime::mimeType()));
    QCOMPARE(m_model->supportedDragActions(), Qt::CopyAction);

    // A view passes every column of each selected row: one entry per device, in order.
    QModelIndexList indexes;
    for (int row : {5, 3, 7}) {  // 7: no metrics yet
        for (int c = 0; c < DeviceInventoryModel::ColumnCount; ++c)
            indexes.append(m_model->index(row, c));
    }
    std::unique_ptr<QMimeData> data(m_model->mimeData(indexes));
    QVERIFY(data);
    QVERIFY(data->hasFormat(SeriesMime::mimeType()));
    const QList<DraggedSeries> series = SeriesMime::fromMimeData(data.get());
    QCOMPARE(series.size(), 3);
    QCOMPARE(series.at(0).deviceId, QStringLiteral("dev-00005"));
    QCOMPARE(series.at(1).deviceId, QStringLiteral("dev-00003"));
    QCOMPARE(series.at(2).deviceId, QStringLiteral("dev-00007"));
    for (const DraggedSeries &s : series)
        QVERIFY(s.metric.isEmpty());  // a device row: the drop target picks the metric
    QCOMPARE(series.at(0).metrics, (QStringList{QStringLiteral("temperature"), QStringLiteral("battery"),
                                                QStringLiteral("rssi")}));
    QVERIFY(series.at(2).metrics.isEmpty());
    QCOMPARE(data->text(), QStringLiteral("dev-00005\ndev-00003\ndev-00007"));

    // The raw JSON is the documented shape.
    const QByteArray json = data->data(SeriesMime::mimeType());
    QVERIFY(json.startsWith(R"([{"device":"dev-00005","metrics":["temperature","battery","rssi"],"source":"default"})"));

    // The Trend column's metric goes first: it is what a drop picks for a device.
    m_model->setTrendMetric(QStringLiteral("rssi"));
    std::unique_ptr<QMimeData> trendFirst(m_model->mimeData({m_model->index(5, 0)}));
    QCOMPARE(SeriesMime::fromMimeData(trendFirst.get()).at(0).metrics,
             (QStringList{QStringLiteral("rssi"), QStringLiteral("temperature"), QStringLiteral("battery")}));
    m_model->setTrendMetric(QStringLiteral("humidity"));  // not reported: order unchanged
    std::unique_ptr<QMimeData> unchanged(m_model->mimeData({m_model->index(5, 0)}));
    QCOMPARE(SeriesMime::fromMimeData(unchanged.get()).at(0).metrics,
             (QStringList{QStringLiteral("temperature"), QStringLiteral("battery"), QStringLiteral("rssi")}));

    // Through the sorting proxy (what the table uses): mapped to the right devices.
    DeviceFilterProxyModel proxy;
    proxy.setInventoryModel(m_model);
    proxy.sort(DeviceInventoryModel::IdColumn, Qt::DescendingOrder);
    std::unique_ptr<QMimeData> viaProxy(proxy.mimeData({proxy.index(0, 1), proxy.index(1, 2)}));
    QVERIFY(viaProxy);
    const QList<DraggedSeries> top = SeriesMime::fromMimeData(viaProxy.get());
    QCOMPARE(top.size(), 2);
    QCOMPARE(top.at(0).deviceId, QStringLiteral("dev-00019"));
    QCOMPARE(top.at(1).deviceId, QStringLiteral("dev-00018"));

    QVERIFY(!m_model->mimeData({}));
}

void TestDeviceInventoryModel::seriesMimeRejectsBadInput()
{
    const QList<DraggedSeries> round = {{QStringLiteral("a"), QStringLiteral("temperature"), {}},
                                        {QStringLiteral("b"), QString(), {QStringLiteral("rssi")}}};
    QCOMPARE(SeriesMime::decode(SeriesMime::encode(round)), round);
    QVERIFY(SeriesMime::decode("not json").isEmpty());
    QVERIFY(SeriesMime::decode(R"({"device":"a"})").isEmpty());  // not an array
    const QList<DraggedSeries> mixed = SeriesMime::decode(
        R"([{"device":""},{"device":42},{"metric":"x"},{"device":"ok","metric":7},
            {"device":"ok","metric":"m","metrics":["m",1,"m","n"]},{"device":"ok","metric":"m"}])");
    QCOMPARE(mixed.size(), 1);  // the rest invalid, the last a duplicate
    QCOMPARE(mixed.at(0).metrics, (QStringList{QStringLiteral("m"), QStringLiteral("n")}));
    QByteArray many = "[";
    for (int i = 0; i < 1500; ++i)
        many += QByteArrayLiteral(R"({"device":"d)") + QByteArray::number(i) + "\"},";
    many.chop(1);
    many += "]";
    QCOMPARE(SeriesMime::decode(many).size(), SeriesMime::kMaxEntries);
}

// Found by fuzzing: QJsonDocument drops a leading byte order mark of a plainly written
// string but keeps an escaped one, and encode() writes it plainly, so "\ufeffdev-1" read as
// "\uFEFFdev-1" once and as "dev-1" after encode() -> decode(). A leading U+FEFF is no part
// of a name: both spellings are one series, and decoded entries survive the round trip.
void TestDeviceInventoryModel::seriesMimeNamesIgnoreLeadingByteOrderMark()
{
    const QList<DraggedSeries> escaped = SeriesMime::decode(
        R"([{"device":"\ufeffdev-1","source":"\ufeffs","metric":"\ufeff\ufefft","metrics":["\ufefft","t"]}])");
    QCOMPARE(escaped.size(), 1);
    const DraggedSeries &s = escaped.at(0);
    QCOMPARE(s.deviceId, QStringLiteral("dev-1"));
    QCOMPARE(s.source, QStringLiteral("s"));
    QCOMPARE(s.metric, QStringLiteral("t"));
    QCOMPARE(s.metrics, QStringList{QStringLiteral("t")});  // one name, listed once
    QCOMPARE(SeriesMime::decode(SeriesMime::encode(escaped)), escaped);
    // Written plainly, QJsonDocument drops it itself: the same series.
    const QList<DraggedSeries> plain =
        SeriesMime::decode("[{\"device\":\"\xef\xbb\xbf" "dev-1\",\"source\":\"s\",\"metric\":\"t\"}]");
    QCOMPARE(plain.size(), 1);
    QCOMPARE(plain.at(0).device(), s.device());
    QCOMPARE(plain.at(0).metric, s.metric);
}

void TestDeviceInventoryModel::trendColumnFollowsChosenMetric()
{
    m_model->resetDevices(makeDevices(30));
    const int trend = DeviceInventoryModel::TrendColumn;
    QCOMPARE(m_model->trendMetric(), QStringLiteral("temperature"));
    QCOMPARE(m_model->headerData(trend, Qt::Horizontal).toString(), QStringLiteral("Trend: temperature (5 min)"));
    QCOMPARE(m_model->index(1, trend).data().toString(), m_model->index(1, DeviceInventoryModel::TemperatureColumn).data().toString());
    QCOMPARE(m_model->index(1, trend).data(DeviceInventoryModel::SortRole).toDouble(), 20.5);
    QVERIFY(!m_model->index(7, trend).data().isValid());  // no metrics yet
    QVERIFY(m_model->index(1, trend).data(Qt::ToolTipRole).toString().contains(QStringLiteral("Latest:")));
    QCOMPARE(m_model->metricNames(), (QStringList{QStringLiteral("battery"), QStringLiteral("rssi"),
                                                  QStringLiteral("temperature")}));

    // Choosing a metric: the header and that one column of every row change.
    QSignalSpy header(m_model, &QAbstractItemModel::headerDataChanged);
    QSignalSpy changed(m_model, &QAbstractItemModel::dataChanged);
    QSignalSpy metric(m_model, &DeviceInventoryModel::trendMetricChanged);
    m_model->setTrendMetric(QStringLiteral("rssi"));
    QCOMPARE(metric.count(), 1);
    QCOMPARE(header.count(), 1);
    QCOMPARE(header.first().at(1).toInt(), trend);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().at(0).value<QModelIndex>(), m_model->index(0, trend));
    QCOMPARE(changed.first().at(1).value<QModelIndex>(), m_model->index(29, trend));
    QVERIFY(changed.first().at(2).value<QList<int>>().contains(DeviceInventoryModel::SortRole));
    QCOMPARE(m_model->headerData(trend, Qt::Horizontal).toString(), QStringLiteral("Trend: rssi (5 min)"));
    QCOMPARE(m_model->index(1, trend).data().toString(), m_model->index(1, DeviceInventoryModel::RssiColumn).data().toString());
    QCOMPARE(m_model->index(1, trend).data(DeviceInventoryModel::SortRole).toDouble(), -51.0);

    m_model->setTrendMetric(QStringLiteral("rssi"));  // unchanged: nothing emitted
    QCOMPARE(metric.count(), 1);
    m_model->setTrendWindowMs(10 * 60 * 1000);
    QCOMPARE(m_model->headerData(trend, Qt::Horizontal).toString(), QStringLiteral("Trend: rssi (10 min)"));
    m_model->setTrendMetric(QString());  // empty: back to the default
    QCOMPARE(m_model->trendMetric(), DeviceInventoryModel::defaultTrendMetric());

    // A metric no device reports: empty cells, sorted after everything.
    m_model->setTrendMetric(QStringLiteral("humidity"));
    QVERIFY(!m_model->index(1, trend).data().isValid());
}

void TestDeviceInventoryModel::trendMetricChangeResortsProxy()
{
    m_model->resetDevices(makeDevices(200));
    DeviceFilterProxyModel proxy;
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setInventoryModel(m_model);
    proxy.sort(DeviceInventoryModel::TrendColumn, Qt::AscendingOrder);
    auto sortedBy = [&](int column) {
        for (int row = 0; row + 1 < proxy.rowCount(); ++row) {
            const Device *a = m_model->deviceAt(proxy.mapToSource(proxy.index(row, 0)).row());
            const Device *b = m_model->deviceAt(proxy.mapToSource(proxy.index(row + 1, 0)).row());
            if (DeviceInventoryModel::lessThan(*b, *a, column, m_model->trendMetric()))
                return false;
        }
        return true;
    };
    QVERIFY(sortedBy(DeviceInventoryModel::TemperatureColumn));
    m_model->setTrendMetric(QStringLiteral("battery"));
    QVERIFY(sortedBy(DeviceInventoryModel::BatteryColumn));
    QVERIFY(sortedBy(DeviceInventoryModel::TrendColumn));
    QCOMPARE(proxy.rowCount(), 200);
    // Live updates keep that order: an empty battery goes to the top.
    Device full = makeDevice(43);
    setMetric(full.metrics, QStringLiteral("battery"), -5);
    m_model->applyUpdates({full});
    m_model->flushPendingUpdates();
    QCOMPARE(proxy.deviceIdAt(0), full.id);
}

void TestDeviceInventoryModel::metricOfADeviceWithManyMetricsIsFoundInLogTime()
{
    // The Temperature column of a device with 4,000 metrics (temperature reported last) must
    // cost about what it costs for a device with 20: the row keeps its metric names sorted
    // besides the device's own order (a scan cost 200x more).
    auto device = [](int index, int metrics) {
        Device d = test::makeDevice(index);
        d.metrics.clear();
        for (int i = 0; i < metrics - 1; ++i)
            d.metrics.append(MetricValue::ofDouble(QStringLiteral("m%1").arg(i), i));
        d.metrics.append(MetricValue::ofDouble(QStringLiteral("temperature"), 21.5 + index));
        return d;
    };
    m_model->resetDevices({device(1, 20), device(2, 4000)});
    QCOMPARE(m_model->data(m_model->index(0, DeviceInventoryModel::TemperatureColumn), DeviceInventoryModel::SortRole),
             QVariant(22.5));
    QCOMPARE(m_model->data(m_model->index(1, DeviceInventoryModel::TemperatureColumn), DeviceInventoryModel::SortRole),
             QVariant(23.5));
    QCOMPARE(m_model->device(1).metrics.size(), 4000);
    QCOMPARE(m_model->device(1).metrics.constLast().name, QStringLiteral("temperature"));  // order kept
    QVERIFY(!m_model->data(m_model->index(1, DeviceInventoryModel::BatteryColumn)).isValid());
    constexpr int kLookups = 1000;
    auto lookups = [this](int row) {
        return [this, row] {
            for (int i = 0; i < kLookups; ++i)
                m_model->sortKey(row, DeviceInventoryModel::TemperatureColumn);
        };
    };
    const double few = test::bestNsPerUnit(lookups(0), kLookups);
    const double many = test::bestNsPerUnit(lookups(1), kLookups);
    qInfo("Temperature cell: %.0f ns with 20 metrics, %.0f ns with 4,000", few, many);
    QVERIFY2(many < 4 * few, qPrintable(QStringLiteral("%1 ns vs %2 ns per lookup").arg(many).arg(few)));
}

void TestDeviceInventoryModel::removedDevicesLeaveWithTheirPendingUpdates()
{
    QList<Device> devices = test::makeDevices(10);
    for (int n = 0; n < 30; ++n)  // a row with a sorted metric index, moving up
        devices[8].metrics.append(MetricValue::ofDouble(QStringLiteral("x%1").arg(n), n));
    devices[9].rejects[size_t(RejectReason::Oversize)] = 9;
    m_model->resetDevices(devices);
    Device changed = devices.at(3);
    changed.name = QStringLiteral("pending change");
    m_model->applyUpdates({changed, test::makeDevice(100)});  // not applied yet
    QSignalSpy aboutToRemove(m_model, &QAbstractItemModel::rowsAboutToBeRemoved);
    QSignalSpy removed(m_model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(m_model, &QAbstractItemModel::modelReset);
    QSignalSpy counts(m_model, &DeviceInventoryModel::countsChanged);
    m_model->removeDevices({devices.at(3).key(), devices.at(6).key(), devices.at(5).key(),
                            test::makeDevice(100).key(), test::makeDevice(500).key()});
    QCOMPARE(reset.count(), 0);
    QCOMPARE(removed.count(), 2);  // rows 5-6, then row 3: last range first
    QCOMPARE(removed.at(0).at(1).toInt(), 5);
    QCOMPARE(removed.at(0).at(2).toInt(), 6);
    QCOMPARE(removed.at(1).at(1).toInt(), 3);
    QCOMPARE(aboutToRemove.count(), 2);
    QCOMPARE(counts.count(), 1);
    QCOMPARE(m_model->rowCount(), 7);
    QCOMPARE(m_model->rowOf(devices.at(3).key()), -1);
    QCOMPARE(m_model->rowOf(devices.at(8).key()), 5);
    QCOMPARE(m_model->rowOf(devices.at(9).key()), 6);
    // The rows that moved up kept their data, metric index and rejects.
    QCOMPARE(m_model->device(5).metrics.size(), devices.at(8).metrics.size());
    QCOMPARE(m_model->data(m_model->index(5, DeviceInventoryModel::TemperatureColumn), DeviceInventoryModel::SortRole),
             QVariant(*findMetric(devices.at(8).metrics, QStringLiteral("temperature"))));
    QCOMPARE(m_model->device(6).rejects[size_t(RejectReason::Oversize)], 9u);
    QCOMPARE(m_model->device(6).rejectedCount(), devices.at(9).rejectedCount());
    // The pending update of a deleted device does not bring it back; the new one never comes.
    m_model->flushPendingUpdates();
    QCOMPARE(m_model->rowCount(), 7);
    QCOMPARE(m_model->rowOf(devices.at(3).key()), -1);
    QCOMPARE(m_model->rowOf(test::makeDevice(100).key()), -1);
    // It reports again: a new row at the end.
    m_model->applyUpdates({devices.at(3)});
    m_model->flushPendingUpdates();
    QCOMPARE(m_model->rowOf(devices.at(3).key()), 7);
}

void TestDeviceInventoryModel::scatteredRemovalIsOneReset()
{
    const QList<Device> devices = test::makeDevices(40);
    m_model->resetDevices(devices);
    QSignalSpy removed(m_model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(m_model, &QAbstractItemModel::modelReset);
    QList<DeviceKey> doomed;
    for (int i = 0; i < 40; i += 3)
        doomed.append(devices.at(i).key());
    m_model->removeDevices(doomed);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(m_model->rowCount(), 40 - int(doomed.size()));
    for (int i = 0; i < 40; ++i)
        QCOMPARE(m_model->rowOf(devices.at(i).key()) >= 0, i % 3 != 0);
    QCOMPARE(m_model->keyAt(0), devices.at(1).key());
    int online = 0;
    for (int i = 0; i < 40; ++i)
        online += i % 3 != 0 && devices.at(i).online ? 1 : 0;
    QCOMPARE(m_model->onlineCount(), online);
}

void TestDeviceInventoryModel::sparkplugSessionAndStaleMarkSurviveTheCompactRows()
{
    Device node = fd::test::makeSparkplugDevice(u"lyon"_qs, u"plant/gw-1"_qs);
    node.sparkplug.lastRebirthCause = u"seq gap"_qs;
    node.sparkplug.lastRebirthMs = 1'700'000'050'000;
    const Device pump = fd::test::died(fd::test::makeSparkplugDevice(u"lyon"_qs, u"plant/gw-1/pump"_qs), m_now - 3000);
    const Device v1 = makeDevice(1);
    m_model->resetDevices({v1, node, pump});
    const int rowNode = m_model->rowOf(node.key());
    const int rowPump = m_model->rowOf(pump.key());
    QCOMPARE(m_model->device(rowNode).sparkplug, node.sparkplug);
    QCOMPARE(m_model->device(rowPump).sparkplug, pump.sparkplug);
    QCOMPARE(m_model->device(rowPump).staleSinceMs, m_now - 3000);
    QCOMPARE(m_model->staleSinceMs(rowPump), m_now - 3000);
    QVERIFY(!m_model->device(0).sparkplug.isSparkplug());
    QCOMPARE(m_model->store().sparkplugCount(), 2);
    QVERIFY(m_model->isStale(rowPump));
    QVERIFY(!m_model->isStale(rowNode));
    QCOMPARE(m_model->index(rowPump, DeviceInventoryModel::StatusColumn).data().toString(), u"Offline · stale"_qs);
    QVERIFY(m_model->staleSinceText(rowPump).startsWith(u"stale since "_qs));
    QVERIFY(m_model->index(rowPump, DeviceInventoryModel::BatteryColumn).data(DeviceInventoryModel::StaleRole).toBool()
            || !m_model->index(rowPump, DeviceInventoryModel::BatteryColumn).data().isValid());
    QCOMPARE(m_model->index(rowPump, DeviceInventoryModel::NameColumn).data(DeviceInventoryModel::StaleSinceRole).toLongLong(),
             m_now - 3000);
    // Back to protocol v1 facts (no session) and current: the side table follows.
    Device plain = pump;
    plain.sparkplug = {};
    plain.staleSinceMs = 0;
    m_model->applyUpdates({plain});
    m_model->flushPendingUpdates();
    QVERIFY(!m_model->device(rowPump).sparkplug.isSparkplug());
    QCOMPARE(m_model->store().sparkplugCount(), 1);
    QVERIFY(!m_model->isStale(rowPump));
    // Rows move up when one before them is deleted: the session moves with its row.
    m_model->removeDevices({v1.key()});
    QCOMPARE(m_model->device(m_model->rowOf(node.key())).sparkplug, node.sparkplug);
}

// Two gateways often name their children alike: the flat list tells them apart by the edge
// node ("gw-1/boiler-01"), sorts by that, and the tooltip keeps the whole path.
void TestDeviceInventoryModel::sparkplugDevicesShowTheirEdgeNode()
{
    const Device node = fd::test::makeSparkplugDevice(u"lyon"_qs, u"plant/gw-1"_qs);
    const Device first = fd::test::makeSparkplugDevice(u"lyon"_qs, u"plant/gw-1/boiler-01"_qs);
    const Device second = fd::test::makeSparkplugDevice(u"lyon"_qs, u"plant/gw-2/boiler-01"_qs);
    const Device v1 = makeDevice(1);
    m_model->resetDevices({second, v1, node, first});
    auto shown = [this](const Device &d) {
        return m_model->index(m_model->rowOf(d.key()), DeviceInventoryModel::IdColumn).data().toString();
    };
    QCOMPARE(shown(first), u"gw-1/boiler-01"_qs);
    QCOMPARE(shown(second), u"gw-2/boiler-01"_qs);
    QCOMPARE(shown(node), u"gw-1"_qs);
    QCOMPARE(shown(v1), v1.id);
    QCOMPARE(first.key().shownId(), u"gw-1/boiler-01"_qs);
    QVERIFY(m_model->index(m_model->rowOf(second.key()), DeviceInventoryModel::IdColumn)
                .data(Qt::ToolTipRole).toString().contains(u"plant/gw-2/boiler-01"_qs));
    QVERIFY(DeviceInventoryModel::lessThan(first, second, DeviceInventoryModel::IdColumn, QString()));
    QVERIFY(m_model->sortKey(m_model->rowOf(first.key()), DeviceInventoryModel::IdColumn)
            < m_model->sortKey(m_model->rowOf(second.key()), DeviceInventoryModel::IdColumn));
}

QTEST_MAIN(TestDeviceInventoryModel)
#include "test_device_inventory_model.moc"
