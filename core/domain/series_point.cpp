#include "core/domain/series_point.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

namespace fd {

SeriesPoint SeriesPoint::fromMetric(qint64 tsMs, const MetricValue &m)
{
    SeriesPoint p;
    p.tsMs = tsMs;
    p.type = m.type;
    switch (m.type) {
    case MetricType::Int64:
        p.integer = m.integer;
        p.value = double(m.integer);
        break;
    case MetricType::Bool:
        p.integer = m.integer != 0 ? 1 : 0;
        p.value = double(p.integer);
        break;
    case MetricType::String:
        p.text = m.text;
        p.value = std::numeric_limits<double>::quiet_NaN();
        break;
    case MetricType::Double:
        p.value = m.value;
        break;
    }
    return p;
}

MetricValue SeriesPoint::toMetric(const QString &name) const
{
    switch (type) {
    case MetricType::Int64: return MetricValue::ofInt64(name, integer);
    case MetricType::Bool: return MetricValue::ofBool(name, integer != 0);
    case MetricType::String: return MetricValue::ofString(name, text);
    case MetricType::Double: break;
    }
    return MetricValue::ofDouble(name, value);
}

bool SeriesPoint::sameValue(const SeriesPoint &o) const
{
    if (type != o.type)
        return false;
    switch (type) {
    case MetricType::Int64:
    case MetricType::Bool: return integer == o.integer;
    case MetricType::String: return text == o.text;
    case MetricType::Double: break;
    }
    if (std::isnan(value) || std::isnan(o.value))
        return std::isnan(value) && std::isnan(o.value);
    return std::bit_cast<quint64>(value) == std::bit_cast<quint64>(o.value);
}

void sortAndDeduplicate(SeriesPoints &points)
{
    std::stable_sort(points.begin(), points.end(),
                     [](const SeriesPoint &a, const SeriesPoint &b) { return a.tsMs < b.tsMs; });
    // Of a run of equal timestamps the last one (the latest write, after a stable sort) stays.
    std::size_t kept = 0;
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (i + 1 < points.size() && points[i + 1].tsMs == points[i].tsMs)
            continue;
        if (kept != i)
            points[kept] = std::move(points[i]);
        ++kept;
    }
    points.erase(points.begin() + std::ptrdiff_t(kept), points.end());
}

} // namespace fd
