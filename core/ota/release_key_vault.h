#pragma once

#include "core/ota/release_key.h"
#include "core/ota/release_key_record.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <functional>
#include <optional>

namespace fd {

class SecretStore;

// Where a release key's private part lives, and how it is unlocked:
//   Passphrase: an encrypted PKCS#8 PEM (AES-256-CBC) in the release_keys row; the
//               operator (or FLEETDECK_RELEASE_KEY_PASSPHRASE for fleetdeckctl) unlocks it.
//   Keychain:   the OS keychain (SecretStore, asynchronous: it may prompt) holds the key
//               under "release-key/<name>"; the row keeps only the public key. The entry is
//               an encrypted PKCS#8 PEM with a random 256-bit passphrase beside it, so no
//               unencrypted private key is ever written anywhere.
// The GUI offers both; fleetdeckctl uses the passphrase.
class ReleaseKeyVault
{
    Q_DECLARE_TR_FUNCTIONS(fd::ReleaseKeyVault)
public:
    using StoreDone = std::function<void(bool ok, const QString &error)>;
    using UnlockDone = std::function<void(std::optional<ReleaseKey> key, const QString &error)>;

    // secrets may be null: then only the passphrase storage is available.
    explicit ReleaseKeyVault(SecretStore *secrets = nullptr);

    static QString keychainKey(const QString &name);

    // The row for a new key with its private part encrypted with passphrase (not empty);
    // std::nullopt with the reason.
    static std::optional<ReleaseKeyRecord> protectWithPassphrase(const QString &name, const ReleaseKey &key,
                                                                 const QByteArray &passphrase, QString *error);
    // The row of a trusted public key (storage None).
    static std::optional<ReleaseKeyRecord> trustedPublicKey(const QString &name, const QByteArray &publicPem,
                                                            QString *error);
    static std::optional<ReleaseKey> unlockWithPassphrase(const ReleaseKeyRecord &record,
                                                          const QByteArray &passphrase, QString *error);

    // Writes the private key to the keychain; done(ok, error) on this object's thread. On
    // success, insert keychainRecord() into the store.
    void storeInKeychain(const QString &name, const ReleaseKey &key, StoreDone done);
    // The row of a key held in the keychain (public part only).
    static std::optional<ReleaseKeyRecord> keychainRecord(const QString &name, const ReleaseKey &key, QString *error);
    // Reads and unlocks a keychain key; checks it is the key of the record.
    void unlockFromKeychain(const ReleaseKeyRecord &record, UnlockDone done);
    // Removes a keychain key (when its row is deleted).
    void removeFromKeychain(const QString &name, StoreDone done);

private:
    SecretStore *m_secrets;
};

} // namespace fd
