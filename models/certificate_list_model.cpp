#include "models/certificate_list_model.h"

#include "core/domain/plain_text.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>

namespace fd {

namespace {

constexpr qint64 kDayMs = 24LL * 3600 * 1000;

QString dateText(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QString();
}

} // namespace

qint64 CertificateListModel::now() const
{
    return m_nowMs > 0 ? m_nowMs : QDateTime::currentMSecsSinceEpoch();
}

void CertificateListModel::setCertificates(const QList<CertificateRecord> &certificates)
{
    bool sameRows = certificates.size() == m_rows.size();
    for (qsizetype i = 0; sameRows && i < certificates.size(); ++i)
        sameRows = certificates.at(i).serial == m_rows.at(i).serial;
    if (!sameRows) {
        beginResetModel();
        m_rows = certificates;
        endResetModel();
        return;
    }
    for (qsizetype i = 0; i < certificates.size(); ++i) {
        if (certificates.at(i) == m_rows.at(i))
            continue;
        m_rows[i] = certificates.at(i);
        emit dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
    }
}

const CertificateRecord *CertificateListModel::certificateAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

int CertificateListModel::rowOfSerial(const QString &serial) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).serial == serial)
            return int(i);
    }
    return -1;
}

void CertificateListModel::setNowMs(qint64 nowMs)
{
    m_nowMs = nowMs;
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, StatusColumn), index(int(m_rows.size()) - 1, StatusColumn));
}

void CertificateListModel::setExpiryWindowMs(qint64 windowMs)
{
    m_windowMs = qMax<qint64>(0, windowMs);
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, StatusColumn), index(int(m_rows.size()) - 1, StatusColumn));
}

QString CertificateListModel::statusKey(const CertificateRecord &record) const
{
    const qint64 t = now();
    if (record.isRevoked())
        return QStringLiteral("revoked");
    if (record.isExpired(t))
        return QStringLiteral("expired");
    if (record.isExpiring(t, m_windowMs))
        return QStringLiteral("expiring");
    return QStringLiteral("valid");
}

QString CertificateListModel::statusText(const CertificateRecord &record) const
{
    const QString key = statusKey(record);
    if (key == u"revoked")
        return tr("revoked");
    if (key == u"expired")
        return tr("expired");
    if (key == u"expiring") {
        const int days = int((record.notAfterMs - now()) / kDayMs);
        if (days <= 0)
            return tr("expires today");
        return days == 1 ? tr("expiring in 1 day") : tr("expiring in %1 days").arg(days);
    }
    return tr("valid");
}

QString CertificateListModel::kindText(CertificateRecord::Kind kind)
{
    switch (kind) {
    case CertificateRecord::Kind::Device: return tr("device");
    case CertificateRecord::Kind::Operator: return tr("operator");
    case CertificateRecord::Kind::Server: return tr("server");
    case CertificateRecord::Kind::Bootstrap: return tr("bootstrap");
    }
    return {};
}

int CertificateListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CertificateListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CertificateListModel::data(const QModelIndex &index, int role) const
{
    const CertificateRecord *r = index.isValid() ? certificateAt(index.row()) : nullptr;
    if (!r)
        return {};
    switch (role) {
    case SerialRole:
        return r->serial;
    case StatusKeyRole:
        return statusKey(*r);
    case DeviceIdRole:
        return r->deviceId;
    case Qt::ToolTipRole:
        if (index.column() == StatusColumn && r->isRevoked()) {
            const QString when = dateText(r->revokedMs);
            // Tooltips guess rich text: the reason is shown as the characters it has.
            return plainTextAsRichText(r->revokeReason.isEmpty() ? tr("Revoked %1").arg(when)
                                                                 : tr("Revoked %1: %2").arg(when, r->revokeReason));
        }
        if (index.column() == SerialColumn)
            return plainTextAsRichText(tr("SHA-256 %1").arg(r->fingerprint));
        return {};
    case Qt::ForegroundRole:
        if (index.column() == StatusColumn) {
            const QString key = statusKey(*r);
            if (key == u"expired" || key == u"revoked")
                return QBrush(QColor(0xb3, 0x26, 0x1e));
            if (key == u"expiring")
                return QBrush(QColor(0xa1, 0x5c, 0x00));
        }
        return {};
    case Qt::DisplayRole:
    case SortRole:
        break;
    default:
        return {};
    }
    const bool sort = role == SortRole;
    switch (index.column()) {
    case SerialColumn:
        return r->serial;
    case SubjectColumn:
        if (r->deviceId.isEmpty() || r->deviceId == r->commonName)
            return r->commonName;
        return tr("%1 (CN %2)").arg(r->deviceId, r->commonName);
    case KindColumn:
        return sort ? QVariant(int(r->kind)) : QVariant(kindText(r->kind));
    case ValidUntilColumn:
        return sort ? QVariant(r->notAfterMs) : QVariant(dateText(r->notAfterMs));
    case StatusColumn:
        if (sort) {  // the ones needing attention first in ascending order
            const QString key = statusKey(*r);
            const int rank = key == u"expiring" ? 0 : key == u"expired" ? 1 : key == u"valid" ? 2 : 3;
            return qint64(rank) * (qint64(1) << 50) + r->notAfterMs / 1000;
        }
        return statusText(*r);
    default:
        return {};
    }
}

QVariant CertificateListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SerialColumn: return tr("Serial");
    case SubjectColumn: return tr("Device / CN");
    case KindColumn: return tr("Kind");
    case ValidUntilColumn: return tr("Valid until");
    case StatusColumn: return tr("Status");
    default: return {};
    }
}

} // namespace fd
