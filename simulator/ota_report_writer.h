#pragma once

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace fd::sim {

// Writes the --ota-report file: a JSON object keyed by device id, for every simulated protocol
// v1 device, {"fw_version":"2.4.0","jobs":{"<job id>":1},"installs":1} (jobs {} and installs 0
// when none). jobs counts deliveries of each job document (docs: "Device-side counting");
// installs counts completed installs. Written atomically (QSaveFile).
class OtaReportWriter
{
public:
    struct DeviceRecord
    {
        QString id;
        QString fwVersion;          // the running firmware at exit
        QMap<QString, int> jobs;    // job id -> deliveries counted
        int installs = 0;
    };

    static bool write(const QString &path, const QList<DeviceRecord> &devices, QString *error);
    // One report from the shards' reports (their device sets do not overlap).
    static bool merge(const QStringList &shardPaths, const QString &path, QString *error);
};

} // namespace fd::sim
