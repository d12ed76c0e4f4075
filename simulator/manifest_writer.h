#pragma once

#include "simulator/device_ledger.h"
#include "simulator/fleet_generator.h"
#include "simulator/scenario_plan.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace fd::sim {

struct SimOptions;

// Writes the --manifest file:
// {"seed","prefix","devices":[{"id","name","site","model","fw_version","tags","online",
//   "metrics":{name:last confirmed value},"published":N,"last_seq":S,"faults":{key:N},"failed":N}]}
// "published" counts confirmed valid telemetry; "online" is the last confirmed retained
// status value (what a subscriber sees after the run). With --scenario / --scenario-file the
// root has "scenarios" (the canonical specs, in order) and every device a "scenarios" array
// of what was applied to it (whose start came before the exit; ScenarioAssignment::toJson):
// [{"kind","scenario" (index into the root's),"start_s","end_s" (null: until exit),...}].
class ManifestWriter
{
public:
    struct DeviceRecord
    {
        DeviceIdentity identity;
        DeviceLedger::Snapshot ledger;
        QList<ScenarioAssignment> scenarios;  // applied (started before the exit)
    };

    static bool write(const QString &path, const SimOptions &options, const QList<DeviceRecord> &devices,
                      QString *error);
    // Adds (or replaces) the root key `key` of the manifest at path (the Sparkplug nodes:
    // "sparkplug", SparkplugFleet::manifest()).
    static bool addSection(const QString &path, const QString &key, const QJsonObject &section, QString *error);
    // Concatenates the "devices" of the shard manifests (in order) into one manifest.
    static bool merge(const QStringList &shardPaths, const QString &path, const SimOptions &options, QString *error);
};

} // namespace fd::sim
