#include "ui/telemetry_page.h"

#include "core/domain/metric_catalogue.h"

#include "core/storage/history_reader.h"
#include "core/telemetry/telemetry_csv_writer.h"
#include "core/settings/settings_keys.h"
#include "models/metric_display.h"
#include "ui/log_category.h"
#include "ui/telemetry_drop_controller.h"
#include "widgets/telemetry_chart.h"
#include "widgets/time_range_dialog.h"

#include <QComboBox>
#include <QDateTime>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QSaveFile>
#include <QScrollArea>
#include <QSettings>
#include <QSet>
#include <QStandardPaths>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace fd {

namespace {
constexpr qint64 kMinute = 60LL * 1000;
constexpr int kHistoryDebounceMs = 150;
constexpr int kHistoryRefreshMs = 10000;

QToolButton *toolButton(const QString &text, const QString &tip, QWidget *parent)
{
    auto *b = new QToolButton(parent);
    b->setText(text);
    b->setToolTip(tip);
    b->setToolButtonStyle(Qt::ToolButtonTextOnly);
    b->setAutoRaise(false);
    return b;
}
} // namespace

void TelemetryPage::setDeviceNames(std::function<QString(const DeviceKey &)> names)
{
    m_deviceNames = std::move(names);
}

void TelemetryPage::setDeviceStaleSince(std::function<qint64(const DeviceKey &)> staleSince)
{
    m_staleSince = std::move(staleSince);
    updateStaleMarks();
}

void TelemetryPage::updateStaleMarks()
{
    for (const ChartEntry &e : std::as_const(m_charts)) {
        for (qsizetype i = 0; i < e.keys.size() && i < e.ids.size(); ++i)
            e.chart->setSeriesStaleSince(e.ids.at(i), m_staleSince ? m_staleSince(e.keys.at(i).device) : 0);
    }
}

void TelemetryPage::setDecimationPool(QThreadPool *pool)
{
    m_decimationPool = pool;
    for (const ChartEntry &e : std::as_const(m_charts))
        e.chart->setDecimationPool(pool);
}

QString TelemetryPage::seriesDeviceLabel(const DeviceKey &device) const
{
    // The id alone while every charted device comes from one source.
    for (const ChartEntry &e : m_charts) {
        for (const SeriesKey &k : e.keys) {
            if (k.device.source != device.source)
                return device.source + u" / "_s + device.path;
        }
    }
    return device.path;
}

QList<TelemetryPage::Preset> TelemetryPage::presets()
{
    return {{tr("Last 1 minute"), kMinute},
            {tr("Last 15 minutes"), 15 * kMinute},
            {tr("Last hour"), 60 * kMinute},
            {tr("Last 24 hours"), 24 * 60 * kMinute},
            {tr("Last 7 days"), 7 * 24 * 60 * kMinute},
            {tr("Custom range…"), 0}};
}

