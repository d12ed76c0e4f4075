#pragma once

#include "core/telemetry/series_key.h"
#include "models/dragged_series.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QDropEvent;
class QWidget;

namespace fd {

class DropHighlight;
class TelemetryPage;

// Drag and drop of series (SeriesMime) onto the Telemetry page, installed by the page:
//  - onto a chart (its frame or anything inside it, the plot included): adds the series to
//    THAT chart;
//  - anywhere else in the charts area (the "new chart" zone shown below the charts while a
//    drag is over the area, or the placeholder when there is no chart): opens a new chart.
// The target is highlighted (DropHighlight) with what the drop will do.
//
// Which metric: a dragged metric (detail panel) is used as is. A dragged device (inventory
// row) takes the target chart's metric (that of its first series); devices that do not
// report it are skipped. On a new or empty chart it takes the first metric, in the first
// device's order, that every dragged device reports (else the first one any reports); the
// inventory lists its Trend column's metric first, so that is the usual pick.
// Series already on the chart are not added again.
//
// The chart widget is not modified: the controller filters the events of each chart frame
// (owned by the page) and of every widget inside it (also ones created later).
class TelemetryDropController : public QObject
{
    Q_OBJECT
public:
    struct Plan
    {
        QList<SeriesKey> add;        // new series, in drag order
        QList<SeriesKey> duplicates; // already on the chart (or twice in the drag)
        QStringList skipped;         // devices without a usable metric
        QString metric;              // the metric chosen for devices (may be empty)
    };

    // area: the widget holding the chart frames; newChartZone: a child of area shown at the
    // bottom during a drag when there are charts.
    TelemetryDropController(TelemetryPage *page, QWidget *area, QWidget *newChartZone);

    // Call for every chart frame the page creates.
    void watchChart(QWidget *frame);

    // What dropping series on chartIndex (-1: a new chart) would do.
    Plan plan(const QList<DraggedSeries> &series, int chartIndex) const;
    // Drops series on chartIndex (-1: a new chart); returns the number of series added.
    int drop(const QList<DraggedSeries> &series, int chartIndex);

    // For tests: what the highlight shows now (null: nothing highlighted).
    QWidget *highlightedTarget() const;
    QString highlightText() const;

signals:
    void message(const QString &text);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void watchTree(QWidget *widget);
    void watchLater(QObject *object);
    int chartIndexFor(QObject *watched, QDropEvent *event) const;
    QWidget *targetWidget(int chartIndex) const;
    QString describe(const Plan &plan, int chartIndex) const;
    void hover(QObject *watched, QDropEvent *event);
    void finishDrag();

    TelemetryPage *m_page;
    QPointer<QWidget> m_area;
    QPointer<QWidget> m_zone;
    DropHighlight *m_highlight;
    QTimer m_leaveTimer;  // a leave not followed by an enter: the drag left the area
};

} // namespace fd
