#pragma once

#include "core/transport/connection_profile.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

namespace fd {

// Demo mode: one or more simulated sites, each a private mosquitto (own free loopback port)
// plus fleetdeck-sim with N devices publishing to it; the first site's broker also carries
// a plant behind Sparkplug B gateways (Options::sparkplugNodes). Every site uses the same device ids
// (dev-00001..) with its own seed, so several sites show the multi-broker inventory. The
// first site's devices run fault scenarios (Options::scenarios), the others behave.
// All are child processes that end with this object (and with us, should we crash).
//
// No anonymous clients: every site's broker gets a fresh random account (user name and
// password, BrokerCredentials::generate) for this run only. The simulator receives the
// password in its environment (FLEETDECK_PASSWORD, not on its command line, which `ps` shows
// to every user); FleetDeck gets it in-process (siteProfile() / siteSecrets()). Until the
// demo brokers have certificates the connection is plain TCP over loopback, allowed for
// these generated passwords only.
//
// With Options::pki (the demo fleet CA's files, app/gui/demo_pki) every site's broker is
// instead the fleet broker of docs/security.md: one TLS listener that requires client
// certificates of that CA (CN = user name), the CRL, and the fleet ACL (MosquittoAcl: a
// device only under its own topics, the bootstrap identity only on provisioning, the
// operator everywhere); no passwords. The simulator's devices and gateways connect with
// their own certificates (--cert-dir), FleetDeck with the operator's (siteProfile():
// mqtts://127.0.0.1, host name verified, the key's passphrase in siteSecrets()), and the
// first site also runs factoryDevices devices in factory state (--factory) for the
// commissioning wizard, their expected list written to factoryListPath(0).
class DemoEnvironment : public QObject
{
    Q_OBJECT
public:
    // The demo fleet CA's files (all PEM). Keys unencrypted except the operator's.
    struct PkiFiles
    {
        QString chainFile;       // intermediate + root: the brokers' cafile, every client's trust
        QString serverCert;      // the brokers' certificate (127.0.0.1, localhost) + chain
        QString serverKey;
        QString crlFile;         // the brokers' CRL (updateCrl() replaces it)
        QString operatorCert;    // FleetDeck's client certificate (CN fleetdeck-operator)
        QString operatorKey;     // encrypted with operatorKeyPassphrase
        QString operatorKeyPassphrase;
        QString bootstrapCert;   // the factory devices' shared identity (CN bootstrap)
        QString bootstrapKey;
        QString certDir;         // per-device identities <id>.crt / <id>.key (fleetdeck-sim --cert-dir)

        bool isSet() const { return !chainFile.isEmpty(); }
    };

    struct Options
    {
        QString simulatorPath;  // fleetdeck-sim executable
        int devices = 200;
        double rateHz = 1.0;    // telemetry per device per second
        quint32 seed = 42;
        double faultRate = 0.0; // fraction of telemetry replaced by malformed messages (diagnostics demo)
        double historyHours = 0;  // > 0: the simulator backfills this much past telemetry (charts)
        int brokers = 1;        // sites: one broker + one simulator each (site i uses seed + i)
        // Fault scenarios of the first site's simulator (fleetdeck-sim --scenario): by default
        // the "demo" set, so alerts have something to show in the first two minutes
        // (overheating, battery drain, a stuck sensor, a flapping and a silent device, a site
        // dropping out; simulator/README.md). Empty: a well-behaved fleet.
        QString scenarios = QStringLiteral("demo");
        // A plant served by Sparkplug B gateways on the first site's broker, next to its
        // protocol v1 fleet: sparkplugNodes edge nodes (gw-01, ...) with sparkplugDevices
        // devices each, in group sparkplugGroup (FleetDeck's site). With the "demo" scenario
        // set, gateway 2 also dies and is reborn at 45 s and gateway 1 skips a seq number at
        // 75 s (fleetdeck-sim --sparkplug-fault demo). 0 nodes: no gateways.
        int sparkplugNodes = 2;
        int sparkplugDevices = 4;
        QString sparkplugGroup = QStringLiteral("Plant-Nord");
        // Firmware updates: the public release key the simulated devices trust
        // (fleetdeck-sim --ota-trust); empty: the devices reject every job as untrusted.
        QString otaTrustPem;
        int otaInstallMs = 3000;  // per device: install, then a reboot of 1.5 s
        double otaFailureRate = 0.02;  // download failures, for a rollout that has some to show
        // Set: the demo survives a restart of FleetDeck. Site N's broker keeps its retained
        // messages and sessions (OTA job documents and statuses among them) in
        // stateDir/site-N/broker/, and its simulator keeps each device's firmware and finished
        // jobs in stateDir/site-N/ota-state.json (fleetdeck-sim --ota-state); the device ids
        // and seeds are the same every run, so the same devices come back where they were.
        // Empty: every start is a fresh demo.
        QString stateDir;
        // Set: mutual TLS with per-device identities (above). Empty: password accounts.
        PkiFiles pki;
        int factoryDevices = 2;  // with pki: factory-state devices on the first site (0: none)
    };

    explicit DemoEnvironment(QObject *parent = nullptr);
    ~DemoEnvironment() override;

    bool start(const Options &options, QString *error = nullptr);
    void stop();
    QString brokerUrl() const;          // the first site's broker (empty when stopped)
    QStringList brokerUrls() const;     // every site's broker, in site order
    int siteCount() const;              // running sites
    // What FleetDeck connects site index (0-based) with: name siteName(index), the broker, its
    // generated user name (plain TCP over loopback allowed). Empty profile for no such site.
    ConnectionProfile siteProfile(int index) const;
    ConnectionSecrets siteSecrets(int index) const;  // the generated password
    // Source name of site index (0-based): "demo-site-1", "demo-site-2", ...
    static QString siteName(int index);
    // With pki: the expected-devices CSV of the factory devices of site index (written at
    // start, in the site's state folder or the broker's temp folder); empty if it has none.
    QString factoryListPath(int index) const;
    // With pki: the CRL changed (a revocation, a rotation): writes it to PkiFiles::crlFile
    // and makes every site's broker read it (MosquittoLauncher::reload). Connections that
    // are open stay open until they reconnect. False with the reason.
    bool updateCrl(const QByteArray &pem, QString *error = nullptr);
    // The simulator's output of site index (tests, diagnostics).
    QByteArray simulatorLog(int index) const;

signals:
    void failed(const QString &message);  // broker or simulator died

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace fd