TelemetryPage::TelemetryPage(LiveTelemetry *live, QWidget *parent)
    : QWidget(parent)
    , m_live(live)
    , m_history(std::make_unique<HistoryReader>())
{
    Q_ASSERT(live);
    connect(live, &LiveTelemetry::seriesChanged, this, &TelemetryPage::onSeriesChanged);
    setObjectName(u"TelemetryPage"_s);
    auto *top = new QHBoxLayout;
    top->setContentsMargins(8, 8, 8, 4);
    m_presetCombo = new QComboBox(this);
    m_presetCombo->setObjectName(u"telemetryWindow"_s);
    for (const Preset &p : presets())
        m_presetCombo->addItem(p.label, p.windowMs);
    m_presetCombo->setCurrentIndex(1);
    m_presetCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_presetCombo->setToolTip(tr("Time window of all charts"));
    m_pauseButton = toolButton(tr("Pause"), tr("Stop following live data (Space on a chart)"), this);
    m_pauseButton->setObjectName(u"telemetryPause"_s);
    m_pauseButton->setCheckable(true);
    auto *exportCsv = m_exportCsv = toolButton(tr("Export CSV…"), tr("All visible series in the visible range, ISO 8601 UTC"), this);
    auto *exportPng = m_exportPng = toolButton(tr("Export PNG…"), tr("The charts as an image"), this);
    auto *clear = m_clear = toolButton(tr("Clear"), tr("Remove every chart from the page"), this);
    m_layoutCombo = new QComboBox(this);
    m_layoutCombo->setObjectName(u"telemetryLayouts"_s);
    m_layoutCombo->setToolTip(tr("Saved chart layouts"));
    m_layoutCombo->setMinimumContentsLength(14);
    auto *saveLayout = toolButton(tr("Save View…"), tr("Save these charts and the time window under a name"), this);
    m_undo = toolButton(tr("Undo"), tr("Bring the cleared charts back"), this);
    m_undo->setObjectName(u"telemetryUndoClear"_s);
    m_undo->hide();
    m_status = new QLabel(this);
    m_status->setForegroundRole(QPalette::PlaceholderText);

    top->addWidget(new QLabel(tr("Window:"), this));
    top->addWidget(m_presetCombo);
    top->addWidget(m_pauseButton);
    top->addSpacing(12);
    top->addWidget(m_status);
    top->addWidget(m_undo);
    top->addStretch(1);
    top->addWidget(new QLabel(tr("View:"), this));
    top->addWidget(m_layoutCombo);
    top->addWidget(saveLayout);
    top->addSpacing(12);
    top->addWidget(exportCsv);
    top->addWidget(exportPng);
    top->addWidget(clear);

    m_chartsWidget = new QWidget;
    m_chartsLayout = new QVBoxLayout(m_chartsWidget);
    m_chartsLayout->setContentsMargins(8, 0, 8, 8);
    m_empty = new QLabel(tr("No charts yet. In the Inventory, select one or more devices and choose "
                            "“Chart selected devices” (Ctrl+T or the context menu), or drag devices or a "
                            "metric of the detail panel onto “Telemetry” in the sidebar and then here, to "
                            "compare a metric live and over its history."),
                         m_chartsWidget);
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_chartsLayout->addWidget(m_empty, 1);
    m_newChartZone = new QLabel(tr("Drop here to open a new chart"), m_chartsWidget);
    m_newChartZone->setObjectName(u"telemetryNewChartZone"_s);
    m_newChartZone->setAlignment(Qt::AlignCenter);
    m_newChartZone->setMinimumHeight(64);
    m_newChartZone->setForegroundRole(QPalette::PlaceholderText);
    m_newChartZone->hide();  // shown while a drag is over the charts
    m_chartsLayout->addWidget(m_newChartZone);
    m_drops = new TelemetryDropController(this, m_chartsWidget, m_newChartZone);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(m_chartsWidget);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(top);
    layout->addWidget(scroll, 1);

    connect(m_presetCombo, &QComboBox::activated, this, [this](int index) {
        const qint64 window = m_presetCombo->itemData(index).toLongLong();
        if (window > 0)
            setWindowMs(window);
        else if (window == 0)
            chooseCustomRange();
        else
            updateControls();  // the zoomed / paused range itself: nothing changes
    });
    connect(m_pauseButton, &QToolButton::toggled, this, &TelemetryPage::setPaused);
    connect(exportCsv, &QToolButton::clicked, this, &TelemetryPage::exportCsvInteractive);
    connect(exportPng, &QToolButton::clicked, this, &TelemetryPage::exportPngInteractive);
    connect(clear, &QToolButton::clicked, this, &TelemetryPage::clearWithUndo);
    connect(m_undo, &QToolButton::clicked, this, &TelemetryPage::undoClear);
    connect(saveLayout, &QToolButton::clicked, this, &TelemetryPage::askSaveLayout);
    connect(m_layoutCombo, &QComboBox::activated, this, [this](int index) {
        if (index > 0)
            restoreLayout(m_layoutCombo->itemText(index));
    });
    m_historyTimer.setSingleShot(true);
    m_historyTimer.setInterval(kHistoryDebounceMs);
    // While following, the cache keeps growing (and may receive late or backfilled data):
    // re-read the history of the window now and then. Cheap: rollups for long windows.
    m_refreshTimer.setInterval(kHistoryRefreshMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, [this] {
        if (!m_paused && isVisible())
            scheduleHistory();
    });
    m_refreshTimer.start();
    connect(&m_historyTimer, &QTimer::timeout, this, &TelemetryPage::requestHistory);
    connect(m_drops, &TelemetryDropController::message, m_status, &QLabel::setText);
    connect(m_history.get(), &HistoryReader::finished, this, &TelemetryPage::onHistory);
    refreshLayoutChoices();
    updateControls();
}

