#pragma once

#include "core/transport/connection_profile.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>

namespace fd {

// Broker connection options shared by fleetdeckctl commands:
//   --broker [NAME=]URL (repeatable) --client-id ID --prefix P --qos N --mqtt-version 3|5 --username U
//   --ca FILE --cert FILE --key FILE --no-verify-hostname --allow-plaintext-password
//   --no-sparkplug --sparkplug-host-id ID --sparkplug-reorder-timeout MS --persistent-session
// Secrets never go on a command line (they show in `ps`): the password and key passphrase
// are read from the environment variables FLEETDECK_PASSWORD and FLEETDECK_KEY_PASSPHRASE.
// A password for a plain TCP (mqtt://) broker is refused unless --allow-plaintext-password
// is given: it would cross the network in clear text.
class ConnectionOptions
{
public:
    static constexpr qsizetype kMaxNameLength = 64;

    ConnectionOptions();
    // The Sparkplug host id fleetdeckctl announces without --sparkplug-host-id.
    static QString defaultCtlHostId();
    void addTo(QCommandLineParser &parser) const;
    // Builds one profile per --broker (the other options apply to each); false with a
    // message on a bad value or a connection name used twice.
    bool read(const QCommandLineParser &parser, QList<ConnectionProfile> *profiles, ConnectionSecrets *secrets,
              QString *error) const;

private:
    QCommandLineOption m_broker;
    QCommandLineOption m_clientId;
    QCommandLineOption m_prefix;
    QCommandLineOption m_qos;
    QCommandLineOption m_version;
    QCommandLineOption m_username;
    QCommandLineOption m_ca;
    QCommandLineOption m_cert;
    QCommandLineOption m_key;
    QCommandLineOption m_noVerify;
    QCommandLineOption m_allowPlaintextPassword;
    QCommandLineOption m_noSparkplug;
    QCommandLineOption m_sparkplugHostId;
    QCommandLineOption m_sparkplugReorder;
    QCommandLineOption m_persistentSession;
};

} // namespace fd
