#include "models/metric_display.h"

#include "core/domain/metric_catalogue.h"

#include <QLocale>

namespace fd {

QString metricDisplayName(const MetricCatalogue *catalogue, const QString &metric)
{
    return catalogue ? catalogue->displayName(metric) : metric;
}

QString formatMetricValue(const MetricCatalogue *catalogue, const QString &metric, double value)
{
    return catalogue ? catalogue->formatValue(metric, value) : QLocale().toString(value, 'g', 6);
}

} // namespace fd
