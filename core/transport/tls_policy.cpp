#include "core/transport/tls_policy.h"

#include <mqtt/ssl_options.h>

namespace fd {

void TlsPolicy::apply(mqtt::ssl_options &ssl)
{
    ssl.set_ssl_version(MQTT_SSL_VERSION_TLS_1_2);
    ssl.set_enabled_cipher_suites(kCipherList);
}

} // namespace fd
