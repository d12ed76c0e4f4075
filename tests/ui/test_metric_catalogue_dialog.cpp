// Settings > Metric Catalogue: import (a bad file changes nothing and says why), export (the
// file reads back), and the main window applying the catalogue (saved to the settings, the
// shared catalogue notified).
#include "core/domain/metric_catalogue.h"
#include "core/domain/metric_catalogue_json.h"
#include "core/ingest/fleet_session.h"
#include "core/settings/metric_catalogue_settings.h"
#include "core/settings/settings_keys.h"
#include "ui/main_window.h"
#include "ui/metric_catalogue_dialog.h"

#include <QFile>
#include <QLocale>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;

namespace {

QString writeFile(const QTemporaryDir &dir, const char *name, const QByteArray &content)
{
    const QString path = dir.filePath(QString::fromLatin1(name));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
        return {};
    return path;
}

} // namespace

class TestMetricCatalogueDialog : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QLocale::setDefault(QLocale::c()); }

    void importReplacesTheTableOnlyWhenTheFileIsGood()
    {
        QTemporaryDir dir;
        MetricCatalogueDialog dialog(MetricCatalogue::defaults());
        const QString bad = writeFile(dir, "bad.json", R"({"metrics":[{"name":"a","precision":99}]})");
        const QString error = dialog.importFile(bad);
        QVERIFY2(error.contains(QStringLiteral("precision")), qPrintable(error));
        QCOMPARE(dialog.entries(), MetricCatalogue::defaults());

        QVERIFY(!dialog.importFile(dir.filePath(QStringLiteral("missing.json"))).isEmpty());

        const QString good = writeFile(dir, "good.json",
                                       R"({"metrics":[{"name":"pressure","display_name":"Pressure","unit":"hPa"}]})");
        QCOMPARE(dialog.importFile(good), QString());
        QCOMPARE(dialog.entries().size(), 1);
        QCOMPARE(dialog.entries().first().unit, QStringLiteral("hPa"));
    }

    void addReportedListsTheMetricsDevicesSend()
    {
        MetricCatalogueDialog dialog(MetricCatalogue::defaults(),
                                     {QStringLiteral("temperature"), QStringLiteral("pressure"), QStringLiteral("flow")});
        QCOMPARE(dialog.addReportedMetrics(), 2);
        QCOMPARE(dialog.entries().size(), 7);
        QCOMPARE(dialog.addReportedMetrics(), 0);
    }

    void exportReadsBack()
    {
        QTemporaryDir dir;
        MetricCatalogueDialog dialog(MetricCatalogue::defaults());
        const QString path = dir.filePath(QStringLiteral("out.json"));
        QCOMPARE(dialog.exportFile(path), QString());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto back = MetricCatalogueJson::read(f.readAll());
        QVERIFY2(back.ok(), qPrintable(back.error));
        QCOMPARE(back.entries, MetricCatalogue::defaults());
        QVERIFY(!dialog.exportFile(dir.filePath(QStringLiteral("no/such/dir/out.json"))).isEmpty());
    }

    void mainWindowAppliesAndSaves()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
        FleetSession session;
        MetricCatalogue catalogue;
        MainWindow::Services services{&session, nullptr, nullptr, &settings};
        services.metrics = &catalogue;
        MainWindow window(services);
        QCOMPARE(window.metricCatalogue(), &catalogue);
        QSignalSpy changed(&catalogue, &MetricCatalogue::changed);

        QList<MetricInfo> entries = MetricCatalogue::defaults();
        entries.first().displayName = QStringLiteral("Akku");
        window.applyMetricCatalogue(entries);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(catalogue.displayName(entries.first().name), QStringLiteral("Akku"));
        QCOMPARE(MetricCatalogueSettings(settings).load(), entries);
    }
};

QTEST_MAIN(TestMetricCatalogueDialog)
#include "test_metric_catalogue_dialog.moc"
