// MetricCatalogueModel: the editable table of Settings > Metric Catalogue. Checked edits
// (refused ones keep the old value and say why), add/remove, the example column.
#include "core/domain/metric_catalogue.h"
#include "models/metric_catalogue_model.h"

#include <QAbstractItemModelTester>
#include <QLocale>
#include <QSignalSpy>
#include <QTest>

using namespace fd;

class TestMetricCatalogueModel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QLocale::setDefault(QLocale::c()); }

    void showsEntriesSortedWithExample()
    {
        MetricCatalogueModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setEntries(MetricCatalogue::defaults());
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.index(0, MetricCatalogueModel::NameColumn).data().toString(), QStringLiteral("battery"));
        const int temp = 4;
        QCOMPARE(model.index(temp, MetricCatalogueModel::NameColumn).data().toString(), QStringLiteral("temperature"));
        QCOMPARE(model.index(temp, MetricCatalogueModel::UnitColumn).data().toString(), QStringLiteral("°C"));
        QVERIFY(model.index(temp, MetricCatalogueModel::ExampleColumn).data().toString().endsWith(QStringLiteral(" °C")));
        QVERIFY(!(model.flags(model.index(0, MetricCatalogueModel::ExampleColumn)) & Qt::ItemIsEditable));
    }

    void editsAreChecked()
    {
        MetricCatalogueModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setEntries(MetricCatalogue::defaults());
        QSignalSpy rejected(&model, &MetricCatalogueModel::editRejected);
        const auto cell = [&](int col) { return model.index(0, col); };

        QVERIFY(model.setData(cell(MetricCatalogueModel::PrecisionColumn), QStringLiteral("2")));
        QCOMPARE(model.entries().first().precision, 2);
        QVERIFY(model.setData(cell(MetricCatalogueModel::PrecisionColumn), QStringLiteral("auto")));
        QCOMPARE(model.entries().first().precision, -1);
        QVERIFY(!model.setData(cell(MetricCatalogueModel::PrecisionColumn), QStringLiteral("15")));
        QVERIFY(!model.setData(cell(MetricCatalogueModel::ScaleColumn), QStringLiteral("0")));
        QVERIFY(!model.setData(cell(MetricCatalogueModel::NameColumn), QStringLiteral("humidity")));  // taken
        QVERIFY(!model.setData(cell(MetricCatalogueModel::NameColumn), QStringLiteral("  ")));
        QVERIFY(!model.setData(cell(MetricCatalogueModel::MinColumn), QStringLiteral("abc")));
        QVERIFY(!model.setData(cell(MetricCatalogueModel::MinColumn), QStringLiteral("500")));  // above max 100
        QCOMPARE(rejected.size(), 6);
        QVERIFY(rejected.last().first().toString().contains(QStringLiteral("below the maximum")));
        QCOMPARE(model.entries().first().name, QStringLiteral("battery"));
        QCOMPARE(*model.entries().first().expectedMin, 0.0);

        QVERIFY(model.setData(cell(MetricCatalogueModel::MaxColumn), QString()));  // no maximum
        QVERIFY(!model.entries().first().expectedMax);
        QCOMPARE(cell(MetricCatalogueModel::MaxColumn).data().toString(), QStringLiteral("\u2014"));
        QVERIFY(model.setData(cell(MetricCatalogueModel::MinColumn), QStringLiteral("500")));
    }

    void addAndRemove()
    {
        MetricCatalogueModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.addMetric(), 0);
        QCOMPARE(model.addMetric(), 1);
        QCOMPARE(model.entries().at(0).name, QStringLiteral("metric"));
        QCOMPARE(model.entries().at(1).name, QStringLiteral("metric_2"));
        model.removeMetrics({1, 0, 1, 7});
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestMetricCatalogueModel)
#include "test_metric_catalogue_model.moc"
