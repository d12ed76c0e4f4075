#pragma once

#include "bench/loadgen/load_message_source.h"

#include <QtGlobal>

#include <string>
#include <vector>

namespace fd::bench {

// Protocol v1 telemetry (docs/protocol.md) for a share of the device ids, round robin:
// {prefix}/dev-<n>/telemetry with {"ts", "seq" (per device, from 1), "metrics": 4 numbers}.
class V1TelemetrySource final : public LoadMessageSource
{
public:
    V1TelemetrySource(const std::string &prefix, std::vector<int> deviceNumbers);
    LoadMessage next() override;

private:
    std::vector<int> m_deviceNumbers;
    std::vector<std::string> m_topics;
    std::vector<quint64> m_seq;
    std::size_t m_next = 0;
    std::string m_payload;
};

} // namespace fd::bench
