// Offscreen GUI test of the Telemetry page inside the main window: select three devices in
// the inventory, chart their temperature, get history from the cache (off the GUI thread),
// apply live samples, pause, zoom with the wheel and the keyboard, double-click to resume,
// export CSV and PNG, save and restore a named layout.

#include "core/ingest/fleet_session.h"
#include "core/storage/storage_writer.h"
#include "core/telemetry/telemetry_csv_writer.h"
#include "models/device_filter_proxy_model.h"
#include "models/device_inventory_model.h"
#include "models/series_mime.h"
#include "core/settings/settings_keys.h"
#include "ui/drop_highlight.h"
#include "ui/inventory_trend_column.h"
#include "ui/page_sidebar.h"
#include "ui/telemetry_drop_controller.h"
#include "widgets/sparkline_delegate.h"
#include "ui/device_detail_panel.h"
#include "ui/inventory_page.h"
#include "ui/main_window.h"
#include "ui/telemetry_page.h"
#include "widgets/telemetry_chart.h"

#include <QAction>
#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QHeaderView>
#include <QMenu>
#include <QMimeData>
#include <QDateTime>
#include <QFile>
#include <QGraphicsView>
#include <QImage>
#include <QInputDialog>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QItemSelectionModel>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QCheckBox>
#include <QComboBox>
#include <QWheelEvent>

#include <memory>

using namespace Qt::StringLiterals;
using namespace fd;

namespace {

// A protocol v1 device of the default source.
DeviceKey k(const QString &id)
{
    return DeviceKey{DeviceKey::defaultSource(), id};
}

// What the ingest thread does with live samples (LiveSamplesConsumer), done here directly.
void feed(LiveTelemetry &live, const QList<TelemetrySample> &samples)
{
    live.append(samples);
    live.publishChanges();
}

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

DraggedSeries dragged(const QString &device, const QString &metric, const QStringList &metrics = {})
{
    return {device, metric, metrics};
}

// Sends a drag over target (enter, move) and, with drop, the drop; returns whether the
// last event (move or drop) was accepted.
bool dragOnto(QWidget *target, const QList<DraggedSeries> &series, bool drop = true, QPoint pos = QPoint(-1, -1))
{
    std::unique_ptr<QMimeData> data(SeriesMime::toMimeData(series));
    if (pos == QPoint(-1, -1))
        pos = target->rect().center();
    QDragEnterEvent enter(pos, Qt::CopyAction | Qt::MoveAction, data.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    QDragMoveEvent move(pos, Qt::CopyAction | Qt::MoveAction, data.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &move);
    if (!drop)
        return move.isAccepted();
    QDropEvent dropEvent(QPointF(pos), Qt::CopyAction | Qt::MoveAction, data.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &dropEvent);
    return dropEvent.isAccepted();
}

QStringList seriesOf(const TelemetryPage &page, int chart)
{
    QStringList out;
    for (const TelemetryLayout::Series &s : page.currentLayout().charts.value(chart).series)
        out.append(s.device.path + u' ' + s.metric);
    return out;
}

// The deepest widget inside w (the chart's plot viewport, whatever the chart is made of).
QWidget *deepestChild(QWidget *w)
{
    const QPoint center = w->rect().center();
    QWidget *child = w->childAt(center);
    return child ? child : w;
}

} // namespace

class TestTelemetryPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void chartFromInventoryPauseZoomExport();
    void savedLayoutsAreRestored();
    void dropOntoChartAddsSeries();
    void dropBelowChartsOpensNewChart();
    void sidebarSwitchesPageDuringDrag();
    void detailPanelMetricDragData();
    void trendColumnMetricIsPersistedAndUsed();
    void readableAndHonestControls();

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
    feed(page->live(), live);
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
    window.inventoryPage()->detailPanel()->showDevice(device(4).key());
    auto *detailChart = window.inventoryPage()->detailPanel()->findChild<QPushButton *>(u"detailChart"_s);
    QVERIFY(detailChart);
    QTimer::singleShot(0, [] {
        for (QWidget *w : QApplication::topLevelWidgets()) {
            if (auto *dialog = qobject_cast<QInputDialog *>(w)) {
                dialog->setTextValue(u"Signal (RSSI) — rssi"_s);  // the catalogue's name, then the sent one
                dialog->accept();
            }
        }
    });
    QTest::mouseClick(detailChart, Qt::LeftButton);
    QCOMPARE(page->chartCount(), 1);
    QCOMPARE(page->currentLayout().charts.at(0).series.at(0).device, device(4).key());
    QCOMPARE(page->currentLayout().charts.at(0).series.at(0).metric, u"rssi"_s);
    session.shutdown();
}

