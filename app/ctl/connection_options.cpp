#include "app/ctl/connection_options.h"

#include "core/protocol/topic_scheme.h"

namespace fd {

ConnectionOptions::ConnectionOptions()
    : m_broker(QStringLiteral("broker"),
               QStringLiteral("Broker URL: mqtt://host[:1883], mqtts://host[:8883] (also tcp://, ssl://)."),
               QStringLiteral("URL"))
    , m_clientId(QStringLiteral("client-id"), QStringLiteral("MQTT client id (default: fleetdeck-<random>)."),
                 QStringLiteral("ID"))
    , m_prefix(QStringLiteral("prefix"), QStringLiteral("Topic prefix (default: fleetdeck/v1)."),
               QStringLiteral("PREFIX"), TopicScheme::kDefaultPrefix.toString())
    , m_qos(QStringLiteral("qos"), QStringLiteral("Subscription QoS, 0 or 1 (default: 1)."), QStringLiteral("N"),
            QStringLiteral("1"))
    , m_version(QStringLiteral("mqtt-version"), QStringLiteral("MQTT version, 3 (3.1.1) or 5 (default: 5)."),
                QStringLiteral("V"), QStringLiteral("5"))
    , m_username(QStringLiteral("username"),
                 QStringLiteral("User name; the password is read from FLEETDECK_PASSWORD."), QStringLiteral("USER"))
    , m_ca(QStringLiteral("ca"), QStringLiteral("CA certificate file (PEM) to verify the broker."),
           QStringLiteral("FILE"))
    , m_cert(QStringLiteral("cert"), QStringLiteral("Client certificate (PEM) for mutual TLS."), QStringLiteral("FILE"))
    , m_key(QStringLiteral("key"),
            QStringLiteral("Client private key (PEM); its passphrase is read from FLEETDECK_KEY_PASSPHRASE."),
            QStringLiteral("FILE"))
    , m_noVerify(QStringLiteral("no-verify-hostname"),
                 QStringLiteral("Do not check that the broker certificate names the host (insecure)."))
{
}

void ConnectionOptions::addTo(QCommandLineParser &parser) const
{
    parser.addOptions({m_broker, m_clientId, m_prefix, m_qos, m_version, m_username, m_ca, m_cert, m_key, m_noVerify});
}

bool ConnectionOptions::read(const QCommandLineParser &parser, ConnectionProfile *profile,
                             ConnectionSecrets *secrets, QString *error) const
{
    if (!parser.isSet(m_broker)) {
        *error = QStringLiteral("--broker URL is required");
        return false;
    }
    QString urlError;
    const auto url = BrokerUrl::parse(parser.value(m_broker), &urlError);
    if (!url) {
        *error = urlError;
        return false;
    }
    profile->name = QStringLiteral("command line");
    profile->broker = *url;
    profile->clientId = parser.value(m_clientId);
    profile->topicPrefix = parser.value(m_prefix);
    bool ok = false;
    profile->qos = parser.value(m_qos).toInt(&ok);
    if (!ok || profile->qos < 0 || profile->qos > 1) {
        *error = QStringLiteral("--qos must be 0 or 1");
        return false;
    }
    profile->mqttVersion = parser.value(m_version).toInt(&ok);
    if (!ok || (profile->mqttVersion != 3 && profile->mqttVersion != 5)) {
        *error = QStringLiteral("--mqtt-version must be 3 or 5");
        return false;
    }
    profile->username = parser.value(m_username);
    profile->caFile = parser.value(m_ca);
    profile->clientCertFile = parser.value(m_cert);
    profile->clientKeyFile = parser.value(m_key);
    profile->verifyHostname = !parser.isSet(m_noVerify);
    secrets->password = qEnvironmentVariable("FLEETDECK_PASSWORD");
    secrets->keyPassphrase = qEnvironmentVariable("FLEETDECK_KEY_PASSPHRASE");
    return true;
}

} // namespace fd
