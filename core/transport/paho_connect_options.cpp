#include "core/transport/paho_connect_options.h"

#include "core/transport/tls_file_check.h"
#include "core/transport/tls_policy.h"

#include <mqtt/properties.h>

#include <QFile>
#include <QFileInfo>

#include <chrono>

namespace fd {

namespace {

QString fileProblem(const QString &what, const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return QStringLiteral("%1 \"%2\" does not exist").arg(what, path);
    if (!info.isFile())
        return QStringLiteral("%1 \"%2\" is not a file").arg(what, path);
    if (!info.isReadable())
        return QStringLiteral("%1 \"%2\" is not readable (permission denied)").arg(what, path);
    return {};
}

bool isEncryptedPem(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray head = file.read(64 * 1024);
    return head.contains("BEGIN ENCRYPTED PRIVATE KEY") || head.contains("Proc-Type: 4,ENCRYPTED");
}

std::string toStd(const QString &s)
{
    return s.toStdString();
}

} // namespace

QString PahoConnectOptions::configurationProblem(const ConnectionProfile &profile, const ConnectionSecrets &secrets)
{
    if (profile.broker.host.isEmpty())
        return QStringLiteral("no broker address configured");
    if (profile.mqttVersion != 3 && profile.mqttVersion != 5)
        return QStringLiteral("unsupported MQTT version %1 (use 3 for 3.1.1, or 5)").arg(profile.mqttVersion);
    if (needsPlaintextConfirmation(profile, secrets)) {
        return QStringLiteral("not connecting: the password would be sent unencrypted to %1 (plain TCP). Use an "
                              "mqtts:// address, or confirm sending it in clear text for this connection")
            .arg(profile.broker.toString());
    }
    if (!profile.broker.tls)
        return {};
    if (!profile.caFile.isEmpty()) {
        if (QString p = fileProblem(QStringLiteral("CA certificate file"), profile.caFile); !p.isEmpty())
            return p;
        if (QString p = TlsFileCheck::checkCaFile(profile.caFile); !p.isEmpty())
            return p;
    }
    if (profile.clientCertFile.isEmpty() != profile.clientKeyFile.isEmpty())
        return QStringLiteral("client authentication needs both a certificate and a key file");
    if (!profile.clientCertFile.isEmpty()) {
        if (QString p = fileProblem(QStringLiteral("client certificate file"), profile.clientCertFile); !p.isEmpty())
            return p;
        if (QString p = fileProblem(QStringLiteral("client key file"), profile.clientKeyFile); !p.isEmpty())
            return p;
        if (secrets.keyPassphrase.isEmpty() && isEncryptedPem(profile.clientKeyFile))
            return QStringLiteral("client key \"%1\" is encrypted: enter its passphrase").arg(profile.clientKeyFile);
        if (QString p = TlsFileCheck::checkClientIdentity(profile.clientCertFile, profile.clientKeyFile,
                                                          secrets.keyPassphrase);
            !p.isEmpty())
            return p;
    }
    return {};
}

QString PahoConnectOptions::systemTrustStore()
{
    static const QString bundle = [] {
        for (const char *candidate : {"/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt",
                                      "/etc/ssl/cert.pem"}) {
            const QString path = QString::fromLatin1(candidate);
            if (QFileInfo(path).isReadable())
                return path;
        }
        return QString();
    }();
    return bundle;
}

void PahoConnectOptions::build(const ConnectionProfile &profile, const ConnectionSecrets &secrets,
                               mqtt::connect_options *out)
{
    mqtt::connect_options_builder builder;
    builder.keep_alive_interval(std::chrono::seconds(std::max(1, profile.keepAliveSeconds)))
        .connect_timeout(std::chrono::seconds(10))
        .automatic_reconnect(false);  // MqttClient runs its own backoff (also for the first attempt)

    if (profile.mqttVersion == 5) {
        builder.mqtt_version(MQTTVERSION_5).clean_start(!profile.persistentSession);
    } else {
        builder.mqtt_version(MQTTVERSION_3_1_1).clean_session(!profile.persistentSession);
    }

    if (!profile.username.isEmpty())
        builder.user_name(toStd(profile.username));
    if (!secrets.password.isEmpty())
        builder.password(mqtt::binary_ref(toStd(secrets.password)));

    if (profile.broker.tls) {
        mqtt::ssl_options ssl;
        TlsPolicy::apply(ssl);  // TLS 1.2 or newer
        const QString trust = profile.caFile.isEmpty() ? systemTrustStore() : profile.caFile;
        if (!trust.isEmpty())
            ssl.set_trust_store(toStd(trust));  // empty: Paho falls back to OpenSSL's default paths
        ssl.set_enable_server_cert_auth(true);
        ssl.set_verify(profile.verifyHostname);  // Paho's default is OFF; ours is ON
        if (!profile.clientCertFile.isEmpty()) {
            ssl.set_key_store(toStd(profile.clientCertFile));
            ssl.set_private_key(toStd(profile.clientKeyFile));
            if (!secrets.keyPassphrase.isEmpty())
                ssl.set_private_key_password(toStd(secrets.keyPassphrase));
        }
        builder.ssl(std::move(ssl));
    }
    *out = builder.finalize();
    if (profile.mqttVersion == 5) {
        // Set on the final object (see the header): its properties pointer must be its own.
        mqtt::properties props;
        props.add(mqtt::property(mqtt::property::SESSION_EXPIRY_INTERVAL,
                                 profile.persistentSession ? kSessionExpirySeconds : 0));
        out->set_properties(std::move(props));
    }
}

} // namespace fd
