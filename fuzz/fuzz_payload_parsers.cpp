// Differential fuzz target: protocol v1 telemetry read by the hand-written fast parser
// (TelemetryFastParser, the hot path) and by QJsonDocument (PayloadCodec's general decoder).
// Input: one telemetry payload.
//
// The contract between the two (core/protocol/telemetry_fast_parser.h): the fast parser
// declines whatever it is not sure of, and the general decoder then decides; what the fast
// parser accepts, QJsonDocument accepts as well, to the same numbers. So per input:
//
//  1. Fast parser accepts -> QJsonDocument parses the payload to an object of exactly "ts",
//     "seq" and "metrics"; ts and seq are the same doubles (bit for bit); metrics has the
//     same names in the same order (byte order = QJsonObject's key order for ASCII) and the
//     same doubles (bit for bit).
//  2. PayloadCodec::decodeTelemetry (fast path, else general) answers exactly what
//     decodeTelemetryGeneral (QJsonDocument only) answers: the same sample (values bit for
//     bit, Double typed), or the same reject reason and detail. Declining is always safe;
//     accepting never changes the answer.
//  3. An accepted sample keeps the protocol's rules: ts and seq integers in [0, 2^53 - 1],
//     metric names of 1 to 128 characters and unique, values finite; and it survives
//     encodeTelemetry -> decodeTelemetry (the simulator's encoder) unchanged, bit for bit.
//  4. Every reject carries a detail for the operator.
#include "fuzz_support.h"

#include "core/protocol/payload_codec.h"
#include "core/protocol/telemetry_fast_parser.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QSet>

#include <algorithm>
#include <bit>
#include <cmath>

using namespace fd;

namespace {

constexpr double kMaxExactInteger = 9007199254740991.0;  // 2^53 - 1, docs/protocol.md

bool sameBits(double a, double b)
{
    return std::bit_cast<quint64>(a) == std::bit_cast<quint64>(b);
}

// Property 1: the fast parser's answer against QJsonDocument's reading of the same bytes.
void checkFastParserAgainstQJsonDocument(const QByteArray &payload)
{
    double ts = 0, seq = 0;
    TelemetryFastParser::Metrics metrics;
    if (!TelemetryFastParser::parse(payload, &ts, &seq, &metrics))
        return;  // declined: the general decoder decides (property 2)

    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &error);
    FD_FUZZ_CHECK(error.error == QJsonParseError::NoError, "fast parser accepted what QJsonDocument rejects");
    FD_FUZZ_CHECK(doc.isObject(), "fast parser accepted a non-object");
    const QJsonObject obj = doc.object();
    FD_FUZZ_CHECK(obj.size() == 3, "fast parser accepted an object with other fields than ts, seq, metrics");
    const QJsonValue jts = obj.value(QLatin1StringView("ts"));
    const QJsonValue jseq = obj.value(QLatin1StringView("seq"));
    const QJsonValue jmetrics = obj.value(QLatin1StringView("metrics"));
    FD_FUZZ_CHECK(jts.isDouble() && sameBits(jts.toDouble(), ts), "ts differs between the parsers");
    FD_FUZZ_CHECK(jseq.isDouble() && sameBits(jseq.toDouble(), seq), "seq differs between the parsers");
    FD_FUZZ_CHECK(jmetrics.isObject(), "metrics is not an object for QJsonDocument");
    const QJsonObject jm = jmetrics.toObject();
    FD_FUZZ_CHECK(jm.size() == metrics.size(), "metric count differs between the parsers");
    qsizetype i = 0;
    for (auto it = jm.constBegin(); it != jm.constEnd(); ++it, ++i) {
        const TelemetryFastParser::Metric &m = metrics.at(i);
        FD_FUZZ_CHECK(it.key().toUtf8() == m.name, "metric names (or their order) differ between the parsers");
        FD_FUZZ_CHECK(it.value().isDouble(), "fast parser accepted a metric QJsonDocument does not read as a number");
        FD_FUZZ_CHECK(sameBits(it.value().toDouble(), m.value), "a metric value differs between the parsers");
    }
}

MetricValues byName(MetricValues metrics)
{
    std::sort(metrics.begin(), metrics.end(), [](const MetricValue &a, const MetricValue &b) { return a.name < b.name; });
    return metrics;
}

