#pragma once

#include <QList>
#include <QString>

namespace fd {

// One named numeric reading. Names are interned by the decoder (MetricNames), so copies
// of the same name share one QString buffer.
struct MetricValue
{
    QString name;
    double value = 0.0;

    friend bool operator==(const MetricValue &, const MetricValue &) = default;
};

using MetricValues = QList<MetricValue>;

// Sets name to value in a small list kept in insertion order; returns true if it changed.
bool setMetric(MetricValues &values, const QString &name, double value);
// The value of name, or nullptr.
const double *findMetric(const MetricValues &values, const QString &name);

} // namespace fd
