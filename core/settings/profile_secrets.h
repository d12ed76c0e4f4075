#pragma once

#include "core/settings/secret_store.h"
#include "core/transport/connection_profile.h"

#include <QStringList>

#include <functional>
#include <optional>

namespace fd {

// A connection profile's secrets (password, client key passphrase) in a SecretStore, each
// bound to the broker it was saved for.
//
// A secret is stored (under SettingsKeys::profilePasswordKey() / profileKeyPassphraseKey())
// together with the identity of its broker (BrokerUrl::identity(): scheme, host, port), as
// a small JSON envelope. load() hands out only the secrets saved for the broker about to be
// used; one saved for another broker is withheld and named, so `fleetdeck --profile P
// --broker URL`, a profile whose address was changed in the settings file, or any other
// re-pointed profile never sends P's password elsewhere. The binding lives in the keychain,
// not in the settings file, so editing the settings cannot move a secret to another broker.
// A value saved before secrets were bound (plain text) belongs to the profile's saved broker.
//
// Thin over the store: a ProfileSecrets may be a temporary; callbacks run on the store's
// thread and do not refer to this object.
class ProfileSecrets
{
public:
    enum class Kind { Password, KeyPassphrase };

    struct Loaded
    {
        ConnectionSecrets secrets;  // only those saved for the target broker
        QStringList withheld;       // what was held back: "password", "key passphrase"
        QString savedFor;           // the broker identity the withheld secrets belong to
        QStringList errors;         // keychain errors (that secret is then missing)
    };
    using LoadCallback = std::function<void(const Loaded &)>;

    explicit ProfileSecrets(SecretStore &store);

    // Reads both secrets of profileName for a connection to target. legacyBroker: where a
    // secret stored before binding belongs (the saved profile's broker); nullopt: nowhere.
    void load(const QString &profileName, const std::optional<BrokerUrl> &legacyBroker, const BrokerUrl &target,
              LoadCallback done);
    // Stores value for broker (an empty value removes the secret).
    void store(const QString &profileName, Kind kind, const BrokerUrl &broker, const QString &value,
               SecretStore::Callback done);

    static QString key(const QString &profileName, Kind kind);
    static QString kindName(Kind kind);  // "password", "key passphrase"

    // The stored form and back. decode() of a value without an envelope (saved before
    // binding) gives that value with an empty broker.
    struct Decoded
    {
        QString value;
        QString broker;  // identity; empty: not bound
    };
    static QString encode(const BrokerUrl &broker, const QString &value);
    static Decoded decode(const QString &stored);

private:
    SecretStore &m_store;
};

} // namespace fd
