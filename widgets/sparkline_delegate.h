#pragma once

#include "core/telemetry/telemetry_point.h"

#include <QStyledItemDelegate>

#include <functional>
#include <vector>

namespace fd {

// Paints a small line of recent values (a sparkline) in the left part of a cell and the
// cell's own text to its right. The points come from a provider, asked at paint time for
// the row being painted (no model changes needed): it fills the points of the last
// windowMs() in time order and returns false when it has none.
class SparklineDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using Provider = std::function<bool(const QModelIndex &index, qint64 fromMs, qint64 toMs,
                                        std::vector<TelemetryPoint> *points)>;

    explicit SparklineDelegate(Provider provider, QObject *parent = nullptr);

    void setWindowMs(qint64 windowMs) { m_windowMs = windowMs; }
    qint64 windowMs() const { return m_windowMs; }
    void setSparklineWidth(int px) { m_width = px; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    Provider m_provider;
    qint64 m_windowMs = 5LL * 60 * 1000;
    int m_width = 70;
    mutable std::vector<TelemetryPoint> m_points;
};

} // namespace fd
