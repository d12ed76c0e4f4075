#pragma once

#include "core/ota/rollout.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace fd {

// The devices of one rollout as a table (Rollouts page): device, model, wave, state, download
// progress, attempt, the version it came from, the reason of its last failure or rejection,
// and when it last changed. setDevices() replaces the rows: the same devices in the same
// order (the usual case: the runner reports progress) update in place with dataChanged() per
// changed row; another set resets the model. Text from devices (reason) is plain text.
class RolloutDeviceModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        DeviceColumn, ModelColumn, WaveColumn, StateColumn, ProgressColumn, AttemptColumn, FromColumn,
        ReasonColumn, UpdatedColumn, ColumnCount
    };
    enum Role { SortRole = Qt::UserRole + 1, StateRole, FailureRole };

    using QAbstractTableModel::QAbstractTableModel;

    void setDevices(qint64 rolloutId, const QList<RolloutDevice> &devices);
    void clear();
    qint64 rolloutId() const { return m_rolloutId; }
    const QList<RolloutDevice> &devices() const { return m_devices; }
    const RolloutDevice *deviceAt(int row) const;

    // "canary", "wave 1", ...
    static QString waveName(int wave);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    qint64 m_rolloutId = 0;
    QList<RolloutDevice> m_devices;
};

} // namespace fd
