#include "core/protocol/protocol_v1_decoder.h"

#include "core/protocol/decode_sink.h"

#include <QLoggingCategory>

namespace fd {

Q_LOGGING_CATEGORY(lcProtocolV1, "fleetdeck.protocol.v1")

ProtocolV1Decoder::ProtocolV1Decoder(const TopicScheme &topics, qsizetype maxPayloadBytes)
    : m_topics(topics)
    , m_codec(maxPayloadBytes)
{
}

QString ProtocolV1Decoder::protocolName() const
{
    return QStringLiteral("fleetdeck-v1");
}

QStringList ProtocolV1Decoder::subscriptions() const
{
    return {m_topics.subscriptionFilter()};
}

bool ProtocolV1Decoder::claims(QByteArrayView topic) const
{
    return m_topics.parse(topic).underPrefix;
}

void ProtocolV1Decoder::decode(const MqttMessage &message, DecodeSink &sink)
{
    const TopicScheme::Parsed topic = m_topics.parse(message.topic);
    if (topic.kind == TopicScheme::Kind::Command && topic.deviceIdValid)
        return;  // our own request to a device, echoed by the subscription
    if (topic.kind == TopicScheme::Kind::Ota)
        return;  // firmware update traffic (job documents, chunks, OTA statuses): the rollout runner's
    if (topic.kind == TopicScheme::Kind::Pki)
        return;  // certificate rotation (CSRs, issued certificates): the provisioning service's
    if (!topic.underPrefix || topic.kind == TopicScheme::Kind::Unknown) {
        sink.reject(-1, RejectReason::UnknownTopic, QString());
        return;
    }
    if (!topic.deviceIdValid) {
        sink.reject(-1, RejectReason::BadDeviceId, QString());
        return;
    }
    if (topic.kind == TopicScheme::Kind::CommandResponse) {
        if (message.payloadBytes() > m_codec.maxPayloadBytes())
            sink.reject(-1, RejectReason::Oversize, QString());
        else
            sink.commandResponse(topic.deviceId, message.payload);
        return;
    }
    // Looked up by the bytes in the topic: no allocation for a known device, whose id
    // string the decoded message then shares.
    const int handle = sink.device(topic.deviceId);
    if (handle < 0)
        return;  // the sink refused a new device and counted it
    const QString &deviceId = sink.deviceId(handle);
    if (message.discardedPayloadBytes > 0) {  // too big to be copied off the network thread
        sink.reject(handle, RejectReason::Oversize,
                    QStringLiteral("payload of %1 bytes, the limit is %2").arg(message.discardedPayloadBytes).arg(m_codec.maxPayloadBytes()));
        return;
    }

    switch (topic.kind) {
    case TopicScheme::Kind::Status: {
        auto decoded = m_codec.decodeStatus(deviceId, message.payload);
        if (auto *err = std::get_if<DecodeError>(&decoded)) {
            qCDebug(lcProtocolV1) << "rejected status of" << deviceId << err->detail;
            sink.reject(handle, err->reason, err->detail);
            return;
        }
        sink.status(handle, std::get<DeviceStatus>(decoded));
        return;
    }
    case TopicScheme::Kind::Telemetry: {
        auto decoded = m_codec.decodeTelemetry(deviceId, message.payload);
        if (auto *err = std::get_if<DecodeError>(&decoded)) {
            qCDebug(lcProtocolV1) << "rejected telemetry of" << deviceId << err->detail;
            sink.reject(handle, err->reason, err->detail);
            return;
        }
        sink.metrics(handle, std::move(std::get<TelemetrySample>(decoded)));
        return;
    }
    case TopicScheme::Kind::CommandResponse:
    case TopicScheme::Kind::Command:
    case TopicScheme::Kind::Ota:
    case TopicScheme::Kind::Pki:
    case TopicScheme::Kind::Unknown:
        break;
    }
}

} // namespace fd
