#include "models/pending_request_model.h"

#include "core/domain/plain_text.h"

#include <QDateTime>
#include <QSet>

#include <algorithm>

namespace fd {

void PendingRequestModel::setRequests(QList<PendingRequest> requests)
{
    std::stable_sort(requests.begin(), requests.end(), [](const PendingRequest &a, const PendingRequest &b) {
        return a.record.id < b.record.id;  // oldest first: the order they came in
    });
    QSet<qint64> incoming;
    for (const PendingRequest &r : std::as_const(requests))
        incoming.insert(r.record.id);
    // Rows gone (decided, expired): removed one by one from the bottom.
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (incoming.contains(m_rows.at(row).record.id))
            continue;
        beginRemoveRows(QModelIndex(), row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
    // Rows that stay: in place; new ones: appended (ids only grow).
    QList<PendingRequest> added;
    for (const PendingRequest &r : std::as_const(requests)) {
        const int row = rowOfRequest(r.record.id);
        if (row < 0) {
            added.append(r);
            continue;
        }
        if (m_rows.at(row).record == r.record && m_rows.at(row).expected == r.expected)
            continue;
        m_rows[row] = r;
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
    if (!added.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows(QModelIndex(), first, first + int(added.size()) - 1);
        m_rows.append(added);
        endInsertRows();
    }
}

const PendingRequest *PendingRequestModel::requestAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

int PendingRequestModel::rowOfRequest(qint64 id) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).record.id == id)
            return int(i);
    }
    return -1;
}

int PendingRequestModel::rowOfSerial(const QString &serial) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        const ProvisioningRequestRecord &r = m_rows.at(i).record;
        if (r.kind == ProvisioningRequestRecord::Kind::Enroll && r.serial == serial)
            return int(i);
    }
    return -1;
}

int PendingRequestModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PendingRequestModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PendingRequestModel::data(const QModelIndex &index, int role) const
{
    const PendingRequest *p = index.isValid() ? requestAt(index.row()) : nullptr;
    if (!p)
        return {};
    const ProvisioningRequestRecord &r = p->record;
    switch (role) {
    case RequestIdRole:
        return r.id;
    case SerialRole:
        return r.serial;
    case Qt::ToolTipRole:
        if (index.column() == ListedColumn && p->expected)
            return plainTextAsRichText(tr("On the list as %1 (%2)").arg(p->expected->model, ExpectedDevice::stateKey(p->expected->state)));
        if (!r.reason.isEmpty())
            return plainTextAsRichText(r.reason);
        return {};
    case Qt::DisplayRole:
    case SortRole:
        break;
    default:
        return {};
    }
    const bool sort = role == SortRole;
    switch (index.column()) {
    case SerialColumn: return r.serial;
    case ModelColumn: return r.model;
    case DeviceIdColumn: return r.deviceId;
    case ListedColumn: return p->listed() ? tr("listed") : tr("not on the list");
    case KindColumn:
        return r.kind == ProvisioningRequestRecord::Kind::Rotate ? tr("certificate rotation") : tr("enrolment");
    case ReceivedColumn:
        if (sort)
            return r.receivedMs;
        return r.receivedMs > 0 ? QDateTime::fromMSecsSinceEpoch(r.receivedMs).toString(QStringLiteral("HH:mm:ss"))
                                : QString();
    case SourceColumn: return r.source;
    default: return {};
    }
}

QVariant PendingRequestModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SerialColumn: return tr("Serial");
    case ModelColumn: return tr("Model");
    case DeviceIdColumn: return tr("Asks to be");
    case ListedColumn: return tr("Expected list");
    case KindColumn: return tr("Request");
    case ReceivedColumn: return tr("Received");
    case SourceColumn: return tr("Connection");
    default: return {};
    }
}

} // namespace fd
