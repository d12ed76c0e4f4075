#include "widgets/telemetry_chart.h"

#include "core/domain/plain_text.h"

#include "widgets/telemetry_chart_p.h"

#include "widgets/chart_log.h"
#include "widgets/chart_palette_p.h"

#include <QOffscreenSurface>
#include <QOpenGLFunctions>

using namespace Qt::StringLiterals;

namespace fd {

TelemetryChart::TelemetryChart(QWidget *parent)
    : QWidget(parent)
    , d(std::make_unique<Impl>())
{
    d->q = this;
    d->chart = new QChart;
    d->chart->legend()->hide();
    d->chart->setMargins(QMargins(kChartMargin, kChartMargin, kChartMargin, kChartMargin));
    d->chart->setBackgroundRoundness(0);
    d->xAxis = new QCategoryAxis(d->chart);  // ticks on round times (TimeAxisTicks)
    d->xAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    d->yAxis = new QValueAxis(d->chart);
    d->yAxis->setLabelFormat(u"%.4g"_s);
    d->chart->addAxis(d->xAxis, Qt::AlignBottom);
    d->chart->addAxis(d->yAxis, Qt::AlignLeft);
    d->view = new TelemetryChartView(d->chart, this);
    d->view->setMinimumHeight(160);
    d->view->setCrosshairText([this](qint64 t) { return d->crosshairText(t); });
    d->traces = new TelemetryTraceItem(d->chart);
    d->traces->setZValue(kTraceZValue);

    d->legend = new TelemetryChartLegend;
    connect(d->legend, &TelemetryChartLegend::toggled, this, &TelemetryChart::setSeriesVisible);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(d->legend);
    scroll->setWidgetResizable(true);
    scroll->setFixedWidth(kLegendWidth);
    scroll->setFrameShape(QFrame::NoFrame);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(d->view, 1);
    layout->addWidget(scroll);

    d->redrawTimer.setSingleShot(true);
    d->redrawTimer.setInterval(kRedrawIntervalMs);
    connect(&d->redrawTimer, &QTimer::timeout, this, [this] { d->redraw(); });
    d->statsTimer.setSingleShot(true);
    d->statsTimer.setInterval(kStatsIntervalMs);
    connect(&d->statsTimer, &QTimer::timeout, this, [this] { d->updateStats(); });

    connect(d->view, &TelemetryChartView::rangeRequested, this, [this](qint64 from, qint64 to) {
        setTimeRange(from, to);
        emit timeRangeChanged(from, to);
    });
    connect(d->view, &TelemetryChartView::resetRequested, this, &TelemetryChart::resetRequested);
    connect(d->view, &TelemetryChartView::pauseToggleRequested, this, &TelemetryChart::pauseToggleRequested);
    connect(d->view, &TelemetryChartView::crosshairMoved, this, &TelemetryChart::crosshairMoved);
    connect(d->chart, &QChart::plotAreaChanged, this, [this](const QRectF &area) {
        d->traces->setPlotArea(area);  // remapped at the next paint; redecimated soon
        d->schedule();
        emit plotAreaChanged();
    });

    d->setRenderer(isOpenGLAvailable());
    applyChartPalette(d->chart, palette());
    setAccessibleName(tr("Telemetry chart"));
}

TelemetryChart::~TelemetryChart() = default;

void TelemetryChart::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        applyChartPalette(d->chart, palette());
}

bool TelemetryChart::isDarkTheme() const
{
    return d->chart->theme() == QChart::ChartThemeDark;
}

int TelemetryChart::addSeries(const QString &label, std::shared_ptr<TelemetrySeriesData> data,
                              const QColor &color)
{
    Impl::Series s;
    s.id = d->nextId++;
    s.label = label;
    s.color = color.isValid() ? color : kPalette[d->series.size() % std::size(kPalette)];
    s.data = data ? std::move(data) : std::make_shared<TelemetrySeriesData>();
    d->legend->addRow(s.id, s.label, s.color);
    d->series.push_back(std::move(s));
    d->schedule();
    return d->series.back().id;
}

void TelemetryChart::removeSeries(int id)
{
    for (auto it = d->series.begin(); it != d->series.end(); ++it) {
        if (it->id != id)
            continue;
        d->dropLines(*it);
        d->traces->removeTrace(id);
        d->legend->removeRow(id);
        d->series.erase(it);
        d->updateStaleMarks();
        d->schedule();
        return;
    }
}

void TelemetryChart::clearSeries()
{
    while (!d->series.empty())
        removeSeries(d->series.front().id);
}

QList<int> TelemetryChart::seriesIds() const
{
    QList<int> ids;
    for (const auto &s : d->series)
        ids.append(s.id);
    return ids;
}

