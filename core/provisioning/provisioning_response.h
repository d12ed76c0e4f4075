#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QString>

#include <optional>

namespace fd {

// FleetDeck's answer to a provisioning or rotation request (docs/protocol.md "Provisioning"),
// on {root}/{serial}/response or {prefix}/{id}/pki/cert:
// {"v":1,"nonce","status":"accepted"|"rejected","reason","message","device_id","serial","certificate","chain"}
// A rejection has reason + message and no certificate; an acceptance has device_id, serial
// (the certificate's, uppercase hex), certificate and chain (PEM: intermediate then root).
struct ProvisioningResponse
{
    Q_DECLARE_TR_FUNCTIONS(fd::ProvisioningResponse)
public:
    static constexpr qsizetype kMaxBytes = 64 * 1024;

    QString nonce;
    bool accepted = false;
    QString reasonKey;   // rejected: a ProvisioningReason key
    QString message;     // rejected: for people
    QString deviceId;
    QString certSerial;
    QByteArray certificatePem;
    QByteArray chainPem;

    static ProvisioningResponse rejection(const QString &nonce, const QString &reasonKey, const QString &message);

    QByteArray toJson() const;
    // Device side (tests, simulators): bounded, strict types; nullopt with *why.
    static std::optional<ProvisioningResponse> parse(QByteArrayView payload, QString *why = nullptr);
};

} // namespace fd
