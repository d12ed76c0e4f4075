#pragma once

#include "core/transport/broker_url.h"

#include <QString>

namespace fd {

// Everything needed to connect to one broker, except secrets. Secrets (password, client key
// passphrase) live in the OS keychain (SecretStore) and are passed to MqttClient separately.
struct ConnectionProfile
{
    QString name;              // shown in the UI; also the keychain key
    BrokerUrl broker;
    QString username;
    QString clientId;          // empty: "fleetdeck-<random>" at connect time (never shared)
    QString topicPrefix = QStringLiteral("fleetdeck/v1");
    int mqttVersion = 5;       // 3 (= 3.1.1) or 5
    int keepAliveSeconds = 30;
    int qos = 1;               // subscription QoS

    // TLS (used when broker.tls)
    QString caFile;            // empty: the system trust store
    QString clientCertFile;    // mTLS, PEM
    QString clientKeyFile;     // mTLS, PEM; may be encrypted (passphrase from the keychain)
    bool verifyHostname = true;

    bool persistentSession = false;  // clean start off + session expiry (QoS 1 survives reconnects)

    // Sparkplug B host application (docs/protocol.md): subscribe to spBv1.0/#, decode edge
    // nodes and their devices, announce our STATE (Will + birth) as sparkplugHostId. On by
    // default. An empty host id is derived from the machine and the profile name at connect
    // time (stable across restarts, so the broker keeps one retained STATE per host).
    bool sparkplug = true;
    QString sparkplugHostId;
    // How long out-of-order or unknown-alias DATA of an edge node is held before the host
    // gives up on the missing message and asks the node for a rebirth.
    int sparkplugReorderTimeoutMs = 2000;

    // A password is sent over plain TCP (mqtt://) only when this is set: the user confirmed
    // it for this profile's broker (GUI, stored with the profile), fleetdeckctl was given
    // --allow-plaintext-password, or FleetDeck's own loopback demo broker. Otherwise
    // MqttClient refuses to connect (PahoConnectOptions::configurationProblem).
    bool allowPlaintextPassword = false;
};

struct ConnectionSecrets
{
    QString password;
    QString keyPassphrase;
};

// The password would cross the network unencrypted (plain TCP) and the profile does not allow
// it: MqttClient refuses, the GUI asks first, fleetdeckctl wants --allow-plaintext-password.
inline bool needsPlaintextConfirmation(const ConnectionProfile &profile, const ConnectionSecrets &secrets)
{
    return !profile.broker.tls && !secrets.password.isEmpty() && !profile.allowPlaintextPassword;
}

} // namespace fd