int TelemetryChart::seriesCount() const
{
    return int(d->series.size());
}

QString TelemetryChart::seriesLabel(int id) const
{
    const auto *s = d->find(id);
    return s ? s->label : QString();
}

void TelemetryChart::setSeriesToolTip(int id, const QString &text)
{
    d->legend->setToolTip(id, text);
}

QColor TelemetryChart::seriesColor(int id) const
{
    const auto *s = d->find(id);
    return s ? s->color : QColor();
}

std::shared_ptr<TelemetrySeriesData> TelemetryChart::seriesData(int id) const
{
    const auto *s = d->find(id);
    return s ? s->data : nullptr;
}

void TelemetryChart::setSeriesVisible(int id, bool visible)
{
    auto *s = d->find(id);
    if (!s || s->visible == visible)
        return;
    s->visible = visible;
    d->legend->setChecked(id, visible);
    d->updateStaleMarks();
    d->schedule();
    emit seriesVisibilityChanged(id, visible);
}

bool TelemetryChart::isSeriesVisible(int id) const
{
    const auto *s = d->find(id);
    return s && s->visible;
}

SeriesStats TelemetryChart::visibleStats(int id) const
{
    const auto *s = d->find(id);
    return s ? s->stats : SeriesStats();
}

bool TelemetryChart::isSeriesStale(int id) const
{
    const auto *s = d->find(id);
    return s && s->stale;
}

void TelemetryChart::setSeriesStaleSince(int id, qint64 sinceMs)
{
    auto *s = d->find(id);
    if (!s || s->staleSinceMs == sinceMs)
        return;
    s->staleSinceMs = sinceMs;
    d->updateStaleMarks();
    d->updateStats();  // the pen and the legend at once
}

qint64 TelemetryChart::seriesStaleSince(int id) const
{
    const auto *s = d->find(id);
    return s ? s->staleSinceMs : 0;
}

void TelemetryChart::updateStatsNow()
{
    d->statsTimer.stop();
    d->updateStats();
}

void TelemetryChart::setTitle(const QString &title)
{
    d->title = title;
    d->chart->setTitle(plainTextAsRichText(title));  // metric and device names: literally
    setAccessibleName(title.isEmpty() ? tr("Telemetry chart") : tr("Chart: %1").arg(title));
}

QString TelemetryChart::title() const
{
    return d->title;
}

void TelemetryChart::setValueAxisTitle(const QString &title)
{
    d->yAxis->setTitleText(plainTextAsRichText(title));  // a metric name: literally
}

void TelemetryChart::setExpectedValueRange(double lo, double hi)
{
    const bool valid = std::isfinite(lo) && std::isfinite(hi) && lo < hi;
    d->expectedLo = valid ? lo : std::numeric_limits<double>::quiet_NaN();
    d->expectedHi = valid ? hi : std::numeric_limits<double>::quiet_NaN();
    notifyDataChanged();
}

void TelemetryChart::setValueFormatter(std::function<QString(double)> format)
{
    d->valueFormatter = std::move(format);
    d->statsTimer.start();
}

void TelemetryChart::setTimeRange(qint64 fromMs, qint64 toMs)
{
    const bool wasFollowing = d->follow;
    d->follow = false;
    d->fromMs = fromMs;
    d->toMs = qMax(fromMs + 1, toMs);
    d->view->setRange(d->fromMs, d->toMs);  // the next input maps pixels with this range
    d->schedule();
    if (wasFollowing)
        emit followLiveChanged(false);
}

qint64 TelemetryChart::fromMs() const
{
    if (d->follow) {
        qint64 from = 0, to = 0;
        d->currentRange(&from, &to);
        return from;
    }
    return d->fromMs;
}

qint64 TelemetryChart::toMs() const
{
    if (d->follow) {
        qint64 from = 0, to = 0;
        d->currentRange(&from, &to);
        return to;
    }
    return d->toMs;
}

void TelemetryChart::setFollowLive(bool follow)
{
    if (d->follow == follow)
        return;
    if (!follow) {
        d->currentRange(&d->fromMs, &d->toMs);  // freeze where it is
    }
    d->follow = follow;
    d->schedule();
    emit followLiveChanged(follow);
}

bool TelemetryChart::isFollowingLive() const
{
    return d->follow;
}

void TelemetryChart::setWindowMs(qint64 windowMs)
{
    d->windowMs = qMax<qint64>(1000, windowMs);
    d->schedule();
}

qint64 TelemetryChart::windowMs() const
{
    return d->windowMs;
}

void TelemetryChart::notifyDataChanged()
{
    d->schedule();
}

