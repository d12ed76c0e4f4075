#include "bench/loadgen/load_plan.h"

#include "bench/loadgen/sparkplug_load_source.h"
#include "bench/loadgen/v1_telemetry_source.h"

namespace fd::bench {

namespace {

std::vector<LoadShare> planV1(const LoadgenOptions &options)
{
    std::vector<LoadShare> shares;
    const std::string prefix = options.prefix.toStdString();
    for (int c = 0; c < options.connections; ++c) {
        std::vector<int> numbers;
        for (int i = c; i < options.devices; i += options.connections)
            numbers.push_back(options.firstDevice + i);
        LoadShare share;
        share.devices = numbers.size();
        share.source = std::make_unique<V1TelemetrySource>(prefix, std::move(numbers));
        shares.push_back(std::move(share));
    }
    return shares;
}

std::vector<LoadShare> planSparkplug(const LoadgenOptions &options)
{
    const std::string group = options.sparkplugGroup.toStdString();
    std::vector<std::vector<std::unique_ptr<SparkplugLoadNode>>> perConnection(std::size_t(options.connections));
    std::vector<LoadShare> shares(std::size_t(options.connections));
    for (int k = 0; k < options.sparkplugNodes; ++k) {
        std::vector<int> numbers;
        for (int i = k; i < options.devices; i += options.sparkplugNodes)
            numbers.push_back(options.firstDevice + i);
        LoadShare &share = shares[std::size_t(k % options.connections)];
        share.devices += numbers.size();
        share.births += 1 + numbers.size();
        perConnection[std::size_t(k % options.connections)].push_back(std::make_unique<SparkplugLoadNode>(
            group, "node-" + std::to_string(k + 1), std::move(numbers), 0));
    }
    for (std::size_t c = 0; c < shares.size(); ++c)
        shares[c].source = std::make_unique<SparkplugLoadSource>(std::move(perConnection[c]));
    return shares;
}

} // namespace

std::vector<LoadShare> planLoad(const LoadgenOptions &options)
{
    return options.sparkplug ? planSparkplug(options) : planV1(options);
}

} // namespace fd::bench
