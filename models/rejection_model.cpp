#include "models/rejection_model.h"

#include "models/reject_reason_labels.h"

#include <QColor>
#include <QFont>
#include <QLocale>

#include <limits>
#include <utility>

namespace fd {

namespace {
// Bucket rows have no source; their keys cannot be device paths (which have no '#').
const QString kInvalidIdBucket = QStringLiteral("#invalid-id");
const QString kUnknownTopicBucket = QStringLiteral("#unknown-topic");
const QString kDeviceLimitBucket = QStringLiteral("#device-limit");
const QString kOtherBucket = QStringLiteral("#other");

DeviceKey bucketKey(const QString &bucket)
{
    return DeviceKey(QString(), bucket);
}
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
    if (key == kDeviceLimitBucket)
        return tr("(more new devices over the limit)");
    return tr("(other unattributed)");
}

QString RejectionModel::sourceText(const Row &row) const
{
    switch (row.kind) {
    case Kind::Bucket: return bucketLabel(row.key.path);
    case Kind::UnknownDevice: return tr("%1 (not in the inventory)").arg(row.key.path);
    case Kind::Device: break;
    }
    return row.key.path;
}

QVariant RejectionModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const bool bucket = row.kind == Kind::Bucket;
    const int column = index.column();
    const bool countColumn = column >= FirstReasonColumn && column <= TotalColumn;
    const quint64 value = column == TotalColumn ? totalRejects(row.counts)
                          : countColumn         ? row.counts[size_t(reasonForColumn(column))]
                                                : 0;
    switch (role) {
    case Qt::DisplayRole:
        if (column == SourceColumn)
            return sourceText(row);
        if (column == ConnectionColumn)
            return row.key.source;
        return value == 0 && column != TotalColumn ? QString() : QLocale().toString(value);
    case SortRole:
        if (column == SourceColumn)
            return bucket ? QString() : row.key.path;  // buckets first when ascending
        if (column == ConnectionColumn)
            return row.key.source;
        return value;
    case DeviceIdRole:
        return bucket ? QString() : row.key.id();
    case DeviceKeyRole:
        return QVariant::fromValue(bucket ? DeviceKey() : row.key);
    case InInventoryRole:
        return row.kind == Kind::Device;
    case Qt::ToolTipRole:
        if (column == SourceColumn && bucket)
            return tr("Messages that could not be attributed to a valid device.");
        if (column == SourceColumn && row.kind == Kind::UnknownDevice)
            return tr("No message of this device was accepted, so it is not in the inventory (and not in "
                      "the cache); its rejects are counted here for this session. If a message of it is "
                      "accepted, it becomes a device with these rejects.");
        if (countColumn && column != TotalColumn)
            return rejectReasonDescription(reasonForColumn(column));
        return {};
    case Qt::TextAlignmentRole:
        return QVariant::fromValue((countColumn ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    case Qt::FontRole:
        if (row.kind != Kind::Device && column == SourceColumn) {
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
    const bool countColumn = section >= FirstReasonColumn && section <= TotalColumn;
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue((countColumn ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && countColumn && section != TotalColumn)
        return rejectReasonDescription(reasonForColumn(section));
    if (role == Qt::ToolTipRole && section == SourceColumn)
        return tr("Counts of devices in the inventory are stored in the cache and survive a restart; "
                  "devices not in the inventory and the rows in parentheses are counted since the start "
                  "(or the last reset) only.");
    if (role == Qt::ToolTipRole && section == TotalColumn)
        return tr("All reasons together");
    if (role == Qt::ToolTipRole && section == ConnectionColumn)
        return tr("The connection (broker profile) the device is heard on");
    if (role != Qt::DisplayRole)
        return {};
    if (section == SourceColumn)
        return tr("Source");
    if (section == TotalColumn)
        return tr("Total");
    if (section == ConnectionColumn)
        return tr("Connection");
    return rejectReasonLabel(reasonForColumn(section));
}

void RejectionModel::resetDevices(const QList<Device> &devices)
{
    beginResetModel();
    m_rows.clear();
    m_rowByKey.clear();
    for (const Device &d : devices) {
        const DeviceKey key = d.key();
        if (d.rejectedCount() == 0 || m_rowByKey.contains(key))
            continue;
        m_rowByKey.insert(key, int(m_rows.size()));
        m_rows.append(Row{key, Kind::Device, d.rejects});
    }
    endResetModel();
    recomputeTotals();
}

void RejectionModel::applyDevices(const QList<Device> &changed)
{
    QList<Row> rows;
    for (const Device &d : changed) {
        const DeviceKey key = d.key();
        if (d.rejectedCount() > 0 || m_rowByKey.contains(key))
            rows.append(Row{key, Kind::Device, d.rejects});
    }
    merge(rows);
}

void RejectionModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_rowByKey.clear();
    endResetModel();
    m_recent.clear();
    recomputeTotals();
    emit recentRejectsChanged();
}

void RejectionModel::applyStats(const IngestStats &stats)
{
    if (stats.recentRejects.revision() != m_recent.revision() || stats.recentRejects.size() != m_recent.size()) {
        m_recent = stats.recentRejects;
        emit recentRejectsChanged();
    }
    Row invalidId{bucketKey(kInvalidIdBucket), Kind::Bucket, {}};
    Row unknownTopic{bucketKey(kUnknownTopicBucket), Kind::Bucket, {}};
    Row deviceLimit{bucketKey(kDeviceLimitBucket), Kind::Bucket, {}};
    Row other{bucketKey(kOtherBucket), Kind::Bucket, {}};
    for (RejectReason r : kAllRejectReasons) {
        const quint32 n = stats.unattributed[size_t(r)];
        if (r == RejectReason::BadDeviceId)
            invalidId.counts[size_t(r)] = n;
        else if (r == RejectReason::UnknownTopic)
            unknownTopic.counts[size_t(r)] = n;
        else if (r == RejectReason::DeviceLimit)
            deviceLimit.counts[size_t(r)] = n;
        else
            other.counts[size_t(r)] = n;
    }
    QList<Row> rows;
    for (const Row &row : {invalidId, unknownTopic, deviceLimit, other}) {
        if (totalRejects(row.counts) > 0 || m_rowByKey.contains(row.key))
            rows.append(row);
    }
    for (auto source = stats.sources.cbegin(); source != stats.sources.cend(); ++source) {
        const QMap<QString, RejectCounts> &unknown = source->unknownDevices;
        for (auto it = unknown.cbegin(); it != unknown.cend(); ++it) {
            const DeviceKey key(source.key(), it.key());
            const int existing = m_rowByKey.value(key, -1);
            if (existing >= 0 && m_rows.at(existing).kind == Kind::Device)
                continue;  // accepted meanwhile: the device's own counts are newer
            rows.append(Row{key, Kind::UnknownDevice, it.value()});
        }
    }
    merge(rows);
}

void RejectionModel::removeDevices(const QList<DeviceKey> &devices)
{
    QList<int> doomed;
    for (const DeviceKey &key : devices) {
        const int row = m_rowByKey.value(key, -1);
        if (row >= 0 && m_rows.at(row).kind == Kind::Device)
            doomed.append(row);
    }
    if (doomed.isEmpty())
        return;
    std::sort(doomed.begin(), doomed.end());
    // Contiguous runs, last first, so the earlier rows keep their numbers meanwhile.
    for (qsizetype end = doomed.size(); end > 0;) {
        qsizetype begin = end - 1;
        while (begin > 0 && doomed.at(begin - 1) == doomed.at(begin) - 1)
            --begin;
        const int first = doomed.at(begin);
        const int last = doomed.at(end - 1);
        beginRemoveRows(QModelIndex(), first, last);
        m_rows.remove(first, last - first + 1);
        endRemoveRows();
        end = begin;
    }
    m_rowByKey.clear();
    for (int i = 0; i < m_rows.size(); ++i)
        m_rowByKey.insert(m_rows.at(i).key, i);
    recomputeTotals();
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
        Row &current = m_rows[existing];
        if (current.counts == row.counts && current.kind == row.kind)
            continue;
        current.counts = row.counts;
        current.kind = row.kind;
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
