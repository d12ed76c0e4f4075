// Fuzz target: ProtocolV1Decoder, the way the ingest pipeline drives it: a topic under the
// default prefix and a payload, decoded into events on a DecodeSink. Input: "topic\npayload"
// (fuzz_support.h). Cmd responses the decoder hands on are parsed by CommandCodec, as the
// source's CommandService does.
//
// Checked per input (MessageDecoder's contract, docs/protocol.md):
//  - claims() is true exactly for topics under "fleetdeck/v1/"; decode() runs on those only.
//  - One message gives at most one event, and none only for FleetDeck's own cmd echo or a
//    device the sink refused. The event fits the topic: status / metrics / cmd response for
//    their topics, unknown_topic and bad_device_id attributed to the source (-1), an
//    oversize cmd response to the source, every other reject to the device with a detail.
//  - The device path asked of the sink is the topic's id and a valid id; events use the
//    handle the sink gave, and the decoded id is the sink's.
//  - Status: attributes of at most 256 characters; tags within their rules (at most 32,
//    1-64 characters, no control character, no leading U+FEFF, no repeats); encodeStatus ->
//    decodeStatus gives the same status. Telemetry: the same sample as PayloadCodec::decodeTelemetryGeneral
//    (the differential target checks the paths in depth).
//  - A cmd response handed on is the message's payload, within the size limit; what
//    CommandCodec accepts keeps its rules, and its id, ok and error survive encodeResponse ->
//    parseResponse.
#include "fuzz_support.h"

#include "core/commands/command_codec.h"
#include "core/domain/json_names.h"
#include "core/protocol/decode_sink.h"
#include "core/protocol/protocol_v1_decoder.h"

#include <QList>

#include <optional>

using namespace fd;

namespace {

constexpr qsizetype kMaxPayloadBytes = PayloadCodec::kDefaultMaxPayloadBytes;

// Records what the decoder says, and checks what it can check on the spot.
class RecordingSink final : public DecodeSink
{
public:
    enum class Event { Status, Death, Metrics, Reject, CommandResponse };

    explicit RecordingSink(QByteArrayView expectedPath) : m_expectedPath(expectedPath) {}

    int device(QByteArrayView path) override
    {
        FD_FUZZ_CHECK(TopicScheme::isValidDeviceId(path), "the decoder asked for an invalid device path");
        FD_FUZZ_CHECK(path == m_expectedPath, "the decoder asked for another device than the topic names");
        FD_FUZZ_CHECK(!m_deviceAsked, "the decoder asked for the device twice");
        m_deviceAsked = true;
        // The sink's limits (FleetState's device cap): ids starting "refused" are refused,
        // so the fuzzer covers the decoder's side of a refusal.
        if (path.startsWith(QByteArrayView("refused"))) {
            m_refused = true;
            return -1;
        }
        m_id = QString::fromLatin1(path);
        return kHandle;
    }
    const QString &deviceId(int handle) const override
    {
        FD_FUZZ_CHECK(handle == kHandle, "deviceId() of a handle the sink never gave");
        return m_id;
    }
    void status(int handle, const DeviceStatus &s) override
    {
        record(Event::Status, handle);
        m_status = s;
    }
    void death(int handle, qint64) override { record(Event::Death, handle); }
    void session(int, const SparkplugSession &) override { FD_FUZZ_CHECK(false, "protocol v1 has no Sparkplug session"); }
    void sendToDevice(QByteArrayView, const QString &, const QString &, const QByteArray &, const QString &) override
    {
        FD_FUZZ_CHECK(false, "protocol v1 sends nothing to devices while decoding");
    }
    void metrics(int handle, TelemetrySample &&sample) override
    {
        record(Event::Metrics, handle);
        m_sample = std::move(sample);
    }
    void reject(int handle, RejectReason reason, const QString &detail) override
    {
        FD_FUZZ_CHECK(handle == -1 || handle == kHandle, "a reject for a handle the sink never gave");
        m_events.append(Event::Reject);
        m_handle = handle;
        m_reason = reason;
        m_detail = detail;
    }
    void commandResponse(QByteArrayView path, const QByteArray &payload) override
    {
        FD_FUZZ_CHECK(path == m_expectedPath, "a cmd response for another device than the topic names");
        m_events.append(Event::CommandResponse);
        m_response = payload;
    }

    static constexpr int kHandle = 7;

