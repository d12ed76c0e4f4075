#pragma once

#include <QAbstractItemModel>

namespace fd {

// For models that follow DeviceInventoryModel (the proxy, the tree): the inventory changes
// the structure of its rows only by resets (it inserts, never removes or moves rows), so
// every structural signal of the source is followed as a reset: begin() once when the
// source is about to change (the follower calls beginResetModel() if it has not yet), end()
// when it has (the follower rebuilds and calls endResetModel()).
template <typename Begin, typename End>
void relayStructuralChangesAsReset(QAbstractItemModel *source, QObject *receiver, Begin begin, End end)
{
    QObject::connect(source, &QAbstractItemModel::modelAboutToBeReset, receiver, begin);
    QObject::connect(source, &QAbstractItemModel::rowsAboutToBeRemoved, receiver, begin);
    QObject::connect(source, &QAbstractItemModel::rowsAboutToBeMoved, receiver, begin);
    QObject::connect(source, &QAbstractItemModel::layoutAboutToBeChanged, receiver, begin);
    QObject::connect(source, &QAbstractItemModel::modelReset, receiver, end);
    QObject::connect(source, &QAbstractItemModel::rowsRemoved, receiver, end);
    QObject::connect(source, &QAbstractItemModel::rowsMoved, receiver, end);
    QObject::connect(source, &QAbstractItemModel::layoutChanged, receiver, end);
}

} // namespace fd
