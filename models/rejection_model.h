#pragma once

#include "core/domain/device.h"
#include "core/domain/ingest_stats.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace fd {

// Rejected messages for the diagnostics view, one row per:
//  - device of the inventory that had rejects (its persisted counts; keyed by source + path,
//    so the same id on two connections is two rows);
//  - device that is not in the inventory (none of its messages was accepted, or it is over
//    the source's device limit): IngestStats::sources[source].unknownDevices; such a row
//    becomes the device's row if the device is accepted later;
//  - bucket of rejects that name no valid device ("(invalid device id)", "(unknown topic)",
//    "(more new devices over the limit)": those past the 1,000 unknown devices listed one by
//    one, "(other unattributed)") from IngestStats::unattributed.
// Columns: source (the device's path, or the bucket), one count per RejectReason, total,
// and the connection the device is heard on. Rows are appended (one beginInsertRows per
// update), changed in one dataChanged range per update, and removed only with the device
// (removeDevices()).
class RejectionModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        SourceColumn,
        FirstReasonColumn,
        TotalColumn = FirstReasonColumn + int(kAllRejectReasons.size()),
        ConnectionColumn,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1,
        DeviceIdRole,   // QString, the device's own id; empty for bucket rows
        DeviceKeyRole,  // fd::DeviceKey; null for bucket rows
        InInventoryRole // bool: a device of the inventory (not an unknown device, not a bucket)
    };

    explicit RejectionModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static RejectReason reasonForColumn(int column);  // column in [FirstReasonColumn, TotalColumn)

    RejectCounts totals() const { return m_totals; }
    quint64 total() const { return totalRejects(m_totals); }
    int rowOf(const DeviceKey &device) const { return m_rowByKey.value(device, -1); }
    // The last few rejected messages per reason (IngestStats::recentRejects, session only).
    const RecentRejects &recentRejects() const { return m_recent; }

public slots:
    void resetDevices(const QList<fd::Device> &devices);
    void applyDevices(const QList<fd::Device> &changed);
    void applyStats(const fd::IngestStats &stats);
    // The devices were deleted: their rows go (their rejects went with them).
    void removeDevices(const QList<fd::DeviceKey> &devices);
    // Every row and kept sample goes (Diagnostics > Reset Counters, after
    // FleetSession::resetRejectCounters(); devices whose counts come back as zero stay out).
    void clear();

signals:
    void totalsChanged();
    void recentRejectsChanged();

private:
    enum class Kind : quint8 { Device, UnknownDevice, Bucket };
    struct Row
    {
        DeviceKey key;  // buckets: no source, the bucket's key as path
        Kind kind = Kind::Device;
        RejectCounts counts{};
    };

    // Updates or appends the given rows as one insert + one dataChanged range.
    void merge(const QList<Row> &rows);
    void recomputeTotals();
    QString bucketLabel(const QString &key) const;
    QString sourceText(const Row &row) const;

    QList<Row> m_rows;
    QHash<DeviceKey, int> m_rowByKey;
    RejectCounts m_totals{};
    RecentRejects m_recent;
};

} // namespace fd
