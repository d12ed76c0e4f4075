#pragma once

#include <mqtt/connect_options.h>

#include <functional>
#include <string>

namespace fd::sim {

// The TLS side of a simulated client's connection (ssl:// only): the broker's chain checked
// against caFile (empty: the system trust store), its host name checked, TLS 1.2 or newer
// (TlsPolicy, as FleetDeck); with certFile/keyFile the client presents that certificate
// (mTLS). onError receives OpenSSL's reason for a failed handshake (on Paho's thread), so a
// device that cannot connect can say why ("certificate revoked", "unknown ca", ...).
struct ClientTls
{
    std::string caFile;
    std::string certFile;  // PEM: the client certificate, then its chain
    std::string keyFile;   // PEM, unencrypted

    static bool isTls(const std::string &serverUri) { return serverUri.rfind("ssl://", 0) == 0; }
    // Adds the TLS options to builder when serverUri is ssl://.
    using ErrorHandler = std::function<void(const std::string &reason)>;
    void apply(mqtt::connect_options_builder &builder, const std::string &serverUri,
               ErrorHandler onError = nullptr) const;
};

} // namespace fd::sim
