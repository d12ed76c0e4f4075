#include "widgets/badge_item_delegate.h"

#include <QApplication>
#include <QPainter>

namespace fd {

namespace {
constexpr int kPadX = 6;
constexpr int kMarginRight = 8;
} // namespace

void BadgeItemDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QString badge = index.data(BadgeRole).toString();
    if (badge.isEmpty()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QFont badgeFont = option.font;
    badgeFont.setPointSizeF(badgeFont.pointSizeF() * 0.85);
    badgeFont.setBold(true);
    const QFontMetrics bfm(badgeFont);
    const int pillWidth = std::max(bfm.horizontalAdvance(badge) + 2 * kPadX, bfm.height() + 4);
    const int pillHeight = bfm.height() + 2;

    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    // Item (background, icon, text) with room left for the pill.
    QStyleOptionViewItem textOpt = opt;
    textOpt.rect.setRight(opt.rect.right() - pillWidth - kMarginRight - 4);
    QStyleOptionViewItem background = opt;
    background.text.clear();
    background.icon = QIcon();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, widget);
    textOpt.backgroundBrush = Qt::NoBrush;
    textOpt.state &= ~QStyle::State_HasFocus;
    // Draw text/icon only: the background is done.
    painter->save();
    painter->setClipRect(textOpt.rect);
    style->drawControl(QStyle::CE_ItemViewItem, &textOpt, painter, widget);
    painter->restore();

    const QRect pill(opt.rect.right() - kMarginRight - pillWidth, opt.rect.center().y() - pillHeight / 2 + 1,
                     pillWidth, pillHeight);
    const bool selected = opt.state & QStyle::State_Selected;
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(selected ? opt.palette.color(QPalette::HighlightedText) : QColor(0xc0, 0x39, 0x2b));
    painter->drawRoundedRect(pill, pillHeight / 2.0, pillHeight / 2.0);
    painter->setPen(selected ? opt.palette.color(QPalette::Highlight) : QColor(Qt::white));
    painter->setFont(badgeFont);
    painter->drawText(pill, Qt::AlignCenter, badge);
    painter->restore();
}

QSize BadgeItemDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    return QStyledItemDelegate::sizeHint(option, index);
}

} // namespace fd