    QByteArrayView m_expectedPath;
    bool m_deviceAsked = false;
    bool m_refused = false;
    QString m_id;
    QList<Event> m_events;
    int m_handle = -2;
    RejectReason m_reason = RejectReason::BadJson;
    QString m_detail;
    std::optional<DeviceStatus> m_status;
    std::optional<TelemetrySample> m_sample;
    QByteArray m_response;

private:
    void record(Event e, int handle)
    {
        FD_FUZZ_CHECK(handle == kHandle, "an event for a handle the sink never gave");
        m_events.append(e);
    }
};

bool sameAttribute(const std::optional<QString> &a, const std::optional<QString> &b)
{
    return a.has_value() == b.has_value() && (!a || *a == *b);
}

void checkAttribute(const std::optional<QString> &a)
{
    FD_FUZZ_CHECK(!a || a->size() <= PayloadCodec::kMaxAttributeLength, "a status attribute over the limit");
}

void checkTags(const std::optional<QStringList> &tags)
{
    if (!tags)
        return;
    FD_FUZZ_CHECK(tags->size() <= PayloadCodec::kMaxTags, "more tags than the limit");
    for (qsizetype i = 0; i < tags->size(); ++i) {
        const QString &tag = tags->at(i);
        FD_FUZZ_CHECK(!tag.isEmpty() && tag.size() <= PayloadCodec::kMaxTagLength, "a tag of the wrong length");
        FD_FUZZ_CHECK(jsonName(tag) == tag, "a tag starting with a byte order mark");
        FD_FUZZ_CHECK(tag.isValidUtf16(), "a tag that is not valid Unicode");
        for (QChar c : tag)
            FD_FUZZ_CHECK(c.category() != QChar::Other_Control, "a tag with a control character");
        FD_FUZZ_CHECK(tags->indexOf(tag) == i, "a repeated tag");
    }
}

bool sameTags(const std::optional<QStringList> &a, const std::optional<QStringList> &b)
{
    return a.has_value() == b.has_value() && (!a || *a == *b);
}

void checkStatus(const DeviceStatus &s, const QString &deviceId)
{
    FD_FUZZ_CHECK(s.deviceId == deviceId, "the status names another device");
    checkAttribute(s.name);
    checkAttribute(s.model);
    checkAttribute(s.fwVersion);
    checkAttribute(s.site);
    checkTags(s.tags);
    const PayloadCodec codec;
    const Decoded<DeviceStatus> again = codec.decodeStatus(deviceId, PayloadCodec::encodeStatus(s));
    FD_FUZZ_CHECK(std::holds_alternative<DeviceStatus>(again), "an accepted status does not survive encode -> decode");
    const DeviceStatus &t = std::get<DeviceStatus>(again);
    FD_FUZZ_CHECK(t.online == s.online && sameAttribute(t.name, s.name) && sameAttribute(t.model, s.model)
                      && sameAttribute(t.fwVersion, s.fwVersion) && sameAttribute(t.site, s.site)
                      && sameTags(t.tags, s.tags),
                  "a status changes in encode -> decode");
}

void checkTelemetry(const TelemetrySample &s, const QString &deviceId, const QByteArray &payload)
{
    const PayloadCodec codec;
    const Decoded<TelemetrySample> general = codec.decodeTelemetryGeneral(deviceId, payload);
    FD_FUZZ_CHECK(std::holds_alternative<TelemetrySample>(general), "telemetry accepted that the general decoder rejects");
    const TelemetrySample &g = std::get<TelemetrySample>(general);
    FD_FUZZ_CHECK(s.deviceId == deviceId && g.timestampMs == s.timestampMs && g.seq == s.seq
                      && g.metrics == s.metrics,
                  "the decoder's sample differs from the general decoder's");
}

void checkCommandResponse(const QByteArray &payload)
{
    FD_FUZZ_CHECK(payload.size() <= kMaxPayloadBytes, "an oversize cmd response was handed on");
    CommandResponse r;
    QString why;
    if (!CommandCodec::parseResponse(payload, &r, &why)) {
        FD_FUZZ_CHECK(!why.isEmpty(), "CommandCodec refused a response without saying why");
        return;
    }
    FD_FUZZ_CHECK(CommandCodec::isValidToken(r.id), "CommandCodec accepted an invalid command id");
    FD_FUZZ_CHECK(r.error.size() <= CommandCodec::kMaxErrorChars, "CommandCodec accepted an over-long error");
    // Strings pass through QJsonDocument, whose reader drops one leading U+FEFF of a plainly
    // written string but keeps escaped ones (core/domain/json_names.h), and the encoder writes
    // them plainly: the error text is compared without leading U+FEFF. The result is opaque
    // (kept as the device wrote it, CommandRecord::result) and its keys are Qt's business.
    CommandResponse again;
    FD_FUZZ_CHECK(CommandCodec::parseResponse(CommandCodec::encodeResponse(r), &again),
                  "an accepted cmd response does not survive encode -> parse");
    FD_FUZZ_CHECK(again.id == r.id && again.ok == r.ok, "a cmd response's id or ok changes in encode -> parse");
    FD_FUZZ_CHECK(jsonName(again.error) == jsonName(r.error), "a cmd response's error changes in encode -> parse");
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fd::fuzz::quietLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto [topicBytes, payloadBytes] = fd::fuzz::splitAtNewline(fd::fuzz::inputBytes(data, size));
    MqttMessage message;
    message.topic = topicBytes.toByteArray();
    message.payload = payloadBytes.toByteArray();

    const TopicScheme topics;  // the default prefix, "fleetdeck/v1"
    ProtocolV1Decoder decoder(topics, kMaxPayloadBytes);
    const bool claimed = decoder.claims(message.topic);
    FD_FUZZ_CHECK(claimed == message.topic.startsWith("fleetdeck/v1/"), "claims() is not the prefix test");
    if (!claimed)
        return 0;  // the pipeline offers the message to the next decoder

    const TopicScheme::Parsed topic = topics.parse(message.topic);
    RecordingSink sink(topic.deviceId);
    decoder.decode(message, sink);

    const bool validDevice = topic.kind != TopicScheme::Kind::Unknown && topic.deviceIdValid;
    const bool echo = (topic.kind == TopicScheme::Kind::Command && validDevice) || topic.kind == TopicScheme::Kind::Ota
                      || topic.kind == TopicScheme::Kind::Pki;
    if (echo || sink.m_refused) {
        FD_FUZZ_CHECK(sink.m_events.isEmpty(), "an event for FleetDeck's own cmd echo or a refused device");
        return 0;
    }
    FD_FUZZ_CHECK(sink.m_events.size() == 1, "a message must give exactly one event");
    const RecordingSink::Event event = sink.m_events.constFirst();
    FD_FUZZ_CHECK(event != RecordingSink::Event::Death, "protocol v1 has no death messages");

    if (event == RecordingSink::Event::Reject) {
        if (topic.kind == TopicScheme::Kind::Unknown) {
            FD_FUZZ_CHECK(sink.m_reason == RejectReason::UnknownTopic && sink.m_handle == -1,
                          "an unknown topic is counted for the source as unknown_topic");
        } else if (!topic.deviceIdValid) {
            FD_FUZZ_CHECK(sink.m_reason == RejectReason::BadDeviceId && sink.m_handle == -1,
                          "an invalid id is counted for the source as bad_device_id");
        } else if (topic.kind == TopicScheme::Kind::CommandResponse) {
            FD_FUZZ_CHECK(sink.m_reason == RejectReason::Oversize && sink.m_handle == -1
                              && message.payload.size() > kMaxPayloadBytes,
                          "a cmd response is refused only when oversize");
        } else {
            FD_FUZZ_CHECK(sink.m_handle == RecordingSink::kHandle, "a payload reject is the device's");
            FD_FUZZ_CHECK(!sink.m_detail.isEmpty(), "a payload reject without a detail for the operator");
        }
        return 0;
    }

    FD_FUZZ_CHECK(validDevice, "an event other than a reject for a topic without a valid device");
    switch (event) {
    case RecordingSink::Event::Status:
        FD_FUZZ_CHECK(topic.kind == TopicScheme::Kind::Status, "a status event from another topic");
        checkStatus(*sink.m_status, sink.m_id);
        break;
    case RecordingSink::Event::Metrics:
        FD_FUZZ_CHECK(topic.kind == TopicScheme::Kind::Telemetry, "a metrics event from another topic");
        checkTelemetry(*sink.m_sample, sink.m_id, message.payload);
        break;
    case RecordingSink::Event::CommandResponse:
        FD_FUZZ_CHECK(topic.kind == TopicScheme::Kind::CommandResponse, "a cmd response from another topic");
        FD_FUZZ_CHECK(sink.m_response == message.payload, "the cmd response handed on is not the payload");
        checkCommandResponse(sink.m_response);
        break;
    case RecordingSink::Event::Death:
    case RecordingSink::Event::Reject:
        break;
    }
    return 0;
}
