#pragma once

#include <QList>
#include <QString>

namespace fd {

// The type a decoder gave a metric value. Protocol v1 JSON numbers are Double (integers
// that JSON writes without a fraction and that fit are Int64), true/false are Bool, strings
// are String; Sparkplug B maps its datatypes onto the same four.
enum class MetricType : quint8 { Double, Int64, Bool, String };

QString metricTypeName(MetricType type);  // "double", "int64", "bool", "string"

// One named reading. Names are interned by the decoder (MetricNames), so copies of the same
// name share one QString buffer.
//
// `value` is the numeric view every chart, rollup and sort uses: the double itself, an
// Int64 converted to double (exact up to 2^53; `integer` keeps the exact value), a Bool as
// 0 or 1, and NaN for a String (strings are shown and stored as the latest value, never
// charted). `text` holds a String value, bounded by the decoder (kMaxStringBytes).
struct MetricValue
{
    static constexpr qsizetype kMaxStringBytes = 1024;

    QString name;
    double value = 0.0;
    qint64 integer = 0;
    QString text;
    MetricType type = MetricType::Double;

    MetricValue() = default;
    MetricValue(const QString &n, double v)  // a Double
        : name(n)
        , value(v)
    {
    }

    static MetricValue ofDouble(const QString &name, double v) { return MetricValue(name, v); }
    static MetricValue ofInt64(const QString &name, qint64 v) { return typed(name, double(v), v, MetricType::Int64); }
    static MetricValue ofBool(const QString &name, bool v) { return typed(name, v ? 1.0 : 0.0, v ? 1 : 0, MetricType::Bool); }
    static MetricValue ofString(const QString &name, const QString &v);

    bool isNumeric() const { return type != MetricType::String; }
    // The value as an operator reads it: "21.5", "9007199254740993", "true", the string.
    QString displayText(int precision = -1) const;

    // Same type and same value (doubles compared bit for bit in spirit: NaN equals NaN).
    bool sameValue(const MetricValue &other) const;

    friend bool operator==(const MetricValue &a, const MetricValue &b)
    {
        return a.name == b.name && a.sameValue(b);
    }

private:
    static MetricValue typed(const QString &name, double v, qint64 i, MetricType t)
    {
        MetricValue m(name, v);
        m.integer = i;
        m.type = t;
        return m;
    }
};

using MetricValues = QList<MetricValue>;

// Sets name to a Double value in a small list kept in insertion order; true if it changed.
bool setMetric(MetricValues &values, const QString &name, double value);
// Sets a typed value (by its name); true if it changed.
bool setMetric(MetricValues &values, const MetricValue &value);
// The numeric view of name's value, or nullptr (also for a String: no number).
const double *findMetric(const MetricValues &values, const QString &name);
// The whole value of name, or nullptr.
const MetricValue *findMetricValue(const MetricValues &values, const QString &name);

} // namespace fd
