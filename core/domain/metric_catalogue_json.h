#pragma once

#include "core/domain/metric_info.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace fd {

// The metric catalogue's JSON file (docs/metric-catalogue.md):
//   {"metrics":[{"name":"temperature","display_name":"Temperature","unit":"°C",
//                "precision":1,"scale":1,"min":-10,"max":50}, ...]}
// Only "name" is required. Unknown keys are ignored (files from newer versions load).
// A file is read whole or not at all: the first problem is reported with the entry it is in.
namespace MetricCatalogueJson {

inline constexpr qsizetype kMaxFileBytes = 4 * 1024 * 1024;
inline constexpr qsizetype kMaxEntries = 10000;

QByteArray write(const QList<MetricInfo> &entries);

struct ReadResult
{
    QList<MetricInfo> entries{};
    QString error{};  // empty when the file was read
    bool ok() const { return error.isEmpty(); }
};
ReadResult read(const QByteArray &json);

} // namespace MetricCatalogueJson

} // namespace fd
