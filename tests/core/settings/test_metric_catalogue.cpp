// The metric catalogue: defaults, formatting with precision/scale/unit, the JSON file (every
// rule of a hand-written file, hostile input refused whole with the entry named), and its
// persistence in QSettings (nothing stored while default, a corrupt value falls back).
#include "core/domain/metric_catalogue.h"
#include "core/domain/metric_catalogue_json.h"
#include "core/settings/metric_catalogue_settings.h"
#include "core/settings/settings_keys.h"

#include <QLocale>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <limits>

using namespace fd;

class TestMetricCatalogue : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QLocale::setDefault(QLocale::c()); }

    void defaultsCoverTheSimulatorMetrics()
    {
        MetricCatalogue c;
        for (const char *name : {"temperature", "humidity", "battery", "rssi", "cpu_load"})
            QVERIFY2(c.contains(QString::fromLatin1(name)), name);
        QVERIFY(c.isDefault());
        QCOMPARE(c.displayName(QStringLiteral("rssi")), QStringLiteral("Signal (RSSI)"));
        QCOMPARE(c.axisTitle(QStringLiteral("temperature")), QStringLiteral("Temperature (°C)"));
    }

    void formatsWithPrecisionScaleAndUnit()
    {
        MetricCatalogue c;
        QCOMPARE(c.formatValue(QStringLiteral("temperature"), 21.456), QStringLiteral("21.5 °C"));
        QCOMPARE(c.formatValue(QStringLiteral("cpu_load"), 0.423), QStringLiteral("42 %"));
        QCOMPARE(c.formatNumber(QStringLiteral("cpu_load"), 0.423), QStringLiteral("42"));
        QCOMPARE(c.formatValue(QStringLiteral("rssi"), -67.4), QStringLiteral("-67 dBm"));
        // Rounding to zero does not show a minus sign.
        QCOMPARE(c.formatValue(QStringLiteral("temperature"), -0.04), QStringLiteral("0.0 °C"));
        // Unknown metric: wire name, plain number.
        QCOMPARE(c.displayName(QStringLiteral("pressure")), QStringLiteral("pressure"));
        QCOMPARE(c.formatValue(QStringLiteral("pressure"), 1013.25), QStringLiteral("1013.25"));
        QCOMPARE(c.axisTitle(QStringLiteral("pressure")), QStringLiteral("pressure"));
        // Edges.
        QCOMPARE(c.formatValue(QStringLiteral("temperature"), std::numeric_limits<double>::quiet_NaN()),
                 QStringLiteral("\u2014"));
        QCOMPARE(c.formatNumber(QStringLiteral("pressure"), std::numeric_limits<double>::infinity()),
                 QStringLiteral("\u221E"));
        QCOMPARE(c.formatValue(QStringLiteral("pressure"), 1e300), QStringLiteral("1e+300"));
    }

    void setEntriesNotifiesOnlyOnChange()
    {
        MetricCatalogue c;
        QSignalSpy changed(&c, &MetricCatalogue::changed);
        c.setEntries(MetricCatalogue::defaults());
        QCOMPARE(changed.size(), 0);
        MetricInfo p;
        p.name = QStringLiteral("pressure");
        p.displayName = QStringLiteral("Pressure");
        p.unit = QStringLiteral("hPa");
        p.precision = 0;
        c.setEntries({p});
        QCOMPARE(changed.size(), 1);
        QVERIFY(!c.isDefault());
        QVERIFY(!c.contains(QStringLiteral("temperature")));
        QCOMPARE(c.formatValue(QStringLiteral("pressure"), 1013.25), QStringLiteral("1013 hPa"));
    }

    void jsonRoundTrip()
    {
        const QList<MetricInfo> defaults = MetricCatalogue::defaults();
        const MetricCatalogueJson::ReadResult back = MetricCatalogueJson::read(MetricCatalogueJson::write(defaults));
        QVERIFY2(back.ok(), qPrintable(back.error));
        QCOMPARE(back.entries, defaults);
    }

    void jsonMinimalHandWrittenFile()
    {
        const auto r = MetricCatalogueJson::read(
            R"({"metrics":[{"name":"pressure"},{"name":"flow","unit":"l/min","precision":2,"future_key":true}]})");
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.entries.size(), 2);
        QCOMPARE(r.entries.at(0).precision, -1);
        QCOMPARE(r.entries.at(1).unit, QStringLiteral("l/min"));
        QCOMPARE(r.entries.at(1).precision, 2);
    }

    void jsonRefusesBadFilesWhole_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("errorPart");
        QTest::newRow("not json") << QByteArray("{metrics:") << QStringLiteral("Not valid JSON");
        QTest::newRow("no list") << QByteArray(R"({"rules":[]})") << QStringLiteral("Not a metric catalogue");
        QTest::newRow("array root") << QByteArray("[]") << QStringLiteral("Not a metric catalogue");
        QTest::newRow("no name") << QByteArray(R"({"metrics":[{"unit":"V"}]})") << QStringLiteral("Metric 1: \"name\" is required");
        QTest::newRow("name not text") << QByteArray(R"({"metrics":[{"name":5}]})") << QStringLiteral("must be text");
        QTest::newRow("duplicate") << QByteArray(R"({"metrics":[{"name":"a"},{"name":"a"}]})") << QStringLiteral("Metric 2: \"a\" appears twice");
        QTest::newRow("precision range") << QByteArray(R"({"metrics":[{"name":"a","precision":12}]})") << QStringLiteral("precision");
        QTest::newRow("precision fraction") << QByteArray(R"({"metrics":[{"name":"a","precision":1.5}]})") << QStringLiteral("precision");
        QTest::newRow("scale zero") << QByteArray(R"({"metrics":[{"name":"a","scale":0}]})") << QStringLiteral("scale");
        QTest::newRow("min above max") << QByteArray(R"({"metrics":[{"name":"a","min":5,"max":1}]})") << QStringLiteral("\"min\" must be less");
        QTest::newRow("control chars") << QByteArray("{\"metrics\":[{\"name\":\"a\\u0007b\"}]}") << QStringLiteral("control characters");
        QTest::newRow("bidi override") << QByteArray("{\"metrics\":[{\"name\":\"a\",\"unit\":\"\\u202E\"}]}") << QStringLiteral("control characters");
        QTest::newRow("long unit") << QByteArray(R"({"metrics":[{"name":"a","unit":")" + QByteArray(40, 'x') + R"("}]})") << QStringLiteral("longer than 32");
        QTest::newRow("entry not object") << QByteArray(R"({"metrics":[{"name":"a"},7]})") << QStringLiteral("Metric 2: each metric must be an object");
        QTest::newRow("too big") << QByteArray(MetricCatalogueJson::kMaxFileBytes + 1, ' ') << QStringLiteral("larger than 4 MB");
    }

    void jsonRefusesBadFilesWhole()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, errorPart);
        const auto r = MetricCatalogueJson::read(json);
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(errorPart), qPrintable(r.error));
        QVERIFY(r.entries.isEmpty());
    }

    void jsonRefusesTooManyEntries()
    {
        QByteArray json = R"({"metrics":[)";
        for (qsizetype i = 0; i <= MetricCatalogueJson::kMaxEntries; ++i)
            json += (i ? "," : "") + QByteArray(R"({"name":"m)") + QByteArray::number(i) + "\"}";
        json += "]}";
        const auto r = MetricCatalogueJson::read(json);
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(QStringLiteral("at most 10000")), qPrintable(r.error));
    }

    void settingsStoreOnlyWhatDiffersFromDefaults()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
        MetricCatalogueSettings store(settings);
        QCOMPARE(store.load(), MetricCatalogue::defaults());

        QList<MetricInfo> entries = MetricCatalogue::defaults();
        std::reverse(entries.begin(), entries.end());
        store.save(entries);  // the defaults in another order
        QVERIFY(!settings.contains(SettingsKeys::kMetricCatalogue));

        entries.first().precision = 3;
        store.save(entries);
        QVERIFY(settings.contains(SettingsKeys::kMetricCatalogue));
        MetricCatalogue c;
        c.setEntries(store.load());
        QCOMPARE(c.info(entries.first().name).precision, 3);

        settings.setValue(SettingsKeys::kMetricCatalogue, QByteArray("{corrupt"));
        QCOMPARE(store.load(), MetricCatalogue::defaults());
    }
};

QTEST_GUILESS_MAIN(TestMetricCatalogue)
#include "test_metric_catalogue.moc"
