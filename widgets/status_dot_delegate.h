#pragma once

#include <QStyledItemDelegate>

namespace fd {

// Draws an item's Qt::DecorationRole QColor as a small round dot (instead of the default
// square swatch), followed by its display text. Generic; no business rules.
class StatusDotDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};

} // namespace fd
