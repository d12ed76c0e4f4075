#include "simulator/simulated_device.h"

#include <algorithm>
#include <cmath>

namespace fd::sim {

namespace {

// Rounds to `decimals` places so JSON shows 21.4, not 21.400000000000002.
double roundTo(double value, int decimals)
{
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
}

// A little climate per site so charts of different sites look different.
double siteBaseTemperature(const QString &site)
{
    const qsizetype i = FleetGenerator::sites().indexOf(site);
    static constexpr double bases[] = {11.0, 14.0, 27.0, 19.0, 24.0, 22.0, 6.0, 17.0};
    return i >= 0 && i < qsizetype(std::size(bases)) ? bases[i] : 20.0;
}

} // namespace

SimulatedDevice::SimulatedDevice(DeviceIdentity identity, quint64 runSeed)
    : m_identity(std::move(identity))
    , m_rng(FleetGenerator::mix(runSeed ^ (quint64(m_identity.index) * 0x100000001B3ull)))
    , m_faultRng(FleetGenerator::mix(~runSeed + quint64(m_identity.index)))
{
    std::uniform_real_distribution<double> u(0.0, 1.0);
    m_baseTemperature = siteBaseTemperature(m_identity.site) + (u(m_rng) - 0.5) * 6.0;
    if (m_identity.name.startsWith(u"Cold Room") || m_identity.name.startsWith(u"Reefer"))
        m_baseTemperature = -18.0 + u(m_rng) * 22.0;
    m_temperature = m_baseTemperature;
    m_humidity = 35.0 + u(m_rng) * 30.0;
    m_battery = 55.0 + u(m_rng) * 45.0;
    m_baseRssi = -85.0 + u(m_rng) * 40.0;
    m_rssi = m_baseRssi;
    m_load = 0.1 + u(m_rng) * 0.3;
}

bool SimulatedDevice::hasBattery() const
{
    return m_identity.model != u"GW-5";
}

QStringList SimulatedDevice::metricNames(const DeviceIdentity &identity)
{
    if (identity.model == u"GW-5")
        return {QStringLiteral("temperature"), QStringLiteral("cpu_load"), QStringLiteral("rssi")};
    return {QStringLiteral("temperature"), QStringLiteral("humidity"), QStringLiteral("battery"), QStringLiteral("rssi")};
}

TelemetrySample SimulatedDevice::nextSample(qint64 nowMs)
{
    TelemetrySample s;
    s.deviceId = m_identity.id;
    s.timestampMs = nowMs;
    s.seq = ++m_seq;
    s.metrics = step();
    if (m_seqMetric)
        s.metrics.append({QStringLiteral("seq"), double(s.seq)});
    return s;
}

SimulatedDevice SimulatedDevice::forkHistory(qint64 samples)
{
    SimulatedDevice history = *this;
    for (qint64 i = 0; i < samples; ++i)
        step();
    return history;
}

MetricValues SimulatedDevice::step()
{
    std::normal_distribution<double> noise(0.0, 1.0);
    // Mean-reverting random walks: drift away, get pulled back, plus measurement noise.
    m_temperature += 0.03 * (m_baseTemperature - m_temperature) + 0.12 * noise(m_rng);
    m_humidity = std::clamp(m_humidity + 0.02 * (50.0 - m_humidity) + 0.25 * noise(m_rng), 0.0, 100.0);
    m_rssi = std::clamp(m_rssi + 0.05 * (m_baseRssi - m_rssi) + 0.8 * noise(m_rng), -120.0, -30.0);
    m_battery -= 0.002 + 0.001 * std::abs(noise(m_rng));
    if (m_battery < 3.0)
        m_battery = 100.0;  // someone swapped the battery
    m_load = std::clamp(m_load + 0.03 * noise(m_rng), 0.02, 0.98);

    MetricValues metrics;
    metrics.append({QStringLiteral("temperature"), roundTo(m_temperature + 0.05 * noise(m_rng), 1)});
    if (m_identity.model == u"GW-5") {
        metrics.append({QStringLiteral("cpu_load"), roundTo(m_load, 2)});
    } else {
        metrics.append({QStringLiteral("humidity"), roundTo(m_humidity, 1)});
        metrics.append({QStringLiteral("battery"), roundTo(m_battery, 2)});
    }
    metrics.append({QStringLiteral("rssi"), std::round(m_rssi)});
    return metrics;
}

DeviceStatus SimulatedDevice::status(bool online) const
{
    DeviceStatus st;
    st.deviceId = m_identity.id;
    st.online = online;
    if (online) {
        st.name = m_identity.name;
        st.model = m_identity.model;
        st.fwVersion = m_identity.fwVersion;
        st.site = m_identity.site;
        st.tags = m_identity.tags;
    }
    return st;
}

} // namespace fd::sim
