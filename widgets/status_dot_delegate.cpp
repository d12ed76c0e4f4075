#include "widgets/status_dot_delegate.h"

#include <QApplication>
#include <QPainter>

namespace fd {

void StatusDotDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    // We draw the decoration ourselves; keep the space for it.
    option->features &= ~QStyleOptionViewItem::HasDecoration;
    option->icon = QIcon();
}

void StatusDotDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QVariant decoration = index.data(Qt::DecorationRole);
    if (decoration.userType() != QMetaType::QColor) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    const QColor color = decoration.value<QColor>();
    const int dot = std::max(6, option.fontMetrics.height() / 2);
    const int pad = 6;

    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.rect.adjust(pad + dot + pad / 2, 0, 0, 0);
    // Background and selection over the whole cell, then the text shifted right.
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, widget);
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QRectF r(option.rect.left() + pad + 0.5, option.rect.center().y() - dot / 2.0 + 0.5, dot - 1, dot - 1);
    if (m_hollowRole >= 0 && index.data(m_hollowRole).toBool()) {
        QPen ring(color, 1.6);  // a solid ring: reads as "no value", not as a blur
        painter->setPen(ring);
        painter->setBrush(Qt::NoBrush);
        painter->drawEllipse(r.adjusted(0.5, 0.5, -0.5, -0.5));
    } else {
        painter->setPen(QPen(color.darker(130), 1));
        painter->setBrush(color);
        painter->drawEllipse(r);
    }
    painter->restore();
}

} // namespace fd
