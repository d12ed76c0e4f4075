#pragma once

#include "core/pki/certificate_record.h"

#include <QAbstractTableModel>
#include <QList>

namespace fd {

// The fleet CA's certificates as a table (Commissioning > Certificates): serial, device (or
// common name), kind, valid until, and status: "valid", "expiring in N days" (within the
// expiry window, default 30 days), "expires today", "expired", "revoked". Status derives
// from now (setNowMs(); the page ticks it). setCertificates() updates rows in place when
// the same certificates come back (a revocation), else resets. Device text is plain.
class CertificateListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { SerialColumn, SubjectColumn, KindColumn, ValidUntilColumn, StatusColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1, SerialRole, StatusKeyRole, DeviceIdRole };

    static constexpr qint64 kDefaultExpiryWindowMs = 30LL * 24 * 3600 * 1000;

    using QAbstractTableModel::QAbstractTableModel;

    void setCertificates(const QList<CertificateRecord> &certificates);
    const QList<CertificateRecord> &certificates() const { return m_rows; }
    const CertificateRecord *certificateAt(int row) const;
    int rowOfSerial(const QString &serial) const;  // -1 if unknown

    void setNowMs(qint64 nowMs);          // 0 (default): the clock at each call
    void setExpiryWindowMs(qint64 windowMs);
    qint64 expiryWindowMs() const { return m_windowMs; }

    // "revoked", "expired", "expiring", "valid".
    QString statusKey(const CertificateRecord &record) const;
    // What the Status column shows: "expiring in 12 days", "expired", "revoked", …
    QString statusText(const CertificateRecord &record) const;
    static QString kindText(CertificateRecord::Kind kind);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    qint64 now() const;

    QList<CertificateRecord> m_rows;
    qint64 m_nowMs = 0;
    qint64 m_windowMs = kDefaultExpiryWindowMs;
};

} // namespace fd
