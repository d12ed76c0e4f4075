#pragma once

#include <mqtt/connect_options.h>

#include <QString>

#include <string>

namespace fd::sim {

// The TLS side of a simulated client's connection (ssl:// only): the broker's chain checked
// against caFile (empty: the system trust store), its host name checked, TLS 1.2 or newer
// (TlsPolicy, as FleetDeck); with certFile/keyFile the client presents that certificate
// (mTLS). After a failed connect, explainFailure() repeats the handshake with the same
// settings (fd::TlsProbe) so a device that cannot connect can say why ("certificate revoked",
// "unknown ca", ...). Paho's own TLS error callback is not used: with Paho C++ 1.2 its context
// points into a by-value copy of the connect options that dies when connect() returns, and
// the first TLS error after that (a broker that goes away mid-session) called into freed
// stack memory: the demo's simulator died with SIGSEGV when its broker was killed.
struct ClientTls
{
    std::string caFile;
    std::string certFile;  // PEM: the client certificate, then its chain
    std::string keyFile;   // PEM, unencrypted

    static bool isTls(const std::string &serverUri) { return serverUri.rfind("ssl://", 0) == 0; }
    // Adds the TLS options to builder when serverUri is ssl://.
    void apply(mqtt::connect_options_builder &builder, const std::string &serverUri) const;
    // OpenSSL's reason why a TLS handshake with serverUri fails with these settings; empty
    // when serverUri is not ssl://, the broker cannot be reached at all (not a TLS problem)
    // or the handshake works. Blocks up to timeoutMs: call it off Paho's threads, and only
    // for a failure that is reported.
    QString explainFailure(const std::string &serverUri, int timeoutMs = 3000) const;
    // explainFailure() as the end of a log line: " (TLS: reason)", or empty.
    QString failureSuffix(const std::string &serverUri) const;
};

} // namespace fd::sim
