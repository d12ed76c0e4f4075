#pragma once

#include <QJsonObject>
#include <QString>

namespace fd::test {

// The figures a reliability test measured (cycles, messages checked, losses, peaks), for
// docs/reliability.md: printed as one line "FIGURES <test> <json>" and, when
// FLEETDECK_RELIABILITY_REPORT names a file, appended to it as one JSON object per line
// ({"test", "torture", "seed", "figures"}), which `./run.sh torture` turns into its report.
class ReliabilityReport
{
public:
    static void write(const QString &test, const QJsonObject &figures);
};

} // namespace fd::test
