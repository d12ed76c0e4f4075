#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QString>

#include <optional>

namespace fd {

// A device's provisioning request (docs/protocol.md "Provisioning"), parsed from untrusted
// bytes: at most 16 KiB, a UTF-8 JSON object of version 1, strict types, bounded strings.
//   enroll   {root}/{serial}/request  {"v":1,"serial","model","claim"|"claim_sha256","device_id","csr","nonce","ts"}
//   rotate   {prefix}/{id}/pki/csr    {"v":1,"nonce","ts","csr"}   (the device id is the topic's)
// Unknown fields are ignored. The device id is kept as sent (up to 256 chars) for the record;
// whether it is acceptable is ProvisioningChecker's verdict (invalid_device_id).
struct ProvisioningRequest
{
    Q_DECLARE_TR_FUNCTIONS(fd::ProvisioningRequest)
public:
    enum class Kind { Enroll, Rotate };

    static constexpr qsizetype kMaxBytes = 16 * 1024;
    static constexpr qsizetype kMaxCsrBytes = 8 * 1024;
    static constexpr qsizetype kMaxModelChars = 64;
    static constexpr qsizetype kMaxClaimChars = 128;
    static constexpr qsizetype kMaxDeviceIdChars = 256;  // what is kept of a bad one, for the record

    Kind kind = Kind::Enroll;
    QString serial;      // Enroll: [A-Za-z0-9._-]{1,64}, equal to the topic's
    QString model;       // Enroll: 1..64 printable chars
    QString claimHash;   // Enroll: lowercase hex SHA-256(serial + ':' + code), given or computed
    QString deviceId;    // Enroll: as asked (default: the serial lowercased); Rotate: the topic's
    QByteArray csrPem;   // ≤ 8 KiB
    QString nonce;       // 32..64 hex chars, lowercased
    qint64 tsMs = 0;     // the device's clock, ms since the epoch

    struct Error
    {
        QString key;     // ProvisioningReason: malformed, too_large, csr_too_large
        QString detail;  // for people and logs
        QString nonce;   // the request's nonce when it could be read (the answer echoes it)
    };

    static std::optional<ProvisioningRequest> parseEnroll(QByteArrayView payload, const QString &topicSerial,
                                                          Error *error);
    static std::optional<ProvisioningRequest> parseRotation(QByteArrayView payload, const QString &topicDeviceId,
                                                            Error *error);

    // The JSON a device sends (tests, simulators). Enroll: claim_sha256 unless claimCode is given.
    QByteArray toJson(const QString &claimCode = QString()) const;
};

} // namespace fd
