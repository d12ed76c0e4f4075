#include "widgets/telemetry_chart.h"

#include "core/telemetry/gap_detector.h"
#include "widgets/telemetry_chart_legend.h"
#include "widgets/telemetry_chart_view.h"

#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLineSeries>
#include <QOpenGLContext>
#include <QPainter>
#include <QScrollArea>
#include <QTimer>
#include <QValueAxis>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace fd {

namespace {

constexpr int kMaxSegmentsPerSeries = 256;
constexpr int kLegendWidth = 250;

const QColor kPalette[] = {
    QColor(0x1f, 0x77, 0xb4), QColor(0xd6, 0x27, 0x28), QColor(0x2c, 0xa0, 0x2c),
    QColor(0xff, 0x7f, 0x0e), QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
    QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f), QColor(0xbc, 0xbd, 0x22),
    QColor(0x17, 0xbe, 0xcf),
};

QString formatValue(double v)
{
    if (std::isnan(v))
        return u"–"_s;
    return QString::number(v, 'g', 5);
}

QString axisFormat(qint64 windowMs)
{
    if (windowMs <= 3LL * 60 * 1000)
        return u"HH:mm:ss"_s;
    if (windowMs <= 2LL * 24 * 60 * 60 * 1000)
        return u"HH:mm"_s;
    return u"MM-dd HH:mm"_s;
}

} // namespace

struct TelemetryChart::Impl
{
    struct Series
    {
        int id = 0;
        QString label;
        QColor color;
        std::shared_ptr<TelemetrySeriesData> data;
        bool visible = true;
        bool stale = false;
        std::vector<QLineSeries *> lines;  // one per drawn segment (pool)
        int linesUsed = 0;
        // What is on screen: skip the redraw when nothing of it changed.
        quint64 drawnRevision = ~0ULL;
        qint64 drawnFrom = 0;
        qint64 drawnTo = 0;
        int drawnWidth = 0;
        double yMin = std::numeric_limits<double>::quiet_NaN();
        double yMax = std::numeric_limits<double>::quiet_NaN();
        SeriesStats stats;
    };

    TelemetryChart *q = nullptr;
    QChart *chart = nullptr;
    TelemetryChartView *view = nullptr;
    QDateTimeAxis *xAxis = nullptr;
    QValueAxis *yAxis = nullptr;
    TelemetryChartLegend *legend = nullptr;
    QTimer redrawTimer;
    QTimer statsTimer;
    std::vector<Series> series;
    int nextId = 1;
    qint64 fromMs = 0;
    qint64 toMs = 0;
    qint64 windowMs = 15LL * 60 * 1000;
    bool follow = true;
    bool useOpenGL = false;
    bool dirty = true;
    quint64 redraws = 0;
    QString axisFormatShown;
    DecimatedSeries scratch;
    QList<QPointF> points;

    Series *find(int id)
    {
        for (Series &s : series)
            if (s.id == id)
                return &s;
        return nullptr;
    }
    const Series *find(int id) const { return const_cast<Impl *>(this)->find(id); }

    int plotWidth() const { return qMax(50, int(chart->plotArea().width())); }

    void currentRange(qint64 *from, qint64 *to) const
    {
        if (!follow) {
            *from = fromMs;
            *to = toMs;
            return;
        }
        // Snap the right edge to whole pixels: a sub-pixel move is not a visible change.
        const qint64 msPerPx = qMax<qint64>(1, windowMs / plotWidth());
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        *to = (now / msPerPx + 1) * msPerPx;
        *from = *to - windowMs;
    }

    void schedule()
    {
        dirty = true;
        if (!redrawTimer.isActive() || redrawTimer.remainingTime() > kRedrawIntervalMs)
            redrawTimer.start(kRedrawIntervalMs);
        if (!statsTimer.isActive())
            statsTimer.start();
    }

    QLineSeries *line(Series &s, int index)
    {
        while (int(s.lines.size()) <= index) {
            auto *l = new QLineSeries(chart);
            QPen pen(s.color);
            pen.setWidthF(1.5);
            l->setPen(pen);
            l->setUseOpenGL(useOpenGL);
            chart->addSeries(l);
            l->attachAxis(xAxis);
            l->attachAxis(yAxis);
            s.lines.push_back(l);
        }
        return s.lines[size_t(index)];
    }

