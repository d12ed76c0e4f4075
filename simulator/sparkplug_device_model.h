#pragma once

#include "simulator/sparkplug_metric_set.h"

#include <QString>

#include <random>

namespace fd::sim {

// One machine behind a Sparkplug edge node (a boiler, compressor, chiller, press, pump or
// oven, by its index): its metrics and how they drift. temperature (Float) follows the
// writable setpoint (Float) while running; pressure (Double), parts_count (UInt32),
// runtime_s (Int64), alarm_code (Int32), running (Boolean), mode (String), and the String
// properties Properties/Name and Properties/Model. Deterministic from (seed, node, index).
// Aliases: 100·(index + 1) + n, unique within the node.
class SparkplugDeviceModel
{
public:
    SparkplugDeviceModel(int nodeIndex, int index, quint64 seed);

    const QString &id() const { return m_id; }  // "boiler-01"
    SparkplugMetricSet &metrics() { return m_metrics; }
    const SparkplugMetricSet &metrics() const { return m_metrics; }
    // One DATA period of intervalMs later.
    void step(int intervalMs);

private:
    QString m_id;
    SparkplugMetricSet m_metrics;
    std::mt19937_64 m_rng;
    double m_temperature;
    double m_basePressure;
    double m_pressure;
    double m_runtimeS = 0;
    quint32 m_parts;
    int m_alarmSteps = 0;  // > 0: an alarm is showing for that many more steps
};

} // namespace fd::sim
