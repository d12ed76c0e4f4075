#pragma once

#include <QByteArray>
#include <QString>
#include <QStringView>

namespace fd {

// Certificate serial numbers: 16 random bytes from the OS generator, positive (top bit
// clear) and with a non-zero first byte, so every serial is exactly 16 bytes and its hex is
// 32 characters. Uniqueness is enforced by CertificateTable (PRIMARY KEY; the issuer retries
// with a new serial on a clash).
class SerialNumber
{
public:
    static constexpr int kBytes = 16;

    static QByteArray random();
    // Uppercase hex without colons of the magnitude (leading zero bytes dropped; "00" for
    // zero), as Certificate::serialHex() and `openssl x509 -serial` print it.
    static QString toHex(const QByteArray &serial);
    // Parses what toHex() prints (also lowercase, with colons, an odd number of digits);
    // empty for anything else or more than 20 bytes (RFC 5280's limit).
    static QByteArray fromHex(QStringView hex);
    // The canonical form of an operator-typed serial (toHex(fromHex(hex))), empty if invalid.
    static QString normalize(QStringView hex);
};

} // namespace fd