int TelemetryChart::redrawNow()
{
    return d->redraw();
}

quint64 TelemetryChart::redrawCount() const
{
    return d->redraws;
}

int TelemetryChart::drawnSegmentCount(int id) const
{
    const auto *s = d->find(id);
    if (!s || !s->visible)
        return 0;
    if (!d->useOpenGL)
        return d->traces->segmentCount(id);
    int n = 0;
    for (int i = 0; i < s->linesUsed; ++i)
        n += s->lines[size_t(i)]->isVisible() && s->lines[size_t(i)]->count() > 0 ? 1 : 0;
    return n;
}

qsizetype TelemetryChart::drawnPointCount(int id) const
{
    const auto *s = d->find(id);
    if (!s || !s->visible)
        return 0;
    if (!d->useOpenGL)
        return d->traces->pointCount(id);
    qsizetype n = 0;
    for (int i = 0; i < s->linesUsed; ++i)
        n += s->lines[size_t(i)]->isVisible() ? s->lines[size_t(i)]->count() : 0;
    return n;
}

int TelemetryChart::plotWidthPixels() const
{
    return d->plotWidth();
}

bool TelemetryChart::isOpenGLAvailable()
{
    const QByteArray env = qgetenv("FLEETDECK_CHART_OPENGL");
    if (env == "0")
        return false;
    const QString platform = QGuiApplication::platformName();
    if (env != "1" && (platform == u"offscreen"_s || platform == u"minimal"_s))
        return false;
    static const bool available = [] {
        QOpenGLContext context;
        if (!context.create())
            return false;
        // A software rasteriser (Mesa llvmpipe/softpipe, Windows' GDI Generic) renders GL
        // on the CPU: measured under Xvfb + llvmpipe, the raster renderer redraws ~3x faster
        // and keeps GUI lateness far lower. Use OpenGL only with a real GPU driver
        // (FLEETDECK_CHART_OPENGL=1 forces it).
        QOffscreenSurface surface;
        surface.setFormat(context.format());
        surface.create();
        if (!context.makeCurrent(&surface))
            return false;
        const auto *renderer = reinterpret_cast<const char *>(context.functions()->glGetString(GL_RENDERER));
        const QString name = QString::fromLatin1(renderer ? renderer : "");
        context.doneCurrent();
        static const char *const kSoftware[] = {"llvmpipe", "softpipe", "swrast", "Software Rasterizer",
                                                 "GDI Generic", "SwiftShader"};
        for (const char *software : kSoftware) {
            if (name.contains(QLatin1StringView(software), Qt::CaseInsensitive)) {
                qCInfo(lcChart).noquote() << "OpenGL renderer" << name
                                          << "is a software rasteriser: charts draw without OpenGL";
                return false;
            }
        }
        return !name.isEmpty();
    }();
    return available;
}

void TelemetryChart::setDecimationPool(QThreadPool *pool)
{
    d->decimatePool = pool;
}

void TelemetryChart::setUseOpenGL(bool use)
{
    if (use != d->useOpenGL)
        d->setRenderer(use);
}

bool TelemetryChart::usesOpenGL() const
{
    return d->useOpenGL;
}

QRect TelemetryChart::plotAreaRect() const
{
    const QRectF scene = d->chart->mapRectToScene(d->chart->plotArea());
    const QRect inView = d->view->mapFromScene(scene).boundingRect();
    return QRect(d->view->viewport()->mapTo(this, inView.topLeft()), inView.size());
}

int TelemetryChart::naturalPlotLeft() const
{
    return qRound(d->chart->plotArea().left()) - d->extraLeft;
}

void TelemetryChart::setPlotLeft(int left)
{
    const int extra = qMax(0, left - naturalPlotLeft());
    if (extra == d->extraLeft)
        return;
    d->extraLeft = extra;
    d->chart->setMargins(QMargins(kChartMargin + extra, kChartMargin, kChartMargin, kChartMargin));
}

QStringList TelemetryChart::crosshairTextAt(qint64 tMs) const
{
    return d->crosshairText(tMs);
}

void TelemetryChart::setCrosshairTime(qint64 tMs)
{
    d->view->setExternalCrosshair(tMs);
}

QImage TelemetryChart::renderImage()
{
    d->redraw();
    d->updateStats();
    return grab().toImage();
}

bool TelemetryChart::exportPng(const QString &path, QString *error)
{
    const QImage image = renderImage();
    if (image.isNull() || !image.save(path, "PNG")) {
        if (error)
            *error = tr("Cannot write the image %1. Check that the folder exists and is writable.").arg(path);
        return false;
    }
    return true;
}

} // namespace fd
