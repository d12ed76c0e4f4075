// Tests of fd::TelemetryChart (offscreen): a gap splits a series into separate drawn
// lines, replace() gets decimated points (never more than a few per pixel), unchanged
// data is not redrawn, redraws are coalesced, a stale series is marked, the legend
// toggles series, statistics cover the visible range, PNG export works.

#include "widgets/telemetry_chart.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QDateTime>
#include <QLineSeries>
#include <QApplication>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace fd;

namespace {

QList<QLineSeries *> visibleLines(const TelemetryChart &chart)
{
    QList<QLineSeries *> out;
    const auto *view = chart.findChild<QChartView *>();
    for (QAbstractSeries *series : view->chart()->series()) {
        auto *l = qobject_cast<QLineSeries *>(series);
        if (l && l->isVisible() && l->count() > 0)
            out.append(l);
    }
    return out;
}

} // namespace

class TestTelemetryChart : public QObject
{
    Q_OBJECT

private slots:
    void gapsAreSeparateLinesAndPointsAreDecimated();
    void redrawsOnlyWhatChanged();
    void staleSeriesIsMarked();
    void legendTogglesAndStatsFollowTheRange();
};

void TestTelemetryChart::gapsAreSeparateLinesAndPointsAreDecimated()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto live = std::make_shared<TelemetryRingBuffer>(200000);
    for (qint64 i = 0; i < 50000; ++i)  // 50,000 points at 10 Hz ...
        live->append(now - 10 * 60000 + i * 10, std::sin(double(i) / 100.0));
    for (qint64 i = 0; i < 1000; ++i)  // ... then 60 s offline, then more
        live->append(now - 60000 + i * 10, 1.0);
    TelemetryChart chart;
    chart.resize(1000, 400);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    chart.addSeries(u"a"_s, std::make_shared<TelemetrySeriesData>(live));
    chart.setTimeRange(now - 11 * 60000, now);
    chart.redrawNow();
    const QList<QLineSeries *> lines = visibleLines(chart);
    QCOMPARE(lines.size(), 2);
    int points = 0;
    for (QLineSeries *l : lines)
        points += l->count();
    QVERIFY2(points <= 4 * chart.plotWidthPixels(), qPrintable(QString::number(points)));
    QVERIFY(points > chart.plotWidthPixels() / 2);
    // Zoomed into the first part only: one line.
    chart.setTimeRange(now - 9 * 60000, now - 8 * 60000);
    chart.redrawNow();
    QCOMPARE(visibleLines(chart).size(), 1);
}

void TestTelemetryChart::redrawsOnlyWhatChanged()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto a = std::make_shared<TelemetryRingBuffer>(1000);
    auto b = std::make_shared<TelemetryRingBuffer>(1000);
    for (int i = 0; i < 100; ++i) {
        a->append(now - 100000 + i * 1000, i);
        b->append(now - 100000 + i * 1000, -i);
    }
    TelemetryChart chart;
    chart.resize(800, 300);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    chart.addSeries(u"a"_s, std::make_shared<TelemetrySeriesData>(a));
    chart.addSeries(u"b"_s, std::make_shared<TelemetrySeriesData>(b));
    chart.setTimeRange(now - 120000, now);
    QCOMPARE(chart.redrawNow(), 2);
    // The first redraw may change the axes' labels and so the plot width once.
    for (int i = 0; i < 3 && chart.redrawNow() > 0; ++i)
        QApplication::processEvents();
    QCOMPARE(chart.redrawNow(), 0);  // nothing changed
    a->append(now, 1000);
    QCOMPARE(chart.redrawNow(), 1);  // only a
    // Many notifications: one coalesced redraw.
    const quint64 before = chart.redrawCount();
    for (int i = 0; i < 100; ++i) {
        a->append(now + 1 + i, i);
        chart.notifyDataChanged();
    }
    QTRY_COMPARE(chart.redrawCount(), before + 1);
    QTest::qWait(100);
    QCOMPARE(chart.redrawCount(), before + 1);
}

void TestTelemetryChart::staleSeriesIsMarked()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto fresh = std::make_shared<TelemetryRingBuffer>(1000);
    auto stale = std::make_shared<TelemetryRingBuffer>(1000);
    for (int i = 0; i < 60; ++i) {
        fresh->append(now - 59000 + i * 1000, i);
        stale->append(now - 600000 + i * 1000, i);  // nothing for 9 minutes
    }
    TelemetryChart chart;
    const int f = chart.addSeries(u"fresh"_s, std::make_shared<TelemetrySeriesData>(fresh));
    const int s = chart.addSeries(u"stale"_s, std::make_shared<TelemetrySeriesData>(stale));
    chart.setWindowMs(15 * 60000);
    chart.setFollowLive(true);
    chart.redrawNow();
    chart.updateStatsNow();
    QVERIFY(!chart.isSeriesStale(f));
    QVERIFY(chart.isSeriesStale(s));
}

void TestTelemetryChart::legendTogglesAndStatsFollowTheRange()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto a = std::make_shared<TelemetryRingBuffer>(1000);
    for (int i = 0; i < 100; ++i)
        a->append(now - 100000 + i * 1000, i);
    TelemetryChart chart;
    chart.resize(800, 300);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    const int id = chart.addSeries(u"a"_s, std::make_shared<TelemetrySeriesData>(a));
    chart.setTimeRange(now - 100000, now - 90000);  // values 0..10
    chart.redrawNow();
    chart.updateStatsNow();
    QCOMPARE(chart.visibleStats(id).count, 11);
    QCOMPARE(chart.visibleStats(id).min, 0.0);
    QCOMPARE(chart.visibleStats(id).max, 10.0);
    QCOMPARE(chart.visibleStats(id).mean, 5.0);
    QCOMPARE(chart.visibleStats(id).last, 10.0);
    QVERIFY(!visibleLines(chart).isEmpty());

    auto *check = chart.findChild<QCheckBox *>();
    QVERIFY(check);
    check->click();
    QVERIFY(!chart.isSeriesVisible(id));
    chart.redrawNow();
    QVERIFY(visibleLines(chart).isEmpty());
    chart.setSeriesVisible(id, true);
    QVERIFY(check->isChecked());

    QTemporaryDir dir;
    QString error;
    QVERIFY2(chart.exportPng(dir.filePath(u"c.png"_s), &error), qPrintable(error));
    QVERIFY(!QImage(dir.filePath(u"c.png"_s)).isNull());
    QVERIFY(!chart.exportPng(u"/nonexistent/dir/c.png"_s, &error));
    QVERIFY(error.contains(u"/nonexistent/dir/c.png"_s));
}

QTEST_MAIN(TestTelemetryChart)
#include "test_telemetry_chart.moc"
