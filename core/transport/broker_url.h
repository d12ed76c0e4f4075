#pragma once

#include <QString>

#include <optional>

namespace fd {

// A broker address as typed on a command line or in a dialog:
//   mqtt://host[:port]  tcp://host[:port]   (plain, default port 1883)
//   mqtts://host[:port] ssl://host[:port]   (TLS, default port 8883)
// A bare "host[:port]" means mqtt://. IPv6 literals go in brackets: mqtt://[::1]:1883.
// A host name is letters, digits, '-' and '_' in labels between single dots (one may end it).
struct BrokerUrl
{
    QString host;
    quint16 port = 1883;
    bool tls = false;

    // Parses text; on failure returns nullopt and, if error is set, a reason for the user.
    static std::optional<BrokerUrl> parse(const QString &text, QString *error = nullptr);

    // "mqtt://host:port" or "mqtts://host:port".
    QString toString() const;
    // The URI Paho expects: "tcp://host:port" or "ssl://host:port".
    QString pahoUri() const;
    // Who a secret is for: scheme, host and port, normalised ("mqtts://broker.example.com:8883":
    // tcp:// = mqtt://, ssl:// = mqtts://, default ports written out, host names in lower
    // case without a trailing dot). Two addresses of the same broker under different names
    // (an IP address, another alias) are different identities, on purpose.
    QString identity() const;
};

} // namespace fd