    void applyPen(Series &s)
    {
        QPen pen(s.color);
        pen.setWidthF(1.5);
        if (s.stale)
            pen.setStyle(Qt::DashLine);
        for (QLineSeries *l : s.lines)
            l->setPen(pen);
    }

    void drawSeries(Series &s, qint64 from, qint64 to, int width)
    {
        MinMaxDecimator::Params params;
        params.fromMs = from;
        params.toMs = to;
        // Without OpenGL, Qt Charts strokes every drawn point for its hit-test shape (a few
        // µs each): one bucket per two pixels still keeps every 2-px column's extent.
        params.buckets = useOpenGL ? width : qMax(1, width / 2);
        params.gapMs = -1;  // per part (history / live)
        s.data->decimate(params, &scratch);
        int segments = int(scratch.segmentCount());
        double lo = std::numeric_limits<double>::infinity();
        double hi = -lo;
        for (const TelemetryPoint &p : scratch.points) {
            if (p.tMs < from || p.tMs > to)
                continue;
            lo = qMin(lo, p.value);
            hi = qMax(hi, p.value);
        }
        s.yMin = lo <= hi ? lo : std::numeric_limits<double>::quiet_NaN();
        s.yMax = lo <= hi ? hi : std::numeric_limits<double>::quiet_NaN();
        int used = 0;
        for (int i = 0; i < segments; ++i) {
            // Beyond the pool limit the remaining segments are joined into the last line.
            const bool last = i == kMaxSegmentsPerSeries - 1;
            const PointSpan seg = last ? PointSpan(scratch.points).subspan(size_t(scratch.segmentStarts[size_t(i)]))
                                       : scratch.segment(i);
            points.resize(qsizetype(seg.size()));
            for (size_t k = 0; k < seg.size(); ++k)
                points[qsizetype(k)] = QPointF(double(seg[k].tMs), seg[k].value);
            QLineSeries *l = line(s, used++);
            l->replace(points);
            if (!l->isVisible())
                l->setVisible(true);
            if (last)
                break;
        }
        for (int i = used; i < s.linesUsed; ++i) {
            s.lines[size_t(i)]->clear();
            s.lines[size_t(i)]->setVisible(false);
        }
        s.linesUsed = used;
    }

    int redraw()
    {
        redrawTimer.stop();
        dirty = false;
        qint64 from = 0;
        qint64 to = 0;
        currentRange(&from, &to);
        fromMs = from;
        toMs = to;
        const int width = plotWidth();
        view->setRange(from, to);
        xAxis->setRange(QDateTime::fromMSecsSinceEpoch(from), QDateTime::fromMSecsSinceEpoch(to));
        const QString format = axisFormat(to - from);
        if (format != axisFormatShown) {
            xAxis->setFormat(format);
            axisFormatShown = format;
        }
        int drawn = 0;
        double lo = std::numeric_limits<double>::infinity();
        double hi = -lo;
        for (Series &s : series) {
            if (!s.visible) {
                for (int i = 0; i < s.linesUsed; ++i)
                    s.lines[size_t(i)]->setVisible(false);
                s.drawnRevision = ~0ULL;
                continue;
            }
            const quint64 revision = s.data->revision();
            if (revision != s.drawnRevision || from != s.drawnFrom || to != s.drawnTo
                || width != s.drawnWidth) {
                drawSeries(s, from, to, width);
                s.drawnRevision = revision;
                s.drawnFrom = from;
                s.drawnTo = to;
                s.drawnWidth = width;
                ++drawn;
            }
            if (!std::isnan(s.yMin)) {
                lo = qMin(lo, s.yMin);
                hi = qMax(hi, s.yMax);
            }
        }
        if (lo > hi) {
            lo = 0;
            hi = 1;
        } else if (lo == hi) {
            lo -= 1;
            hi += 1;
        } else {
            const double pad = (hi - lo) * 0.05;
            lo -= pad;
            hi += pad;
        }
        if (yAxis->min() != lo || yAxis->max() != hi)
            yAxis->setRange(lo, hi);
        ++redraws;
        if (follow && q->isVisible()) {
            // Next time the window moves by a pixel (and at most ~30 Hz).
            const qint64 msPerPx = qMax<qint64>(1, windowMs / width);
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            const qint64 untilNextPx = to - now + 1;
            redrawTimer.start(int(qBound(qint64(kRedrawIntervalMs), qMin(untilNextPx, msPerPx), qint64(60000))));
        }
        return drawn;
    }

