#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace fd::bench {

// One MQTT message of the load: views that stay valid until the source's next call.
struct LoadMessage
{
    std::string_view topic;
    std::string_view payload;
};

// What one LoadConnection publishes: the messages of its schedule, one per call, in order,
// and what the protocol needs around them (the MQTT Will registered with CONNECT).
// Implementations: V1TelemetrySource (protocol v1), SparkplugLoadSource (Sparkplug B).
class LoadMessageSource
{
public:
    virtual ~LoadMessageSource() = default;
    // The next scheduled message (called at the publishing rate, on the connection's thread).
    virtual LoadMessage next() = 0;
    // The Will of the connection (QoS 1, not retained), if the protocol has one.
    virtual std::optional<LoadMessage> will() const { return std::nullopt; }
};

} // namespace fd::bench
