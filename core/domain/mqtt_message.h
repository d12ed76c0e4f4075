#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>

namespace fd {

// A message as received from the broker, before any decoding. Copied out of the Paho
// callback thread and handed to consumers in batches.
struct MqttMessage
{
    QByteArray topic;
    QByteArray payload;
    qint64 receivedMs = 0;  // local receive time, ms since epoch
    int qos = 0;
    bool retained = false;
    // > 0: the payload had this many bytes, more than the connection's limit, and was not
    // copied (payload is empty). Decoders reject such a message as oversize.
    qsizetype discardedPayloadBytes = 0;

    qsizetype payloadBytes() const { return discardedPayloadBytes > 0 ? discardedPayloadBytes : payload.size(); }
};

using MqttMessageBatch = QList<MqttMessage>;

} // namespace fd

Q_DECLARE_METATYPE(fd::MqttMessage)
Q_DECLARE_METATYPE(fd::MqttMessageBatch)
