#pragma once

#include <QAbstractItemModel>

namespace fd {

// For models that follow DeviceInventoryModel (the proxy, the tree): the inventory inserts
// rows, removes rows only when devices are deleted, and otherwise changes its structure
// only by resets. Every structural signal of the source a follower does not handle itself
// is followed as a reset: begin() once when the source is about to change (the follower
// calls beginResetModel() if it has not yet), end() when it has (the follower rebuilds and
// calls endResetModel()). A follower that handles row removals itself passes
// RowRemovals::Handled and connects rowsAboutToBeRemoved / rowsRemoved on its own.
enum class RowRemovals { AsReset, Handled };

template <typename Begin, typename End>
void relayStructuralChangesAsReset(QAbstractItemModel *source, QObject *receiver, Begin begin, End end,
                                   RowRemovals removals = RowRemovals::AsReset)
{
    QObject::connect(source, &QAbstractItemModel::modelAboutToBeReset, receiver, begin);
    QObject::connect(source, &QAbstractItemModel::rowsAboutToBeMoved, receiver, begin);
    QObject::connect(source, &QAbstractItemModel::layoutAboutToBeChanged, receiver, begin);
    QObject::connect(source, &QAbstractItemModel::modelReset, receiver, end);
    QObject::connect(source, &QAbstractItemModel::rowsMoved, receiver, end);
    QObject::connect(source, &QAbstractItemModel::layoutChanged, receiver, end);
    if (removals == RowRemovals::AsReset) {
        QObject::connect(source, &QAbstractItemModel::rowsAboutToBeRemoved, receiver, begin);
        QObject::connect(source, &QAbstractItemModel::rowsRemoved, receiver, end);
    }
}

} // namespace fd