TelemetryPage::~TelemetryPage() = default;

void TelemetryPage::setHistoryDatabase(const QString &path)
{
    m_history->setDatabasePath(path);
    scheduleHistory();
}

QString TelemetryPage::preferredChartMetric(const QStringList &metrics, const QString &fallback) const
{
    const QString last = m_settings ? m_settings->value(SettingsKeys::kTelemetryLastChartMetric).toString() : QString();
    if (!last.isEmpty() && metrics.contains(last))
        return last;
    if (metrics.contains(fallback))
        return fallback;
    return metrics.value(0);
}

void TelemetryPage::rememberChartMetric(const QString &metric)
{
    if (m_settings && !metric.isEmpty())
        m_settings->setValue(SettingsKeys::kTelemetryLastChartMetric, metric);
}

void TelemetryPage::setSettings(QSettings *settings)
{
    m_settings = settings;
    m_layouts.setSettings(settings);
    refreshLayoutChoices();
}

std::shared_ptr<TelemetrySeriesData> TelemetryPage::dataFor(const SeriesKey &key)
{
    auto it = m_data.find(key);
    if (it == m_data.end())
        it = m_data.insert(key, std::make_shared<TelemetrySeriesData>(m_live->ensureBuffer(key), &m_live->lock()));
    return it.value();
}

int TelemetryPage::openChart(const QList<DeviceKey> &devices, const QString &metric)
{
    ChartEntry entry;
    entry.frame = new QFrame(m_chartsWidget);
    auto *frameLayout = new QVBoxLayout(entry.frame);
    frameLayout->setContentsMargins(0, 6, 0, 0);
    frameLayout->setSpacing(0);
    auto *header = new QHBoxLayout;
    entry.title = new QLabel(entry.frame);
    entry.title->setTextFormat(Qt::PlainText);  // metric names come from devices
    QFont bold = entry.title->font();
    bold.setBold(true);
    entry.title->setFont(bold);
    auto *close = new QToolButton(entry.frame);
    close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    close->setAutoRaise(true);
    close->setToolTip(tr("Remove this chart"));
    header->addWidget(entry.title, 1);
    header->addWidget(close);
    frameLayout->addLayout(header);
    entry.chart = new TelemetryChart(entry.frame);
    entry.chart->setDecimationPool(m_decimationPool);
    entry.chart->setMinimumHeight(220);
    frameLayout->addWidget(entry.chart, 1);
    if (m_paused)
        entry.chart->setTimeRange(m_fromMs, m_toMs);
    else
        entry.chart->setWindowMs(m_windowMs);
    m_chartsLayout->insertWidget(m_chartsLayout->count() - 1, entry.frame, 1);

    TelemetryChart *chart = entry.chart;
    connect(chart, &TelemetryChart::timeRangeChanged, this,
            [this, chart](qint64 from, qint64 to) { onChartRangeChanged(chart, from, to); });
    connect(chart, &TelemetryChart::resetRequested, this, [this] { setPaused(false); });
    connect(chart, &TelemetryChart::pauseToggleRequested, this, [this] { setPaused(!m_paused); });
    connect(chart, &TelemetryChart::crosshairMoved, this, [this, chart](qint64 t) { onCrosshair(chart, t); });
    connect(chart, &TelemetryChart::plotAreaChanged, this, &TelemetryPage::alignCharts, Qt::QueuedConnection);
    m_drops->watchChart(entry.frame);
    QWidget *frame = entry.frame;
    connect(close, &QToolButton::clicked, this, [this, frame] {
        for (int i = 0; i < m_charts.size(); ++i)
            if (m_charts.at(i).frame == frame)
                return removeChart(i);
    });
    m_charts.append(entry);
    const int index = int(m_charts.size()) - 1;
    if (m_undoLayout) {  // a new chart: the cleared ones stay cleared
        m_undoLayout.reset();
        m_undo->hide();
        m_status->clear();
    }
    for (const DeviceKey &device : devices)
        addSeries(index, device, metric);
    updateControls();
    return index;
}

