#include "simulator/scenario_planner.h"

#include "simulator/fleet_generator.h"
#include "simulator/simulated_device.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <random>
#include <vector>

namespace fd::sim {

namespace {

// The metric a device must report to show the scenario; empty: any device will do.
QString requiredMetric(const ScenarioSpec &spec)
{
    switch (spec.kind) {
    case ScenarioKind::BatteryDrain:
        return QStringLiteral("battery");
    case ScenarioKind::StuckSensor:
        return spec.metric;
    case ScenarioKind::Overheating:
        return QStringLiteral("temperature");
    case ScenarioKind::Flapping:
    case ScenarioKind::Silent:
    case ScenarioKind::SiteDown:
        break;
    }
    return QString();
}

bool fits(const ScenarioSpec &spec, const DeviceIdentity &device)
{
    const QString metric = requiredMetric(spec);
    return metric.isEmpty() || SimulatedDevice::metricNames(device).contains(metric);
}

} // namespace

bool ScenarioPlanner::plan(const QList<ScenarioSpec> &specs, quint64 seed, int first, int count, ScenarioPlan *out,
                           QString *error)
{
    ScenarioPlan plan;
    if (specs.isEmpty()) {
        *out = plan;
        return true;
    }
    const QList<DeviceIdentity> fleet = FleetGenerator::generate(count, seed, first);
    std::vector<bool> claimed(size_t(fleet.size()), false);
    QList<ScenarioAssignment> picked;
    auto label = [&specs](int i) { return QStringLiteral("scenario %1 (%2)").arg(i + 1).arg(specs.at(i).toString()); };
    // false: stop with an error; true: go on (an optional scenario was noted and skipped).
    auto unfit = [&](int i, const QString &reason) {
        if (specs.at(i).optional) {
            plan.addNote(QStringLiteral("%1 skipped: %2").arg(label(i), reason));
            return true;
        }
        if (error)
            *error = QStringLiteral("%1: %2").arg(label(i), reason);
        return false;
    };
    auto assign = [&](int i, qsizetype pos) {
        const DeviceIdentity &d = fleet.at(pos);
        picked.append({d.index, d.id, d.site, i, specs.at(i)});
        claimed[size_t(pos)] = true;
    };

    // 1. site_down takes whole sites.
    QSet<QString> downSites;
    for (int i = 0; i < specs.size(); ++i) {
        const ScenarioSpec &spec = specs.at(i);
        if (spec.kind != ScenarioKind::SiteDown)
            continue;
        QHash<QString, int> perSite;
        for (const DeviceIdentity &d : fleet)
            ++perSite[d.site];
        QString site = spec.site;
        if (site.isEmpty()) {
            int best = 0;
            for (const QString &candidate : FleetGenerator::sites()) {
                const int n = perSite.value(candidate);
                if (n >= kMinSiteDownDevices && !downSites.contains(candidate) && (best == 0 || n < best)) {
                    best = n;
                    site = candidate;
                }
            }
            if (site.isEmpty()) {
                if (!unfit(i, QStringLiteral("no site of the fleet has %1 or more devices left (name one with site=)")
                                  .arg(kMinSiteDownDevices)))
                    return false;
                continue;
            }
        } else if (perSite.value(site) == 0) {
            if (!unfit(i, QStringLiteral("no device of the fleet is at %1").arg(site)))
                return false;
            continue;
        }
        downSites.insert(site);
        for (qsizetype pos = 0; pos < fleet.size(); ++pos) {
            if (fleet.at(pos).site == site)
                assign(i, pos);
        }
    }

    // 2. device= takes the devices named, whatever else they do.
    for (int i = 0; i < specs.size(); ++i) {
        const ScenarioSpec &spec = specs.at(i);
        if (spec.kind == ScenarioKind::SiteDown || spec.deviceIds.isEmpty())
            continue;
        for (const QString &id : spec.deviceIds) {
            const qsizetype pos = qsizetype(id.mid(4).toInt() - 1) - first;
            if (pos < 0 || pos >= fleet.size()) {
                if (!unfit(i, QStringLiteral("%1 is not in the fleet (%2 .. %3)")
                                  .arg(id, FleetGenerator::deviceId(first), FleetGenerator::deviceId(first + count - 1))))
                    return false;
                continue;
            }
            const DeviceIdentity &d = fleet.at(pos);
            if (!fits(spec, d)) {
                if (!unfit(i, QStringLiteral("%1 (model %2) does not report %3").arg(id, d.model, requiredMetric(spec))))
                    return false;
                continue;
            }
            assign(i, pos);
        }
    }

    // 3. devices=N: a reproducible random pick among the devices nobody has.
    for (int i = 0; i < specs.size(); ++i) {
        const ScenarioSpec &spec = specs.at(i);
        if (spec.kind == ScenarioKind::SiteDown || !spec.deviceIds.isEmpty())
            continue;
        std::vector<qsizetype> candidates;
        for (qsizetype pos = 0; pos < fleet.size(); ++pos) {
            const DeviceIdentity &d = fleet.at(pos);
            if (!claimed[size_t(pos)] && (spec.site.isEmpty() || d.site == spec.site) && fits(spec, d))
                candidates.push_back(pos);
        }
        // A partial Fisher-Yates shuffle with our own arithmetic (std::shuffle and the std
        // distributions differ between standard libraries; picks must not).
        std::mt19937_64 rng(FleetGenerator::mix(seed ^ 0x5CE7A210D0A11EEull ^ (quint64(i + 1) * 0x9E3779B97F4A7C15ull)));
        const size_t n = std::min(candidates.size(), size_t(spec.devices));
        for (size_t k = 0; k < n; ++k) {
            const size_t j = k + size_t(rng() % quint64(candidates.size() - k));
            std::swap(candidates[k], candidates[j]);
            assign(i, candidates[k]);
        }
        if (n < size_t(spec.devices)) {
            QStringList wanted;
            if (!spec.site.isEmpty())
                wanted << QStringLiteral("at %1").arg(spec.site);
            if (!requiredMetric(spec).isEmpty())
                wanted << QStringLiteral("reporting %1").arg(requiredMetric(spec));
            const QString reason = QStringLiteral("needs %1 device(s)%2 that no other scenario has; the fleet of %3 has %4")
                                       .arg(spec.devices)
                                       .arg(wanted.isEmpty() ? QString() : u' ' + wanted.join(u' '))
                                       .arg(count)
                                       .arg(n);
            if (!spec.optional) {
                if (error)
                    *error = QStringLiteral("%1: %2").arg(label(i), reason);
                return false;
            }
            plan.addNote(QStringLiteral("%1: %2").arg(label(i), reason));
        }
    }

    std::stable_sort(picked.begin(), picked.end(), [](const ScenarioAssignment &a, const ScenarioAssignment &b) {
        return a.deviceIndex != b.deviceIndex ? a.deviceIndex < b.deviceIndex : a.scenario < b.scenario;
    });
    for (ScenarioAssignment &a : picked)
        plan.add(std::move(a));
    *out = plan;
    return true;
}

} // namespace fd::sim
