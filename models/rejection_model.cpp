#include "models/rejection_model.h"

#include "models/reject_reason_labels.h"

#include <QColor>
#include <QFont>
#include <QLocale>

#include <limits>
#include <utility>

namespace fd {

namespace {
// Bucket keys cannot collide with device ids (which are [A-Za-z0-9._-]).
const QString kInvalidIdBucket = QStringLiteral("#invalid-id");
const QString kUnknownTopicBucket = QStringLiteral("#unknown-topic");
const QString kOtherBucket = QStringLiteral("#other");
} // namespace

RejectionModel::RejectionModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int RejectionModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RejectionModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

RejectReason RejectionModel::reasonForColumn(int column)
{
    return kAllRejectReasons[size_t(qBound(0, column - FirstReasonColumn, int(kAllRejectReasons.size()) - 1))];
}

QString RejectionModel::bucketLabel(const QString &key) const
{
    if (key == kInvalidIdBucket)
        return tr("(invalid device id)");
    if (key == kUnknownTopicBucket)
        return tr("(unknown topic)");
    return tr("(other unattributed)");
}

QVariant RejectionModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const int column = index.column();
    const quint64 value = column == TotalColumn ? totalRejects(row.counts)
                          : column >= FirstReasonColumn ? row.counts[size_t(reasonForColumn(column))]
                                                        : 0;
    switch (role) {
    case Qt::DisplayRole:
        if (column == SourceColumn)
            return row.bucket ? bucketLabel(row.key) : row.key;
        return value == 0 && column != TotalColumn ? QString() : QLocale().toString(value);
    case SortRole:
        if (column == SourceColumn)
            return row.bucket ? QString() : row.key;  // buckets first when ascending
        return value;
    case DeviceIdRole:
        return row.bucket ? QString() : row.key;
    case Qt::ToolTipRole:
        if (column == SourceColumn && row.bucket)
            return tr("Messages that could not be attributed to a valid device.");
        if (column >= FirstReasonColumn && column < TotalColumn)
            return rejectReasonDescription(reasonForColumn(column));
        return {};
    case Qt::TextAlignmentRole:
        return QVariant::fromValue((column == SourceColumn ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter);
    case Qt::FontRole:
        if (row.bucket && column == SourceColumn) {
            QFont f;
            f.setItalic(true);
            return f;
        }
        return {};
    default:
        return {};
    }
}

QVariant RejectionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue((section == SourceColumn ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && section >= FirstReasonColumn && section < TotalColumn)
        return rejectReasonDescription(reasonForColumn(section));
    if (role != Qt::DisplayRole)
        return {};
    if (section == SourceColumn)
        return tr("Source");
    if (section == TotalColumn)
        return tr("Total");
    return rejectReasonLabel(reasonForColumn(section));
}

void RejectionModel::resetDevices(const QList<Device> &devices)
{
    beginResetModel();
    m_rows.clear();
    m_rowByKey.clear();
    for (const Device &d : devices) {
        if (d.rejectedCount() == 0 || m_rowByKey.contains(d.id))
            continue;
        m_rowByKey.insert(d.id, int(m_rows.size()));
        m_rows.append(Row{d.id, false, d.rejects});
    }
    endResetModel();
    recomputeTotals();
}

void RejectionModel::applyDevices(const QList<Device> &changed)
{
    QList<Row> rows;
    for (const Device &d : changed) {
        if (d.rejectedCount() > 0 || m_rowByKey.contains(d.id))
            rows.append(Row{d.id, false, d.rejects});
    }
    merge(rows);
}

void RejectionModel::applyStats(const IngestStats &stats)
{
    Row invalidId{kInvalidIdBucket, true, {}};
    Row unknownTopic{kUnknownTopicBucket, true, {}};
    Row other{kOtherBucket, true, {}};
    for (RejectReason r : kAllRejectReasons) {
        const quint32 n = stats.unattributed[size_t(r)];
        if (r == RejectReason::BadDeviceId)
            invalidId.counts[size_t(r)] = n;
        else if (r == RejectReason::UnknownTopic)
            unknownTopic.counts[size_t(r)] = n;
        else
            other.counts[size_t(r)] = n;
    }
    QList<Row> rows;
    for (const Row &row : {invalidId, unknownTopic, other}) {
        if (totalRejects(row.counts) > 0 || m_rowByKey.contains(row.key))
            rows.append(row);
    }
    merge(rows);
}

void RejectionModel::merge(const QList<Row> &rows)
{
    int firstChanged = std::numeric_limits<int>::max();
    int lastChanged = -1;
    QList<Row> added;
    for (const Row &row : rows) {
        const int existing = m_rowByKey.value(row.key, -1);
        if (existing < 0) {
            added.append(row);
            continue;
        }
        if (m_rows.at(existing).counts == row.counts)
            continue;
        m_rows[existing].counts = row.counts;
        firstChanged = std::min(firstChanged, existing);
        lastChanged = std::max(lastChanged, existing);
    }
    if (lastChanged >= 0)
        emit dataChanged(index(firstChanged, 0), index(lastChanged, ColumnCount - 1));
    if (!added.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows(QModelIndex(), first, first + int(added.size()) - 1);
        for (const Row &row : std::as_const(added)) {
            m_rowByKey.insert(row.key, int(m_rows.size()));
            m_rows.append(row);
        }
        endInsertRows();
    }
    if (lastChanged >= 0 || !added.isEmpty())
        recomputeTotals();
}

void RejectionModel::recomputeTotals()
{
    RejectCounts totals{};
    for (const Row &row : std::as_const(m_rows)) {
        for (size_t i = 0; i < totals.size(); ++i)
            totals[i] += row.counts[i];
    }
    m_totals = totals;
    emit totalsChanged();
}

} // namespace fd