void TelemetryPage::addSeries(int chartIndex, const DeviceKey &device, const QString &metric)
{
    if (chartIndex < 0 || chartIndex >= m_charts.size())
        return;
    ChartEntry &entry = m_charts[chartIndex];
    const SeriesKey key{device, metric};
    if (entry.keys.contains(key))
        return;
    const bool sameMetric = std::all_of(entry.keys.cbegin(), entry.keys.cend(),
                                        [&](const SeriesKey &k) { return k.metric == metric; });
    const QString id = seriesDeviceLabel(device);
    const QString shown = m_deviceNames ? m_deviceNames(device) : QString();
    const QString name = shown.isEmpty() ? id : shown;
    const QString label = sameMetric ? name : name + u" · "_s + metric;
    entry.ids.append(entry.chart->addSeries(label, dataFor(key)));
    entry.chart->setSeriesToolTip(entry.ids.constLast(), tr("%1 (device %2, metric %3)").arg(name, id, metric));
    entry.keys.append(key);
    if (m_staleSince)
        entry.chart->setSeriesStaleSince(entry.ids.constLast(), m_staleSince(device));
    updateChartTitle(entry);
    scheduleHistory();
}

void TelemetryPage::setMetricCatalogue(const MetricCatalogue *metrics)
{
    if (metrics == m_metrics)
        return;
    if (m_metrics)
        disconnect(m_metrics, nullptr, this, nullptr);
    m_metrics = metrics;
    const auto refresh = [this] {
        for (ChartEntry &entry : m_charts)
            updateChartTitle(entry);
    };
    if (m_metrics)
        connect(m_metrics, &MetricCatalogue::changed, this, refresh);
    refresh();
}

void TelemetryPage::updateChartTitle(ChartEntry &entry)
{
    QStringList metrics;
    for (const SeriesKey &k : std::as_const(entry.keys))
        if (!metrics.contains(k.metric))
            metrics.append(k.metric);
    // Names, units and precision of metrics: the metric catalogue (metric_display.h).
    QStringList names;
    for (const QString &m : std::as_const(metrics))
        names.append(metricDisplayName(m_metrics, m));
    entry.title->setText(tr("%1 — %n series", nullptr, int(entry.keys.size())).arg(names.join(u", "_s)));
    if (metrics.size() == 1) {
        const QString metric = metrics.constFirst();
        const MetricInfo info = m_metrics ? m_metrics->info(metric) : MetricInfo{};
        // The axis ticks are the values as sent: the unit is named only when they are also
        // the values as shown (scale 1).
        entry.chart->setValueAxisTitle(m_metrics && info.scale == 1.0 ? m_metrics->axisTitle(metric) : names.constFirst());
        const MetricCatalogue *catalogue = m_metrics;
        entry.chart->setValueFormatter([catalogue, metric](double v) { return formatMetricValue(catalogue, metric, v); });
        if (info.expectedMin && info.expectedMax)
            entry.chart->setExpectedValueRange(std::min(*info.expectedMin / info.scale, *info.expectedMax / info.scale),
                                               std::max(*info.expectedMin / info.scale, *info.expectedMax / info.scale));
        else
            entry.chart->setExpectedValueRange(0, 0);
    } else {
        entry.chart->setValueAxisTitle(QString());
        entry.chart->setValueFormatter(nullptr);
        entry.chart->setExpectedValueRange(0, 0);
    }
}

