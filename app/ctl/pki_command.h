#pragma once

#include <QStringList>

namespace fd {

// `fleetdeckctl pki`: the fleet CA and its certificates in the operations store beside a
// cache (docs/pki.md).
//   pki init --db CACHE [--name NAME] [--keychain]        a new root + issuing intermediate
//   pki import --db CACHE --root R.pem --intermediate I.pem --key I.key [--name NAME] [--keychain]
//   pki export-ca --db CACHE --out CHAIN.pem               intermediate then root
//   pki issue --db CACHE --csr REQ.pem --device ID [--days N] [--replaces SERIAL] --out CERT.pem
//   pki issue-server --db CACHE --host H [--host H2 ...] [--cn NAME] --out-cert C --out-key K [--days N]
//   pki issue-client --db CACHE --cn NAME --kind operator|bootstrap --out-cert C --out-key K [--days N]
//                    [--key-passphrase-env VAR]
//   pki revoke --db CACHE --serial S [--reason TEXT]
//   pki crl --db CACHE --out CRL.pem
//   pki list --db CACHE [--json] [--expiring-days N]
// The CA passphrase comes from FLEETDECK_CA_PASSPHRASE (at least 8 characters); an imported
// intermediate key's own passphrase from FLEETDECK_CA_IMPORT_PASSPHRASE. The issue verbs
// print the new certificate's serial (uppercase hex, no colons) and nothing else on stdout.
// Exit 0 on success, 2 for bad input or a refused request (reason on stderr), 1 for other
// failures. Keys are written 0600. Every write is audited.
class PkiCommand
{
public:
    static int run(const QStringList &arguments);
};

} // namespace fd
