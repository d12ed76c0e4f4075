#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

namespace fd {

// The identifiers of provisioning (docs/protocol.md "Provisioning"), all from devices and so
// checked before use:
// - serial: 1..64 chars of [A-Za-z0-9._-] (also a topic level and the bootstrap client id);
// - device id (the certificate's CN): 1..64 chars of [A-Za-z0-9._-], not starting with '.',
//   not one of the reserved names "bootstrap" and "fleetdeck-operator";
// - nonce: 32..64 hex chars (compared lowercased);
// - claim hash: SHA-256(serial + ':' + claim code), 64 lowercase hex chars. A claim code is
//   never stored, only this hash.
class ProvisioningIds
{
    Q_DECLARE_TR_FUNCTIONS(fd::ProvisioningIds)
public:
    static constexpr qsizetype kMaxIdChars = 64;

    static bool isValidSerial(const QString &serial);
    // The character set and length only (topic levels): any [A-Za-z0-9._-]{1,64}.
    static bool isValidDeviceIdSyntax(const QString &id);
    // What FleetDeck will put in a certificate: syntax, no leading '.', not reserved. False
    // with a reason for people.
    static bool isValidDeviceId(const QString &id, QString *why = nullptr);
    static bool isReservedDeviceId(const QString &id);
    static bool isValidNonce(const QString &nonce);
    static bool isValidClaimHash(const QString &hash);

    static QString claimHash(const QString &serial, const QString &claimCode);
    // Constant time for equal lengths (claim hashes are secrets' digests).
    static bool sameHash(const QString &a, const QString &b);
    // The default device id a factory device asks for: its serial lowercased.
    static QString defaultDeviceId(const QString &serial) { return serial.toLower(); }
};

} // namespace fd
