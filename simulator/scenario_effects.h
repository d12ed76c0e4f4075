#pragma once

#include "core/domain/metric_value.h"
#include "simulator/scenario_plan.h"

#include <QList>

#include <optional>
#include <random>

namespace fd::sim {

class SimulatedDevice;

// What the scenarios of one device do to it at a moment, in milliseconds since the simulator
// started: reshape its telemetry (overheating, battery_drain, stuck_sensor), keep it quiet
// (silent) or want it offline (flapping, site_down; ConnectivityDriver carries that out).
// Its noise comes from a generator of its own, so the device's model, and with it every
// value a scenario does not touch, is the same as in a run without scenarios.
//
//   overheating    temperature = normal + w * (peak + noise - normal); w climbs 0 -> 1 over
//                  ramp from start, stays 1 until the end, then falls back to 0 over ramp
//   battery_drain  battery = normal + w * (level + noise - normal), never above normal; w
//                  climbs 0 -> 1 over ramp; at the end the battery is swapped (95 %)
//   stuck_sensor   the metric repeats the first value made at or after the start, exactly
//   silent         no telemetry at all (the device stays connected, answers commands)
//   flapping       offline for `down` at the start of every `period`
//   site_down      offline throughout
class ScenarioEffects
{
public:
    static constexpr double kSwappedBatteryPct = 95.0;

    ScenarioEffects(QList<ScenarioAssignment> assignments, quint64 noiseSeed);

    const QList<ScenarioAssignment> &assignments() const { return m_assignments; }
    bool affectsConnectivity() const;
    bool wantsOnline(qint64 ms) const;
    bool isSilent(qint64 ms) const;
    // Before the model makes the sample at ms (a drained battery is swapped at the end).
    void beforeSample(SimulatedDevice &device, qint64 ms);
    // Reshapes the metrics of the sample made at ms.
    void shape(MetricValues &metrics, qint64 ms);

    struct Change
    {
        int assignment = 0;  // index into assignments()
        bool started = false;  // false: ended
    };
    // The scenarios that started or ended since the last call, for the log.
    QList<Change> advance(qint64 ms);
    // The scenarios whose start was reached by ms (the manifest: what was applied).
    QList<ScenarioAssignment> startedBy(qint64 ms) const;

    // overheating: how far the temperature is taken to the peak at ms (0 .. 1).
    static double heatWeight(const ScenarioSpec &spec, qint64 ms);
    // battery_drain: how far the battery is taken down to the level at ms (0 .. 1).
    static double drainWeight(const ScenarioSpec &spec, qint64 ms);

private:
    struct State
    {
        bool started = false;
        bool ended = false;
        bool swapped = false;
        std::optional<double> stuckValue;
    };

    double noise(double sigma, double limit);

    QList<ScenarioAssignment> m_assignments;
    QList<State> m_state;
    std::mt19937_64 m_noise;
};

} // namespace fd::sim
