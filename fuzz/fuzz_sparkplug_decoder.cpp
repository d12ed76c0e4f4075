// Fuzz target: SparkplugDecoder (the Sparkplug B host application) and SparkplugCodec, driven
// the way the ingest pipeline drives a decoder: a sequence of messages, ticks and connection
// changes on one source, so that the state machine (sessions, seq reordering, aliases,
// rebirth requests) is explored, not just one payload.
//
// Input: records of
//   op (1 byte): the low 2 bits 0 message, 1 tick, 2 connection lost, 3 connection up; the
//                upper 6 bits advance the clock by that many 100 ms first
//   message:     topic length (1 byte), topic, payload length (2 bytes, little-endian), payload
// (tests/core/sparkplug/sparkplug_test_messages.h, fuzzRecord(), writes the seeds in
// fuzz/corpus/fuzz_sparkplug_decoder/: FLEETDECK_WRITE_FUZZ_SEEDS=DIR test_sparkplug_decoder).
//
// Checked per input:
//  - claims() is the "spBv1.0/" prefix test; every event names a valid Sparkplug path
//    ("group/node" or "group/node/device", each id SparkplugTopic::isValidId) or -1.
//  - A status is online, with attributes of at most 256 characters; a sample has metrics,
//    seq 0, names of 1-256 characters and strings within MetricValue::kMaxStringBytes;
//    session counters only grow; deaths have a time.
//  - A rebirth request goes to an edge node, on its NCMD topic, and its payload decodes to
//    `Node Control/Rebirth` = true.
//  - Nothing is held forever: after a tick far in the future nextDeadlineMs() is 0.
//  - Codec: what decodes re-encodes, and encode(decode(encode(decode(x)))) equals
//    encode(decode(x)) (the value types keep everything the encoder writes).
#include "fuzz_support.h"

#include "core/protocol/decode_sink.h"
#include "core/protocol/sparkplug/sparkplug_codec.h"
#include "core/protocol/sparkplug/sparkplug_encoder.h"
#include "core/protocol/sparkplug/sparkplug_decoder.h"
#include "core/protocol/sparkplug/sparkplug_topic.h"
#include "core/protocol/sparkplug/sparkplug_value_mapper.h"

#include <QHash>
#include <QList>

using namespace fd;

namespace {

bool validPath(QByteArrayView path)
{
    int segments = 0;
    while (true) {
        const qsizetype slash = path.indexOf('/');
        const QByteArrayView id = slash < 0 ? path : path.first(slash);
        if (!SparkplugTopic::isValidId(id))
            return false;
        ++segments;
        if (slash < 0)
            break;
        path = path.sliced(slash + 1);
    }
    return segments == 2 || segments == 3;
}

class CheckingSink final : public DecodeSink
{
public:
    int device(QByteArrayView path) override
    {
        FD_FUZZ_CHECK(validPath(path), "the decoder asked for an invalid Sparkplug path");
        const QString p = QString::fromUtf8(path);
        qsizetype i = m_paths.indexOf(p);
        if (i < 0) {
            m_paths.append(p);
            m_ids.append(p.section(u'/', -1));
            m_sessions.append(SparkplugSession{});
            i = m_paths.size() - 1;
        }
        return int(i);
    }
    const QString &deviceId(int handle) const override
    {
        check(handle);
        return m_ids.at(handle);
    }
    void status(int handle, const DeviceStatus &s) override
    {
        check(handle);
        FD_FUZZ_CHECK(s.online, "a Sparkplug status is a birth: online");
        FD_FUZZ_CHECK(s.deviceId == m_ids.at(handle), "the status names another device");
        for (const auto *a : {&s.name, &s.model, &s.fwVersion, &s.site})
            FD_FUZZ_CHECK(!*a || (*a)->size() <= 256, "an attribute over 256 characters");
    }
    void death(int handle, qint64 tsMs) override
    {
        check(handle);
        FD_FUZZ_CHECK(tsMs > 0, "a death without a time");
    }
    void session(int handle, const SparkplugSession &s) override
    {
        check(handle);
        const SparkplugSession &before = m_sessions.at(handle);
        FD_FUZZ_CHECK(s.births >= before.births && s.deaths >= before.deaths, "session counters went back");
        FD_FUZZ_CHECK(s.births > 0 || !s.lastRebirthCause.isEmpty(), "a session event of nothing");
        m_sessions[handle] = s;
    }
    void metrics(int handle, TelemetrySample &&sample) override
    {
        check(handle);
        FD_FUZZ_CHECK(!sample.metrics.isEmpty(), "an empty sample");
        FD_FUZZ_CHECK(sample.seq == 0, "Sparkplug samples carry no v1 seq");
        for (const MetricValue &m : std::as_const(sample.metrics)) {
            FD_FUZZ_CHECK(!m.name.isEmpty() && m.name.size() <= SparkplugValueMapper::kMaxNameLength, "a bad metric name");
            FD_FUZZ_CHECK(m.text.size() <= MetricValue::kMaxStringBytes, "a string value over the bound");
        }
    }
    void reject(int handle, RejectReason, const QString &detail) override
    {
        if (handle != -1)
            check(handle);
        FD_FUZZ_CHECK(!detail.isEmpty(), "a reject without a reason");
    }
    void commandResponse(QByteArrayView, const QByteArray &) override
    {
        FD_FUZZ_CHECK(false, "Sparkplug has no command responses");
    }
    void sendToDevice(QByteArrayView path, const QString &name, const QString &topic, const QByteArray &payload,
                      const QString &reason) override
    {
        FD_FUZZ_CHECK(validPath(path) && path.count('/') == 1, "a rebirth request to something but an edge node");
        FD_FUZZ_CHECK(name == u"rebirth" && !reason.isEmpty(), "a command without name or reason");
        const qsizetype slash = path.indexOf('/');
        const QByteArray expected = QByteArray("spBv1.0/") + path.first(slash).toByteArray() + "/NCMD/"
            + path.sliced(slash + 1).toByteArray();
        FD_FUZZ_CHECK(topic.toUtf8() == expected, "a rebirth request on the wrong topic");
        DecodeError error;
        const auto ncmd = m_codec.decode(payload, &error);
        FD_FUZZ_CHECK(ncmd && ncmd->metrics.size() == 1, "a rebirth payload that does not decode");
        const SparkplugMetric &m = ncmd->metrics.first();
        FD_FUZZ_CHECK(m.name == u"Node Control/Rebirth" && m.isValid() && std::get_if<bool>(&m.value)
                          && std::get<bool>(m.value),
                      "a rebirth payload without Node Control/Rebirth = true");
    }

private:
    void check(int handle) const
    {
        FD_FUZZ_CHECK(handle >= 0 && handle < m_paths.size(), "an event for a handle the sink never gave");
    }

