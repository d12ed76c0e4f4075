#pragma once

#include <QStyledItemDelegate>

namespace fd {

// Item delegate for navigation lists: draws the item as usual and, when the item has a
// non-empty BadgeRole string, a small rounded "pill" with that text at the right edge
// (e.g. a count of problems). Generic; no business rules.
class BadgeItemDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    static constexpr int BadgeRole = Qt::UserRole + 100;

    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace fd
