#pragma once

#include "core/pki/ca_record.h"
#include "core/pki/fleet_ca.h"
#include "core/pki/pki_key.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <functional>
#include <optional>

namespace fd {

class SecretStore;

// Where the fleet CA's private keys live, and how they are unlocked (like ReleaseKeyVault):
//   Passphrase: encrypted PKCS#8 PEMs (AES-256-CBC) in the pki_authorities row; the
//               operator (or FLEETDECK_CA_PASSPHRASE for fleetdeckctl) unlocks them.
//   Keychain:   the OS keychain (SecretStore, asynchronous: it may prompt) holds each key
//               under "fleet-ca/<name>/intermediate" (and ".../root") as an encrypted
//               PKCS#8 PEM with a random 256-bit passphrase beside it; the row keeps the
//               certificates only. No unencrypted private key is written anywhere.
class CaKeyVault
{
    Q_DECLARE_TR_FUNCTIONS(fd::CaKeyVault)
public:
    static constexpr qsizetype kMinPassphraseLength = 8;

    using StoreDone = std::function<void(bool ok, const QString &error)>;
    using UnlockDone = std::function<void(std::optional<FleetCa> ca, const QString &error)>;

    // secrets may be null: then only the passphrase storage is available.
    explicit CaKeyVault(SecretStore *secrets = nullptr);

    bool hasKeychain() const { return m_secrets != nullptr; }

    // "fleet-ca/<name>/<which>" (which: "intermediate" or "root").
    static QString keychainKey(const QString &name, const QString &which);
    // At least kMinPassphraseLength characters; false with the reason.
    static bool isAcceptablePassphrase(const QByteArray &passphrase, QString *why);

    // The row of a CA with its keys encrypted with passphrase. rootKey may be null (an
    // imported CA without its root key).
    static std::optional<CaRecord> protectWithPassphrase(const QString &name, const FleetCa &ca, const PkiKey &rootKey,
                                                         const QByteArray &passphrase, QString *error);
    // The row of a CA whose keys are in the keychain (certificates only).
    static std::optional<CaRecord> keychainRecord(const QString &name, const FleetCa &ca, QString *error);
    static std::optional<FleetCa> unlockWithPassphrase(const CaRecord &record, const QByteArray &passphrase,
                                                       QString *error);

    // Writes the keys to the keychain (rootKey may be null); done on this object's thread.
    // On success, insert keychainRecord().
    void storeInKeychain(const QString &name, const PkiKey &intermediateKey, const PkiKey &rootKey, StoreDone done);
    void unlockFromKeychain(const CaRecord &record, UnlockDone done);
    void removeFromKeychain(const QString &name, StoreDone done);

private:
    SecretStore *m_secrets;
};

} // namespace fd
