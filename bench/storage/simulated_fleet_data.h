#pragma once

#include "core/domain/telemetry_sample.h"

#include <QList>
#include <QString>

#include <random>

// Telemetry shaped like fleetdeck-sim's (simulator/simulated_device.cpp): per device
// mean-reverting random walks rounded as the simulator rounds them (temperature and
// humidity to 1 decimal, battery to 2 and slowly falling, rssi to an integer), one sample a
// second per device with a few ms of clock jitter. For the storage benchmark's size and
// speed figures, which depend on what the values look like.
class SimulatedFleetData
{
public:
    SimulatedFleetData(int devices, qint64 startMs, quint64 seed);

    // The next second of the fleet: one sample per device.
    QList<fd::TelemetrySample> nextSecond();
    static constexpr int kMetricsPerSample = 4;

private:
    struct DeviceState
    {
        QString id;
        double baseTemperature = 20;
        double temperature = 20;
        double humidity = 50;
        double battery = 80;
        double baseRssi = -70;
        double rssi = -70;
    };

    QList<DeviceState> m_devices;
    std::mt19937_64 m_rng;
    qint64 m_second = 0;
    qint64 m_startMs = 0;
};
