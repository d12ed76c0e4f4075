#pragma once

#include <QStyledItemDelegate>

namespace fd {

// Draws an item's Qt::DecorationRole QColor as a small round dot (instead of the default
// square swatch), followed by its display text. Generic; no business rules. When the item's
// hollowRole() (if set) is true, the dot is drawn hollow (a ring): a state that
// is not known (e.g. the status of a device whose source is not connected).
class StatusDotDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void setHollowRole(int role) { m_hollowRole = role; }
    int hollowRole() const { return m_hollowRole; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    int m_hollowRole = -1;
};

} // namespace fd
