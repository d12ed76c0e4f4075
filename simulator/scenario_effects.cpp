#include "simulator/scenario_effects.h"

#include "simulator/simulated_device.h"

#include <algorithm>
#include <cmath>

namespace fd::sim {

namespace {

double roundTo(double value, int decimals)
{
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
}

MetricValue *find(MetricValues &metrics, const QString &name)
{
    for (MetricValue &m : metrics) {
        if (m.name == name)
            return &m;
    }
    return nullptr;
}

// 0 before start, then up to 1 over the ramp.
double rise(const ScenarioSpec &spec, qint64 ms)
{
    const qint64 start = spec.startMs();
    if (ms < start)
        return 0.0;
    const double rampMs = spec.rampS * 1000.0;
    return rampMs <= 0 ? 1.0 : std::min(1.0, double(ms - start) / rampMs);
}

} // namespace

ScenarioEffects::ScenarioEffects(QList<ScenarioAssignment> assignments, quint64 noiseSeed)
    : m_assignments(std::move(assignments))
    , m_state(m_assignments.size())
    , m_noise(noiseSeed)
{
}

double ScenarioEffects::heatWeight(const ScenarioSpec &spec, qint64 ms)
{
    const std::optional<qint64> end = spec.endMs();
    if (!end || ms < *end)
        return rise(spec, ms);
    const double atEnd = rise(spec, *end);
    const double rampMs = spec.rampS * 1000.0;
    const double cooled = rampMs <= 0 ? 1.0 : double(ms - *end) / rampMs;
    return std::max(0.0, atEnd * (1.0 - cooled));
}

double ScenarioEffects::drainWeight(const ScenarioSpec &spec, qint64 ms)
{
    const std::optional<qint64> end = spec.endMs();
    if (end && ms >= *end)
        return 0.0;
    return rise(spec, ms);
}

bool ScenarioEffects::affectsConnectivity() const
{
    return std::any_of(m_assignments.cbegin(), m_assignments.cend(), [](const ScenarioAssignment &a) {
        return a.spec.kind == ScenarioKind::Flapping || a.spec.kind == ScenarioKind::SiteDown;
    });
}

bool ScenarioEffects::wantsOnline(qint64 ms) const
{
    for (const ScenarioAssignment &a : m_assignments) {
        if (!a.activeAt(ms))
            continue;
        if (a.spec.kind == ScenarioKind::SiteDown)
            return false;
        if (a.spec.kind == ScenarioKind::Flapping) {
            const qint64 periodMs = std::max<qint64>(1, qint64(std::llround(a.spec.periodS * 1000.0)));
            const qint64 downMs = qint64(std::llround(a.spec.downS * 1000.0));
            if ((ms - a.spec.startMs()) % periodMs < downMs)
                return false;
        }
    }
    return true;
}

bool ScenarioEffects::isSilent(qint64 ms) const
{
    return std::any_of(m_assignments.cbegin(), m_assignments.cend(), [ms](const ScenarioAssignment &a) {
        return a.spec.kind == ScenarioKind::Silent && a.activeAt(ms);
    });
}

void ScenarioEffects::beforeSample(SimulatedDevice &device, qint64 ms)
{
    for (qsizetype i = 0; i < m_assignments.size(); ++i) {
        const ScenarioSpec &spec = m_assignments.at(i).spec;
        const std::optional<qint64> end = spec.endMs();
        if (spec.kind == ScenarioKind::BatteryDrain && end && ms >= *end && !m_state[i].swapped) {
            m_state[i].swapped = true;
            device.replaceBattery(kSwappedBatteryPct);
        }
    }
}

void ScenarioEffects::shape(MetricValues &metrics, qint64 ms)
{
    for (qsizetype i = 0; i < m_assignments.size(); ++i) {
        const ScenarioSpec &spec = m_assignments.at(i).spec;
        switch (spec.kind) {
        case ScenarioKind::Overheating:
            if (MetricValue *t = find(metrics, QStringLiteral("temperature"))) {
                const double w = heatWeight(spec, ms);
                if (w > 0) {
                    const double target = spec.peakC + noise(0.3, 1.0);
                    t->value = roundTo(t->value + w * (target - t->value), 1);
                }
            }
            break;
        case ScenarioKind::BatteryDrain:
            if (MetricValue *b = find(metrics, QStringLiteral("battery"))) {
                const double w = drainWeight(spec, ms);
                if (w > 0) {
                    const double target = spec.levelPct + noise(0.15, 0.5);
                    b->value = roundTo(std::clamp(b->value + w * (target - b->value), 0.0, b->value), 2);
                }
            }
            break;
        case ScenarioKind::StuckSensor:
            if (MetricValue *m = find(metrics, spec.metric); m && m_assignments.at(i).activeAt(ms)) {
                if (!m_state[i].stuckValue)
                    m_state[i].stuckValue = m->value;
                m->value = *m_state[i].stuckValue;
            }
            break;
        case ScenarioKind::Flapping:
        case ScenarioKind::Silent:
        case ScenarioKind::SiteDown:
            break;
        }
    }
}

QList<ScenarioEffects::Change> ScenarioEffects::advance(qint64 ms)
{
    QList<Change> changes;
    for (qsizetype i = 0; i < m_assignments.size(); ++i) {
        const ScenarioSpec &spec = m_assignments.at(i).spec;
        State &state = m_state[i];
        if (!state.started && ms >= spec.startMs()) {
            state.started = true;
            changes.append({int(i), true});
        }
        const std::optional<qint64> end = spec.endMs();
        if (state.started && !state.ended && end && ms >= *end) {
            state.ended = true;
            changes.append({int(i), false});
        }
    }
    return changes;
}

QList<ScenarioAssignment> ScenarioEffects::startedBy(qint64 ms) const
{
    QList<ScenarioAssignment> out;
    for (const ScenarioAssignment &a : m_assignments) {
        if (ms >= a.spec.startMs())
            out.append(a);
    }
    return out;
}

double ScenarioEffects::noise(double sigma, double limit)
{
    std::normal_distribution<double> normal(0.0, sigma);
    return std::clamp(normal(m_noise), -limit, limit);
}

} // namespace fd::sim
