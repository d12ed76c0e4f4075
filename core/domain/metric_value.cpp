#include "core/domain/metric_value.h"

namespace fd {

bool setMetric(MetricValues &values, const QString &name, double value)
{
    for (MetricValue &m : values) {
        if (m.name == name) {
            if (m.value == value)
                return false;
            m.value = value;
            return true;
        }
    }
    values.append(MetricValue{name, value});
    return true;
}

const double *findMetric(const MetricValues &values, const QString &name)
{
    for (const MetricValue &m : values) {
        if (m.name == name)
            return &m.value;
    }
    return nullptr;
}

} // namespace fd
