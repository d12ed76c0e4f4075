#include "ui/telemetry_drop_controller.h"

#include "models/series_mime.h"
#include "ui/drop_highlight.h"
#include "ui/telemetry_page.h"

#include <QChildEvent>
#include <QDragEnterEvent>
#include <QDragMoveEvent>
#include <QDropEvent>
#include <QLayout>
#include <QSet>
#include <QWidget>

#include <algorithm>
#include <climits>

namespace fd {

namespace {
constexpr int kLeaveDelayMs = 150;

QString seriesText(const SeriesKey &key)
{
    return TelemetryDropController::tr("%1 · %2").arg(key.device.path, key.metric);
}

// The first metric, in the first device's order, that every device reporting metrics has;
// else the first metric any device reports.
QString defaultMetric(const QList<DraggedSeries> &series)
{
    QList<const QStringList *> lists;
    for (const DraggedSeries &s : series)
        if (s.metric.isEmpty() && !s.metrics.isEmpty())
            lists.append(&s.metrics);
    if (lists.isEmpty())
        return {};
    for (const QString &m : *lists.constFirst()) {
        if (std::all_of(lists.cbegin(), lists.cend(), [&](const QStringList *l) { return l->contains(m); }))
            return m;
    }
    return lists.constFirst()->constFirst();
}
} // namespace

TelemetryDropController::TelemetryDropController(TelemetryPage *page, QWidget *area, QWidget *newChartZone)
    : QObject(page)
    , m_page(page)
    , m_area(area)
    , m_zone(newChartZone)
    , m_highlight(new DropHighlight(area))
{
    area->setAcceptDrops(true);
    area->installEventFilter(this);
    m_leaveTimer.setSingleShot(true);
    m_leaveTimer.setInterval(kLeaveDelayMs);
    connect(&m_leaveTimer, &QTimer::timeout, this, &TelemetryDropController::finishDrag);
}

void TelemetryDropController::watchChart(QWidget *frame)
{
    frame->setAcceptDrops(true);
    watchTree(frame);
}

void TelemetryDropController::watchTree(QWidget *widget)
{
    // Installed last, so called first: before a QGraphicsView or scroll area sees the drag.
    widget->installEventFilter(this);
    const QList<QWidget *> children = widget->findChildren<QWidget *>();
    for (QWidget *child : children)
        child->installEventFilter(this);
}

void TelemetryDropController::watchLater(QObject *object)
{
    // Once the new child is constructed (and after filters its owner installs on it, e.g. a
    // scroll area on a new viewport): re-installing moves this filter to the front.
    QPointer<QObject> guard(object);
    QMetaObject::invokeMethod(
        this,
        [this, guard] {
            if (auto *w = qobject_cast<QWidget *>(guard.data()))
                watchTree(w);
        },
        Qt::QueuedConnection);
}

QWidget *TelemetryDropController::highlightedTarget() const
{
    return m_highlight->isVisible() ? m_highlight->target() : nullptr;
}

QString TelemetryDropController::highlightText() const
{
    return m_highlight->isVisible() ? m_highlight->text() : QString();
}

int TelemetryDropController::chartIndexFor(QObject *watched, QDropEvent *event) const
{
    const int charts = m_page->chartCount();
    for (auto *w = qobject_cast<QWidget *>(watched); w && w != m_area; w = w->parentWidget()) {
        for (int i = 0; i < charts; ++i)
            if (m_page->chartFrame(i) == w)
                return i;
    }
    if (watched != m_area || charts == 0 || !event)
        return -1;
    // In the charts area but on no chart (the spacing between two): the nearest chart, so
    // the highlight does not jump to the new-chart zone between charts.
    const int y = event->position().toPoint().y();
    const QRect first = m_page->chartFrame(0)->geometry();
    const QRect last = m_page->chartFrame(charts - 1)->geometry();
    if (y < first.top() || y > last.bottom())
        return -1;
    int best = -1;
    int bestDistance = INT_MAX;
    for (int i = 0; i < charts; ++i) {
        const QRect g = m_page->chartFrame(i)->geometry();
        const int distance = y < g.top() ? g.top() - y : y > g.bottom() ? y - g.bottom() : 0;
        if (distance < bestDistance) {
            bestDistance = distance;
            best = i;
        }
    }
    return best;
}

QWidget *TelemetryDropController::targetWidget(int chartIndex) const
{
    if (chartIndex >= 0)
        return m_page->chartFrame(chartIndex);
    if (m_zone && m_zone->isVisible())
        return m_zone;
    return m_area;
}

TelemetryDropController::Plan TelemetryDropController::plan(const QList<DraggedSeries> &series, int chartIndex) const
{
    Plan p;
    QList<SeriesKey> existing;
    if (chartIndex >= 0 && chartIndex < m_page->chartCount()) {
        const TelemetryLayout layout = m_page->currentLayout();
        for (const TelemetryLayout::Series &s : layout.charts.value(chartIndex).series)
            existing.append({s.device, s.metric});
    }
    const bool chartMetric = !existing.isEmpty();
    p.metric = chartMetric ? existing.constFirst().metric : defaultMetric(series);
    for (const DraggedSeries &s : series) {
        QString metric = s.metric;
        if (metric.isEmpty()) {
            // A device: the chart's metric, if the device reports it (or says nothing).
            if (p.metric.isEmpty() || (chartMetric && !s.metrics.isEmpty() && !s.metrics.contains(p.metric))
                || (!chartMetric && !s.metrics.contains(p.metric))) {
                p.skipped.append(s.deviceId);
                continue;
            }
            metric = p.metric;
        }
        const SeriesKey key{s.device(), metric};
        if (existing.contains(key) || p.add.contains(key)) {
            if (!p.duplicates.contains(key))
                p.duplicates.append(key);
            continue;
        }
        p.add.append(key);
    }
    return p;
}

QString TelemetryDropController::describe(const Plan &p, int chartIndex) const
{
    if (p.add.isEmpty()) {
        if (!p.duplicates.isEmpty())
            return p.duplicates.size() == 1 ? tr("%1 is already on this chart").arg(seriesText(p.duplicates.constFirst()))
                                            : tr("Already on this chart");
        if (!p.metric.isEmpty() && chartIndex >= 0)
            return tr("The device does not report %1", nullptr, int(p.skipped.size())).arg(p.metric);
        return tr("No metric to chart");
    }
    const QString what = p.add.size() == 1 ? seriesText(p.add.constFirst()) : tr("%n series", nullptr, int(p.add.size()));
    return chartIndex >= 0 ? tr("Add %1").arg(what) : tr("New chart: %1").arg(what);
}

int TelemetryDropController::drop(const QList<DraggedSeries> &series, int chartIndex)
{
    if (chartIndex >= m_page->chartCount())
        chartIndex = -1;
    const Plan p = plan(series, chartIndex);
    if (!p.add.isEmpty()) {
        if (chartIndex < 0)
            chartIndex = m_page->openChart({}, QString());
        for (const SeriesKey &key : p.add)
            m_page->addSeries(chartIndex, key.device, key.metric);
    }
    QStringList parts;
    if (!p.add.isEmpty())
        parts.append(tr("Added %n series to chart %1.", nullptr, int(p.add.size())).arg(chartIndex + 1));
    if (!p.duplicates.isEmpty())
        parts.append(tr("%n series already shown.", nullptr, int(p.duplicates.size())));
    if (!p.skipped.isEmpty()) {
        parts.append(p.metric.isEmpty()
                         ? tr("%n device(s) without metrics skipped.", nullptr, int(p.skipped.size()))
                         : tr("%n device(s) without %1 skipped.", nullptr, int(p.skipped.size())).arg(p.metric));
    }
    emit message(parts.join(QLatin1Char(' ')));
    return int(p.add.size());
}

void TelemetryDropController::hover(QObject *watched, QDropEvent *event)
{
    m_leaveTimer.stop();
    if (m_zone && !m_zone->isVisible() && m_page->chartCount() > 0) {
        m_zone->show();
        if (m_area && m_area->layout())
            m_area->layout()->activate();  // geometry now, for the highlight
    }
    const int chartIndex = chartIndexFor(watched, event);
    const Plan p = plan(SeriesMime::fromMimeData(event->mimeData()), chartIndex);
    m_highlight->showOver(targetWidget(chartIndex), describe(p, chartIndex));
    if (p.add.isEmpty()) {
        event->ignore();
        return;
    }
    event->setDropAction(Qt::CopyAction);
    event->accept();
}

void TelemetryDropController::finishDrag()
{
    m_leaveTimer.stop();
    m_highlight->clear();
    if (m_zone)
        m_zone->hide();
}

bool TelemetryDropController::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::ChildAdded:
        if (watched != m_area) {
            QObject *child = static_cast<QChildEvent *>(event)->child();
            if (child->isWidgetType())
                watchLater(child);
        }
        return false;
    case QEvent::DragEnter:
    case QEvent::DragMove: {
        auto *e = static_cast<QDropEvent *>(event);
        if (!SeriesMime::canDecode(e->mimeData()))
            return false;
        hover(watched, e);
        if (event->type() == QEvent::DragEnter)
            e->accept();  // keep receiving the moves, even over a chart that takes nothing
        return true;
    }
    case QEvent::DragLeave:
        if (m_highlight->isVisible() || (m_zone && m_zone->isVisible()))
            m_leaveTimer.start();
        return false;
    case QEvent::Drop: {
        auto *e = static_cast<QDropEvent *>(event);
        if (!SeriesMime::canDecode(e->mimeData()))
            return false;
        const int chartIndex = chartIndexFor(watched, e);
        const int added = drop(SeriesMime::fromMimeData(e->mimeData()), chartIndex);
        finishDrag();
        if (added > 0) {
            e->setDropAction(Qt::CopyAction);
            e->accept();
        } else {
            e->ignore();
        }
        return true;
    }
    default:
        return false;
    }
}

} // namespace fd
