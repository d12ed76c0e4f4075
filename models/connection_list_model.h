#pragma once

#include "core/domain/connection_state.h"

#include <QAbstractTableModel>
#include <QList>
#include <QString>

namespace fd {

// The connections of File > Connections…: each saved profile and each other live source
// (demo sites, a --broker URL), with its broker, live state and message rate. Broker and
// detail text come from outside and are shown as plain text (tooltips escaped).
class ConnectionListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, BrokerColumn, StateColumn, RateColumn, ColumnCount };
    enum Role { NameRole = Qt::UserRole + 1, SavedRole, StateRole };

    struct Row
    {
        QString name;
        QString broker;
        bool saved = false;  // a saved profile (editable), else a live-only source
        ConnectionState state = ConnectionState::Disconnected;
        QString detail;      // last error / address, from the transport
        double rate = 0;     // messages per second while connected
    };

    using QAbstractTableModel::QAbstractTableModel;

    void setRows(const QList<Row> &rows);  // a reset: the list is small and rarely rebuilt
    // Updates the row of that name (one dataChanged for the row); false if there is none.
    bool setState(const QString &name, ConnectionState state, const QString &detail);
    bool setRate(const QString &name, double rate);
    bool setBroker(const QString &name, const QString &broker);

    int rowOf(const QString &name) const;  // -1 if unknown
    const Row *rowAt(int row) const;
    QStringList names() const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void rowChanged(int row);
    QString toolTip(const Row &r) const;

    QList<Row> m_rows;
};

} // namespace fd
