// fleetdeckctl: FleetDeck without a UI, for servers and scripts.
#include "app/ctl/alerts_command.h"
#include "app/ctl/artifact_command.h"
#include "app/ctl/audit_command.h"
#include "app/ctl/devices_command.h"
#include "app/ctl/history_command.h"
#include "app/ctl/keys_command.h"
#include "app/ctl/pki_command.h"
#include "app/ctl/provision_command.h"
#include "app/ctl/record_command.h"
#include "app/ctl/rollout_command.h"
#include "app/ctl/rules_command.h"

#include <QCoreApplication>
#include <QTextStream>

namespace {

void printUsage(QTextStream &out)
{
    out << "Usage: fleetdeckctl COMMAND [OPTIONS]\n\n"
           "Commands:\n"
           "  record   Record a fleet from a broker into a cache database (data logger).\n"
           "  devices  Print the cached inventory (--json for a JSON array), or delete a device\n"
           "           from it (--delete ID [--source NAME]).\n"
           "  audit    Print the audit log of the operations store beside a cache (--json).\n"
           "  history  Print one metric of one device from a cache as CSV (--device ID --metric M\n"
           "           [--source NAME] [--from ISO --to ISO] [--resolution raw|1m|1h] --csv).\n"
           "  rules    Import or export alert rules (rules import --db CACHE FILE, rules export --db\n"
           "           CACHE [--out FILE]); format in docs/alerts.md.\n"
           "  alerts   Print the alerts not yet resolved (--json; --all adds resolved ones).\n"
           "  keys     Release keys for firmware (keys create|export|import|list --db CACHE ...);\n"
           "           the passphrase comes from FLEETDECK_RELEASE_KEY_PASSPHRASE. docs/ota.md.\n"
           "  artifact Signed firmware artifacts (artifact import --db CACHE FILE --version V --models\n"
           "           M1,M2 (--sign-with NAME | --signature SIG), artifact list|verify|manifest).\n"
           "  rollout  Firmware rollouts: create --db CACHE --artifact ID [--target KEY=VALUE ...]\n"
           "           [--canary N|N%] [--waves 10%,50%,100%] ... (prints the id), status --db CACHE ID\n"
           "           [--json], list --db CACHE [--json], run; see docs/ota.md.\n"
           "  pki      The fleet CA and its certificates: init, import, export-ca, issue (prints the\n"
           "           serial), issue-server, issue-client, revoke, crl, list --db CACHE ...; the CA\n"
           "           passphrase comes from FLEETDECK_CA_PASSPHRASE. docs/pki.md.\n"
           "  provision Factory devices' provisioning: import --db CACHE --csv FILE (expected devices),\n"
           "           list --db CACHE [--json], serve --db CACHE --broker URL [--auto-approve]\n"
           "           [--allow-unknown] [--timeout S] [--count N]; see docs/protocol.md.\n\n"
           "Run 'fleetdeckctl COMMAND --help' for a command's options.\n";
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("FleetDeck"));
    QCoreApplication::setApplicationName(QStringLiteral("fleetdeckctl"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLEETDECK_VERSION));

    QStringList args = QCoreApplication::arguments();
    args.removeFirst();
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (args.isEmpty() || args.first() == u"--help" || args.first() == u"-h" || args.first() == u"help") {
        printUsage(args.isEmpty() ? err : out);
        return args.isEmpty() ? 2 : 0;
    }
    if (args.first() == u"--version") {
        out << "fleetdeckctl " << FLEETDECK_VERSION << '\n';
        return 0;
    }
    const QString command = args.takeFirst();
    if (command == u"record")
        return fd::RecordCommand::run(args);
    if (command == u"devices")
        return fd::DevicesCommand::run(args);
    if (command == u"audit")
        return fd::AuditCommand::run(args);
    if (command == u"history")
        return fd::HistoryCommand::run(args);
    if (command == u"rules")
        return fd::RulesCommand::run(args);
    if (command == u"alerts")
        return fd::AlertsCommand::run(args);
    if (command == u"rollout")
        return fd::RolloutCommand::run(args);
    if (command == u"keys")
        return fd::KeysCommand::run(args);
    if (command == u"artifact")
        return fd::ArtifactCommand::run(args);
    if (command == u"pki")
        return fd::PkiCommand::run(args);
    if (command == u"provision")
        return fd::ProvisionCommand::run(args);
    err << "fleetdeckctl: unknown command '" << command << "'\n\n";
    printUsage(err);
    return 2;
}
