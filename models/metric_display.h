#pragma once

#include <QString>

namespace fd {

class MetricCatalogue;

// How a metric is shown where the metric catalogue may be absent (a model used on its own, in
// a test): with a catalogue, its display name and formatted value; without one, the wire
// name and a plain number (up to 6 significant digits).
QString metricDisplayName(const MetricCatalogue *catalogue, const QString &metric);
QString formatMetricValue(const MetricCatalogue *catalogue, const QString &metric, double value);

} // namespace fd
