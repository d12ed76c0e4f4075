#pragma once

#include "core/protocol/message_decoder.h"
#include "core/protocol/payload_codec.h"
#include "core/protocol/topic_scheme.h"

namespace fd {

// Protocol v1 (docs/protocol.md) behind the MessageDecoder seam: status -> status event,
// telemetry -> metrics event, cmd/response -> command response; FleetDeck's own cmd
// requests under the prefix are ignored (not device data, not a reject); anything else
// under the prefix is a reject with its reason. The device path is the device id.
class ProtocolV1Decoder final : public MessageDecoder
{
public:
    ProtocolV1Decoder(const TopicScheme &topics, qsizetype maxPayloadBytes);

    QString protocolName() const override;
    QStringList subscriptions() const override;
    bool claims(QByteArrayView topic) const override;
    void decode(const MqttMessage &message, DecodeSink &sink) override;

    const TopicScheme &topics() const { return m_topics; }

private:
    TopicScheme m_topics;
    PayloadCodec m_codec;
};

} // namespace fd
