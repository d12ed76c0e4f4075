#pragma once

#include <QString>

namespace fd {

// Loads the TLS material of a profile with OpenSSL before any connection is attempted, so
// problems that no retry can fix are reported precisely: a CA file without certificates, a
// client key that does not decrypt with the passphrase, a key that does not match the
// certificate. (Paho would only fail the handshake later, with less detail.)
class TlsFileCheck
{
public:
    // Each returns an operator-readable problem, or an empty string when fine.
    static QString checkCaFile(const QString &path);
    static QString checkClientIdentity(const QString &certPath, const QString &keyPath, const QString &passphrase);
};

} // namespace fd
