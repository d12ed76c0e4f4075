#include "simulator/client_tls.h"

#include "core/transport/tls_policy.h"

#include <mqtt/ssl_options.h>

namespace fd::sim {

void ClientTls::apply(mqtt::connect_options_builder &builder, const std::string &serverUri,
                      ErrorHandler onError) const
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
    if (onError)
        ssl.set_error_handler(std::move(onError));
    builder.ssl(std::move(ssl));
}

} // namespace fd::sim
