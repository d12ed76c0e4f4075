#include "bench/loadgen/v1_telemetry_source.h"

#include <QDateTime>

#include <charconv>

namespace fd::bench {

namespace {

void appendInt(std::string &out, long long v)
{
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

// One decimal: value in tenths.
void appendTenths(std::string &out, int tenths)
{
    if (tenths < 0) {
        out.push_back('-');
        tenths = -tenths;
    }
    appendInt(out, tenths / 10);
    out.push_back('.');
    out.push_back(char('0' + tenths % 10));
}

} // namespace

V1TelemetrySource::V1TelemetrySource(const std::string &prefix, std::vector<int> deviceNumbers)
    : m_deviceNumbers(std::move(deviceNumbers))
{
    m_topics.reserve(m_deviceNumbers.size());
    for (int n : m_deviceNumbers)
        m_topics.push_back(prefix + "/dev-" + std::to_string(n) + "/telemetry");
    m_seq.assign(m_deviceNumbers.size(), 0);
}

LoadMessage V1TelemetrySource::next()
{
    const std::size_t device = m_next;
    m_next = m_next + 1 == m_topics.size() ? 0 : m_next + 1;
    const quint64 seq = ++m_seq[device];
    const int deviceNumber = m_deviceNumbers[device];
    // Deterministic values that vary per device and message, like a real fleet.
    const int phase = int((seq + quint64(deviceNumber) * 7) % 100);
    std::string &payload = m_payload;
    payload.clear();
    payload += "{\"ts\":";
    appendInt(payload, QDateTime::currentMSecsSinceEpoch());
    payload += ",\"seq\":";
    appendInt(payload, (long long)seq);
    payload += ",\"metrics\":{\"temperature\":";
    appendTenths(payload, 180 + phase);
    payload += ",\"humidity\":";
    appendTenths(payload, 400 + (phase * 3) % 200);
    payload += ",\"battery\":";
    appendTenths(payload, 1000 - int(seq % 1000));
    payload += ",\"rssi\":";
    appendInt(payload, -50 - phase / 3);
    payload += "}}";
    return {m_topics[device], payload};
}

} // namespace fd::bench
