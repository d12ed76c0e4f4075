#pragma once

#include "core/domain/recent_rejects.h"

#include <QAbstractTableModel>
#include <QList>

namespace fd {

// Kept rejected messages (RejectSample) as a table for Diagnostics > Show Samples…: time,
// reason, connection, device, topic, size. Topic and device are device-provided text, shown
// as plain text (tooltips escaped); PreviewRole gives the payload's safe preview
// (PayloadPreview: escaped text or a hex dump) for a plain-text view.
class RejectSampleModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TimeColumn, ReasonColumn, ConnectionColumn, DeviceColumn, TopicColumn, SizeColumn, ColumnCount };
    enum Role { PreviewRole = Qt::UserRole + 1, DetailRole, ReasonRole };

    using QAbstractTableModel::QAbstractTableModel;

    void setSamples(const QList<RejectSample> &samples);  // a reset: a handful of rows
    const RejectSample *sampleAt(int row) const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<RejectSample> m_samples;
};

} // namespace fd
