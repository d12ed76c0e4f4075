#include "core/domain/metric_value.h"

#include <cmath>
#include <limits>

namespace fd {

QString metricTypeName(MetricType type)
{
    switch (type) {
    case MetricType::Double: return QStringLiteral("double");
    case MetricType::Int64: return QStringLiteral("int64");
    case MetricType::Bool: return QStringLiteral("bool");
    case MetricType::String: return QStringLiteral("string");
    }
    return QStringLiteral("double");
}

MetricValue MetricValue::ofString(const QString &name, const QString &v)
{
    QString bounded = v;
    if (bounded.size() > kMaxStringBytes)  // UTF-16 units; the decoder bounds the bytes first
        bounded.truncate(kMaxStringBytes);
    MetricValue m(name, std::numeric_limits<double>::quiet_NaN());
    m.text = bounded;
    m.type = MetricType::String;
    return m;
}

QString MetricValue::displayText(int precision) const
{
    switch (type) {
    case MetricType::Int64: return QString::number(integer);
    case MetricType::Bool: return integer ? QStringLiteral("true") : QStringLiteral("false");
    case MetricType::String: return text;
    case MetricType::Double: break;
    }
    return precision < 0 ? QString::number(value, 'g', 15) : QString::number(value, 'f', precision);
}

bool MetricValue::sameValue(const MetricValue &other) const
{
    if (type != other.type)
        return false;
    switch (type) {
    case MetricType::Int64:
    case MetricType::Bool: return integer == other.integer;
    case MetricType::String: return text == other.text;
    case MetricType::Double: break;
    }
    return value == other.value || (std::isnan(value) && std::isnan(other.value));
}

bool setMetric(MetricValues &values, const QString &name, double value)
{
    return setMetric(values, MetricValue::ofDouble(name, value));
}

bool setMetric(MetricValues &values, const MetricValue &value)
{
    for (MetricValue &m : values) {
        if (m.name == value.name) {
            if (m.sameValue(value))
                return false;
            m = value;
            return true;
        }
    }
    values.append(value);
    return true;
}

const double *findMetric(const MetricValues &values, const QString &name)
{
    const MetricValue *m = findMetricValue(values, name);
    return m && m->isNumeric() ? &m->value : nullptr;
}

const MetricValue *findMetricValue(const MetricValues &values, const QString &name)
{
    for (const MetricValue &m : values) {
        if (m.name == name)
            return &m;
    }
    return nullptr;
}

} // namespace fd
