// Codec and topic micro-benchmarks (protocol v1, docs/protocol.md).
#include "core/protocol/payload_codec.h"
#include "core/protocol/topic_scheme.h"

#include <benchmark/benchmark.h>

#include <variant>

namespace {

const QByteArray kTelemetry =
    QByteArrayLiteral(R"({"ts":1764145000123,"seq":4711,"metrics":{"temperature":21.4,"humidity":48.2,"battery":87.5,"rssi":-67}})");
const QByteArray kStatus =
    QByteArrayLiteral(R"({"online":true,"name":"Cold room 4","model":"TH-100","fw_version":"2.3.1","site":"Lyon-Nord"})");
const QByteArray kWrongType = QByteArrayLiteral(R"({"ts":1764145000123,"seq":"7","metrics":{"temperature":21.4}})");
const QByteArray kBadJson = QByteArrayLiteral(R"({"ts":1764145000123,"seq":7,"metrics":{"temperature":21.4})");

void BM_DecodeTelemetry(benchmark::State &state)
{
    const fd::PayloadCodec codec;
    const QString id = QStringLiteral("dev-4711");
    for (auto _ : state) {
        auto decoded = codec.decodeTelemetry(id, kTelemetry);
        benchmark::DoNotOptimize(decoded);
    }
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(state.iterations() * kTelemetry.size());
}
BENCHMARK(BM_DecodeTelemetry);

void BM_DecodeTelemetryRejectWrongType(benchmark::State &state)
{
    const fd::PayloadCodec codec;
    const QString id = QStringLiteral("dev-4711");
    for (auto _ : state) {
        auto decoded = codec.decodeTelemetry(id, kWrongType);
        benchmark::DoNotOptimize(decoded);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecodeTelemetryRejectWrongType);

void BM_DecodeTelemetryRejectBadJson(benchmark::State &state)
{
    const fd::PayloadCodec codec;
    const QString id = QStringLiteral("dev-4711");
    for (auto _ : state) {
        auto decoded = codec.decodeTelemetry(id, kBadJson);
        benchmark::DoNotOptimize(decoded);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecodeTelemetryRejectBadJson);

void BM_DecodeStatus(benchmark::State &state)
{
    const fd::PayloadCodec codec;
    const QString id = QStringLiteral("dev-4711");
    for (auto _ : state) {
        auto decoded = codec.decodeStatus(id, kStatus);
        benchmark::DoNotOptimize(decoded);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecodeStatus);

void BM_EncodeTelemetry(benchmark::State &state)
{
    fd::TelemetrySample sample;
    sample.deviceId = QStringLiteral("dev-4711");
    sample.timestampMs = 1764145000123;
    sample.seq = 4711;
    sample.metrics = {{QStringLiteral("temperature"), 21.4}, {QStringLiteral("humidity"), 48.2},
                      {QStringLiteral("battery"), 87.5}, {QStringLiteral("rssi"), -67}};
    for (auto _ : state) {
        QByteArray out = fd::PayloadCodec::encodeTelemetry(sample);
        benchmark::DoNotOptimize(out);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EncodeTelemetry);

void BM_TopicParse(benchmark::State &state)
{
    const fd::TopicScheme scheme;
    const QByteArray topic = QByteArrayLiteral("fleetdeck/v1/dev-4711/telemetry");
    for (auto _ : state) {
        auto parsed = scheme.parse(topic);
        benchmark::DoNotOptimize(parsed);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TopicParse);

} // namespace

#include "core/protocol/telemetry_fast_parser.h"

namespace {

void BM_TelemetryFastParserOnly(benchmark::State &state)
{
    fd::TelemetryFastParser::Metrics metrics;
    double ts = 0, seq = 0;
    bool ok = true;
    for (auto _ : state) {
        ok &= fd::TelemetryFastParser::parse(kTelemetry, &ts, &seq, &metrics);
        benchmark::DoNotOptimize(metrics);
    }
    if (!ok)
        state.SkipWithError("the fast parser declined the usual payload");
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TelemetryFastParserOnly);

} // namespace
