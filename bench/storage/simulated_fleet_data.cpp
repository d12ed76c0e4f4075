#include "simulated_fleet_data.h"

#include <algorithm>
#include <cmath>

namespace {

double roundTo(double value, int decimals)
{
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
}

} // namespace

SimulatedFleetData::SimulatedFleetData(int devices, qint64 startMs, quint64 seed)
    : m_rng(seed)
    , m_startMs(startMs)
{
    std::uniform_real_distribution<double> u(0.0, 1.0);
    m_devices.reserve(devices);
    for (int i = 0; i < devices; ++i) {
        DeviceState d;
        d.id = QStringLiteral("dev-%1").arg(i + 1, 6, 10, QLatin1Char('0'));
        d.baseTemperature = 6.0 + u(m_rng) * 24.0;
        d.temperature = d.baseTemperature;
        d.humidity = 35.0 + u(m_rng) * 30.0;
        d.battery = 55.0 + u(m_rng) * 45.0;
        d.baseRssi = -85.0 + u(m_rng) * 40.0;
        d.rssi = d.baseRssi;
        m_devices.append(d);
    }
}

QList<fd::TelemetrySample> SimulatedFleetData::nextSecond()
{
    std::normal_distribution<double> noise(0.0, 1.0);
    std::uniform_int_distribution<int> jitter(-3, 3);
    QList<fd::TelemetrySample> out;
    out.reserve(m_devices.size());
    const qint64 second = m_startMs + m_second * 1000;
    ++m_second;
    for (DeviceState &d : m_devices) {
        d.temperature += 0.03 * (d.baseTemperature - d.temperature) + 0.12 * noise(m_rng);
        d.humidity = std::clamp(d.humidity + 0.02 * (50.0 - d.humidity) + 0.25 * noise(m_rng), 0.0, 100.0);
        d.rssi = std::clamp(d.rssi + 0.05 * (d.baseRssi - d.rssi) + 0.8 * noise(m_rng), -120.0, -30.0);
        d.battery -= 0.002 + 0.001 * std::abs(noise(m_rng));
        if (d.battery < 3.0)
            d.battery = 100.0;
        fd::TelemetrySample s;
        s.deviceId = d.id;
        s.timestampMs = second + jitter(m_rng);
        s.seq = quint64(m_second);
        s.metrics = {fd::MetricValue(QStringLiteral("temperature"), roundTo(d.temperature + 0.05 * noise(m_rng), 1)),
                     fd::MetricValue(QStringLiteral("humidity"), roundTo(d.humidity, 1)),
                     fd::MetricValue(QStringLiteral("battery"), roundTo(d.battery, 2)),
                     fd::MetricValue(QStringLiteral("rssi"), std::round(d.rssi))};
        out.append(std::move(s));
    }
    return out;
}
