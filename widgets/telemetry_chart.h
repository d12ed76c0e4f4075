#pragma once

#include "core/telemetry/series_stats.h"
#include "core/telemetry/telemetry_series_data.h"

#include <QColor>
#include <QImage>
#include <QList>
#include <QString>
#include <QWidget>

#include <functional>
#include <memory>

class QThreadPool;

namespace fd {

// A time-series line chart for live and historical telemetry. Its interface hides the
// renderer (Qt Charts' axes and grid, lines by our own raster renderer or by Qt Charts'
// OpenGL series): callers give it TelemetrySeriesData and a time range.
//
// Drawing: each visible series is min/max-decimated to a few points per horizontal pixel
// and handed to the renderer (one polyline, or one replace() with OpenGL, per line
// segment); gaps (no data for longer than the series' gap threshold, or missing values)
// split a series into segments drawn as separate lines. Redraws are coalesced:
// notifyDataChanged() and range changes arm one timer (kRedrawIntervalMs, ~30 Hz) and the
// redraw skips series whose data and range did not change. In live-follow mode the right edge snaps to whole pixels, so a 24 h window
// is not redrawn 30 times a second for a movement smaller than a pixel.
//
// Interaction (mouse / keyboard on the plot): wheel zooms around the cursor, drag pans,
// Shift+drag or right-drag selects a range to zoom into, double-click / Home / Escape
// request a reset, Space toggles pause, arrows pan, +/- zoom. Any navigation leaves
// live-follow mode. A crosshair shows the time and every visible series' value; the legend
// toggles series and shows last/min/max/mean over the visible range; stale series (nothing
// new for longer than their gap threshold) are marked.
class TelemetryChart : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kRedrawIntervalMs = 33;
    static constexpr int kStatsIntervalMs = 250;

    explicit TelemetryChart(QWidget *parent = nullptr);
    ~TelemetryChart() override;

    // Returns the series id. color: invalid picks one from the palette.
    int addSeries(const QString &label, std::shared_ptr<TelemetrySeriesData> data,
                  const QColor &color = QColor());
    void removeSeries(int id);
    void clearSeries();
    QList<int> seriesIds() const;
    int seriesCount() const;
    QString seriesLabel(int id) const;
    // The legend entry's tooltip (plain text), e.g. the device id behind a name.
    void setSeriesToolTip(int id, const QString &text);
    QColor seriesColor(int id) const;
    std::shared_ptr<TelemetrySeriesData> seriesData(int id) const;
    void setSeriesVisible(int id, bool visible);
    bool isSeriesVisible(int id) const;
    // Over the visible range, as of the last statistics update (at most every
    // kStatsIntervalMs, or at once with updateStatsNow()).
    SeriesStats visibleStats(int id) const;
    // Stale: nothing new for longer than the series' gap threshold, or marked STALE.
    bool isSeriesStale(int id) const;
    // The series' device is STALE since sinceMs (ms since epoch; 0: current): its values are
    // the last known ones (a Sparkplug death, or the loss of its broker). Drawn as a dashed
    // vertical line labelled "stale" at that time and a shaded region from there to the
    // right edge; its legend entry and crosshair lines say STALE. Cleared with 0 when the
    // device reports again.
    void setSeriesStaleSince(int id, qint64 sinceMs);
    qint64 seriesStaleSince(int id) const;
    void updateStatsNow();

    void setTitle(const QString &title);
    QString title() const;
    void setValueAxisTitle(const QString &title);
    // The value axis while there is nothing to draw (the metric's expected range, in the
    // values as sent); lo >= hi or NaN: 0..1.
    void setExpectedValueRange(double lo, double hi);
    // How values read in the legend and the crosshair (null: 5 significant digits).
    void setValueFormatter(std::function<QString(double)> format);

    // Time range in ms since epoch. setTimeRange() leaves live-follow mode.
    void setTimeRange(qint64 fromMs, qint64 toMs);
    qint64 fromMs() const;
    qint64 toMs() const;
    // Live follow: the range is [now - windowMs, now], moving with the clock.
    void setFollowLive(bool follow);
    bool isFollowingLive() const;
    void setWindowMs(qint64 windowMs);
    qint64 windowMs() const;

    // Data of some series changed (live samples, new history): redraw soon if visible.
    void notifyDataChanged();
    // Redraws now (tests, export). Returns the number of series redrawn.
    int redrawNow();
    quint64 redrawCount() const;
    int plotWidthPixels() const;
    // What the renderer got from the last redraw of a series: lines (a gap splits a
    // series) and decimated points in them; 0 for a hidden or unknown series.
    int drawnSegmentCount(int id) const;
    qsizetype drawnPointCount(int id) const;

    // The renderer's GPU path (Qt Charts: QXYSeries::useOpenGL), where the platform
    // has OpenGL; isOpenGLAvailable() says whether it has. Without it the lines are drawn
    // as polylines by a raster renderer of our own (the axes, grid and title stay Qt
    // Charts'). Both renderers draw the same decimated segments.
    static bool isOpenGLAvailable();
    void setUseOpenGL(bool use);
    // Helper threads for decimating many series in parallel within one redraw (not owned;
    // shared by all charts; null, the default: the GUI thread decimates alone).
    void setDecimationPool(QThreadPool *pool);
    bool usesOpenGL() const;

    // The plot area (inside the axes) in this widget's coordinates, and the lines the
    // crosshair box shows at a time (time first, then "label: value" or "no data").
    QRect plotAreaRect() const;
    // Stacked charts line up to the pixel: the plot area's left edge this chart would have
    // on its own (axis labels and title), and the edge it should have (>= natural; the
    // largest natural edge of the stack). plotAreaChanged() tells when either may change.
    int naturalPlotLeft() const;
    void setPlotLeft(int left);
    QStringList crosshairTextAt(qint64 tMs) const;

    // Crosshair at a time (from another chart of a stack); < 0 hides it.
    void setCrosshairTime(qint64 tMs);

    // The chart follows the palette (View > Theme): Qt Charts' dark theme on a dark palette.
    bool isDarkTheme() const;

    QImage renderImage();  // the chart with its legend, as shown
    bool exportPng(const QString &path, QString *error = nullptr);

signals:
    // The user navigated (zoom, pan, rubber band): follow mode is off now.
    void timeRangeChanged(qint64 fromMs, qint64 toMs);
    void followLiveChanged(bool follow);
    void resetRequested();
    void pauseToggleRequested();
    void crosshairMoved(qint64 tMs);
    void seriesVisibilityChanged(int id, bool visible);
    void plotAreaChanged();

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace fd
