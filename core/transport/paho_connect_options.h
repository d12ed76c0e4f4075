#pragma once

#include "core/transport/connection_profile.h"

#include <mqtt/connect_options.h>
#include <mqtt/ssl_options.h>

#include <QString>

namespace fd {

// Translates a ConnectionProfile into Paho connect options (MQTT 3.1.1 or 5, session,
// credentials, TLS). Kept apart from MqttClient so the mapping can be read in one place.
class PahoConnectOptions
{
public:
    // Problems that retrying cannot fix: unreadable or unparsable CA/cert/key files, a key
    // that does not decrypt with the passphrase (or needs one), a key that does not match
    // the certificate; a password for a plain TCP (mqtt://) broker that the profile does not
    // allow (allowPlaintextPassword). Empty when the profile looks usable.
    static QString configurationProblem(const ConnectionProfile &profile, const ConnectionSecrets &secrets);

    // No ssl error handler is installed: with Paho C++ 1.2 its context pointer dangles
    // (see TlsProbe); failed TLS connects are explained by TlsProbe instead.
    //
    // Fills *out in place and must not be copied into another long-lived object afterwards:
    // Paho C++ 1.2's connect_options copy/move leaves the MQTT 5 connect properties pointing
    // at the source object's properties (seen as a crash in MQTTProperties_copy). A copy
    // made for one connect() call, while *out lives, is fine.
    static void build(const ConnectionProfile &profile, const ConnectionSecrets &secrets, mqtt::connect_options *out);

    // The CA bundle used when the profile names no CA file ("" = OpenSSL's default paths).
    static QString systemTrustStore();

    // Session expiry requested for persistent MQTT 5 sessions.
    static constexpr int kSessionExpirySeconds = 24 * 3600;
};

} // namespace fd
