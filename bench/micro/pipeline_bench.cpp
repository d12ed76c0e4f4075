// The ingest pipeline without MQTT and storage: topic parse + decode (ProtocolV1Decoder) +
// inventory consumer (FleetState apply)
// per message, in batches as MqttClient delivers them, over 10,000 devices.
#include "core/domain/device_key.h"
#include "core/ingest/ingest_pipeline.h"
#include "core/ingest/inventory_consumer.h"
#include "core/protocol/payload_codec.h"
#include "core/protocol/protocol_v1_decoder.h"
#include "core/protocol/topic_scheme.h"

#include <memory>

#include <benchmark/benchmark.h>

namespace {

fd::MqttMessageBatch makeBatch(int size, int devices, quint64 *seq)
{
    fd::MqttMessageBatch batch;
    batch.reserve(size);
    for (int i = 0; i < size; ++i) {
        const int device = i % devices;
        fd::MqttMessage m;
        m.topic = "fleetdeck/v1/dev-" + QByteArray::number(device + 1) + "/telemetry";
        m.payload = R"({"ts":1764145000123,"seq":)" + QByteArray::number(++seq[device])
                    + R"(,"metrics":{"temperature":21.4,"humidity":48.2,"battery":87.5,"rssi":-67}})";
        m.receivedMs = 1764145000200;
        m.qos = 1;
        batch.append(std::move(m));
    }
    return batch;
}

void BM_PipelineDecodeApply(benchmark::State &state)
{
    constexpr int kDevices = 10000;
    const int batchSize = int(state.range(0));
    std::vector<quint64> seq(kDevices, 0);
    // Protocol v1 on one source, with the inventory consumer (FleetState), as the session wires it.
    const QString source = fd::DeviceKey::defaultSource();
    fd::IngestPipeline pipeline;
    pipeline.addConsumer(new fd::InventoryConsumer);
    pipeline.setDecoders(source, {std::make_shared<fd::ProtocolV1Decoder>(fd::TopicScheme(),
                                                                           fd::PayloadCodec::kDefaultMaxPayloadBytes)});
    // Warm: every device known, as in steady state.
    for (int i = 0; i < kDevices / batchSize + 1; ++i)
        pipeline.processBatch(source, makeBatch(batchSize, kDevices, seq.data()));
    std::vector<fd::MqttMessageBatch> batches;
    for (int i = 0; i < 16; ++i)
        batches.push_back(makeBatch(batchSize, kDevices, seq.data()));
    size_t next = 0;
    for (auto _ : state) {
        pipeline.processBatch(source, batches[next]);
        next = (next + 1) % batches.size();
    }
    state.SetItemsProcessed(state.iterations() * batchSize);
}
BENCHMARK(BM_PipelineDecodeApply)->Arg(1000);

} // namespace
