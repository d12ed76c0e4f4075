#pragma once

#include <QString>
#include <QStringList>

namespace fd {

// The access control list of a fleet broker with client certificates (mosquitto acl_file,
// with use_identity_as_username: a client's user name is its certificate's CN):
//   - the operator (CN operatorUser) reads and writes everything;
//   - the shared bootstrap identity of factory-fresh devices writes only
//     {provisioningRoot}/{client id}/request and reads {provisioningRoot}/{client id}/response
//     (its client id is its serial);
//   - a device (CN = device id) reads and writes only under {topicPrefix}/{its id}/..., as a
//     Sparkplug B edge node only spBv1.0/{group}/{type}/{its node id}[/...], and reads the
//     host applications' spBv1.0/STATE/#.
// The patterns hold for every user, so the user names "bootstrap" and "fleetdeck-operator"
// are reserved: no device may carry them (the provisioning service refuses them).
// What mosquitto 2.0.11 does with it (tests/integration/test_broker_acl.cpp): a denied
// PUBLISH is dropped (MQTT 5, QoS 1: PUBACK "Not authorized"); every SUBSCRIBE is
// acknowledged, and the read rules are applied to each message it would deliver, so a
// subscription to another device's topics stays empty; a client whose id or user name
// contains '+' or '#' is refused every access (so "%c" cannot become a wildcard). A '/' in
// an id would reach into deeper levels: device ids never contain one (the CA refuses them).
// The broker logs "ACL pattern 'spBv1.0/STATE/#' does not contain '%c' or '%u'": a warning
// only; a pattern is the one way to give every user a rule.
class MosquittoAcl
{
public:
    struct Names
    {
        QString operatorUser = QStringLiteral("fleetdeck-operator");
        QString provisioningRoot = QStringLiteral("fleetdeck/provisioning");
        QString topicPrefix = QStringLiteral("fleetdeck/v1");
        QString sparkplugNamespace = QStringLiteral("spBv1.0");
    };

    // The ACL's lines; empty with *error when a name cannot be written into an ACL safely
    // (empty, wildcards, '%', whitespace or control characters, a leading or trailing '/').
    static QStringList fleetLines(const Names &names, QString *error = nullptr);
    static QStringList fleetLines() { return fleetLines(Names{}); }
    // fleetLines() as the file's text, with a header comment.
    static QString render(const Names &names, QString *error = nullptr);

    // A topic root or user name that is safe in an ACL line (see fleetLines()).
    static bool isSafeTopicRoot(const QString &root, QString *why = nullptr);
    static bool isSafeUserName(const QString &user, QString *why = nullptr);
};

} // namespace fd
