// Offscreen GUI test of the Telemetry page inside the main window: select three devices in
// the inventory, chart their temperature, get history from the cache (off the GUI thread),
// apply live samples, pause, zoom with the wheel and the keyboard, double-click to resume,
// export CSV and PNG, save and restore a named layout.

#include "core/ingest/fleet_session.h"
#include "core/storage/storage_writer.h"
#include "core/telemetry/telemetry_csv_writer.h"
#include "models/device_filter_proxy_model.h"
#include "ui/device_detail_panel.h"
#include "ui/inventory_page.h"
#include "ui/main_window.h"
#include "ui/telemetry_page.h"
#include "widgets/telemetry_chart.h"

#include <QApplication>
#include <QDateTime>
#include <QFile>
#include <QGraphicsView>
#include <QImage>
#include <QInputDialog>
#include <QPushButton>
#include <QTimer>
#include <QItemSelectionModel>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QWheelEvent>

using namespace Qt::StringLiterals;
using namespace fd;

namespace {

constexpr qint64 kMinute = 60000;

Device device(int i)
{
    Device d;
    d.id = u"dev-%1"_s.arg(i, 5, 10, QLatin1Char('0'));
    d.name = u"Cold Room %1"_s.arg(i);
    d.online = true;
    d.lastSeenMs = QDateTime::currentMSecsSinceEpoch();
    d.metrics = {{u"temperature"_s, 4.0 + i}, {u"rssi"_s, -60.0}};
    return d;
}

} // namespace

class TestTelemetryPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void chartFromInventoryPauseZoomExport();
    void savedLayoutsAreRestored();

private:
    QTemporaryDir m_dir;
    QString m_db;
    qint64 m_now = 0;
};

void TestTelemetryPage::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_db = m_dir.filePath(u"cache.sqlite"_s);
    m_now = QDateTime::currentMSecsSinceEpoch();
    // Ten minutes of history for three devices, one sample every 5 s, with a spike.
    StorageWriter writer;
    QVERIFY(writer.start(m_db));
    StorageBatch batch;
    for (int i = 1; i <= 4; ++i)
        batch.devices.append(device(i));
    for (qint64 t = m_now - 10 * kMinute; t < m_now - 5000; t += 5000) {
        for (int i = 1; i <= 3; ++i) {
            TelemetrySample s;
            s.deviceId = device(i).id;
            s.timestampMs = t;
            const bool spike = i == 2 && t >= m_now - 5 * kMinute && t < m_now - 5 * kMinute + 5000;
            s.metrics = {{u"temperature"_s, spike ? 40.0 : 4.0 + i}, {u"rssi"_s, -60.0}};
            batch.samples.append(s);
        }
    }
    writer.submit(batch);
    QVERIFY(writer.flush());
}

