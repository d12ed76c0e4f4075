#pragma once

#include "core/broker/demo_environment.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace fd {

class OperationsStore;

// The demo fleet's PKI (docs/security.md "Demo mode"), in a folder of the demo's state
// (AppData/demo-state/pki), so the demo runs over mutual TLS with per-device identities:
//  - the demo fleet CA "fleetdeck-demo" (root + issuing intermediate, ECDSA P-256), created
//    on the first start; its private keys kept there encrypted with the passphrase
//    "fleetdeck-demo" (a demo secret, said in the docs: not a secret), and entered in the
//    operations store (pki_authorities, passphrase storage) so FleetDeck's certificates page
//    and the commissioning wizard issue with it;
//  - the brokers' server certificate (127.0.0.1, localhost), FleetDeck's operator client
//    certificate (CN fleetdeck-operator, key encrypted with the same passphrase), the
//    factory devices' bootstrap identity (CN bootstrap), and one client certificate per
//    demo device id and gateway node id in certs/ (keys unencrypted for the simulator,
//    0600); each issued once and again only when missing, unreadable, not from this CA or
//    within 30 days of expiry; every one is recorded in the store's certificate inventory;
//  - chain.pem and the CRL (crl.pem, written when missing or older than kCrlRewriteDays;
//    refreshCrl() rewrites it from the store's revocations).
class DemoPki
{
    Q_DECLARE_TR_FUNCTIONS(fd::DemoPki)
public:
    static constexpr const char *kCaName = "fleetdeck-demo";
    static constexpr const char *kPassphrase = "fleetdeck-demo";
    static constexpr int kCertificateDays = 365;
    static constexpr int kRenewDays = 30;
    // The CRL's nextUpdate (FleetCa allows 1..366 days); an older CRL file (by its time) is
    // written anew at start, before refreshCrl() adds the store's revocations to it.
    static constexpr int kCrlDays = 365;
    static constexpr int kCrlRewriteDays = 300;

    // The client identities demo mode needs: dev-00001..dev-<devices> and gw-01..gw-<nodes>.
    static QStringList identities(const DemoEnvironment::Options &options);

    // Prepares dir and returns the files (nullopt with *error). The store gets the CA and the
    // certificates in a job (nothing is entered twice).
    static std::optional<DemoEnvironment::PkiFiles> prepare(const QString &dir, const QStringList &identities,
                                                            OperationsStore *store, const QString &actor,
                                                            QString *error);
    // The factory devices' expected list (fleetdeck-sim --factory-list) into the store's
    // expected devices (a job; enrolled ones stay as they are). False with *error if the
    // file cannot be read or parsed.
    static bool importExpected(const QString &csvPath, OperationsStore *store, const QString &actor, QString *error);
    // A CRL of the demo CA with the store's revoked certificates (a job); done(pem) on the
    // store's completion, on context's thread (pem empty: nothing revoked or a failure).
    static void refreshCrl(const QString &dir, OperationsStore *store, const QString &actor, QObject *context,
                           std::function<void(const QByteArray &pem)> done);
};

} // namespace fd
