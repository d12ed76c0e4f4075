#pragma once

#include "simulator/sparkplug_metric_set.h"

#include <QString>

#include <random>

namespace fd::sim {

// The edge node's own metrics (a gateway): bdSeq (Int64), Node Control/Rebirth (Boolean
// false), the String properties Properties/Name, /Model, /Firmware and /Site (the group),
// temperature (Float), cpu_load (Double), uptime_s (Int64), rssi (Int32) and the writable
// report_interval_ms (UInt32, its DATA period). Aliases 1..11. Deterministic from (seed, index).
class SparkplugNodeModel
{
public:
    static constexpr int kMinReportIntervalMs = 100;
    static constexpr int kMaxReportIntervalMs = 60000;

    SparkplugNodeModel(int index, const QString &site, int intervalMs, quint64 seed);

    const QString &id() const { return m_id; }  // "gw-01"
    SparkplugMetricSet &metrics() { return m_metrics; }
    const SparkplugMetricSet &metrics() const { return m_metrics; }
    void setBdSeq(quint8 bdSeq);
    int reportIntervalMs() const;
    // Keeps report_interval_ms within [kMin, kMax] after a write (the clamped value is echoed).
    void clampReportInterval();
    void step(int intervalMs, qint64 uptimeMs);

    static QString nodeId(int index);  // "gw-01"

private:
    QString m_id;
    SparkplugMetricSet m_metrics;
    std::mt19937_64 m_rng;
    double m_temperature;
    double m_load;
    double m_baseRssi;
    double m_rssi;
};

} // namespace fd::sim
