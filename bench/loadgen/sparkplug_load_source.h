#pragma once

#include "bench/loadgen/load_message_source.h"
#include "bench/loadgen/sparkplug_load_node.h"

#include <memory>
#include <string>
#include <vector>

namespace fd::bench {

// The Sparkplug B schedule of one load connection: its edge nodes' births first (per node
// the NBIRTH, then a DBIRTH per device), then DDATA round robin over all their devices,
// nodes interleaved. Births are scheduled messages like the rest (they count towards the
// rate and the total). MQTT has one Will per connection: the NDEATH of the first node.
class SparkplugLoadSource final : public LoadMessageSource
{
public:
    explicit SparkplugLoadSource(std::vector<std::unique_ptr<SparkplugLoadNode>> nodes);

    // NBIRTH + DBIRTH messages at the start of the schedule.
    std::size_t birthCount() const { return m_births.size(); }
    LoadMessage next() override;
    std::optional<LoadMessage> will() const override;

private:
    struct Slot
    {
        SparkplugLoadNode *node;
        std::size_t device;  // a DBIRTH/DDATA slot; kNode for the NBIRTH
    };
    static constexpr std::size_t kNode = std::size_t(-1);

    std::vector<std::unique_ptr<SparkplugLoadNode>> m_nodes;
    std::vector<Slot> m_births;
    std::vector<Slot> m_data;
    std::size_t m_birthsSent = 0;
    std::size_t m_next = 0;
    std::string m_payload;
};

} // namespace fd::bench