void TelemetryPage::removeChart(int chartIndex)
{
    if (chartIndex < 0 || chartIndex >= m_charts.size())
        return;
    const ChartEntry entry = m_charts.takeAt(chartIndex);
    delete entry.frame;
    alignCharts();
    // Drop series data nobody shows any more (the ring buffers stay).
    QSet<SeriesKey> used;
    for (const ChartEntry &e : std::as_const(m_charts))
        for (const SeriesKey &k : e.keys)
            used.insert(k);
    for (auto it = m_data.begin(); it != m_data.end();)
        it = used.contains(it.key()) ? std::next(it) : m_data.erase(it);
    updateControls();
}

int TelemetryPage::chartCount() const
{
    return int(m_charts.size());
}

TelemetryChart *TelemetryPage::chart(int index) const
{
    return index >= 0 && index < m_charts.size() ? m_charts.at(index).chart : nullptr;
}

QWidget *TelemetryPage::chartFrame(int index) const
{
    return index >= 0 && index < m_charts.size() ? m_charts.at(index).frame : nullptr;
}

void TelemetryPage::clearWithUndo()
{
    if (m_charts.isEmpty())
        return;
    m_undoLayout = currentLayout();
    clear();
    m_status->setText(tr("Charts cleared."));
    m_undo->show();
}

void TelemetryPage::undoClear()
{
    if (!m_undoLayout)
        return;
    const TelemetryLayout layout = *std::exchange(m_undoLayout, std::nullopt);
    applyLayout(layout);
    m_status->clear();
    m_undo->hide();
}

void TelemetryPage::clear()
{
    while (!m_charts.isEmpty())
        removeChart(int(m_charts.size()) - 1);
}

void TelemetryPage::onSeriesChanged(const QSet<SeriesKey> &changed)
{
    for (const ChartEntry &entry : std::as_const(m_charts)) {
        for (const SeriesKey &k : entry.keys) {
            if (changed.contains(k)) {
                entry.chart->notifyDataChanged();
                break;
            }
        }
    }
}

void TelemetryPage::setWindowMs(qint64 windowMs)
{
    m_windowMs = windowMs;
    m_paused = false;
    for (const ChartEntry &e : std::as_const(m_charts)) {
        e.chart->setWindowMs(windowMs);
        e.chart->setFollowLive(true);
    }
    updateControls();
    scheduleHistory();
}

void TelemetryPage::setTimeRange(qint64 fromMs, qint64 toMs)
{
    m_paused = true;
    m_zoomed = false;
    m_fromMs = fromMs;
    m_toMs = qMax(fromMs + 1, toMs);
    for (const ChartEntry &e : std::as_const(m_charts))
        e.chart->setTimeRange(m_fromMs, m_toMs);
    updateControls();
    scheduleHistory();
}

void TelemetryPage::setPaused(bool paused)
{
    if (paused == m_paused) {
        updateControls();
        return;
    }
    if (paused) {
        m_fromMs = fromMs();
        m_toMs = toMs();
        setTimeRange(m_fromMs, m_toMs);
    } else {
        setWindowMs(m_windowMs);
    }
}

qint64 TelemetryPage::fromMs() const
{
    if (!m_charts.isEmpty())
        return m_charts.constFirst().chart->fromMs();
    return m_paused ? m_fromMs : QDateTime::currentMSecsSinceEpoch() - m_windowMs;
}

qint64 TelemetryPage::toMs() const
{
    if (!m_charts.isEmpty())
        return m_charts.constFirst().chart->toMs();
    return m_paused ? m_toMs : QDateTime::currentMSecsSinceEpoch();
}

void TelemetryPage::onChartRangeChanged(TelemetryChart *source, qint64 fromMs, qint64 toMs)
{
    m_paused = true;
    m_zoomed = true;
    m_fromMs = fromMs;
    m_toMs = toMs;
    for (const ChartEntry &e : std::as_const(m_charts))
        if (e.chart != source)
            e.chart->setTimeRange(fromMs, toMs);
    updateControls();
    scheduleHistory();
}

void TelemetryPage::alignCharts()
{
    int left = 0;
    for (const ChartEntry &e : std::as_const(m_charts))
        left = qMax(left, e.chart->naturalPlotLeft());
    for (const ChartEntry &e : std::as_const(m_charts))
        e.chart->setPlotLeft(left);
}

