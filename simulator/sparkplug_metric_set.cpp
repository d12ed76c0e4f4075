#include "simulator/sparkplug_metric_set.h"

#include "protocol/sparkplug/sparkplug_b.pb.h"

#include <cmath>

namespace fd::sim {

namespace pb = fleetdeck::sparkplug_b;

namespace {

void setValue(pb::Payload::Metric *m, const SparkplugValue &value)
{
    std::visit(
        [m](const auto &v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, bool>)
                m->set_boolean_value(v);
            else if constexpr (std::is_same_v<T, qint32>)
                m->set_int_value(quint32(v));  // two's complement in the uint32 field
            else if constexpr (std::is_same_v<T, quint32>)
                m->set_int_value(v);
            else if constexpr (std::is_same_v<T, qint64>)
                m->set_long_value(quint64(v));
            else if constexpr (std::is_same_v<T, quint64>)
                m->set_long_value(v);
            else if constexpr (std::is_same_v<T, float>)
                m->set_float_value(v);
            else if constexpr (std::is_same_v<T, double>)
                m->set_double_value(v);
            else
                m->set_string_value(v.toStdString());
        },
        value);
}

// The command's value as the declared type, or nullopt when it carries another one.
std::optional<SparkplugValue> readValue(const pb::Payload::Metric &m, const SparkplugValue &declared)
{
    using V = pb::Payload::Metric::ValueCase;
    return std::visit(
        [&m](const auto &v) -> std::optional<SparkplugValue> {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, bool>)
                return m.value_case() == V::kBooleanValue ? std::optional<SparkplugValue>(m.boolean_value()) : std::nullopt;
            else if constexpr (std::is_same_v<T, qint32>)
                return m.value_case() == V::kIntValue ? std::optional<SparkplugValue>(qint32(m.int_value())) : std::nullopt;
            else if constexpr (std::is_same_v<T, quint32>)
                return m.value_case() == V::kIntValue ? std::optional<SparkplugValue>(quint32(m.int_value())) : std::nullopt;
            else if constexpr (std::is_same_v<T, qint64>)
                return m.value_case() == V::kLongValue ? std::optional<SparkplugValue>(qint64(m.long_value())) : std::nullopt;
            else if constexpr (std::is_same_v<T, quint64>)
                return m.value_case() == V::kLongValue ? std::optional<SparkplugValue>(quint64(m.long_value())) : std::nullopt;
            else if constexpr (std::is_same_v<T, float>)
                return m.value_case() == V::kFloatValue && std::isfinite(m.float_value())
                    ? std::optional<SparkplugValue>(m.float_value()) : std::nullopt;
            else if constexpr (std::is_same_v<T, double>)
                return m.value_case() == V::kDoubleValue && std::isfinite(m.double_value())
                    ? std::optional<SparkplugValue>(m.double_value()) : std::nullopt;
            else
                return m.value_case() == V::kStringValue && m.string_value().size() <= 4096
                    ? std::optional<SparkplugValue>(QString::fromStdString(m.string_value())) : std::nullopt;
        },
        declared);
}

} // namespace

quint32 SparkplugMetricSet::datatypeOf(const SparkplugValue &value)
{
    static constexpr quint32 codes[] = {pb::Boolean, pb::Int32, pb::UInt32, pb::Int64,
                                        pb::UInt64,  pb::Float, pb::Double, pb::String};
    return codes[value.index()];
}

QJsonValue SparkplugMetricSet::toJson(const SparkplugValue &value)
{
    return std::visit(
        [](const auto &v) -> QJsonValue {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, QString>)
                return QJsonValue(v);
            else if constexpr (std::is_same_v<T, float>)
                return QJsonValue(QString::number(v).toDouble());  // 73.8, not 73.80000305175781
            else
                return QJsonValue(double(v));
        },
        value);
}

QJsonObject SparkplugMetricSet::valuesJson() const
{
    QJsonObject o;
    for (const Metric &m : m_metrics)
        o.insert(m.name, toJson(m.value));
    return o;
}

