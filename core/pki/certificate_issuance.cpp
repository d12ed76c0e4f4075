#include "core/pki/certificate_issuance.h"

#include "core/operations/operations_transaction.h"
#include "core/pki/certificate_table.h"
#include "core/pki/serial_number.h"

namespace fd {

std::optional<CertificateRecord> CertificateIssuance::run(OperationsTransaction &transaction, const Sign &sign,
                                                          CertificateRecord::Kind kind, const QString &deviceId,
                                                          const QString &actor, const QString &replacesSerial,
                                                          QString *why, QString *problemKey)
{
    auto refuse = [&](const QString &key, const QString &reason) -> std::optional<CertificateRecord> {
        if (problemKey)
            *problemKey = key;
        if (why)
            *why = reason;
        return std::nullopt;
    };
    for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
        const QByteArray serial = SerialNumber::random();
        QString error;
        bool known = false;
        if (!CertificateTable::exists(transaction.handle(), SerialNumber::toHex(serial), &known, &error))
            return refuse(QStringLiteral("store_failed"), error);
        if (known)
            continue;  // never reuse a serial
        QString key;
        const std::optional<Certificate> cert = sign(serial, &error, &key);
        if (!cert)
            return refuse(key, error);
        CertificateRecord record = CertificateRecord::fromCertificate(*cert, kind, deviceId, actor, replacesSerial);
        record.issuedMs = transaction.nowMs();
        bool clash = false;
        if (CertificateTable::insert(transaction, record, actor, &error, &clash))
            return record;
        if (!clash)
            return refuse(QStringLiteral("store_failed"), error);
    }
    return refuse(QStringLiteral("store_failed"),
                  tr("no free serial number after %1 attempts (the random generator is broken?)").arg(kMaxAttempts));
}

} // namespace fd
