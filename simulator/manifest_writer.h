#pragma once

#include "simulator/device_ledger.h"
#include "simulator/fleet_generator.h"

#include <QList>
#include <QString>

namespace fd::sim {

struct SimOptions;

// Writes the --manifest file:
// {"seed","prefix","devices":[{"id","name","site","model","fw_version","tags","online",
//   "metrics":{name:last confirmed value},"published":N,"last_seq":S,"faults":{key:N},"failed":N}]}
// "published" counts confirmed valid telemetry; "online" is the last confirmed retained
// status value (what a subscriber sees after the run).
class ManifestWriter
{
public:
    struct DeviceRecord
    {
        DeviceIdentity identity;
        DeviceLedger::Snapshot ledger;
    };

    static bool write(const QString &path, const SimOptions &options, const QList<DeviceRecord> &devices,
                      QString *error);
    // Concatenates the "devices" of the shard manifests (in order) into one manifest.
    static bool merge(const QStringList &shardPaths, const QString &path, const SimOptions &options, QString *error);
};

} // namespace fd::sim
