#include "app/ctl/connection_options.h"

#include "core/protocol/sparkplug/sparkplug_host_state.h"
#include "core/protocol/topic_scheme.h"

#include <QSysInfo>

#include <algorithm>

namespace fd {

QString ConnectionOptions::defaultCtlHostId()
{
    return SparkplugHostState::defaultHostId(QStringLiteral("ctl-") + QSysInfo::machineHostName());
}

ConnectionOptions::ConnectionOptions()
    : m_broker(QStringLiteral("broker"),
               QStringLiteral("Broker to record, as [NAME=]URL: mqtt://host[:1883], mqtts://host[:8883] (also "
                              "tcp://, ssl://). Repeat for several brokers; NAME (default host:port) is the source "
                              "its devices belong to."),
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
    , m_allowPlaintextPassword(QStringLiteral("allow-plaintext-password"),
                               QStringLiteral("Send the password (FLEETDECK_PASSWORD) to mqtt:// brokers too, "
                                              "unencrypted (insecure; without it such a run is refused)."))
    , m_noSparkplug(QStringLiteral("no-sparkplug"),
                    QStringLiteral("Do not act as a Sparkplug B host application (by default spBv1.0/# is decoded "
                                   "and the host STATE announced)."))
    , m_sparkplugHostId(QStringLiteral("sparkplug-host-id"),
                        QStringLiteral("Sparkplug B host id for the STATE topic spBv1.0/STATE/ID (default: "
                                       "fleetdeck-ctl-<machine name>)."),
                        QStringLiteral("ID"))
    , m_sparkplugReorder(QStringLiteral("sparkplug-reorder-timeout"),
                         QStringLiteral("How long out-of-order Sparkplug DATA is held before a rebirth is requested "
                                        "(0 to 60000 ms, default 2000)."),
                         QStringLiteral("MS"), QStringLiteral("2000"))
    , m_persistentSession(QStringLiteral("persistent-session"),
                          QStringLiteral("Keep the broker session across disconnects (clean start off, session expiry "
                                         "24 h; MQTT 3.1.1: clean session off): QoS 1 messages published while "
                                         "disconnected are delivered on reconnect. Needs --client-id."))
{
}

void ConnectionOptions::addTo(QCommandLineParser &parser) const
{
    parser.addOptions({m_broker, m_clientId, m_prefix, m_qos, m_version, m_username, m_ca, m_cert, m_key, m_noVerify,
                       m_allowPlaintextPassword, m_noSparkplug, m_sparkplugHostId, m_sparkplugReorder,
                       m_persistentSession});
}

bool ConnectionOptions::read(const QCommandLineParser &parser, QList<ConnectionProfile> *profiles,
                             ConnectionSecrets *secrets, QString *error) const
{
    profiles->clear();
    if (!parser.isSet(m_broker)) {
        *error = QStringLiteral("--broker [NAME=]URL is required");
        return false;
    }
    ConnectionProfile common;
    common.clientId = parser.value(m_clientId);
    common.persistentSession = parser.isSet(m_persistentSession);
    if (common.persistentSession && common.clientId.isEmpty()) {
        *error = QStringLiteral("--persistent-session needs --client-id (the broker keeps the session by client id)");
        return false;
    }
    common.topicPrefix = parser.value(m_prefix);
    if (QString why; !TopicScheme::isValidPrefix(common.topicPrefix, &why)) {
        *error = QStringLiteral("--prefix %1: %2").arg(common.topicPrefix, why);
        return false;
    }
    bool ok = false;
    common.qos = parser.value(m_qos).toInt(&ok);
    if (!ok || common.qos < 0 || common.qos > 1) {
        *error = QStringLiteral("--qos must be 0 or 1");
        return false;
    }
    common.mqttVersion = parser.value(m_version).toInt(&ok);
    if (!ok || (common.mqttVersion != 3 && common.mqttVersion != 5)) {
        *error = QStringLiteral("--mqtt-version must be 3 or 5");
        return false;
    }
    common.username = parser.value(m_username);
    common.caFile = parser.value(m_ca);
    common.clientCertFile = parser.value(m_cert);
    common.clientKeyFile = parser.value(m_key);
    common.verifyHostname = !parser.isSet(m_noVerify);
    common.allowPlaintextPassword = parser.isSet(m_allowPlaintextPassword);
    common.sparkplug = !parser.isSet(m_noSparkplug);
    if (parser.isSet(m_sparkplugHostId)) {
        if (!common.sparkplug) {
            *error = QStringLiteral("--sparkplug-host-id and --no-sparkplug contradict each other");
            return false;
        }
        common.sparkplugHostId = parser.value(m_sparkplugHostId);
        if (QString why; !SparkplugHostState::isValidHostId(common.sparkplugHostId, &why)) {
            *error = QStringLiteral("--sparkplug-host-id %1: %2").arg(common.sparkplugHostId, why);
            return false;
        }
    } else {
        common.sparkplugHostId = defaultCtlHostId();
    }
    common.sparkplugReorderTimeoutMs = parser.value(m_sparkplugReorder).toInt(&ok);
    if (!ok || common.sparkplugReorderTimeoutMs < 0 || common.sparkplugReorderTimeoutMs > 60000) {
        *error = QStringLiteral("--sparkplug-reorder-timeout must be 0 to 60000 (ms)");
        return false;
    }
    const QString password = qEnvironmentVariable("FLEETDECK_PASSWORD");

    QStringList names;
    for (const QString &value : parser.values(m_broker)) {
        // "[NAME=]URL": a NAME never contains "://", a URL always does.
        QString name;
        QString url = value;
        const qsizetype eq = value.indexOf(u'=');
        const qsizetype scheme = value.indexOf(QStringLiteral("://"));
        if (eq > 0 && (scheme < 0 || eq < scheme)) {
            name = value.left(eq).trimmed();
            url = value.mid(eq + 1).trimmed();
        } else if (eq == 0) {
            *error = QStringLiteral("--broker %1: the connection name before '=' is empty").arg(value);
            return false;
        }
        QString urlError;
        const auto parsed = BrokerUrl::parse(url, &urlError);
        if (!parsed) {
            *error = QStringLiteral("--broker %1: %2").arg(value, urlError);
            return false;
        }
        ConnectionProfile profile = common;
        profile.broker = *parsed;
        profile.name = name.isEmpty() ? parsed->host + u':' + QString::number(parsed->port) : name;
        if (profile.name.size() > kMaxNameLength
            || std::any_of(profile.name.cbegin(), profile.name.cend(), [](QChar c) { return c.category() == QChar::Other_Control; })) {
            *error = QStringLiteral("--broker %1: a connection name has at most %2 characters and no control "
                                    "characters").arg(value).arg(kMaxNameLength);
            return false;
        }
        if (needsPlaintextConfirmation(profile, ConnectionSecrets{password, QString()})) {
            *error = QStringLiteral("--broker %1: FLEETDECK_PASSWORD is set, but this broker is not encrypted "
                                    "(plain TCP): the password would cross the network in clear text. Use "
                                    "mqtts://, or add --allow-plaintext-password to send it anyway")
                         .arg(value);
            return false;
        }
        if (names.contains(profile.name)) {
            *error = QStringLiteral("--broker %1: the connection name %2 is used twice (name them: NAME=URL)")
                         .arg(value, profile.name);
            return false;
        }
        names.append(profile.name);
        profiles->append(profile);
    }
    secrets->password = password;
    secrets->keyPassphrase = qEnvironmentVariable("FLEETDECK_KEY_PASSPHRASE");
    return true;
}

} // namespace fd
