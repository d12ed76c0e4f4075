#include "core/transport/connect_failure.h"

#include <mqtt/exception.h>

#include <QStringList>

namespace fd {

namespace {

// OpenSSL lines look like "error:0A000086:SSL routines::certificate verify failed:../ssl/...".
// Keep only the reason part of each line, without duplicates.
QString tlsReasons(const QString &tlsText)
{
    QStringList reasons;
    const QStringList lines = tlsText.split(u'\n', Qt::SkipEmptyParts);
    for (const QString &line : lines) {
        QString reason = line.trimmed();
        const QStringList parts = reason.split(u':');
        if (parts.size() >= 5 && parts.at(0) == u"error")
            reason = parts.at(4).trimmed();
        if (!reason.isEmpty() && !reasons.contains(reason))
            reasons.append(reason);
    }
    return reasons.join(QStringLiteral("; "));
}

bool containsAny(const QString &text, std::initializer_list<const char16_t *> needles)
{
    for (const char16_t *n : needles) {
        if (text.contains(QStringView(n), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace

ConnectFailure ConnectFailure::classify(int rc, int reasonCode, const QString &tlsText, const QString &address)
{
    // Paho C++ 1.2 reports an MQTT 5 CONNACK refusal as the token's return code (e.g. 135).
    if (reasonCode == 0 && rc >= 0x80)
        reasonCode = rc;
    ConnectFailure f;
    const QString tls = tlsReasons(tlsText);
    if (!tls.isEmpty()) {
        // The broker speaks nothing FleetDeck accepts (older than TLS 1.2). Checked first:
        // "unsupported protocol" would otherwise read as a key problem below.
        if (containsAny(tls, {u"protocol version", u"unsupported protocol", u"no protocols available",
                              u"no shared cipher", u"wrong cipher returned"})) {
            f.reason = QStringLiteral("TLS handshake with %1 failed: %2 (the broker offers no TLS 1.2 or newer; "
                                      "FleetDeck requires at least TLS 1.2)").arg(address, tls);
            return f;
        }
        // Loading our own key/certificate failed: a configuration problem.
        if (containsAny(tls, {u"bad decrypt", u"bad password", u"PEM lib", u"no start line", u"key values mismatch",
                              u"unsupported", u"problems getting password", u"wrong tag", u"nested asn1 error"})) {
            f.reason = QStringLiteral("cannot load the client certificate or key (wrong passphrase?): %1").arg(tls);
            f.permanent = true;
        } else {
            f.reason = QStringLiteral("TLS handshake with %1 failed: %2").arg(address, tls);
            if (containsAny(tls, {u"self-signed", u"unable to get local issuer", u"unable to verify"}))
                f.reason += QStringLiteral(" (is the broker's CA certificate set in the connection profile?)");
            else if (containsAny(tls, {u"certificate required", u"handshake failure"}))
                f.reason += QStringLiteral(" (the broker requires a client certificate)");
            else if (containsAny(tls, {u"wrong version number", u"packet length too long"}))
                f.reason += QStringLiteral(" (is this a TLS port?)");
        }
        return f;
    }

    switch (reasonCode) {
    case 0x84:
        f.reason = QStringLiteral("the broker does not support this MQTT version");
        f.permanent = true;
        return f;
    case 0x85:
        f.reason = QStringLiteral("the broker rejected the client id");
        f.permanent = true;
        return f;
    case 0x86:
        f.reason = QStringLiteral("the broker rejected the user name or password");
        f.permanent = true;
        return f;
    case 0x87:
        f.reason = QStringLiteral("not authorized by the broker (check the user name, password and client certificate)");
        f.permanent = true;
        return f;
    case 0x88:
    case 0x89:
        f.reason = QStringLiteral("the broker is unavailable or busy");
        return f;
    default:
        break;
    }

    switch (rc) {
    case 1:
        f.reason = QStringLiteral("the broker does not support this MQTT version");
        f.permanent = true;
        return f;
    case 2:
        f.reason = QStringLiteral("the broker rejected the client id");
        f.permanent = true;
        return f;
    case 3:
        f.reason = QStringLiteral("the broker is unavailable");
        return f;
    case 4:
        f.reason = QStringLiteral("the broker rejected the user name or password");
        f.permanent = true;
        return f;
    case 5:
        f.reason = QStringLiteral("not authorized by the broker (check the user name, password and client certificate)");
        f.permanent = true;
        return f;
    default:
        break;
    }

    if (reasonCode != 0) {
        f.reason = QStringLiteral("the broker refused the connection: %1")
                       .arg(QString::fromStdString(mqtt::exception::reason_code_str(reasonCode)));
        return f;
    }
    // Paho reports socket-level failures (refused, unreachable, timeout) as a generic
    // failure without more detail.
    f.reason = QStringLiteral("cannot connect to %1 (connection refused, unreachable or timed out)").arg(address);
    if (rc != -1 && rc != 0)
        f.reason += QStringLiteral(" [%1]").arg(QString::fromStdString(mqtt::exception::error_str(rc)));
    return f;
}

ConnectFailure ConnectFailure::classifyLoss(const QString &cause, int reasonCode)
{
    ConnectFailure f;
    if (reasonCode == 0x8E) {
        f.reason = QStringLiteral("another client connected with the same client id (session taken over)");
        f.permanent = true;
        return f;
    }
    if (reasonCode != 0) {
        f.reason = QStringLiteral("the broker closed the connection: %1")
                       .arg(QString::fromStdString(mqtt::exception::reason_code_str(reasonCode)));
        return f;
    }
    f.reason = cause.isEmpty() ? QStringLiteral("connection to the broker lost")
                               : QStringLiteral("connection to the broker lost: %1").arg(cause);
    return f;
}

} // namespace fd