QString SparkplugMetricSet::writeResultText(WriteResult result)
{
    switch (result) {
    case WriteResult::Applied: return QStringLiteral("applied");
    case WriteResult::UnknownMetric: return QStringLiteral("unknown metric");
    case WriteResult::ReadOnly: return QStringLiteral("read-only metric");
    case WriteResult::WrongType: return QStringLiteral("value of another datatype");
    }
    return QString();
}

void SparkplugMetricSet::add(const QString &name, quint64 alias, SparkplugValue initial, bool writable)
{
    Metric m;
    m.name = name;
    m.alias = alias;
    m.datatype = datatypeOf(initial);
    m.value = std::move(initial);
    m.writable = writable;
    m_metrics.append(std::move(m));
}

void SparkplugMetricSet::set(const QString &name, SparkplugValue value)
{
    for (Metric &m : m_metrics) {
        if (m.name != name)
            continue;
        Q_ASSERT(m.value.index() == value.index());
        if (m.value.index() == value.index() && m.value != value) {
            m.value = std::move(value);
            m.changed = true;
        }
        return;
    }
}

const SparkplugValue *SparkplugMetricSet::value(const QString &name) const
{
    for (const Metric &m : m_metrics) {
        if (m.name == name)
            return &m.value;
    }
    return nullptr;
}

void SparkplugMetricSet::appendBirth(pb::Payload &payload, qint64 nowMs)
{
    for (Metric &m : m_metrics) {
        pb::Payload::Metric *out = payload.add_metrics();
        out->set_name(m.name.toStdString());
        out->set_alias(m.alias);
        out->set_timestamp(quint64(nowMs));
        out->set_datatype(m.datatype);
        setValue(out, m.value);
        if (!m.writable) {
            pb::Payload::PropertySet *props = out->mutable_properties();
            props->add_keys("readOnly");
            pb::Payload::PropertyValue *v = props->add_values();
            v->set_type(pb::Boolean);
            v->set_boolean_value(true);
        }
        m.changed = false;
    }
}

bool SparkplugMetricSet::appendChanged(pb::Payload &payload, qint64 nowMs)
{
    bool any = false;
    for (Metric &m : m_metrics) {
        if (!m.changed)
            continue;
        pb::Payload::Metric *out = payload.add_metrics();
        out->set_alias(m.alias);
        out->set_timestamp(quint64(nowMs));
        setValue(out, m.value);
        m.changed = false;
        any = true;
    }
    return any;
}

void SparkplugMetricSet::appendAllByAlias(pb::Payload &payload, qint64 nowMs) const
{
    for (const Metric &m : m_metrics) {
        pb::Payload::Metric *out = payload.add_metrics();
        out->set_alias(m.alias);
        out->set_timestamp(quint64(nowMs));
        setValue(out, m.value);
    }
}

const SparkplugMetricSet::Metric *SparkplugMetricSet::find(const pb::Payload::Metric &metric) const
{
    for (const Metric &m : m_metrics) {
        if (metric.has_alias() ? m.alias == metric.alias() : (metric.has_name() && m.name.toStdString() == metric.name()))
            return &m;
    }
    return nullptr;
}

SparkplugMetricSet::Metric *SparkplugMetricSet::findMutable(const pb::Payload::Metric &metric)
{
    return const_cast<Metric *>(std::as_const(*this).find(metric));
}

SparkplugMetricSet::WriteResult SparkplugMetricSet::write(const pb::Payload::Metric &metric, QString *name)
{
    Metric *m = findMutable(metric);
    if (!m)
        return WriteResult::UnknownMetric;
    if (name)
        *name = m->name;
    if (!m->writable)
        return WriteResult::ReadOnly;
    if (metric.has_datatype() && metric.datatype() != m->datatype)
        return WriteResult::WrongType;
    std::optional<SparkplugValue> v = readValue(metric, m->value);
    if (!v)
        return WriteResult::WrongType;
    m->value = std::move(*v);
    m->changed = true;  // echoed in the next DATA even when equal: the write's confirmation
    return WriteResult::Applied;
}

} // namespace fd::sim
