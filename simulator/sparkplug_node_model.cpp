#include "simulator/sparkplug_node_model.h"

#include "simulator/fleet_generator.h"

#include <algorithm>
#include <cmath>

namespace fd::sim {

QString SparkplugNodeModel::nodeId(int index)
{
    return QStringLiteral("gw-%1").arg(index + 1, 2, 10, QLatin1Char('0'));
}

SparkplugNodeModel::SparkplugNodeModel(int index, const QString &site, int intervalMs, quint64 seed)
    : m_id(nodeId(index))
    , m_rng(FleetGenerator::mix(seed ^ FleetGenerator::mix(0x6A7E3A1000ull + quint64(index))))
{
    std::uniform_real_distribution<double> u(0.0, 1.0);
    m_temperature = 32.0 + u(m_rng) * 8.0;
    m_load = 0.1 + u(m_rng) * 0.3;
    m_baseRssi = -80.0 + u(m_rng) * 30.0;
    m_rssi = m_baseRssi;
    static const char *const firmware[] = {"3.1.4", "3.2.0", "3.2.1"};
    m_metrics.add(QStringLiteral("bdSeq"), 1, qint64(0));
    m_metrics.add(QStringLiteral("Node Control/Rebirth"), 2, false, /*writable=*/true);
    m_metrics.add(QStringLiteral("Properties/Name"), 3, QStringLiteral("Gateway %1").arg(index + 1));
    m_metrics.add(QStringLiteral("Properties/Model"), 4, QStringLiteral("EG-500"));
    m_metrics.add(QStringLiteral("Properties/Firmware"), 5, QString::fromLatin1(firmware[size_t(index) % 3]));
    m_metrics.add(QStringLiteral("Properties/Site"), 6, site);
    m_metrics.add(QStringLiteral("temperature"), 7, float(std::round(m_temperature * 10.0) / 10.0));
    m_metrics.add(QStringLiteral("cpu_load"), 8, std::round(m_load * 100.0) / 100.0);
    m_metrics.add(QStringLiteral("uptime_s"), 9, qint64(0));
    m_metrics.add(QStringLiteral("rssi"), 10, qint32(std::lround(m_rssi)));
    m_metrics.add(QStringLiteral("report_interval_ms"), 11, quint32(intervalMs), /*writable=*/true);
}

void SparkplugNodeModel::setBdSeq(quint8 bdSeq)
{
    m_metrics.set(QStringLiteral("bdSeq"), qint64(bdSeq));
}

int SparkplugNodeModel::reportIntervalMs() const
{
    return int(std::get<quint32>(*m_metrics.value(QStringLiteral("report_interval_ms"))));
}

void SparkplugNodeModel::clampReportInterval()
{
    const quint32 v = quint32(std::clamp(reportIntervalMs(), kMinReportIntervalMs, kMaxReportIntervalMs));
    m_metrics.set(QStringLiteral("report_interval_ms"), v);
}

void SparkplugNodeModel::step(int intervalMs, qint64 uptimeMs)
{
    std::normal_distribution<double> noise(0.0, 1.0);
    const double dt = intervalMs / 1000.0;
    m_load = std::clamp(m_load + 0.02 * (0.25 - m_load) + 0.02 * noise(m_rng), 0.02, 0.98);
    m_temperature += 0.02 * (30.0 + 15.0 * m_load - m_temperature) + 0.05 * noise(m_rng) * std::sqrt(dt);
    m_rssi = std::clamp(m_rssi + 0.05 * (m_baseRssi - m_rssi) + 0.6 * noise(m_rng), -110.0, -40.0);
    m_metrics.set(QStringLiteral("temperature"), float(std::round(m_temperature * 10.0) / 10.0));
    m_metrics.set(QStringLiteral("cpu_load"), std::round(m_load * 100.0) / 100.0);
    m_metrics.set(QStringLiteral("uptime_s"), qint64(uptimeMs / 1000));
    m_metrics.set(QStringLiteral("rssi"), qint32(std::lround(m_rssi)));
}

} // namespace fd::sim
