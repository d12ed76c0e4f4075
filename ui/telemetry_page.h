#pragma once

#include "core/domain/telemetry_sample.h"
#include "core/storage/history_request.h"
#include "core/telemetry/series_key.h"
#include "core/telemetry/live_telemetry.h"
#include "core/telemetry/telemetry_series_data.h"
#include "ui/telemetry_layout.h"
#include "ui/telemetry_layout_store.h"

#include <QHash>
#include <QTimer>
#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QSettings;
class QToolButton;
class QVBoxLayout;

class QThreadPool;

namespace fd {

class MetricCatalogue;

class HistoryReader;
class TelemetryChart;
class TelemetryDropController;

// Telemetry: stacked charts sharing one synchronised time axis. Each chart shows one or
// more series (device, metric); live samples are in the session's LiveTelemetry, older
// data is read from the cache off the GUI thread (HistoryReader: raw rows for short
// windows, rollups for long ones) whenever the visible range changes.
//
// Window presets 1 min .. 7 d follow live data; any zoom / pan pauses, double-click or
// "Live" resumes. Export writes the visible range of all visible series as CSV, or the
// charts as PNG. Layouts (charts + window) can be saved by name; the last one is restored
// at start.
//
// Series can be dragged onto a chart (adds them to it) or below the charts (a new chart):
// TelemetryDropController.
class TelemetryPage : public QWidget
{
    Q_OBJECT
public:
    struct Preset
    {
        QString label;
        qint64 windowMs;  // 0: custom range
    };

    // live: the session's live buffers (fed on the ingest thread), not owned.
    explicit TelemetryPage(LiveTelemetry *live, QWidget *parent = nullptr);
    ~TelemetryPage() override;

    static QList<Preset> presets();

    void setHistoryDatabase(const QString &path);
    void setSettings(QSettings *settings);  // may be null: layouts are not kept
    // The metric the "Chart devices" picker preselects among metrics: the last one chosen,
    // else fallback (the inventory's Trend metric), else the first; rememberChartMetric()
    // keeps a choice (in the settings).
    QString preferredChartMetric(const QStringList &metrics, const QString &fallback) const;
    void rememberChartMetric(const QString &metric);
    LiveTelemetry &live() const { return *m_live; }
    // Helper threads for the charts' decimation (not owned; null: the GUI thread alone).
    void setDecimationPool(QThreadPool *pool);
    // The device's display name for legends (empty: its id is shown).
    void setDeviceNames(std::function<QString(const DeviceKey &)> names);
    // Since when a device is STALE (Device::staleSinceMs; 0: current). Its series get the
    // chart's stale marker (TelemetryChart::setSeriesStaleSince); updateStaleMarks() reads
    // it again for every charted series (call it when devices changed: cheap, a lookup per
    // series). Null: no marker.
    void setDeviceStaleSince(std::function<qint64(const DeviceKey &)> staleSince);
    void updateStaleMarks();
    // How metrics are shown (axis titles, legend and crosshair values); null: wire names and
    // plain numbers. Charts follow its changes.
    void setMetricCatalogue(const MetricCatalogue *metrics);

    // Opens a chart with the metric of every device; returns its index.
    int openChart(const QList<DeviceKey> &devices, const QString &metric);
    void addSeries(int chartIndex, const DeviceKey &device, const QString &metric);
    void removeChart(int chartIndex);
    int chartCount() const;
    TelemetryChart *chart(int index) const;
    QWidget *chartFrame(int index) const;  // the chart with its title bar
    TelemetryDropController *dropController() const { return m_drops; }
    void clear();
    // Clear as the toolbar does: can be undone (undoClear()) until a chart is opened.
    void clearWithUndo();
    bool canUndoClear() const { return m_undoLayout.has_value(); }
    void undoClear();

    void setWindowMs(qint64 windowMs);  // resumes live follow with that window
    qint64 windowMs() const { return m_windowMs; }
    void setTimeRange(qint64 fromMs, qint64 toMs);  // pauses
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    qint64 fromMs() const;
    qint64 toMs() const;

    bool exportCsv(const QString &path, QString *error = nullptr);
    bool exportPng(const QString &path, QString *error = nullptr);

    TelemetryLayout currentLayout() const;
    void applyLayout(const TelemetryLayout &layout);
    QStringList savedLayoutNames() const;
    void saveLayout(const QString &name);
    bool restoreLayout(const QString &name);
    void deleteLayout(const QString &name);
    void saveState();     // the current view, restored by restoreState() at next start
    void restoreState();

signals:
    void historyApplied(quint64 requestId);

private:
    struct ChartEntry
    {
        QWidget *frame = nullptr;
        QLabel *title = nullptr;
        TelemetryChart *chart = nullptr;
        QList<SeriesKey> keys;  // by series, same order as the chart's ids
        QList<int> ids;
    };

    std::shared_ptr<TelemetrySeriesData> dataFor(const SeriesKey &key);
    void onSeriesChanged(const QSet<fd::SeriesKey> &changed);
    QString seriesDeviceLabel(const DeviceKey &device) const;
    void scheduleHistory();
    void requestHistory();
    void onHistory(const fd::HistoryResult &result);
    void onChartRangeChanged(TelemetryChart *source, qint64 fromMs, qint64 toMs);
    void onCrosshair(TelemetryChart *source, qint64 tMs);
    void alignCharts();  // the same plot-area left edge in every chart
    void updateControls();
    void updateChartTitle(ChartEntry &entry);
    void chooseCustomRange();
    void askSaveLayout();
    void refreshLayoutChoices();
    void exportCsvInteractive();
    void exportPngInteractive();

    LiveTelemetry *m_live;
    QThreadPool *m_decimationPool = nullptr;
    QSettings *m_settings = nullptr;
    std::function<QString(const DeviceKey &)> m_deviceNames;
    std::function<qint64(const DeviceKey &)> m_staleSince;
    const MetricCatalogue *m_metrics = nullptr;
    QHash<SeriesKey, std::shared_ptr<TelemetrySeriesData>> m_data;
    std::unique_ptr<HistoryReader> m_history;
    quint64 m_pendingHistory = 0;
    QTimer m_historyTimer;
    QTimer m_refreshTimer;
    TelemetryLayoutStore m_layouts;
    QList<ChartEntry> m_charts;
    qint64 m_windowMs = 15LL * 60 * 1000;
    bool m_paused = false;
    qint64 m_fromMs = 0;  // when paused
    qint64 m_toMs = 0;

    QComboBox *m_presetCombo = nullptr;
    QToolButton *m_pauseButton = nullptr;
    QToolButton *m_exportCsv = nullptr;
    QToolButton *m_exportPng = nullptr;
    QToolButton *m_clear = nullptr;
    QToolButton *m_undo = nullptr;
    std::optional<TelemetryLayout> m_undoLayout;
    bool m_zoomed = false;  // paused by zoom / pan on a chart (the Window box says so)
    QComboBox *m_layoutCombo = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_empty = nullptr;
    QLabel *m_newChartZone = nullptr;
    TelemetryDropController *m_drops = nullptr;
    QWidget *m_chartsWidget = nullptr;
    QVBoxLayout *m_chartsLayout = nullptr;
};

} // namespace fd
