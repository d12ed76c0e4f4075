#include "core/pki/certificate_record.h"

namespace fd {

namespace {
constexpr qint64 kDayMs = 24LL * 60 * 60 * 1000;
}

QString CertificateRecord::kindKey(Kind kind)
{
    switch (kind) {
    case Kind::Device:
        return QStringLiteral("device");
    case Kind::Operator:
        return QStringLiteral("operator");
    case Kind::Server:
        return QStringLiteral("server");
    case Kind::Bootstrap:
        return QStringLiteral("bootstrap");
    }
    return QString();
}

std::optional<CertificateRecord::Kind> CertificateRecord::kindFromKey(QStringView key)
{
    for (const Kind k : {Kind::Device, Kind::Operator, Kind::Server, Kind::Bootstrap}) {
        if (key == kindKey(k))
            return k;
    }
    return std::nullopt;
}

QString CertificateRecord::statusKey(Status status)
{
    return status == Status::Revoked ? QStringLiteral("revoked") : QStringLiteral("valid");
}

std::optional<CertificateRecord::Status> CertificateRecord::statusFromKey(QStringView key)
{
    if (key == u"valid")
        return Status::Valid;
    if (key == u"revoked")
        return Status::Revoked;
    return std::nullopt;
}

CertificateRecord CertificateRecord::fromCertificate(const Certificate &cert, Kind kind, const QString &deviceId,
                                                     const QString &issuedBy, const QString &replacesSerial)
{
    CertificateRecord r;
    r.serial = cert.serialHex();
    r.kind = kind;
    r.commonName = cert.subjectCommonName();
    r.deviceId = deviceId;
    r.notBeforeMs = cert.notBeforeMs();
    r.notAfterMs = cert.notAfterMs();
    r.fingerprint = cert.fingerprintSha256();
    r.pem = cert.pem();
    r.issuedBy = issuedBy;
    r.replacesSerial = replacesSerial;
    return r;
}

QString CertificateRecord::effectiveStatusKey(qint64 nowMs, qint64 windowMs) const
{
    if (isRevoked())
        return QStringLiteral("revoked");
    if (isExpired(nowMs))
        return QStringLiteral("expired");
    if (isExpiring(nowMs, windowMs))
        return QStringLiteral("expiring");
    return QStringLiteral("valid");
}

int CertificateRecord::daysLeft(qint64 nowMs) const
{
    return isExpired(nowMs) ? 0 : int((notAfterMs - nowMs) / kDayMs);
}

} // namespace fd
