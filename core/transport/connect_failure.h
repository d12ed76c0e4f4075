#pragma once

#include <QString>

namespace fd {

// Turns what Paho reports about a failed connect or a lost connection (return code, MQTT 5
// reason code, OpenSSL's error text) into a sentence an operator can act on, and decides
// whether retrying can help.
struct ConnectFailure
{
    QString reason;
    bool permanent = false;  // retrying cannot help (bad credentials, unusable key, ...)

    // rc: Paho/CONNACK return code; reasonCode: MQTT 5 reason code (0 if none);
    // tlsText: OpenSSL error lines collected by the ssl error handler.
    static ConnectFailure classify(int rc, int reasonCode, const QString &tlsText, const QString &address);
    // A lost connection (after it was established). cause: Paho's text; reasonCode: MQTT 5
    // DISCONNECT reason from the broker, 0 if none.
    static ConnectFailure classifyLoss(const QString &cause, int reasonCode);
};

} // namespace fd
