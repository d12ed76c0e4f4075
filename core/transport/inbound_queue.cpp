#include "core/transport/inbound_queue.h"

namespace fd {

bool InboundQueue::hasRoomFor(qsizetype bytes) const
{
    return m_messages.size() < m_limits.maxMessages && m_bytes + bytes <= m_limits.maxBytes;
}

bool InboundQueue::push(QByteArrayView topic, QByteArrayView payload, qint64 receivedMs, int qos, bool retained)
{
    const bool discard = payload.size() > m_limits.maxPayloadBytes;
    const qsizetype bytes = topic.size() + (discard ? 0 : payload.size());
    if (!hasRoomFor(bytes)) {
        ++m_dropped;
        return false;
    }
    MqttMessage m;
    m.topic = topic.toByteArray();
    if (discard)
        m.discardedPayloadBytes = payload.size();
    else
        m.payload = payload.toByteArray();
    m.receivedMs = receivedMs;
    m.qos = qos;
    m.retained = retained;
    m_bytes += bytes;
    m_messages.append(std::move(m));
    return true;
}

bool InboundQueue::push(MqttMessage &&message)
{
    if (message.payload.size() > m_limits.maxPayloadBytes) {
        message.discardedPayloadBytes = message.payload.size();
        message.payload = QByteArray();
    }
    const qsizetype bytes = cost(message);
    if (!hasRoomFor(bytes)) {
        ++m_dropped;
        return false;
    }
    m_bytes += bytes;
    m_messages.append(std::move(message));
    return true;
}

MqttMessageBatch InboundQueue::take(qsizetype max)
{
    MqttMessageBatch out;
    if (max < 0 || m_messages.size() <= max) {
        out.swap(m_messages);
        m_bytes = 0;
        return out;
    }
    out = m_messages.first(max);
    m_messages.remove(0, max);
    for (const MqttMessage &m : std::as_const(out))
        m_bytes -= cost(m);
    return out;
}

} // namespace fd
