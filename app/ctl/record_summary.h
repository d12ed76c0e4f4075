#pragma once

#include "core/domain/ingest_stats.h"

#include <QJsonObject>
#include <QString>

namespace fd {

// The machine-readable summary of `fleetdeckctl record --stats-json FILE`, written at exit:
//   {"received", "accepted", "rejected", "gaps", "dropped", "cpu_user_s", "cpu_sys_s", "max_rss_kb"}
// CPU and peak RSS are this process's (getrusage), start-up and shutdown included.
class RecordSummary
{
public:
    static QJsonObject toJson(const IngestStats &stats);
    static bool write(const QString &path, const IngestStats &stats, QString *error);
};

} // namespace fd
