#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <vector>

namespace fd::sim {

class SparkplugDeviceModel;
class SparkplugMetricSet;
class SparkplugNodeModel;

// Applies one NCMD (device empty) or DCMD payload to an edge node's metrics: Node Control/
// Rebirth = true asks for a rebirth; any other metric, found by alias or name, is written
// when it is writable and carries its declared datatype (report_interval_ms is kept in its
// range). Unreadable payloads, unknown devices and refused writes are counted with a note.
class SparkplugCommandApplier
{
public:
    static constexpr qsizetype kMaxPayloadBytes = 256 * 1024;
    static constexpr int kMaxMetrics = 1000;

    struct Outcome
    {
        bool rebirth = false;
        SparkplugMetricSet *written = nullptr;  // the metrics a write changed (null: none)
        int writes = 0;
        int refused = 0;
        bool intervalChanged = false;  // the node's report_interval_ms
        QStringList notes;             // why something was refused
    };

    static Outcome apply(const QString &device, const QByteArray &payload, SparkplugNodeModel &node,
                         std::vector<SparkplugDeviceModel> &devices);
};

} // namespace fd::sim
