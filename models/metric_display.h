#pragma once

#include <QString>

namespace fd {

// How a metric of protocol v1 telemetry is shown: a translated name ("Battery") and its
// value with unit ("87 %"). Unknown metrics keep their wire name and a plain number.
QString metricDisplayName(const QString &metric);
QString formatMetricValue(const QString &metric, double value);

} // namespace fd