void TelemetryPage::onCrosshair(TelemetryChart *source, qint64 tMs)
{
    for (const ChartEntry &e : std::as_const(m_charts))
        if (e.chart != source)
            e.chart->setCrosshairTime(tMs);
}

void TelemetryPage::scheduleHistory()
{
    if (!m_history->databasePath().isEmpty() && !m_charts.isEmpty())
        m_historyTimer.start();
}

void TelemetryPage::requestHistory()
{
    HistoryRequest request;
    QSet<SeriesKey> seen;
    for (const ChartEntry &e : std::as_const(m_charts)) {
        for (const SeriesKey &k : e.keys) {
            if (!seen.contains(k)) {
                seen.insert(k);
                request.series.append({k.device, k.metric});
            }
        }
    }
    if (request.series.isEmpty())
        return;
    const qint64 from = fromMs();
    const qint64 to = toMs();
    // Some margin on both sides, so a little panning needs no new read.
    const qint64 margin = m_paused ? (to - from) / 2 : 0;
    request.fromMs = from - margin;
    request.toMs = qMin(to + margin, QDateTime::currentMSecsSinceEpoch());
    m_history->cancelAll();
    m_pendingHistory = m_history->request(request);
    m_status->setText(tr("Loading history…"));
    m_status->setToolTip(QString());
}

void TelemetryPage::onHistory(const HistoryResult &result)
{
    if (result.id != m_pendingHistory)
        return;
    qint64 rows = 0;
    for (qsizetype i = 0; i < result.series.size(); ++i) {
        const SeriesKey key{result.series.at(i).device, result.series.at(i).metric};
        const auto it = m_data.constFind(key);
        if (it == m_data.cend())
            continue;
        rows += result.rows.at(i).size();
        it.value()->setHistory(result.rows.at(i));
    }
    for (const ChartEntry &e : std::as_const(m_charts))
        e.chart->notifyDataChanged();
    const QString resolution = result.resolution == HistoryResolution::Raw      ? tr("raw samples")
                               : result.resolution == HistoryResolution::Minute ? tr("1-minute rollups")
                                                                                : tr("1-hour rollups");
    // Figures for the curious (tooltip) and the log, not on screen.
    const QString details = tr("History: %1 rows of %2 (%3 ms)").arg(rows).arg(resolution).arg(result.elapsedMs);
    qCInfo(lcUi).noquote() << details;
    m_status->setText(result.error);
    m_status->setToolTip(result.error.isEmpty() ? details : QString());
    emit historyApplied(result.id);
}

void TelemetryPage::updateControls()
{
    m_empty->setVisible(m_charts.isEmpty());
    // Only what can act: nothing to export, clear or pause without a chart.
    const bool haveCharts = !m_charts.isEmpty();
    m_exportCsv->setEnabled(haveCharts);
    m_exportPng->setEnabled(haveCharts);
    m_clear->setEnabled(haveCharts);
    m_pauseButton->setEnabled(haveCharts || m_paused);
    const QSignalBlocker block(m_pauseButton);
    m_pauseButton->setChecked(m_paused);
    m_pauseButton->setText(m_paused ? tr("Resume live") : tr("Pause"));
    // The Window box tells what is shown: a preset, or the range of a zoom / pause (an
    // extra entry; choosing a preset goes back to following live data).
    const int rangeItem = m_presetCombo->findData(qint64(-1));
    if (!m_paused) {
        if (rangeItem >= 0)
            m_presetCombo->removeItem(rangeItem);
        const int index = m_presetCombo->findData(m_windowMs);
        if (index >= 0)
            m_presetCombo->setCurrentIndex(index);
    } else {
        const qint64 from = m_fromMs;
        const qint64 to = m_toMs;
        const QString format = to - from > 24 * 60 * kMinute ? u"MM-dd HH:mm"_s
                               : to - from < 5 * kMinute     ? u"HH:mm:ss"_s
                                                             : u"HH:mm"_s;
        const QString range = tr("%1–%2").arg(QDateTime::fromMSecsSinceEpoch(from).toString(format),
                                              QDateTime::fromMSecsSinceEpoch(to).toString(format));
        const QString text = m_zoomed ? tr("Zoomed: %1").arg(range) : tr("Paused: %1").arg(range);
        if (rangeItem >= 0) {
            m_presetCombo->setItemText(rangeItem, text);
            m_presetCombo->setCurrentIndex(rangeItem);
        } else {
            m_presetCombo->addItem(text, qint64(-1));
            m_presetCombo->setCurrentIndex(m_presetCombo->count() - 1);
        }
        m_presetCombo->setItemData(m_presetCombo->currentIndex(),
                                   tr("Choose a window to follow live data again"), Qt::ToolTipRole);
    }
}

