#pragma once

#include <QStringList>

namespace fd {

// `fleetdeckctl artifact`: signed firmware artifacts (docs/ota.md). Files are stored in
// "<cache dir>/<cache basename>.artifacts/", metadata in the operations store.
//   artifact import --db CACHE FILE --version V --models M1,M2 [--notes TEXT]
//                   (--sign-with NAME | --signature SIG_FILE)
//       prints ONLY the artifact id on stdout; refusals (unsigned, wrong key, tampered,
//       bad metadata) exit 2 with the reason on stderr. --sign-with unlocks a passphrase key
//       with FLEETDECK_RELEASE_KEY_PASSPHRASE (a keychain key through the OS keychain).
//   artifact manifest FILE --version V --models M1,M2 [--notes TEXT]
//       prints the exact manifest bytes an offline signer signs (for --signature).
//   artifact list --db CACHE [--json]
//   artifact verify --db CACHE ID     re-hashes the stored file and checks the signature:
//       exit 0 when good, 1 when it fails verification, 2 on other errors.
class ArtifactCommand
{
public:
    static int run(const QStringList &arguments);
};

} // namespace fd