void TestTelemetryPage::chartFromInventoryPauseZoomExport()
{
    FleetSession session;
    QVERIFY(session.open(m_db).ok());
    MainWindow::Services services;
    services.session = &session;
    MainWindow window(services);
    window.resize(1300, 850);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    // Select the first three devices in the inventory and chart their temperature.
    QTableView *table = window.inventoryPage()->table();
    QTRY_COMPARE(table->model()->rowCount(), 4);
    table->sortByColumn(1, Qt::AscendingOrder);
    for (int row = 0; row < 3; ++row)
        table->selectionModel()->select(table->model()->index(row, 0),
                                        QItemSelectionModel::Select | QItemSelectionModel::Rows);
    TelemetryPage *page = window.telemetryPage();
    QSignalSpy history(page, &TelemetryPage::historyApplied);
    QVERIFY(window.chartSelectedDevices(u"temperature"_s));
    QCOMPARE(page->chartCount(), 1);
    TelemetryChart *chart = page->chart(0);
    QCOMPARE(chart->seriesCount(), 3);
    QVERIFY(page->isVisible());

    // History arrives from the worker thread.
    QVERIFY(history.wait(10000));
    for (int id : chart->seriesIds())
        QVERIFY2(chart->seriesData(id)->history().size() >= 100, qPrintable(chart->seriesLabel(id)));

    // Live samples after the history.
    QList<TelemetrySample> live;
    for (int i = 1; i <= 3; ++i) {
        TelemetrySample s;
        s.deviceId = device(i).id;
        s.timestampMs = m_now;
        s.metrics = {{u"temperature"_s, 5.0 + i}};
        live.append(s);
    }
    page->appendSamples(live);
    QVERIFY(chart->isFollowingLive());
    chart->redrawNow();
    chart->updateStatsNow();
    const int dev2 = chart->seriesIds().at(1);
    QCOMPARE(chart->visibleStats(dev2).max, 40.0);  // the spike is in the 15 min window
    QCOMPARE(chart->visibleStats(dev2).last, 7.0);  // the live value

    // Pause with the button.
    auto *pause = page->findChild<QToolButton *>(u"telemetryPause"_s);
    QVERIFY(pause);
    QTest::mouseClick(pause, Qt::LeftButton);
    QVERIFY(page->isPaused());
    QVERIFY(!chart->isFollowingLive());
    const qint64 window0 = chart->toMs() - chart->fromMs();

    // Zoom in with the wheel at the middle of the plot.
    auto *view = chart->findChild<QGraphicsView *>();
    QVERIFY(view);
    const QPointF center(view->viewport()->width() / 2.0, view->viewport()->height() / 2.0);
    QWheelEvent wheel(center, view->viewport()->mapToGlobal(center), QPoint(), QPoint(0, 120),
                      Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view->viewport(), &wheel);
    const qint64 window1 = chart->toMs() - chart->fromMs();
    QVERIFY2(window1 < window0 * 0.9, qPrintable(u"%1 -> %2"_s.arg(window0).arg(window1)));
    // And with the keyboard: '+' halves the window around its centre.
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Plus);
    const qint64 window2 = chart->toMs() - chart->fromMs();
    QVERIFY(qAbs(window2 - window1 / 2) < 10);
    QVERIFY(page->isPaused());
    // Zoom to the spike with the API (as the rubber band does), then export.
    page->setTimeRange(m_now - 6 * kMinute, m_now - 4 * kMinute);
    QVERIFY(history.wait(10000));
    chart->redrawNow();
    chart->updateStatsNow();
    QCOMPARE(chart->visibleStats(dev2).max, 40.0);

    const QString csvPath = m_dir.filePath(u"out.csv"_s);
    QString error;
    QVERIFY2(page->exportCsv(csvPath, &error), qPrintable(error));
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = csv.readAll().split('\n');
    QCOMPARE(lines.first(), TelemetryCsvWriter::header().chopped(1));
    const qsizetype rows = lines.size() - 2;  // header, trailing empty
    QCOMPARE(rows, 3 * 25);  // [t0, t0 + 2 min] inclusive, every 5 s, three devices
    QVERIFY(lines.at(1).contains("Z,dev-0000"));
    int spikes = 0;
    for (const QByteArray &line : lines)
        spikes += line.contains(",dev-00002,temperature,40,") ? 1 : 0;
    QCOMPARE(spikes, 1);
    // Hidden series are not exported.
    chart->setSeriesVisible(chart->seriesIds().at(0), false);
    QVERIFY(page->exportCsv(csvPath, &error));
    csv.close();  // the export replaced the file
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QCOMPARE(csv.readAll().count(QByteArrayView("\n")), 1 + 2 * 25);

    const QString pngPath = m_dir.filePath(u"out.png"_s);
    QVERIFY2(page->exportPng(pngPath, &error), qPrintable(error));
    const QImage png(pngPath);
    QVERIFY(!png.isNull());
    QVERIFY(png.width() > 400 && png.height() > 200);

    // Double-click resumes live follow.
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, Qt::NoModifier, center.toPoint());
    QVERIFY(!page->isPaused());
    QVERIFY(chart->isFollowingLive());

    // Window presets: 24 h reads rollups, not raw rows.
    page->setWindowMs(24 * 60 * kMinute);
    QVERIFY(history.wait(10000));
    const auto &rows24 = chart->seriesData(dev2)->history();
    QVERIFY(!rows24.isEmpty());
    QCOMPARE(rows24.first().widthMs, kMinute);
    chart->redrawNow();
    chart->updateStatsNow();
    QCOMPARE(chart->visibleStats(dev2).max, 40.0);  // rollups keep the spike

    page->clear();
    QCOMPARE(page->chartCount(), 0);

    // From the detail panel: "Chart…" asks for the metric (two reported) and opens it.
    window.showPage(MainWindow::InventoryPageIndex);
    window.inventoryPage()->detailPanel()->showDevice(device(4).id);
    auto *detailChart = window.inventoryPage()->detailPanel()->findChild<QPushButton *>(u"detailChart"_s);
    QVERIFY(detailChart);
    QTimer::singleShot(0, [] {
        for (QWidget *w : QApplication::topLevelWidgets()) {
            if (auto *dialog = qobject_cast<QInputDialog *>(w)) {
                dialog->setTextValue(u"rssi"_s);
                dialog->accept();
            }
        }
    });
    QTest::mouseClick(detailChart, Qt::LeftButton);
    QCOMPARE(page->chartCount(), 1);
    QCOMPARE(page->currentLayout().charts.at(0).series.at(0).deviceId, device(4).id);
    QCOMPARE(page->currentLayout().charts.at(0).series.at(0).metric, u"rssi"_s);
    session.shutdown();
}

void TestTelemetryPage::savedLayoutsAreRestored()
{
    QSettings settings(m_dir.filePath(u"settings.ini"_s), QSettings::IniFormat);
    TelemetryPage page;
    page.setSettings(&settings);
    page.openChart({u"dev-00001"_s, u"dev-00002"_s}, u"temperature"_s);
    page.openChart({u"dev-00003"_s}, u"rssi"_s);
    page.addSeries(1, u"dev-00003"_s, u"temperature"_s);
    page.setWindowMs(60 * kMinute);
    page.chart(0)->setSeriesVisible(page.chart(0)->seriesIds().at(1), false);
    const TelemetryLayout saved = page.currentLayout();
    QCOMPARE(saved.charts.size(), 2);
    QCOMPARE(saved.charts.at(1).series.size(), 2);
    page.saveLayout(u"Cold rooms"_s);
    page.saveState();
    QCOMPARE(page.savedLayoutNames(), QStringList{u"Cold rooms"_s});

    page.clear();
    page.setWindowMs(kMinute);
    QVERIFY(page.restoreLayout(u"Cold rooms"_s));
    QCOMPARE(page.currentLayout(), saved);
    QVERIFY(!page.chart(0)->isSeriesVisible(page.chart(0)->seriesIds().at(1)));

    // A new page (next start) restores the last view.
    TelemetryPage next;
    next.setSettings(&settings);
    next.restoreState();
    QCOMPARE(next.currentLayout(), saved);
    QCOMPARE(TelemetryLayout::fromJson(saved.toJson()), saved);
    next.deleteLayout(u"Cold rooms"_s);
    QVERIFY(next.savedLayoutNames().isEmpty());
}

QTEST_MAIN(TestTelemetryPage)
#include "test_telemetry_page.moc"
