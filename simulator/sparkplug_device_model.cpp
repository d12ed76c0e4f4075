#include "simulator/sparkplug_device_model.h"

#include "simulator/fleet_generator.h"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace fd::sim {

namespace {

struct Machine
{
    const char *kind;
    const char *name;
    const char *model;
    double setpoint;  // °C
    double pressure;  // bar
};

constexpr Machine kMachines[] = {
    {"boiler", "Boiler", "BX-200", 72.0, 2.4},   {"compressor", "Compressor", "CP-75", 45.0, 7.5},
    {"chiller", "Chiller", "CH-30", 6.0, 3.1},   {"press", "Press", "HP-400", 38.0, 180.0},
    {"pump", "Pump", "PU-12", 30.0, 4.0},        {"oven", "Oven", "OV-9", 180.0, 1.0},
};

float round1(double v)
{
    return float(std::round(v * 10.0) / 10.0);
}

double round2(double v)
{
    return std::round(v * 100.0) / 100.0;
}

} // namespace

SparkplugDeviceModel::SparkplugDeviceModel(int nodeIndex, int index, quint64 seed)
    : m_rng(FleetGenerator::mix(seed ^ FleetGenerator::mix(0x5B9A7C0000ull + quint64(nodeIndex) * 1000 + quint64(index))))
{
    const Machine &machine = kMachines[size_t(index) % std::size(kMachines)];
    const int number = index + 1;
    m_id = QStringLiteral("%1-%2").arg(QLatin1String(machine.kind)).arg(number, 2, 10, QLatin1Char('0'));
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const double setpoint = std::round(machine.setpoint + (u(m_rng) - 0.5) * 4.0);
    m_temperature = setpoint + (u(m_rng) - 0.5);
    m_basePressure = machine.pressure * (0.9 + 0.2 * u(m_rng));
    m_pressure = m_basePressure;
    m_parts = quint32(u(m_rng) * 50000.0);
    m_runtimeS = std::floor(u(m_rng) * 3.0e6);

    const quint64 base = 100 * quint64(number);
    m_metrics.add(QStringLiteral("Properties/Name"), base + 0,
                  QStringLiteral("%1 %2").arg(QLatin1String(machine.name)).arg(number));
    m_metrics.add(QStringLiteral("Properties/Model"), base + 1, QString::fromLatin1(machine.model));
    m_metrics.add(QStringLiteral("Process/Temperature"), base + 2, round1(m_temperature));
    m_metrics.add(QStringLiteral("Process/Pressure"), base + 3, round2(m_pressure));
    m_metrics.add(QStringLiteral("parts_count"), base + 4, m_parts);
    m_metrics.add(QStringLiteral("runtime_s"), base + 5, qint64(m_runtimeS));
    m_metrics.add(QStringLiteral("alarm_code"), base + 6, qint32(0));
    m_metrics.add(QStringLiteral("running"), base + 7, true);
    m_metrics.add(QStringLiteral("mode"), base + 8, QStringLiteral("AUTO"));
    m_metrics.add(QStringLiteral("setpoint"), base + 9, float(setpoint), /*writable=*/true);
}

void SparkplugDeviceModel::step(int intervalMs)
{
    std::normal_distribution<double> noise(0.0, 1.0);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const double dt = intervalMs / 1000.0;
    bool running = std::get<bool>(*m_metrics.value(QStringLiteral("running")));
    // Now and then a machine stops for a while (a changeover) and starts again.
    if (running ? u(m_rng) < 0.002 : u(m_rng) < 0.05) {
        running = !running;
        m_metrics.set(QStringLiteral("running"), running);
        m_metrics.set(QStringLiteral("mode"), running ? QStringLiteral("AUTO") : QStringLiteral("IDLE"));
    }
    const double setpoint = double(std::get<float>(*m_metrics.value(QStringLiteral("setpoint"))));
    const double target = running ? setpoint : 20.0;  // stopped machines drift to room temperature
    m_temperature += 0.05 * (target - m_temperature) + 0.1 * noise(m_rng);
    m_pressure = std::max(0.0, m_pressure + 0.05 * ((running ? m_basePressure : 1.0) - m_pressure)
                                   + 0.01 * m_basePressure * noise(m_rng));
    if (running) {
        m_runtimeS += dt;
        m_parts += quint32(std::clamp(std::round(dt * (1.0 + 0.5 * noise(m_rng))), 0.0, 1000.0));
    }
    if (m_alarmSteps > 0 && --m_alarmSteps == 0)
        m_metrics.set(QStringLiteral("alarm_code"), qint32(0));
    else if (m_alarmSteps == 0 && u(m_rng) < 0.001) {
        m_alarmSteps = 10 + int(u(m_rng) * 20);
        m_metrics.set(QStringLiteral("alarm_code"), qint32(100 + int(u(m_rng) * 20)));
    }
    m_metrics.set(QStringLiteral("Process/Temperature"), round1(m_temperature));
    m_metrics.set(QStringLiteral("Process/Pressure"), round2(m_pressure));
    m_metrics.set(QStringLiteral("parts_count"), m_parts);
    m_metrics.set(QStringLiteral("runtime_s"), qint64(m_runtimeS));
}

} // namespace fd::sim
