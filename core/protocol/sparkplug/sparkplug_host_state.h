#pragma once

#include <QByteArray>
#include <QString>

namespace fd {

// The STATE messages of a Sparkplug B 3.0 host application (specification 5.x, "Sparkplug
// Host Application"): FleetDeck's Will (online false) and birth (online true) on
// spBv1.0/STATE/{host_id}, both QoS 1 retained, with the same timestamp T.
class SparkplugHostState
{
public:
    static constexpr qsizetype kMaxHostIdLength = 64;  // characters (SparkplugHostId::kMaxLength)

    // "spBv1.0/STATE/" + hostId.
    static QString topic(const QString &hostId);
    // The compact JSON {"online":true,"timestamp":1764145000123}.
    static QByteArray payload(bool online, qint64 timestampMs);
    // One topic segment: 1 to 64 characters, valid Unicode, no '/', '+', '#' and no control
    // character.
    // character. *why (when given) says what is wrong.
    static bool isValidHostId(const QString &id, QString *why = nullptr);
    // "fleetdeck-" + seed with every character that may not be in a host id (and spaces)
    // replaced by '-', cut to a valid id; "fleetdeck" for an empty seed.
    static QString defaultHostId(const QString &seed);
};

} // namespace fd
