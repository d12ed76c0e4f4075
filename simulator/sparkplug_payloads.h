#pragma once

#include <QByteArray>

namespace fleetdeck::sparkplug_b {
class Payload;
}

namespace fd::sim {

// Wire bytes of Sparkplug payloads the edge node sends.
class SparkplugPayloads
{
public:
    static QByteArray serialize(const fleetdeck::sparkplug_b::Payload &payload);
    // An NDEATH: the payload timestamp and the metric bdSeq (Int64) by name, no seq.
    static QByteArray death(quint8 bdSeq, qint64 nowMs);
};

} // namespace fd::sim
