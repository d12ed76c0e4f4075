#pragma once

#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace fd::sim {

// The --ota-state file: the simulated devices' flash, kept across simulator runs. Per device
// the running firmware, the installs done, the OTA job documents received (job id -> times
// counted, docs "Device-side counting") and the jobs finished with their outcome:
//   {"format":"fleetdeck-sim-ota-state","version":1,
//    "devices":{"dev-00001":{"fw_version":"2.4.0","installs":1,
//                            "received":{"7f3a9c1e-1":1},"finished":{"7f3a9c1e-1":"UPDATED"}}}}
// A sharded simulator: each shard process writes its own part next to the file
// (partPath(file, n)); the parent merges the parts into the file when it starts and when it
// ends, so a run that was killed loses nothing its shards had written.
// Read with bounds (size, devices, jobs, lengths); anything else is an error with a reason.
class OtaStateFile
{
public:
    static constexpr qint64 kMaxFileBytes = 64ll * 1024 * 1024;
    static constexpr int kMaxDevices = 100000;
    static constexpr int kMaxJobsPerDevice = 1000;  // OtaAgent::kMaxJobIds

    struct Device
    {
        QString fwVersion;
        int installs = 0;
        QMap<QString, int> received;      // job id -> deliveries counted
        QMap<QString, QString> finished;  // job id -> final wire state (UPDATED, FAILED, ...)
    };
    using Devices = QMap<QString, Device>;  // by device id

    // The file's devices; a missing file is an empty set. nullopt with a reason otherwise.
    static std::optional<Devices> read(const QString &path, QString *error);
    // The file and, over it, the shard parts a previous run left (see above).
    static std::optional<Devices> readWithParts(const QString &path, QString *error);
    // Atomic (QSaveFile).
    static bool write(const QString &path, const Devices &devices, QString *error);
    // Merges the parts into the file (readWithParts, write), then removes the parts.
    static bool consolidate(const QString &path, QString *error);

    static QString partPath(const QString &path, int shard);
    static QStringList existingParts(const QString &path);
};

} // namespace fd::sim
