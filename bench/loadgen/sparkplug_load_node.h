#pragma once

#include "protocol/sparkplug/sparkplug_b.pb.h"

#include <QtGlobal>

#include <string>
#include <vector>

namespace fd::bench {

// One simulated Sparkplug B 3.0 edge node of the load generator: its devices, its bdSeq and
// seq, and the payloads it publishes, built with the generated protobuf classes:
//   NBIRTH  seq 0, bdSeq, "Node Control/Rebirth"; every metric with name, alias, datatype
//   DBIRTH  per device: its 5 metrics (Float, Float, Double, Int32, Boolean) with name,
//           alias, datatype, value and timestamp
//   DDATA   per device: the same 5 metrics by alias only (no name, no datatype), each with
//           its timestamp, and the payload timestamp
//   NDEATH  bdSeq only (the connection's MQTT Will)
// seq is the node's: 0 in NBIRTH, +1 (mod 256) on every DBIRTH and DDATA. Aliases are unique
// across the node and its devices. Values are deterministic per device and message.
// DDATA reuses one Payload (its metrics allocated once), so a message costs a few field
// writes and one SerializeToString.
class SparkplugLoadNode
{
public:
    static constexpr int kMetricsPerDevice = 5;

    SparkplugLoadNode(const std::string &group, const std::string &nodeId, std::vector<int> deviceNumbers,
                      quint64 bdSeq);

    std::size_t deviceCount() const { return m_deviceNumbers.size(); }
    const std::string &nbirthTopic() const { return m_nbirthTopic; }
    const std::string &ndeathTopic() const { return m_ndeathTopic; }
    const std::string &dbirthTopic(std::size_t device) const { return m_dbirthTopics[device]; }
    const std::string &ddataTopic(std::size_t device) const { return m_ddataTopics[device]; }

    // The payloads, into *out (replaced).
    void nbirth(qint64 nowMs, std::string *out);
    void dbirth(std::size_t device, qint64 nowMs, std::string *out);
    void ddata(std::size_t device, qint64 nowMs, std::string *out);
    const std::string &ndeath() const { return m_ndeath; }

private:
    quint64 takeSeq();
    quint64 alias(std::size_t device, int metric) const;
    void setValue(fleetdeck::sparkplug_b::Payload_Metric *metric, std::size_t device, int index) const;

    std::vector<int> m_deviceNumbers;
    std::vector<quint64> m_counters;  // DDATA sent per device: the values vary with it
    std::string m_nbirthTopic;
    std::string m_ndeathTopic;
    std::vector<std::string> m_dbirthTopics;
    std::vector<std::string> m_ddataTopics;
    quint64 m_bdSeq = 0;
    quint64 m_seq = 0;  // the next message's
    std::string m_ndeath;
    fleetdeck::sparkplug_b::Payload m_data;
};

} // namespace fd::bench
