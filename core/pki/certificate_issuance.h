#pragma once

#include "core/pki/certificate.h"
#include "core/pki/certificate_record.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <functional>
#include <optional>

namespace fd {

class OperationsTransaction;

// Issues a certificate with a fresh random serial and records it, inside one operations
// job's transaction: draws a serial, skips it if the table knows it already, signs, inserts
// (CertificateTable::insert); on a serial clash it tries again (kMaxAttempts). Used by
// CertificateAuthorityService, fleetdeckctl pki and provisioning.
class CertificateIssuance
{
    Q_DECLARE_TR_FUNCTIONS(fd::CertificateIssuance)
public:
    static constexpr int kMaxAttempts = 8;

    // Signs with the given serial; std::nullopt with the reason (and its key) on refusal.
    using Sign = std::function<std::optional<Certificate>(const QByteArray &serial, QString *why, QString *problemKey)>;

    // The inserted row, or std::nullopt with the reason and its key ("store_failed" for a
    // database failure, otherwise what sign() reported).
    static std::optional<CertificateRecord> run(OperationsTransaction &transaction, const Sign &sign,
                                                CertificateRecord::Kind kind, const QString &deviceId,
                                                const QString &actor, const QString &replacesSerial, QString *why,
                                                QString *problemKey = nullptr);
};

} // namespace fd
