#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace fd::sim {

// A simulated device's own key and certificate request (OpenSSL 3), made on the device:
// the private key never leaves it. The key is written as unencrypted PKCS#8 PEM (a simulated
// device has no secure element); the CSR's subject is CN=<commonName> only, signed with
// SHA-256.
class DeviceCsr
{
public:
    // P256: what a device should use. P192 and Rsa1024: weak keys (--factory-fault weak-key).
    enum class KeyKind { P256, P192, Rsa1024 };

    struct Made
    {
        QByteArray keyPem;
        QByteArray csrPem;
    };

    // breakSignature: one byte of the signature flipped (--factory-fault bad-csr); the CSR
    // still parses, its signature does not verify. nullopt with *error on an OpenSSL failure.
    static std::optional<Made> make(const QString &commonName, KeyKind kind = KeyKind::P256,
                                    bool breakSignature = false, QString *error = nullptr);
};

} // namespace fd::sim
