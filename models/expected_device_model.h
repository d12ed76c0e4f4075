#pragma once

#include "core/provisioning/expected_device.h"

#include <QAbstractTableModel>
#include <QList>

namespace fd {

// The expected-devices list (Commissioning page): serial, model, device id, name, site,
// tags, state ("expected", "enrolled yyyy-MM-dd HH:mm"). setDevices() updates rows in place
// when the same serials come back in the same order (an enrolment), else resets. Counts for
// the page's "N of M enrolled". Text from the CSV is plain.
class ExpectedDeviceModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { SerialColumn, ModelColumn, DeviceIdColumn, NameColumn, SiteColumn, TagsColumn, StateColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1, SerialRole, EnrolledRole };

    using QAbstractTableModel::QAbstractTableModel;

    void setDevices(const QList<ExpectedDevice> &devices);
    const QList<ExpectedDevice> &devices() const { return m_rows; }
    const ExpectedDevice *deviceAt(int row) const;
    int rowOfSerial(const QString &serial) const;
    int enrolledCount() const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void countsChanged(int enrolled, int total);

private:
    QList<ExpectedDevice> m_rows;
};

} // namespace fd