    void updateStats()
    {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (Series &s : series) {
            s.stats = s.data->stats(fromMs, toMs);
            const auto newest = s.data->newest();
            const bool stale = newest
                               && GapDetector::isStale(newest->tMs, now,
                                                       GapDetector::thresholdFor(s.data->typicalIntervalMs()));
            if (stale != s.stale) {
                s.stale = stale;
                applyPen(s);
            }
            QString text = s.stats.isEmpty()
                               ? TelemetryChart::tr("no data in range")
                               : TelemetryChart::tr("last %1  min %2  max %3  mean %4")
                                     .arg(formatValue(s.stats.last), formatValue(s.stats.min),
                                          formatValue(s.stats.max), formatValue(s.stats.mean));
            if (stale)
                text += u"\n"_s + TelemetryChart::tr("⚠ stale: nothing since %1")
                                      .arg(QDateTime::fromMSecsSinceEpoch(newest->tMs).toString(u"yyyy-MM-dd HH:mm:ss"_s));
            legend->setStatsText(s.id, text, stale);
        }
    }

    QStringList crosshairText(qint64 t) const
    {
        QStringList lines{QDateTime::fromMSecsSinceEpoch(t).toString(u"yyyy-MM-dd HH:mm:ss"_s)};
        for (const Series &s : series) {
            if (!s.visible)
                continue;
            const auto p = s.data->valueAt(t);
            lines.append(s.label + u": "_s + (p ? formatValue(p->value) : u"–"_s));
        }
        return lines;
    }
};

TelemetryChart::TelemetryChart(QWidget *parent)
    : QWidget(parent)
    , d(std::make_unique<Impl>())
{
    d->q = this;
    d->chart = new QChart;
    d->chart->legend()->hide();
    d->chart->setMargins(QMargins(4, 4, 4, 4));
    d->chart->setBackgroundRoundness(0);
    d->xAxis = new QDateTimeAxis(d->chart);
    d->xAxis->setTickCount(7);
    d->yAxis = new QValueAxis(d->chart);
    d->yAxis->setLabelFormat(u"%.4g"_s);
    d->chart->addAxis(d->xAxis, Qt::AlignBottom);
    d->chart->addAxis(d->yAxis, Qt::AlignLeft);
    d->view = new TelemetryChartView(d->chart, this);
    d->view->setMinimumHeight(160);
    d->view->setCrosshairText([this](qint64 t) { return d->crosshairText(t); });

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
    connect(d->chart, &QChart::plotAreaChanged, this, [this] { d->schedule(); });

    d->useOpenGL = isOpenGLAvailable();
    d->schedule();
}

TelemetryChart::~TelemetryChart() = default;

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
        for (QLineSeries *l : it->lines) {
            d->chart->removeSeries(l);
            delete l;
        }
        d->legend->removeRow(id);
        d->series.erase(it);
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

void TelemetryChart::updateStatsNow()
{
    d->statsTimer.stop();
    d->updateStats();
}

void TelemetryChart::setTitle(const QString &title)
{
    d->chart->setTitle(title);
}

QString TelemetryChart::title() const
{
    return d->chart->title();
}

void TelemetryChart::setValueAxisTitle(const QString &title)
{
    d->yAxis->setTitleText(title);
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
        return context.create();
    }();
    return available;
}

void TelemetryChart::setUseOpenGL(bool use)
{
    d->useOpenGL = use;
    for (auto &s : d->series)
        for (QLineSeries *l : s.lines)
            l->setUseOpenGL(use);
    d->schedule();
}

bool TelemetryChart::usesOpenGL() const
{
    return d->useOpenGL;
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
