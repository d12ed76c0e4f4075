#pragma once

#include <QStringList>

namespace fd {

// `fleetdeckctl provision` (docs/protocol.md "Provisioning"):
//   provision import --db CACHE --csv FILE          the expected devices (serial,model,claim_code[,...])
//   provision list --db CACHE [--json]              expected devices and the latest requests
//   provision serve --db CACHE --broker URL [--cafile F --cert F --key F] [--username U]
//                   [--prefix P] [--root R] [--allow-unknown] [--auto-approve]
//                   [--timeout S] [--count N]
// serve answers provisioning requests headless with the fleet CA of the store (passphrase
// from FLEETDECK_CA_PASSPHRASE; the client key's from FLEETDECK_KEY_PASSPHRASE, a broker
// password from FLEETDECK_PASSWORD): automatic rejections always, listed devices issued with
// --auto-approve; one line per decision on stdout ("<request id> accepted|rejected <serial>
// <device id> <certificate serial | reason key>"); it exits after --count decisions (0) or
// after --timeout seconds (0 without --count, 1 with --count not reached).
// Exit 2 for bad input (a CSV error: every error with its line on stderr), 1 for failures.
class ProvisionCommand
{
public:
    static int run(const QStringList &arguments);
};

} // namespace fd
