#include "simulator/client_tls.h"

#include "core/transport/tls_policy.h"
#include "core/transport/tls_probe.h"

#include <mqtt/ssl_options.h>

#include <QUrl>

namespace fd::sim {

void ClientTls::apply(mqtt::connect_options_builder &builder, const std::string &serverUri) const
{
    if (!isTls(serverUri))
        return;
    mqtt::ssl_options ssl;
    TlsPolicy::apply(ssl);  // TLS 1.2 or newer, as FleetDeck itself
    if (!caFile.empty())
        ssl.set_trust_store(caFile);
    ssl.set_enable_server_cert_auth(true);
    ssl.set_verify(true);  // host name too (Paho's default is off)
    if (!certFile.empty() && !keyFile.empty()) {
        ssl.set_key_store(certFile);
        ssl.set_private_key(keyFile);
    }
    builder.ssl(std::move(ssl));
}

QString ClientTls::explainFailure(const std::string &serverUri, int timeoutMs) const
{
    if (!isTls(serverUri))
        return {};
    const QUrl url(QString::fromStdString(serverUri));
    if (!url.isValid() || url.host().isEmpty() || url.port() <= 0)
        return {};
    TlsProbe::Settings settings;
    settings.host = url.host();
    settings.port = quint16(url.port());
    settings.caFile = QString::fromStdString(caFile);
    settings.verifyHostname = true;
    settings.clientCertFile = QString::fromStdString(certFile);
    settings.clientKeyFile = QString::fromStdString(keyFile);
    settings.timeoutMs = timeoutMs;
    const TlsProbe::Result result = TlsProbe::diagnose(settings);
    return result.stage == TlsProbe::Result::Stage::Tls ? result.reason : QString();
}

QString ClientTls::failureSuffix(const std::string &serverUri) const
{
    const QString reason = explainFailure(serverUri);
    return reason.isEmpty() ? QString() : QStringLiteral(" (TLS: %1)").arg(reason);
}

} // namespace fd::sim
