#pragma once

#include <QString>

namespace mqtt {
class ssl_options;
}

namespace fd {

// The floor of every TLS connection FleetDeck makes: TLS 1.2 or newer.
//
// Paho C++ 1.2 has ssl_options::set_ssl_version(MQTT_SSL_VERSION_TLS_1_2), but Paho C 1.3
// ignores it when built with OpenSSL 1.1.0 or newer (it always creates its context with
// TLS_client_method() and then lowers the security level to 1, which lets OpenSSL 1.1.1
// negotiate TLS 1.0). Paho offers no hook into its SSL_CTX, so the floor is set through the
// one setting it does pass on, the cipher list (SSL_CTX_set_cipher_list): only suites
// defined for TLS 1.2 are offered for TLS <= 1.2 (TLS 1.3's suites are configured apart and
// stay on). A TLS 1.0/1.1 handshake then has no suite in common: the broker refuses it, and
// OpenSSL refuses a server that picks a TLS 1.2 suite for an older version. TlsProbe sets
// the minimum version directly (SSL_CTX_set_min_proto_version) to explain such failures.
class TlsPolicy
{
public:
    // OpenSSL's default suites without those of SSL 3 / TLS 1.0 (there are none specific to
    // TLS 1.1): what remains exists only in TLS 1.2.
    static constexpr const char *kCipherList = "DEFAULT:!SSLv3:!TLSv1.0";

    static QString minimumVersionText() { return QStringLiteral("TLS 1.2"); }

    // Sets the floor on Paho's TLS options (the cipher list, and the version for Paho builds
    // against OpenSSL < 1.1, where it is honoured).
    static void apply(mqtt::ssl_options &ssl);
};

} // namespace fd
