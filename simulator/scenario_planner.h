#pragma once

#include "simulator/scenario_plan.h"
#include "simulator/scenario_spec.h"

#include <QList>
#include <QString>

namespace fd::sim {

// Picks the devices of every scenario, reproducibly from the seed, over a whole fleet
// (devices [first, first + count) of that seed: shard processes plan the parent's whole fleet
// and keep their own slice, so every shard applies the same plan).
//
// Order: site_down scenarios take whole sites first (site= or, without it, the smallest site
// with kMinSiteDownDevices or more, ties in FleetGenerator::sites() order); then device=
// scenarios take exactly the devices named (these may overlap anything); then devices=N
// scenarios, in the order given, pick N devices at random among those no other scenario has
// and that fit (site=, a battery for battery_drain, the metric for stuck_sensor). So random
// picks never overlap. Not enough devices: an error, or with optional=1 a note and fewer.
class ScenarioPlanner
{
public:
    static constexpr int kMinSiteDownDevices = 3;

    static bool plan(const QList<ScenarioSpec> &specs, quint64 seed, int first, int count, ScenarioPlan *out,
                     QString *error);
};

} // namespace fd::sim
