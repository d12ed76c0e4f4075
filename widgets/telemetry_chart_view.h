#pragma once

// Internal to fleetdeck_widgets (includes Qt Charts): the QChartView of a TelemetryChart.
// It turns mouse and keyboard input into time-range requests and paints the crosshair and
// the rubber band; it never changes the axes itself.

#include <QChartView>
#include <QList>
#include <QPoint>
#include <QRect>
#include <QStringList>

#include <functional>

namespace fd {

class TelemetryChartView : public QChartView
{
    Q_OBJECT
public:
    explicit TelemetryChartView(QChart *chart, QWidget *parent = nullptr);

    // The time range shown, for mapping pixels to time.
    void setRange(qint64 fromMs, qint64 toMs);
    // Lines of the crosshair box for a time (time first); set by the owner.
    void setCrosshairText(std::function<QStringList(qint64)> text);
    // Crosshair driven from outside (another chart of the stack); < 0 hides it.
    void setExternalCrosshair(qint64 tMs);
    // Times from which some series is STALE (distinct, any order): a dashed line labelled
    // "stale" at each and a shaded region from the earliest to the right edge.
    void setStaleMarks(const QList<qint64> &sinceMs);
    QList<qint64> staleMarks() const { return m_staleMarks; }
    qint64 timeAt(qreal x) const;
    qreal xAt(qint64 tMs) const;

signals:
    void rangeRequested(qint64 fromMs, qint64 toMs);  // user navigation
    void resetRequested();                             // double-click, Home, Escape
    void pauseToggleRequested();                       // Space
    void crosshairMoved(qint64 tMs);                   // -1: left the chart

protected:
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void drawForeground(QPainter *painter, const QRectF &rect) override;

private:
    enum class Drag { None, Pan, RubberBand };

    void zoomAround(qint64 centerMs, double factor);
    void pan(double fractionOfWindow);
    QRectF plotArea() const;
    void drawStaleMarks(QPainter *painter, const QRectF &plot);

    qint64 m_fromMs = 0;
    qint64 m_toMs = 1;
    Drag m_drag = Drag::None;
    QPoint m_pressPos;
    qint64 m_pressFromMs = 0;
    qint64 m_pressToMs = 0;
    QPoint m_mousePos;
    bool m_mouseInside = false;
    qint64 m_externalCrosshairMs = -1;
    std::function<QStringList(qint64)> m_crosshairText;
    QList<qint64> m_staleMarks;
};

} // namespace fd
