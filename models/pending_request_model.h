#pragma once

#include "core/provisioning/provisioning_service.h"

#include <QAbstractTableModel>
#include <QList>

namespace fd {

// The provisioning requests waiting for a technician (Commissioning page), live: serial,
// model, the device id asked for, whether the serial is on the expected-devices list, kind
// (enrol / rotate), when it came and on which connection. setRequests() keeps rows that
// stay (by request id) in place, removes decided ones and appends new ones, so a selection
// survives a new request arriving. Text from devices is plain.
class PendingRequestModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { SerialColumn, ModelColumn, DeviceIdColumn, ListedColumn, KindColumn, ReceivedColumn, SourceColumn,
                  ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1, RequestIdRole, SerialRole };

    using QAbstractTableModel::QAbstractTableModel;

    void setRequests(QList<PendingRequest> requests);
    const QList<PendingRequest> &requests() const { return m_rows; }
    const PendingRequest *requestAt(int row) const;
    int rowOfRequest(qint64 id) const;
    int rowOfSerial(const QString &serial) const;  // the first enrol request of serial, or -1

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<PendingRequest> m_rows;
};

} // namespace fd
