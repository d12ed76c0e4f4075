#pragma once

#include <QStringList>

namespace fd {

// `fleetdeckctl keys`: the release keys of the operations store beside a cache (docs/ota.md).
//   keys create --db CACHE --name NAME [--algorithm ed25519|ecdsa-p256]
//       a new key pair; the private key is stored encrypted with the passphrase from
//       FLEETDECK_RELEASE_KEY_PASSPHRASE (required). Prints the key id.
//   keys export --db CACHE --name NAME [--out PUB.pem]   the public key PEM
//   keys import --db CACHE --name NAME PUB.pem           a trusted public key; prints its id
//   keys list --db CACHE [--json]
// Exit 0 on success, 2 with the reason on stderr otherwise. Writes are audited.
class KeysCommand
{
public:
    static int run(const QStringList &arguments);
};

} // namespace fd
