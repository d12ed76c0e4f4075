#include "models/rejection_model.h"
#include "tests/models/device_factory.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace fd;
using fd::test::makeDevice;
using fd::test::makeDevices;

class TestRejectionModel : public QObject
{
    Q_OBJECT
private slots:
    void resetKeepsOnlyDevicesWithRejects();
    void applyDevicesIsOneInsertAndOneRange();
    void unattributedBuckets();
    void headers();
    void sameIdOnTwoConnectionsIsTwoRows();
    void unknownDevicesAreRowsUntilAccepted();
    void removedDevicesLeave();
};

void TestRejectionModel::resetKeepsOnlyDevicesWithRejects()
{
    RejectionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy totals(&model, &RejectionModel::totalsChanged);
    model.resetDevices(makeDevices(30));  // BadJson = i % 3 -> 20 devices with rejects
    QCOMPARE(model.rowCount(), 20);
    QCOMPARE(totals.count(), 1);
    QCOMPARE(model.total(), quint64(10 * 1 + 10 * 2));
    const int badJson = RejectionModel::FirstReasonColumn + int(RejectReason::BadJson);
    QCOMPARE(model.index(0, RejectionModel::SourceColumn).data().toString(), QStringLiteral("dev-00001"));
    QCOMPARE(model.index(0, badJson).data().toString(), QStringLiteral("1"));
    QCOMPARE(model.index(0, RejectionModel::TotalColumn).data().toString(), QStringLiteral("1"));
    // Zero counts are blank, totals never.
    const int wrongType = RejectionModel::FirstReasonColumn + int(RejectReason::WrongType);
    QVERIFY(model.index(0, wrongType).data().toString().isEmpty());
    QCOMPARE(model.index(0, wrongType).data(RejectionModel::SortRole).toULongLong(), 0u);
    QCOMPARE(model.index(0, 0).data(RejectionModel::DeviceIdRole).toString(), QStringLiteral("dev-00001"));
}

void TestRejectionModel::applyDevicesIsOneInsertAndOneRange()
{
    RejectionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.resetDevices(makeDevices(30));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    QList<Device> batch;
    Device a = makeDevice(1);
    a.rejects[size_t(RejectReason::Oversize)] = 4;
    Device b = makeDevice(29);
    b.rejects[size_t(RejectReason::WrongType)] = 1;
    Device clean = makeDevice(300);
    clean.rejects = {};
    batch << a << b << clean << makeDevices(5, 100);  // 100..104: 101,102,103(0? 103%3=1),104 have rejects
    model.applyDevices(batch);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.rowCount(), 20 + 4);  // 100 % 3 == 1 ... 104 % 3 == 2; 102 % 3 == 0 has none
    QCOMPARE(model.index(0, RejectionModel::TotalColumn).data(RejectionModel::SortRole).toULongLong(), 5u);

    // Same counts again: no signal.
    changed.clear();
    inserted.clear();
    model.applyDevices({a});
    QCOMPARE(changed.count(), 0);
    QCOMPARE(inserted.count(), 0);
}

void TestRejectionModel::unattributedBuckets()
{
    RejectionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    IngestStats stats;
    model.applyStats(stats);
    QCOMPARE(model.rowCount(), 0);

    stats.unattributed[size_t(RejectReason::BadDeviceId)] = 7;
    stats.unattributed[size_t(RejectReason::UnknownTopic)] = 2;
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.applyStats(stats);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("(invalid device id)"));
    QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("(unknown topic)"));
    QVERIFY(model.index(0, 0).data(RejectionModel::DeviceIdRole).toString().isEmpty());
    QCOMPARE(model.index(0, RejectionModel::TotalColumn).data().toString(), QStringLiteral("7"));
    QCOMPARE(model.total(), 9u);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    stats.unattributed[size_t(RejectReason::BadDeviceId)] = 8;
    model.applyStats(stats);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.totals()[size_t(RejectReason::BadDeviceId)], 8u);
}

