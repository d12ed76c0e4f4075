#pragma once

#include "core/domain/device.h"
#include "core/domain/ingest_stats.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace fd {

// Rejected messages for the diagnostics view: one row per device that had rejects, plus
// bucket rows for rejects that name no valid device ("(invalid device id)",
// "(unknown topic)", "(other unattributed)") from IngestStats::unattributed.
// Columns: source, one count per RejectReason, total. Rows are only appended (one
// beginInsertRows per update) and changed in one dataChanged range per update.
class RejectionModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { SourceColumn, FirstReasonColumn, TotalColumn = FirstReasonColumn + int(kAllRejectReasons.size()), ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1, DeviceIdRole /* empty for bucket rows */ };

    explicit RejectionModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static RejectReason reasonForColumn(int column);  // column in [FirstReasonColumn, TotalColumn)

    RejectCounts totals() const { return m_totals; }
    quint64 total() const { return totalRejects(m_totals); }

public slots:
    void resetDevices(const QList<fd::Device> &devices);
    void applyDevices(const QList<fd::Device> &changed);
    void applyStats(const fd::IngestStats &stats);

signals:
    void totalsChanged();

private:
    struct Row
    {
        QString key;       // device id, or a bucket key starting with '#'
        bool bucket = false;
        RejectCounts counts{};
    };

    // Updates or appends the given rows as one insert + one dataChanged range.
    void merge(const QList<Row> &rows);
    void recomputeTotals();
    QString bucketLabel(const QString &key) const;

    QList<Row> m_rows;
    QHash<QString, int> m_rowByKey;
    RejectCounts m_totals{};
};

} // namespace fd
