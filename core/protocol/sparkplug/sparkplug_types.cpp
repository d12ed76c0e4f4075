#include "core/protocol/sparkplug/sparkplug_types.h"

#include <cstring>

namespace fd {

namespace {

template<typename F>
bool sameBits(F a, F b)
{
    return std::memcmp(&a, &b, sizeof(F)) == 0;
}

template<typename F>
bool sameFloats(const QList<F> &a, const QList<F> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (!sameBits(a.at(i), b.at(i)))
            return false;
    }
    return true;
}

} // namespace

bool sparkplugSameValue(const SparkplugValue &a, const SparkplugValue &b)
{
    if (a.index() != b.index())
        return false;
    if (const auto *f = std::get_if<float>(&a))
        return sameBits(*f, std::get<float>(b));
    if (const auto *d = std::get_if<double>(&a))
        return sameBits(*d, std::get<double>(b));
    if (const auto *fl = std::get_if<QList<float>>(&a))
        return sameFloats(*fl, std::get<QList<float>>(b));
    if (const auto *dl = std::get_if<QList<double>>(&a))
        return sameFloats(*dl, std::get<QList<double>>(b));
    return a == b;
}

const SparkplugPropertyValue *SparkplugPropertySet::value(QStringView key) const
{
    const qsizetype n = qMin(keys.size(), values.size());
    for (qsizetype i = 0; i < n; ++i) {
        if (keys.at(i) == key)
            return &values.at(i);
    }
    return nullptr;
}

bool operator==(const SparkplugDataSet &a, const SparkplugDataSet &b)
{
    if (a.columns != b.columns || a.types != b.types || a.rows.size() != b.rows.size())
        return false;
    for (qsizetype r = 0; r < a.rows.size(); ++r) {
        const QList<SparkplugValue> &x = a.rows.at(r);
        const QList<SparkplugValue> &y = b.rows.at(r);
        if (x.size() != y.size())
            return false;
        for (qsizetype c = 0; c < x.size(); ++c) {
            if (!sparkplugSameValue(x.at(c), y.at(c)))
                return false;
        }
    }
    return true;
}

bool operator==(const SparkplugMetric &a, const SparkplugMetric &b)
{
    return a.name == b.name && a.alias == b.alias && a.timestamp == b.timestamp && a.datatype == b.datatype
        && a.datatypeOmitted == b.datatypeOmitted && a.integerInLongValue == b.integerInLongValue
        && a.isHistorical == b.isHistorical && a.isTransient == b.isTransient && a.isNull == b.isNull
        && a.metadata == b.metadata && a.properties == b.properties && sparkplugSameValue(a.value, b.value)
        && a.invalid == b.invalid;
}

} // namespace fd