// Both samples' values bit for bit (neither path ever gives -0.0: QJsonDocument reads every
// zero as 0, the fast parser does the same). sameOrder: the metrics in the same order too
// (the two decoders); otherwise as sets (a round trip through QJsonObject sorts them).
void checkSameSample(const TelemetrySample &a, const TelemetrySample &b, bool sameOrder)
{
    FD_FUZZ_CHECK(a.deviceId == b.deviceId, "device id differs");
    FD_FUZZ_CHECK(a.timestampMs == b.timestampMs, "ts differs");
    FD_FUZZ_CHECK(a.seq == b.seq, "seq differs");
    FD_FUZZ_CHECK(a.metrics.size() == b.metrics.size(), "metric count differs");
    const MetricValues am = sameOrder ? a.metrics : byName(a.metrics);
    const MetricValues bm = sameOrder ? b.metrics : byName(b.metrics);
    for (qsizetype i = 0; i < am.size(); ++i) {
        const MetricValue &x = am.at(i);
        const MetricValue &y = bm.at(i);
        FD_FUZZ_CHECK(x.name == y.name, "metric name (or order) differs");
        FD_FUZZ_CHECK(x.type == y.type && x.integer == y.integer && x.text == y.text, "metric type differs");
        FD_FUZZ_CHECK(sameBits(x.value, y.value), "metric value differs");
    }
}

// Property 3.
void checkAcceptedSample(const TelemetrySample &s, const QString &deviceId)
{
    FD_FUZZ_CHECK(s.deviceId == deviceId, "the sample names another device");
    FD_FUZZ_CHECK(s.timestampMs >= 0 && double(s.timestampMs) <= kMaxExactInteger, "ts out of range");
    FD_FUZZ_CHECK(double(s.seq) <= kMaxExactInteger, "seq out of range");
    QSet<QString> names;
    for (qsizetype i = 0; i < s.metrics.size(); ++i) {
        const MetricValue &m = s.metrics.at(i);
        FD_FUZZ_CHECK(!m.name.isEmpty() && m.name.size() <= PayloadCodec::kMaxMetricNameLength,
                      "metric name length out of range");
        FD_FUZZ_CHECK(m.type == MetricType::Double, "protocol v1 values are doubles");
        FD_FUZZ_CHECK(std::isfinite(m.value), "a metric value is not finite");
        FD_FUZZ_CHECK(!names.contains(m.name), "a metric name appears twice in one sample");
        names.insert(m.name);
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fd::fuzz::quietLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray payload = fd::fuzz::inputBytes(data, size).toByteArray();
    const QString deviceId = QStringLiteral("dev-1");

    checkFastParserAgainstQJsonDocument(payload);

    // A codec per input: results do not depend on what earlier inputs interned.
    PayloadCodec codec;
    const Decoded<TelemetrySample> hot = codec.decodeTelemetry(deviceId, payload);
    const Decoded<TelemetrySample> general = codec.decodeTelemetryGeneral(deviceId, payload);
    FD_FUZZ_CHECK(hot.index() == general.index(), "one path accepts what the other rejects");

    if (const auto *err = std::get_if<DecodeError>(&hot)) {
        const DecodeError &other = std::get<DecodeError>(general);
        FD_FUZZ_CHECK(err->reason == other.reason, "the paths give different reject reasons");
        FD_FUZZ_CHECK(err->detail == other.detail, "the paths give different details");
        FD_FUZZ_CHECK(!err->detail.isEmpty(), "a reject without a detail for the operator");
        return 0;
    }

    const TelemetrySample &sample = std::get<TelemetrySample>(hot);
    checkSameSample(sample, std::get<TelemetrySample>(general), true);
    checkAcceptedSample(sample, deviceId);

    const Decoded<TelemetrySample> again = codec.decodeTelemetry(deviceId, PayloadCodec::encodeTelemetry(sample));
    FD_FUZZ_CHECK(std::holds_alternative<TelemetrySample>(again), "an accepted sample does not survive encode -> decode");
    checkSameSample(sample, std::get<TelemetrySample>(again), false);
    return 0;
}
