#pragma once

#include "core/domain/mqtt_message.h"

#include <QByteArrayView>
#include <QtGlobal>

namespace fd {

// Bounds on what a connection holds between the broker and ingest. The defaults never
// limit a fleet that ingest keeps up with; under sustained overload, or a flood of big
// payloads, memory stays bounded and what does not fit is dropped and counted.
struct InboundLimits
{
    static constexpr qsizetype kDefaultMaxMessages = 250000;
    static constexpr qsizetype kDefaultMaxBytes = 64LL * 1024 * 1024;
    static constexpr qsizetype kDefaultMaxPayloadBytes = 256 * 1024;

    qsizetype maxMessages = kDefaultMaxMessages;  // messages waiting
    qsizetype maxBytes = kDefaultMaxBytes;        // their topics and payloads together
    // A payload above this is not copied at all: the message keeps its topic and
    // MqttMessage::discardedPayloadBytes, so the decoder can reject it as oversize.
    qsizetype maxPayloadBytes = kDefaultMaxPayloadBytes;
};

// A FIFO of received messages with the limits above: messages over them are dropped at the
// tail (the newest) and counted. The size of a payload is checked before it is copied.
// Not thread-safe: the owner guards it (MqttClient with its bridge mutex).
class InboundQueue
{
public:
    void setLimits(const InboundLimits &limits) { m_limits = limits; }
    const InboundLimits &limits() const { return m_limits; }

    // Copies topic and payload (unless the payload is over maxPayloadBytes). False when the
    // queue is full: the message is dropped and counted.
    bool push(QByteArrayView topic, QByteArrayView payload, qint64 receivedMs, int qos, bool retained);
    // The same for a message already copied (moved in).
    bool push(MqttMessage &&message);

    // Removes and returns up to max messages from the front (all with max < 0).
    MqttMessageBatch take(qsizetype max = -1);

    bool isEmpty() const { return m_messages.isEmpty(); }
    qsizetype size() const { return m_messages.size(); }
    qsizetype bytes() const { return m_bytes; }
    quint64 dropped() const { return m_dropped; }  // since construction

private:
    static qsizetype cost(const MqttMessage &m) { return m.topic.size() + m.payload.size(); }
    bool hasRoomFor(qsizetype bytes) const;

    InboundLimits m_limits;
    MqttMessageBatch m_messages;
    qsizetype m_bytes = 0;
    quint64 m_dropped = 0;
};

} // namespace fd
