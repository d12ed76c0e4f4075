// ConnectionListModel under QAbstractItemModelTester: rows, per-row updates as one
// dataChanged, live-only rows, plain-text tooltips for broker-supplied text.
#include "models/connection_list_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace fd;

class TestConnectionListModel : public QObject
{
    Q_OBJECT
private slots:
    void rowsAndUpdates();
};

void TestConnectionListModel::rowsAndUpdates()
{
    ConnectionListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ConnectionListModel::Row a;
    a.name = QStringLiteral("plant-a");
    a.broker = QStringLiteral("mqtt://a:1883");
    a.saved = true;
    ConnectionListModel::Row demo;
    demo.name = QStringLiteral("demo-site-1");
    demo.detail = QStringLiteral("<b>connected</b> to 127.0.0.1");
    model.setRows({a, demo});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), int(ConnectionListModel::ColumnCount));
    QCOMPARE(model.names(), (QStringList{QStringLiteral("plant-a"), QStringLiteral("demo-site-1")}));
    QCOMPARE(model.rowOf(QStringLiteral("demo-site-1")), 1);
    QCOMPARE(model.rowOf(QStringLiteral("nope")), -1);
    // A live-only row without a broker URL shows the transport's detail.
    QCOMPARE(model.index(1, ConnectionListModel::BrokerColumn).data().toString(), demo.detail);
    QVERIFY(model.index(1, ConnectionListModel::NameColumn).data(Qt::FontRole).value<QFont>().italic());

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(model.setState(QStringLiteral("plant-a"), ConnectionState::Connected, QString()));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 0);
    QCOMPARE(changed.at(0).at(1).toModelIndex().column(), ConnectionListModel::ColumnCount - 1);
    QVERIFY(model.setRate(QStringLiteral("plant-a"), 1204));
    QVERIFY(model.index(0, ConnectionListModel::RateColumn).data().toString().contains(QStringLiteral("msg/s")));
    QVERIFY(model.setRate(QStringLiteral("plant-a"), 1204));  // unchanged: no signal
    QCOMPARE(changed.size(), 2);
    QVERIFY(!model.setState(QStringLiteral("nope"), ConnectionState::Failed, QString()));
    QCOMPARE(model.index(0, 0).data(ConnectionListModel::StateRole).value<ConnectionState>(), ConnectionState::Connected);
    QVERIFY(!model.index(0, ConnectionListModel::StateColumn).data(Qt::DecorationRole).isNull());

    // Broker-supplied text that looks like markup is escaped in the tooltip.
    const QString tip = model.index(1, 0).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QStringLiteral("&lt;b&gt;")), qPrintable(tip));
}

QTEST_MAIN(TestConnectionListModel)
#include "test_connection_list_model.moc"