    QStringList m_paths;
    QStringList m_ids;
    QList<SparkplugSession> m_sessions;
    SparkplugCodec m_codec;
};

// decode -> encode -> decode -> encode is stable.
void checkCodec(SparkplugCodec &codec, const QByteArray &payload)
{
    DecodeError error;
    const auto first = codec.decode(payload, &error);
    if (!first) {
        FD_FUZZ_CHECK(!error.detail.isEmpty(), "a payload rejected without a reason");
        return;
    }
    const QByteArray once = SparkplugEncoder::encode(*first);
    const auto second = codec.decode(once, &error);
    FD_FUZZ_CHECK(second.has_value(), "the encoder wrote a payload the decoder rejects");
    FD_FUZZ_CHECK(SparkplugEncoder::encode(*second) == once, "decode/encode is not stable");
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fd::fuzz::quietLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input = fd::fuzz::inputBytes(data, size);
    SparkplugDecoder::Options options;
    options.hostId = QStringLiteral("fuzz");
    options.reorderTimeoutMs = 2000;
    options.rebirthRetryMs = 10000;
    options.maxPayloadBytes = 64 * 1024;
    SparkplugDecoder decoder(options);
    CheckingSink sink;
    SparkplugCodec codec;
    qint64 now = 1000;
    qsizetype at = 0;
    while (at < input.size()) {
        const quint8 op = quint8(input.at(at++));
        now += qint64(op >> 2) * 100;
        switch (op & 3) {
        case 0: {
            if (at >= input.size())
                break;
            const qsizetype topicLength = quint8(input.at(at++));
            MqttMessage message;
            message.topic = input.sliced(at, qMin(topicLength, input.size() - at)).toByteArray();
            at += message.topic.size();
            if (at + 2 > input.size())
                at = input.size();
            const qsizetype payloadLength = at < input.size() ? qsizetype(quint8(input.at(at)) | (quint8(input.at(at + 1)) << 8)) : 0;
            at = qMin(at + 2, input.size());
            message.payload = input.sliced(at, qMin(payloadLength, input.size() - at)).toByteArray();
            at += message.payload.size();
            message.receivedMs = now;
            const bool claimed = decoder.claims(message.topic);
            FD_FUZZ_CHECK(claimed == message.topic.startsWith("spBv1.0/"), "claims() is not the prefix test");
            if (claimed)
                decoder.decode(message, sink);
            checkCodec(codec, message.payload);
            break;
        }
        case 1: {
            const qint64 due = decoder.nextDeadlineMs();
            if (due > 0 && due <= now)
                decoder.tick(now, sink);
            break;
        }
        case 2:
            decoder.connectionChanged(false, now, sink);
            break;
        case 3:
            decoder.connectionChanged(true, now, sink);
            break;
        }
    }
    const qint64 end = now + 24 * 3600 * 1000;
    if (decoder.nextDeadlineMs() > 0) {
        FD_FUZZ_CHECK(decoder.nextDeadlineMs() <= now + options.reorderTimeoutMs, "a deadline past the reorder timeout");
        decoder.tick(end, sink);
    }
    FD_FUZZ_CHECK(decoder.nextDeadlineMs() == 0, "messages held after their timeout");
    return 0;
}
