#pragma once

#include "core/pki/certificate.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QMetaType>
#include <QString>
#include <QStringView>

#include <optional>

namespace fd {

// One row of the operations store's certificates table (schema v4): a certificate the
// fleet CA issued. "expired" and "expiring" are not stored: they derive from now.
struct CertificateRecord
{
    Q_DECLARE_TR_FUNCTIONS(fd::CertificateRecord)
public:
    enum class Kind { Device, Operator, Server, Bootstrap };
    enum class Status { Valid, Revoked };

    QString serial;             // uppercase hex, no colons (Certificate::serialHex)
    Kind kind = Kind::Device;
    QString commonName;
    QString deviceId;           // device certificates; empty otherwise
    qint64 notBeforeMs = 0;
    qint64 notAfterMs = 0;
    Status status = Status::Valid;
    qint64 revokedMs = 0;       // 0: not revoked
    QString revokeReason;
    QString replacesSerial;     // rotation: the certificate this one replaces
    QString replacedBySerial;
    QString fingerprint;        // SHA-256 "AB:CD:..."
    QByteArray pem;
    qint64 issuedMs = 0;        // 0: the time the job runs
    QString issuedBy;

    // "device", "operator", "server", "bootstrap".
    static QString kindKey(Kind kind);
    static std::optional<Kind> kindFromKey(QStringView key);
    // "valid", "revoked".
    static QString statusKey(Status status);
    static std::optional<Status> statusFromKey(QStringView key);

    // The row of an issued certificate (status valid).
    static CertificateRecord fromCertificate(const Certificate &cert, Kind kind, const QString &deviceId,
                                             const QString &issuedBy, const QString &replacesSerial = QString());

    bool isRevoked() const { return status == Status::Revoked; }
    bool isExpired(qint64 nowMs) const { return notAfterMs <= nowMs; }
    // Valid (not revoked), not yet expired, and expiring within windowMs of now.
    bool isExpiring(qint64 nowMs, qint64 windowMs) const
    {
        return !isRevoked() && !isExpired(nowMs) && notAfterMs <= nowMs + windowMs;
    }
    // "revoked", "expired", "expiring" (within windowMs) or "valid".
    QString effectiveStatusKey(qint64 nowMs, qint64 windowMs) const;
    // Whole days left until notAfter (0 when expired), rounded down.
    int daysLeft(qint64 nowMs) const;

    friend bool operator==(const CertificateRecord &, const CertificateRecord &) = default;
};

} // namespace fd

Q_DECLARE_METATYPE(fd::CertificateRecord)