void TestRejectionModel::headers()
{
    RejectionModel model;
    QCOMPARE(model.headerData(RejectionModel::SourceColumn, Qt::Horizontal).toString(), QStringLiteral("Source"));
    QCOMPARE(model.headerData(RejectionModel::TotalColumn, Qt::Horizontal).toString(), QStringLiteral("Total"));
    QCOMPARE(model.headerData(RejectionModel::FirstReasonColumn, Qt::Horizontal).toString(), QStringLiteral("Bad JSON"));
    QCOMPARE(model.headerData(RejectionModel::ConnectionColumn, Qt::Horizontal).toString(), QStringLiteral("Connection"));
    QCOMPARE(model.columnCount(), 3 + int(kAllRejectReasons.size()));
}

void TestRejectionModel::sameIdOnTwoConnectionsIsTwoRows()
{
    RejectionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Device a = makeDevice(1);
    a.source = QStringLiteral("plant-a");
    Device b = makeDevice(1);
    b.source = QStringLiteral("plant-b");
    b.rejects[size_t(RejectReason::WrongType)] = 5;
    model.resetDevices({a, b});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, RejectionModel::ConnectionColumn).data().toString(), QStringLiteral("plant-a"));
    QCOMPARE(model.index(1, RejectionModel::ConnectionColumn).data().toString(), QStringLiteral("plant-b"));
    QCOMPARE(model.index(1, RejectionModel::TotalColumn).data().toString(), QStringLiteral("6"));
    QCOMPARE(model.index(1, 0).data(RejectionModel::DeviceKeyRole).value<DeviceKey>(), b.key());
    QCOMPARE(model.total(), 7u);
}

void TestRejectionModel::unknownDevicesAreRowsUntilAccepted()
{
    RejectionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    IngestStats stats;
    RejectCounts ghost{};
    ghost[size_t(RejectReason::BadJson)] = 3;
    stats.sources[QStringLiteral("plant-a")].unknownDevices.insert(QStringLiteral("ghost"), ghost);
    model.applyStats(stats);
    QCOMPARE(model.rowCount(), 1);
    const QModelIndex source = model.index(0, RejectionModel::SourceColumn);
    QCOMPARE(source.data().toString(), QStringLiteral("ghost (not in the inventory)"));
    QVERIFY(!source.data(RejectionModel::InInventoryRole).toBool());
    QCOMPARE(source.data(RejectionModel::DeviceKeyRole).value<DeviceKey>(),
             DeviceKey(QStringLiteral("plant-a"), QStringLiteral("ghost")));
    QCOMPARE(model.index(0, RejectionModel::ConnectionColumn).data().toString(), QStringLiteral("plant-a"));
    QCOMPARE(model.total(), 3u);

    // Accepted after all: the same row, now the device's, with its counts.
    Device d = makeDevice(0);
    d.id = d.path = QStringLiteral("ghost");
    d.source = QStringLiteral("plant-a");
    d.rejects = ghost;
    d.rejects[size_t(RejectReason::Oversize)] = 1;
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.applyDevices({d});
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("ghost"));
    QVERIFY(model.index(0, 0).data(RejectionModel::InInventoryRole).toBool());
    QCOMPARE(model.total(), 4u);
    // An older snapshot of the stats that still lists it does not undo that.
    model.applyStats(stats);
    QCOMPARE(model.total(), 4u);
}

void TestRejectionModel::removedDevicesLeave()
{
    RejectionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.resetDevices(makeDevices(30));  // 20 rows: dev-00001, 2, 4, 5, 7, 8, ...
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy totals(&model, &RejectionModel::totalsChanged);
    const quint64 before = model.total();
    model.removeDevices({makeDevice(1).key(), makeDevice(2).key(), makeDevice(29).key(), makeDevice(3).key()});
    QCOMPARE(removed.count(), 2);  // rows 0-1 and the last one; dev-00003 had no row
    QCOMPARE(model.rowCount(), 17);
    QCOMPARE(model.total(), before - 1 - 2 - 2);
    QCOMPARE(totals.count(), 1);
    QCOMPARE(model.rowOf(makeDevice(1).key()), -1);
    QCOMPARE(model.rowOf(makeDevice(4).key()), 0);
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("dev-00004"));
}

QTEST_MAIN(TestRejectionModel)
#include "test_rejection_model.moc"
