#include "bench/loadgen/sparkplug_load_source.h"

#include <QDateTime>

namespace fd::bench {

SparkplugLoadSource::SparkplugLoadSource(std::vector<std::unique_ptr<SparkplugLoadNode>> nodes)
    : m_nodes(std::move(nodes))
{
    std::size_t maxDevices = 0;
    for (const auto &node : m_nodes) {
        m_births.push_back({node.get(), kNode});
        for (std::size_t d = 0; d < node->deviceCount(); ++d)
            m_births.push_back({node.get(), d});
        maxDevices = std::max(maxDevices, node->deviceCount());
    }
    // Device d of every node, then device d + 1: consecutive messages come from different
    // nodes, as on a broker that many gateways publish to.
    for (std::size_t d = 0; d < maxDevices; ++d) {
        for (const auto &node : m_nodes) {
            if (d < node->deviceCount())
                m_data.push_back({node.get(), d});
        }
    }
}

LoadMessage SparkplugLoadSource::next()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_birthsSent < m_births.size()) {
        const Slot s = m_births[m_birthsSent++];
        if (s.device == kNode) {
            s.node->nbirth(now, &m_payload);
            return {s.node->nbirthTopic(), m_payload};
        }
        s.node->dbirth(s.device, now, &m_payload);
        return {s.node->dbirthTopic(s.device), m_payload};
    }
    const Slot s = m_data[m_next];
    m_next = m_next + 1 == m_data.size() ? 0 : m_next + 1;
    s.node->ddata(s.device, now, &m_payload);
    return {s.node->ddataTopic(s.device), m_payload};
}

std::optional<LoadMessage> SparkplugLoadSource::will() const
{
    if (m_nodes.empty())
        return std::nullopt;
    return LoadMessage{m_nodes.front()->ndeathTopic(), m_nodes.front()->ndeath()};
}

} // namespace fd::bench
