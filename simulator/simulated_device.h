#pragma once

#include "core/domain/device_status.h"
#include "core/domain/telemetry_sample.h"
#include "simulator/fleet_generator.h"

#include <random>

namespace fd::sim {

// The physics of one device: metrics that drift as a random walk with noise, a battery
// that slowly drains. Deterministic: the n-th sample depends only on (seed, index, n).
class SimulatedDevice
{
public:
    SimulatedDevice(DeviceIdentity identity, quint64 runSeed);

    const DeviceIdentity &identity() const { return m_identity; }
    // The next telemetry sample (seq 1, 2, ...), stamped nowMs.
    TelemetrySample nextSample(qint64 nowMs);
    quint64 nextSeq() const { return m_seq + 1; }
    DeviceStatus status(bool online) const;
    bool hasBattery() const;

    // Per-device generator for fault decisions, separate so --faults does not change the
    // metric values.
    std::mt19937_64 &faultRng() { return m_faultRng; }

private:
    DeviceIdentity m_identity;
    std::mt19937_64 m_rng;
    std::mt19937_64 m_faultRng;
    quint64 m_seq = 0;
    double m_baseTemperature;
    double m_temperature;
    double m_humidity;
    double m_battery;
    double m_rssi;
    double m_baseRssi;
    double m_load;
};

} // namespace fd::sim