void TelemetryPage::chooseCustomRange()
{
    TimeRangeDialog dialog(fromMs(), toMs(), this);
    if (dialog.exec() == QDialog::Accepted)
        setTimeRange(dialog.fromMs(), dialog.toMs());
    else
        updateControls();
}

TelemetryLayout TelemetryPage::currentLayout() const
{
    TelemetryLayout l;
    for (const ChartEntry &e : m_charts) {
        TelemetryLayout::Chart c;
        for (qsizetype i = 0; i < e.keys.size(); ++i)
            c.series.append({e.keys.at(i).device, e.keys.at(i).metric, e.chart->isSeriesVisible(e.ids.at(i))});
        l.charts.append(c);
    }
    l.windowMs = m_windowMs;
    l.follow = !m_paused;
    l.fromMs = m_paused ? m_fromMs : 0;
    l.toMs = m_paused ? m_toMs : 0;
    return l;
}

void TelemetryPage::applyLayout(const TelemetryLayout &layout)
{
    clear();
    m_windowMs = layout.windowMs > 0 ? layout.windowMs : m_windowMs;
    for (const TelemetryLayout::Chart &c : layout.charts) {
        const int index = openChart({}, QString());
        for (const TelemetryLayout::Series &s : c.series) {
            addSeries(index, s.device, s.metric);
            m_charts[index].chart->setSeriesVisible(m_charts.at(index).ids.constLast(), s.visible);
        }
    }
    if (layout.follow || layout.toMs <= layout.fromMs)
        setWindowMs(m_windowMs);
    else
        setTimeRange(layout.fromMs, layout.toMs);
}

QStringList TelemetryPage::savedLayoutNames() const
{
    return m_layouts.names();
}

void TelemetryPage::saveLayout(const QString &name)
{
    m_layouts.save(name, currentLayout());
    refreshLayoutChoices();
    m_layoutCombo->setCurrentText(name.trimmed());
}

bool TelemetryPage::restoreLayout(const QString &name)
{
    const auto saved = m_layouts.load(name);
    if (saved)
        applyLayout(*saved);
    return saved.has_value();
}

void TelemetryPage::deleteLayout(const QString &name)
{
    m_layouts.remove(name);
    refreshLayoutChoices();
}

void TelemetryPage::saveState()
{
    m_layouts.saveCurrent(currentLayout());
}

void TelemetryPage::restoreState()
{
    if (const auto current = m_layouts.loadCurrent())
        applyLayout(*current);
}

void TelemetryPage::askSaveLayout()
{
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Save View"), tr("Name of this chart layout:"),
                                               QLineEdit::Normal, m_layoutCombo->currentIndex() > 0
                                                                      ? m_layoutCombo->currentText()
                                                                      : QString(),
                                               &ok);
    if (ok && !name.trimmed().isEmpty())
        saveLayout(name);
}

void TelemetryPage::refreshLayoutChoices()
{
    const QString current = m_layoutCombo->currentText();
    m_layoutCombo->clear();
    m_layoutCombo->addItem(tr("(saved views)"));
    m_layoutCombo->addItems(savedLayoutNames());
    const int index = m_layoutCombo->findText(current);
    m_layoutCombo->setCurrentIndex(qMax(0, index));
    m_layoutCombo->setEnabled(m_layouts.isAvailable());
}

} // namespace fd