void TestTelemetryPage::savedLayoutsAreRestored()
{
    QSettings settings(m_dir.filePath(u"settings.ini"_s), QSettings::IniFormat);
    LiveTelemetry live;
    TelemetryPage page(&live);
    page.setSettings(&settings);
    page.openChart({k(u"dev-00001"_s), k(u"dev-00002"_s)}, u"temperature"_s);
    page.openChart({k(u"dev-00003"_s)}, u"rssi"_s);
    page.addSeries(1, k(u"dev-00003"_s), u"temperature"_s);
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
    TelemetryPage next(&live);
    next.setSettings(&settings);
    next.restoreState();
    QCOMPARE(next.currentLayout(), saved);
    QCOMPARE(TelemetryLayout::fromJson(saved.toJson()), saved);
    next.deleteLayout(u"Cold rooms"_s);
    QVERIFY(next.savedLayoutNames().isEmpty());
}

void TestTelemetryPage::dropOntoChartAddsSeries()
{
    LiveTelemetry live;
    TelemetryPage page(&live);
    page.resize(1000, 800);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.openChart({k(u"dev-00001"_s)}, u"temperature"_s);
    page.openChart({k(u"dev-00001"_s)}, u"rssi"_s);
    QTRY_VERIFY(page.chartFrame(1)->height() > 100);
    TelemetryDropController *drops = page.dropController();

    // A metric from the detail panel dragged over the plot of the first chart: highlighted,
    // then added to THAT chart only.
    QWidget *plot = deepestChild(page.chart(0));
    QVERIFY(dragOnto(plot, {dragged(u"dev-00002"_s, u"temperature"_s)}, false));
    QCOMPARE(drops->highlightedTarget(), page.chartFrame(0));
    QVERIFY2(drops->highlightText().contains(u"dev-00002"_s), qPrintable(drops->highlightText()));
    auto *highlight = page.findChild<DropHighlight *>();
    QVERIFY(highlight && highlight->isVisible());
    QCOMPARE(highlight->geometry(), page.chartFrame(0)->geometry());
    if (const QString dir = qEnvironmentVariable("FLEETDECK_TEST_SCREENSHOTS"); !dir.isEmpty())
        QVERIFY(page.grab().save(dir + u"/telemetry-drop-highlight.png"_s));
    QVERIFY(dragOnto(plot, {dragged(u"dev-00002"_s, u"temperature"_s)}));
    QVERIFY(!drops->highlightedTarget());  // cleared by the drop
    QCOMPARE(page.chart(0)->seriesCount(), 2);
    QCOMPARE(seriesOf(page, 0), (QStringList{u"dev-00001 temperature"_s, u"dev-00002 temperature"_s}));
    QCOMPARE(page.chart(1)->seriesCount(), 1);

    // The same again: refused, nothing added twice.
    QVERIFY(!dragOnto(plot, {dragged(u"dev-00002"_s, u"temperature"_s)}, false));
    QVERIFY(drops->highlightText().contains(u"already"_s));
    QVERIFY(!dragOnto(plot, {dragged(u"dev-00002"_s, u"temperature"_s)}));
    QCOMPARE(page.chart(0)->seriesCount(), 2);

    // Devices from the inventory (no metric) take the chart's metric: onto the second chart
    // (rssi), dropped on its title bar. A device without rssi is skipped, a duplicate ignored.
    QVERIFY(dragOnto(page.chartFrame(1),
                     {dragged(u"dev-00003"_s, {}, {u"temperature"_s, u"rssi"_s}),
                      dragged(u"dev-00004"_s, {}, {u"temperature"_s}),
                      dragged(u"dev-00001"_s, {}, {u"rssi"_s}),
                      dragged(u"dev-00005"_s, {}, {})},  // metrics unknown: trusted to have rssi
                     true, QPoint(20, 8)));
    QCOMPARE(seriesOf(page, 1), (QStringList{u"dev-00001 rssi"_s, u"dev-00003 rssi"_s, u"dev-00005 rssi"_s}));
    QCOMPARE(page.chartCount(), 2);

    // Something else than series (e.g. a file) is not taken.
    QMimeData files;
    files.setText(u"hello"_s);
    QDragEnterEvent enter(plot->rect().center(), Qt::CopyAction, &files, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(plot, &enter);
    QVERIFY(!drops->highlightedTarget());
}

void TestTelemetryPage::dropBelowChartsOpensNewChart()
{
    LiveTelemetry live;
    TelemetryPage page(&live);
    page.resize(1000, 800);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    TelemetryDropController *drops = page.dropController();
    QWidget *area = page.findChild<QLabel *>(u"telemetryNewChartZone"_s)->parentWidget();
    QVERIFY(area);

    // No chart yet: the whole area opens one. Devices without a metric get the first metric
    // all of them report.
    QVERIFY(dragOnto(area, {dragged(u"dev-00001"_s, {}, {u"battery"_s, u"temperature"_s, u"rssi"_s}),
                            dragged(u"dev-00002"_s, {}, {u"temperature"_s, u"rssi"_s})}));
    QCOMPARE(page.chartCount(), 1);
    QCOMPARE(seriesOf(page, 0), (QStringList{u"dev-00001 temperature"_s, u"dev-00002 temperature"_s}));

    // With charts: the new-chart zone appears below them during the drag.
    QTRY_VERIFY(page.chartFrame(0)->isVisible());  // shown by its layout, queued
    auto *zone = page.findChild<QLabel *>(u"telemetryNewChartZone"_s);
    QVERIFY(!zone->isVisible());
    QVERIFY(dragOnto(area, {dragged(u"dev-00003"_s, u"rssi"_s)}, false, QPoint(10, area->height() - 5)));
    QVERIFY(zone->isVisible());
    QCOMPARE(drops->highlightedTarget(), zone);
    if (const QString dir = qEnvironmentVariable("FLEETDECK_TEST_SCREENSHOTS"); !dir.isEmpty())
        QVERIFY(page.grab().save(dir + u"/telemetry-drop-new-chart.png"_s));
    QVERIFY(drops->highlightText().startsWith(u"New chart"_s));
    QVERIFY(dragOnto(zone->parentWidget(), {dragged(u"dev-00003"_s, u"rssi"_s)}, true,
                     zone->geometry().center()));
    QVERIFY(!zone->isVisible());
    QCOMPARE(page.chartCount(), 2);
    QCOMPARE(seriesOf(page, 1), QStringList{u"dev-00003 rssi"_s});

    // A drag that leaves: the highlight and the zone go away.
    QVERIFY(dragOnto(area, {dragged(u"dev-00004"_s, u"rssi"_s)}, false, QPoint(10, area->height() - 5)));
    QDragLeaveEvent leave;
    QApplication::sendEvent(area, &leave);
    QTRY_VERIFY(!zone->isVisible());
    QVERIFY(!drops->highlightedTarget());

    // Devices reporting nothing: no chart is opened.
    QCOMPARE(drops->drop({dragged(u"dev-00009"_s, {}, {})}, -1), 0);
    QCOMPARE(page.chartCount(), 2);
}

void TestTelemetryPage::sidebarSwitchesPageDuringDrag()
{
    FleetSession session;
    QVERIFY(session.open(m_db).ok());
    MainWindow window(MainWindow::Services{&session, nullptr, nullptr, nullptr});
    window.resize(1300, 850);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.showPage(MainWindow::InventoryPageIndex);

    // The inventory's selected rows are the drag data (several rows can be selected).
    QTableView *table = window.inventoryPage()->table();
    QTRY_COMPARE(table->model()->rowCount(), 4);
    QCOMPARE(table->selectionMode(), QAbstractItemView::ExtendedSelection);
    QVERIFY(table->dragEnabled());
    table->sortByColumn(DeviceInventoryModel::IdColumn, Qt::AscendingOrder);
    table->clearSelection();
    for (int row : {1, 2})
        table->selectionModel()->select(table->model()->index(row, 0),
                                        QItemSelectionModel::Select | QItemSelectionModel::Rows);
    std::unique_ptr<QMimeData> data(table->model()->mimeData(table->selectionModel()->selectedIndexes()));
    const QList<DraggedSeries> series = SeriesMime::fromMimeData(data.get());
    QCOMPARE(series.size(), 2);
    QCOMPARE(series.at(0).device(), device(2).key());
    QCOMPARE(series.at(1).device(), device(3).key());

    // Hovering the sidebar's Telemetry entry with it switches page (tab-bar style delay)...
    auto *sidebar = window.findChild<PageSidebar *>();
    QVERIFY(sidebar && sidebar->changeCurrentOnDrag());
    const QPoint entry = sidebar->visualRect(sidebar->model()->index(MainWindow::TelemetryPageIndex, 0)).center();
    QDragEnterEvent enter(entry, Qt::CopyAction, data.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(sidebar->viewport(), &enter);
    QDragMoveEvent move(entry, Qt::CopyAction, data.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(sidebar->viewport(), &move);
    QVERIFY(!move.isAccepted());  // nothing is dropped on the sidebar itself
    QCOMPARE(sidebar->currentPage(), int(MainWindow::InventoryPageIndex));
    QTRY_COMPARE(sidebar->currentPage(), int(MainWindow::TelemetryPageIndex));
    TelemetryPage *page = window.telemetryPage();
    QTRY_VERIFY(page->isVisible());

    // ...where the drop opens a chart of the devices' first common metric.
    page->clear();
    QWidget *area = page->findChild<QLabel *>(u"telemetryNewChartZone"_s)->parentWidget();
    QVERIFY(dragOnto(area, series));
    const QString first = series.at(0).metrics.value(0);  // both report the same metrics
    QVERIFY(!first.isEmpty());
    QCOMPARE(seriesOf(*page, 0), (QStringList{device(2).id + u' ' + first, device(3).id + u' ' + first}));
    page->clear();
    session.shutdown();
}

void TestTelemetryPage::detailPanelMetricDragData()
{
    FleetSession session;
    QVERIFY(session.open(m_db).ok());
    MainWindow window(MainWindow::Services{&session, nullptr, nullptr, nullptr});
    window.resize(1300, 850);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    DeviceDetailPanel *panel = window.inventoryPage()->detailPanel();
    panel->showDevice(device(2).key());
    std::unique_ptr<QMimeData> data(panel->mimeDataForMetric(u"rssi"_s));
    QVERIFY(data);
    const QList<DraggedSeries> series = SeriesMime::fromMimeData(data.get());
    QCOMPARE(series.size(), 1);
    QCOMPARE(series.at(0).device(), device(2).key());
    QCOMPARE(series.at(0).metric, u"rssi"_s);
    QStringList metrics = series.at(0).metrics;  // in the device's order
    metrics.sort();
    QCOMPARE(metrics, (QStringList{u"rssi"_s, u"temperature"_s}));
    // Its metric rows are drag handles.
    int handles = 0;
    for (QLabel *label : panel->findChildren<QLabel *>())
        handles += label->property("fdMetric").toString() == u"rssi"_s ? 1 : 0;
    QCOMPARE(handles, 2);  // name and value
    panel->showDevice(DeviceKey());
    QVERIFY(!panel->mimeDataForMetric(u"rssi"_s));
    session.shutdown();
}

void TestTelemetryPage::trendColumnMetricIsPersistedAndUsed()
{
    QSettings settings(m_dir.filePath(u"trend.ini"_s), QSettings::IniFormat);
    FleetSession session;
    QVERIFY(session.open(m_db).ok());
    MainWindow::Services services;
    services.session = &session;
    services.settings = &settings;
    {
        MainWindow window(services);
        window.resize(1400, 860);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.showPage(MainWindow::InventoryPageIndex);  // the window opens on the Overview
        QTableView *table = window.inventoryPage()->table();
        QTRY_COMPARE(table->model()->rowCount(), 4);
        const int trend = DeviceInventoryModel::TrendColumn;
        QVERIFY(!table->isColumnHidden(trend));
        QCOMPARE(table->itemDelegateForColumn(trend)->metaObject()->className(), "fd::SparklineDelegate");
        QVERIFY(qobject_cast<SparklineDelegate *>(table->itemDelegateForColumn(DeviceInventoryModel::TemperatureColumn)) == nullptr);
        // Shown after the metric columns.
        QHeaderView *header = table->horizontalHeader();
        QCOMPARE(header->visualIndex(trend), header->visualIndex(DeviceInventoryModel::RssiColumn) + 1);
        QCOMPARE(table->model()->headerData(trend, Qt::Horizontal).toString(), u"Trend: Temperature (5 min)"_s);

        // Live samples feed the sparkline: the page's ring buffers.
        QList<TelemetrySample> live;
        for (int k = 0; k < 10; ++k) {
            TelemetrySample s;
            s.deviceId = device(1).id;
            s.timestampMs = QDateTime::currentMSecsSinceEpoch() - (10 - k) * 1000;
            s.metrics = {{u"temperature"_s, 4.0 + k}, {u"rssi"_s, -60.0 - k}};
            live.append(s);
        }
        feed(window.telemetryPage()->live(), live);

        // The header menu offers the fleet's metrics; choosing one is used and saved.
        InventoryTrendColumn *column = window.inventoryPage()->trendColumn();
        QCOMPARE(column->metricChoices(), (QStringList{u"rssi"_s, u"temperature"_s}));
        std::unique_ptr<QMenu> menu(column->createMenu(nullptr));
        QAction *rssi = nullptr;
        for (QAction *a : menu->actions()) {
            if (a->data().toString() == u"rssi"_s)
                rssi = a;
            if (a->data().toString() == u"temperature"_s)
                QVERIFY(a->isChecked());
        }
        QVERIFY(rssi);
        rssi->trigger();
        QCOMPARE(column->metric(), u"rssi"_s);
        QCOMPARE(window.inventoryModel()->trendMetric(), u"rssi"_s);
        QCOMPARE(settings.value(SettingsKeys::kInventoryTrendMetric).toString(), u"rssi"_s);
        QCOMPARE(table->model()->headerData(trend, Qt::Horizontal).toString(), u"Trend: Signal (RSSI) (5 min)"_s);

        // Painting asks the source for that metric, per device shown.
        QStringList asked;
        int points = 0;
        column->setSource([&](const DeviceKey &id, const QString &metric, qint64 from, qint64 to,
                              std::vector<TelemetryPoint> *out) {
            asked.append(id.path + u' ' + metric);
            const auto buffer = window.telemetryPage()->live().buffer({id, metric});
            if (!buffer)
                return false;
            for (const PointSpan &span : buffer->spansCovering(from, to))
                out->insert(out->end(), span.begin(), span.end());
            points += int(out->size());
            return true;
        });
        table->scrollTo(table->model()->index(0, trend));
        table->viewport()->repaint();
        QVERIFY2(asked.contains(device(1).id + u" rssi"_s), qPrintable(asked.join(u", "_s)));
        QVERIFY(!asked.join(u","_s).contains(u"temperature"_s));
        QCOMPARE(points, 10);
        QVERIFY(window.grab().save(m_dir.filePath(u"trend.png"_s)));
    }
    // The next start uses the saved metric.
    MainWindow next(services);
    QCOMPARE(next.inventoryModel()->trendMetric(), u"rssi"_s);
    QCOMPARE(next.inventoryPage()->trendColumn()->metric(), u"rssi"_s);
    session.shutdown();
}

QTEST_MAIN(TestTelemetryPage)

void TestTelemetryPage::readableAndHonestControls()
{
    FleetSession session;
    QVERIFY(session.open(m_db).ok());
    QSettings settings(m_dir.filePath(u"controls.ini"_s), QSettings::IniFormat);
    settings.clear();
    MainWindow::Services services;
    services.session = &session;
    services.settings = &settings;
    MainWindow window(services);
    window.resize(1300, 850);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    TelemetryPage *page = window.telemetryPage();
    auto *pause = page->findChild<QToolButton *>(u"telemetryPause"_s);
    auto *combo = page->findChild<QComboBox *>(u"telemetryWindow"_s);
    QVERIFY(pause && combo);
    const auto button = [page](const QString &text) {
        for (QToolButton *b : page->findChildren<QToolButton *>())
            if (b->text() == text)
                return b;
        return static_cast<QToolButton *>(nullptr);
    };
    // Nothing to act on: Export, Clear and Pause are disabled.
    QVERIFY(!button(u"Clear"_s)->isEnabled());
    QVERIFY(!button(u"Export CSV…"_s)->isEnabled());
    QVERIFY(!pause->isEnabled());

    // The picker preselects the Trend metric, then the last choice.
    QTableView *table = window.inventoryPage()->table();
    QTRY_COMPARE(table->model()->rowCount(), 4);
    table->selectRow(0);
    QString preselected;
    const auto pick = [&preselected](const QString &choice) {
        QTimer::singleShot(0, [&preselected, choice] {
            for (QWidget *w : QApplication::topLevelWidgets()) {
                if (auto *dialog = qobject_cast<QInputDialog *>(w)) {
                    preselected = dialog->textValue();
                    dialog->setTextValue(choice);
                    dialog->accept();
                }
            }
        });
    };
    QCOMPARE(window.inventoryModel()->trendMetric(), u"temperature"_s);
    pick(u"Signal (RSSI) — rssi"_s);
    QVERIFY(window.chartSelectedDevices());
    QCOMPARE(preselected, u"Temperature — temperature"_s);
    QCOMPARE(settings.value(SettingsKeys::kTelemetryLastChartMetric).toString(), u"rssi"_s);
    pick(u"Temperature — temperature"_s);
    QVERIFY(window.chartSelectedDevices());
    QCOMPARE(preselected, u"Signal (RSSI) — rssi"_s);
    QCOMPARE(page->chartCount(), 2);
    QVERIFY(button(u"Clear"_s)->isEnabled());
    QVERIFY(pause->isEnabled());

    // Legends: the device's name, its id in the tooltip; values with the metric's unit.
    TelemetryChart *chart = page->chart(1);
    const int id = chart->seriesIds().constFirst();
    const QString name = chart->seriesLabel(id);
    QVERIFY2(name.startsWith(u"Cold Room"_s), qPrintable(name));
    bool tipped = false;
    for (QCheckBox *check : chart->findChildren<QCheckBox *>())
        tipped = tipped || (check->text() == name && check->toolTip().contains(u"dev-0000"_s));
    QVERIFY(tipped);

    // History figures are not on screen (the tooltip has them).
    QSignalSpy history(page, &TelemetryPage::historyApplied);
    QVERIFY(history.wait(10000));
    for (QLabel *label : page->findChildren<QLabel *>()) {
        if (label->isVisible()) {
            QVERIFY2(!label->text().contains(u"rows"_s), qPrintable(label->text()));
            QVERIFY2(!label->text().contains(u" ms)"_s), qPrintable(label->text()));
        }
    }
    chart->redrawNow();
    chart->updateStatsNow();
    const QStringList crosshair = chart->crosshairTextAt(m_now - 2 * kMinute);
    QVERIFY2(crosshair.value(1).endsWith(u"°C"_s), qPrintable(crosshair.join(u" | "_s)));

    // Stacked charts share the plot's left edge though their axis labels differ (rssi
    // "-60" against temperature "5").
    QTRY_COMPARE(page->chart(0)->plotAreaRect().left(), page->chart(1)->plotAreaRect().left());
    QVERIFY(page->chart(0)->plotAreaRect().left() > 0);

    // Wheel zoom: the Window box says so; a preset goes back.
    auto *view = chart->findChild<QGraphicsView *>();
    const QPointF center(view->viewport()->width() / 2.0, view->viewport()->height() / 2.0);
    QWheelEvent wheel(center, view->viewport()->mapToGlobal(center), QPoint(), QPoint(0, 120), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view->viewport(), &wheel);
    QVERIFY(page->isPaused());
    QVERIFY2(combo->currentText().startsWith(u"Zoomed: "_s), qPrintable(combo->currentText()));
    page->setWindowMs(60 * kMinute);
    QCOMPARE(combo->currentText(), u"Last hour"_s);
    QCOMPARE(combo->findText(u"Zoomed: "_s, Qt::MatchStartsWith), -1);

    // Clear, then Undo brings the charts back.
    QTest::mouseClick(button(u"Clear"_s), Qt::LeftButton);
    QCOMPARE(page->chartCount(), 0);
    auto *undo = page->findChild<QToolButton *>(u"telemetryUndoClear"_s);
    QVERIFY(undo && undo->isVisible());
    QTest::mouseClick(undo, Qt::LeftButton);
    QCOMPARE(page->chartCount(), 2);
    QCOMPARE(page->chart(1)->seriesLabel(page->chart(1)->seriesIds().constFirst()), name);
    QVERIFY(!undo->isVisible());
    session.shutdown();
}

#include "test_telemetry_page.moc"
