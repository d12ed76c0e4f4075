#include "widgets/sparkline_delegate.h"

#include "core/telemetry/decimated_series.h"
#include "core/telemetry/min_max_decimator.h"

#include <QApplication>
#include <QDateTime>
#include <QPainter>
#include <QPainterPath>

#include <cmath>

namespace fd {

SparklineDelegate::SparklineDelegate(Provider provider, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_provider(std::move(provider))
{
}

QSize SparklineDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.rwidth() += m_width + 6;
    return size;
}

void SparklineDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                              const QModelIndex &index) const
{
    QStyleOptionViewItem textOption = option;
    // The text keeps the room it needs; the sparkline gets what is left, up to m_width.
    const QString text = index.data(Qt::DisplayRole).toString();
    const int textWidth = option.fontMetrics.horizontalAdvance(text) + 12;
    const int width = qMin(m_width, option.rect.width() - textWidth - 6);
    if (width < 16) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    const QRect spark(option.rect.left() + 3, option.rect.top() + 3, width,
                      qMax(4, option.rect.height() - 6));
    textOption.rect.setLeft(spark.right() + 4);
    // Background and selection over the whole cell, then the text in its part.
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    background.icon = QIcon();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, widget);
    QStyledItemDelegate::paint(painter, textOption, index);

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_points.clear();
    if (!m_provider || !m_provider(index, now - m_windowMs, now, &m_points) || m_points.size() < 2)
        return;
    DecimatedSeries decimated;
    MinMaxDecimator::decimate(m_points, {now - m_windowMs, now, width, 0}, &decimated);
    double lo = INFINITY;
    double hi = -INFINITY;
    for (const TelemetryPoint &p : decimated.points) {
        lo = std::min(lo, p.value);
        hi = std::max(hi, p.value);
    }
    if (!(lo <= hi))
        return;
    if (hi - lo < 1e-9) {
        lo -= 1;
        hi += 1;
    }
    QPainterPath path;
    for (qsizetype s = 0; s < decimated.segmentCount(); ++s) {
        const PointSpan seg = decimated.segment(s);
        for (size_t i = 0; i < seg.size(); ++i) {
            const double x = spark.left() + double(spark.width()) * double(seg[i].tMs - (now - m_windowMs)) / double(m_windowMs);
            const double y = spark.bottom() - double(spark.height()) * (seg[i].value - lo) / (hi - lo);
            if (i == 0)
                path.moveTo(qMax(double(spark.left()), x), y);
            else
                path.lineTo(x, y);
        }
    }
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, true);
    const bool selected = option.state & QStyle::State_Selected;
    // The charts' first colour; lighter on a dark base (View > Theme) so that it reads.
    QColor line(0x1f, 0x77, 0xb4);
    if (option.palette.color(QPalette::Base).lightness() < 128)
        line = QColor(0x5a, 0xa9, 0xe6);
    painter->setPen(QPen(selected ? option.palette.highlightedText().color() : line, 1.2));
    painter->setClipRect(spark.adjusted(-1, -1, 1, 1));
    painter->drawPath(path);
    painter->restore();
}

} // namespace fd
