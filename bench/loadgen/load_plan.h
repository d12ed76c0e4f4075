#pragma once

#include "bench/loadgen/load_message_source.h"
#include "bench/loadgen/loadgen_options.h"

#include <memory>
#include <vector>

namespace fd::bench {

// The share of the load of one connection: what it publishes, for how many devices, and how
// many of its messages are Sparkplug births (the first ones of its schedule).
struct LoadShare
{
    std::unique_ptr<LoadMessageSource> source;
    std::size_t devices = 0;
    std::size_t births = 0;
};

// Splits the devices over the connections (round robin), as protocol v1 telemetry or, with
// --sparkplug, as edge nodes: device i belongs to node i % nodes, node k is on connection
// k % connections. Every connection gets at least one device (options.connections is
// already capped by the devices / nodes).
std::vector<LoadShare> planLoad(const LoadgenOptions &options);

} // namespace fd::bench
