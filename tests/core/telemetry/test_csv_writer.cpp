// Tests of fd::TelemetryCsvWriter: header, ISO 8601 UTC timestamps, merge order, quoting,
// rollup rows, missing values.

#include "core/telemetry/telemetry_csv_writer.h"

#include <QTest>

#include <limits>

using namespace Qt::StringLiterals;
using namespace fd;

class TestCsvWriter : public QObject
{
    Q_OBJECT

private slots:
    void timestampIsIsoUtc();
    void numbers();
    void mergesSeriesInTimeOrder();
    void quotesFieldsAndWritesRollups();
    void formulasInNamesAreDefused();
};

void TestCsvWriter::timestampIsIsoUtc()
{
    QCOMPARE(TelemetryCsvWriter::timestamp(0), u"1970-01-01T00:00:00.000Z"_s);
    QCOMPARE(TelemetryCsvWriter::timestamp(1764150423123LL), u"2025-11-26T09:47:03.123Z"_s);
}

void TestCsvWriter::numbers()
{
    QCOMPARE(TelemetryCsvWriter::number(21.5), u"21.5"_s);
    QCOMPARE(TelemetryCsvWriter::number(0.1 + 0.2), u"0.30000000000000004"_s);
    QCOMPARE(TelemetryCsvWriter::number(-3), u"-3"_s);
    QCOMPARE(TelemetryCsvWriter::number(std::numeric_limits<double>::quiet_NaN()), QString());
}

void TestCsvWriter::mergesSeriesInTimeOrder()
{
    const QList<TelemetryCsvWriter::Series> series = {
        {u"dev-1"_s, u"temp"_s, {{1000, 0, 20, 20, 20, 1}, {3000, 0, 21, 21, 21, 1}}},
        {u"dev-2"_s, u"temp"_s, {{1000, 0, 30, 30, 30, 1}, {2000, 0, 31, 31, 31, 1}}},
    };
    const QByteArray csv = TelemetryCsvWriter::toCsv(series);
    const QByteArray expected =
        "timestamp_utc,device,metric,value,min,max,count\r\n"
        "1970-01-01T00:00:01.000Z,dev-1,temp,20,20,20,1\r\n"
        "1970-01-01T00:00:01.000Z,dev-2,temp,30,30,30,1\r\n"
        "1970-01-01T00:00:02.000Z,dev-2,temp,31,31,31,1\r\n"
        "1970-01-01T00:00:03.000Z,dev-1,temp,21,21,21,1\r\n";
    QCOMPARE(csv, expected);
}

void TestCsvWriter::quotesFieldsAndWritesRollups()
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const QList<TelemetryCsvWriter::Series> series = {
        {u"dev,\"x\""_s, u"t\u00e9mp"_s, {{60000, 60000, 1, 5, 2.5, 4}, {120000, 60000, nan, nan, nan, 0}}},
    };
    const QByteArray csv = TelemetryCsvWriter::toCsv(series);
    const QByteArray expected =
        "timestamp_utc,device,metric,value,min,max,count\r\n"
        "1970-01-01T00:01:00.000Z,\"dev,\"\"x\"\"\",t\xc3\xa9mp,2.5,1,5,4\r\n"
        "1970-01-01T00:02:00.000Z,\"dev,\"\"x\"\"\",t\xc3\xa9mp,,,,0\r\n";
    QCOMPARE(csv, expected);
}

// Device and metric names come from devices: a name a spreadsheet would evaluate as a
// formula is written with a leading apostrophe (and quoted when it needs quotes anyway);
// numbers, negative ones included, are untouched.
void TestCsvWriter::formulasInNamesAreDefused()
{
    const QList<TelemetryCsvWriter::Series> series = {
        {u"=HYPERLINK(\"http://x\",\"y\")"_s, u"+cmd"_s, {{60000, 0, -5, -5, -5, 1}}},
        {u"@SUM(A1)"_s, u"-2+3"_s, {{60000, 0, 1, 1, 1, 1}}},
        {u"\tdev"_s, u"ok"_s, {{60000, 0, 2, 2, 2, 1}}},
    };
    const QByteArray csv = TelemetryCsvWriter::toCsv(series);
    QVERIFY2(csv.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'+cmd,-5"), csv.constData());
    QVERIFY2(csv.contains(",'@SUM(A1),'-2+3,1"), csv.constData());
    QVERIFY2(csv.contains(",'\tdev,ok,2"), csv.constData());
    for (const QByteArray &line : csv.split('\n')) {
        const QList<QByteArray> cells = line.split(',');
        for (qsizetype i = 1; i < qMin<qsizetype>(cells.size(), 3); ++i)
            QVERIFY2(cells[i].isEmpty() || !QByteArrayView("=+-@").contains(cells[i].front()), line.constData());
    }
}

QTEST_GUILESS_MAIN(TestCsvWriter)
#include "test_csv_writer.moc"
