#pragma once

#include <QString>

namespace fd {

// Explains a failed TLS connection. Paho reports only "connect failed" (and its OpenSSL
// error callback cannot be used safely with Paho C++ 1.2: the context it registers points
// into a by-value copy of the connect options that dies when connect() returns). So after a
// TLS connect fails, MqttClient repeats the handshake here with the same settings and asks
// OpenSSL why: "certificate has expired", "hostname mismatch", "unable to get local issuer
// certificate", "tlsv13 alert certificate required", ...
//
// Blocking (bounded by timeoutMs); run it off the GUI thread.
class TlsProbe
{
public:
    struct Settings
    {
        QString host;
        quint16 port = 0;
        QString caFile;  // empty: system trust store
        bool verifyHostname = true;
        QString clientCertFile;
        QString clientKeyFile;
        QString keyPassphrase;
        int timeoutMs = 5000;
    };

    struct Result
    {
        enum class Stage { Network, Tls, Ok };
        Stage stage = Stage::Ok;  // Network: no TCP connection at all; Ok: the handshake worked
        QString reason;
    };

    static Result diagnose(const Settings &settings);
};

} // namespace fd
