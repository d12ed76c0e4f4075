#pragma once

#include <QByteArray>
#include <QString>

namespace fd {

// The Sparkplug B host application's STATE message (specification 3.0, "Host Application
// STATE"): retained QoS 1 on spBv1.0/STATE/{host_id}, payload {"online":bool,"timestamp":T}.
// The same T is in the Will (offline) and in the birth (online) of one connection.
class SparkplugHostState
{
public:
    static QString topic(const QString &hostId);
    static QByteArray payload(bool online, qint64 timestampMs);

    // A host id is one topic segment: 1 to 64 characters, no '/', '+' or '#', no control
    // characters. False with *why otherwise.
    static bool isValidHostId(const QString &hostId, QString *why = nullptr);
    // "<prefix>-<machine name>" made valid (other characters become '-'), stable across
    // runs, so the broker keeps one retained STATE per host rather than one per run.
    static QString defaultHostId(const QString &prefix);
};

} // namespace fd
