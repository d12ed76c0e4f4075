#pragma once

#include "core/domain/device_status.h"
#include "core/domain/telemetry_sample.h"
#include "simulator/fleet_generator.h"

#include <QStringList>

#include <random>

namespace fd::sim {

// The physics of one device: metrics that drift as a random walk with noise, a battery
// that slowly drains. Deterministic: the n-th sample depends only on (seed, index, n).
//
// History backfill (--history): forkHistory(n) hands out the model as it is now, to produce
// the n past samples, and moves this device's model on by n steps, so the first live sample
// continues where the history ends (no jump at "now"). Sequence numbers stay with this
// device: history samples take theirs from takeSeq(), so seq grows in publish order.
class SimulatedDevice
{
public:
    SimulatedDevice(DeviceIdentity identity, quint64 runSeed);

    const DeviceIdentity &identity() const { return m_identity; }
    // The next telemetry sample (seq 1, 2, ...), stamped nowMs.
    TelemetrySample nextSample(qint64 nowMs);
    quint64 nextSeq() const { return m_seq + 1; }
    // Uses up the next sequence number (for a sample made by a forkHistory() copy).
    quint64 takeSeq() { return ++m_seq; }
    // A copy of the model now, for `samples` history samples; this device skips past them.
    SimulatedDevice forkHistory(qint64 samples);
    DeviceStatus status(bool online) const;
    // An OTA install changed the running firmware (status and manifest report it from now on).
    void setFirmwareVersion(const QString &version) { m_identity.fwVersion = version; }
    bool hasBattery() const;
    // Every sample also carries its seq as the metric "seq" (--seq-metric).
    void setSeqMetric(bool on) { m_seqMetric = on; }
    // Someone put in a fresh battery (the end of a battery_drain scenario): the model drains
    // on from this level.
    void replaceBattery(double level) { m_battery = level; }
    // The metrics a device reports, in telemetry order (its model decides).
    static QStringList metricNames(const DeviceIdentity &identity);

    // Per-device generator for fault decisions, separate so --faults does not change the
    // metric values.
    std::mt19937_64 &faultRng() { return m_faultRng; }

private:
    MetricValues step();  // advances the model one sample

    DeviceIdentity m_identity;
    std::mt19937_64 m_rng;
    std::mt19937_64 m_faultRng;
    quint64 m_seq = 0;
    bool m_seqMetric = false;
    double m_baseTemperature;
    double m_temperature;
    double m_humidity;
    double m_battery;
    double m_rssi;
    double m_baseRssi;
    double m_load;
};

} // namespace fd::sim
