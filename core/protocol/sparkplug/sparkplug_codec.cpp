#include "core/protocol/sparkplug/sparkplug_codec.h"

#include "core/protocol/sparkplug/sparkplug_command_builder.h"
#include "protocol/sparkplug/sparkplug_b.pb.h"

#include <QtEndian>

#include <bit>
#include <climits>
#include <cstring>
#include <cmath>
#include <limits>

namespace fd {

namespace pb = fleetdeck::sparkplug_b;
using DT = SparkplugDataType;

namespace {

constexpr qsizetype kMaxInternedNames = 4096;

// What is left of the payload-wide bounds while one payload is read.
struct Budget
{
    int nestedMetrics = 0;
    int propertyValues = 0;
};

QString typeName(quint32 datatype)
{
    return SparkplugCommandBuilder::datatypeName(datatype);
}

QString fromStd(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// The value field a message holds, by name: the same names in the four value-carrying
// messages (Metric, PropertyValue, Template.Parameter, DataSet.DataSetValue).
template<class M>
QString fieldName(const M &m)
{
    const auto c = m.value_case();
    if (c == M::kIntValue) return QStringLiteral("int_value");
    if (c == M::kLongValue) return QStringLiteral("long_value");
    if (c == M::kFloatValue) return QStringLiteral("float_value");
    if (c == M::kDoubleValue) return QStringLiteral("double_value");
    if (c == M::kBooleanValue) return QStringLiteral("boolean_value");
    if (c == M::kStringValue) return QStringLiteral("string_value");
    if (c == M::kExtensionValue) return QStringLiteral("extension_value");
    if constexpr (requires { M::kBytesValue; }) {
        if (c == M::kBytesValue) return QStringLiteral("bytes_value");
        if (c == M::kDatasetValue) return QStringLiteral("dataset_value");
        if (c == M::kTemplateValue) return QStringLiteral("template_value");
    }
    if constexpr (requires { M::kPropertysetValue; }) {
        if (c == M::kPropertysetValue) return QStringLiteral("propertyset_value");
        if (c == M::kPropertysetsValue) return QStringLiteral("propertysets_value");
    }
    return QStringLiteral("no value");
}

template<class M>
bool wrongField(const M &m, quint32 type, const char *expected, QString *why)
{
    *why = QStringLiteral("%1 value in %2 (expected %3)").arg(typeName(type), fieldName(m), QLatin1StringView(expected));
    return false;
}

bool outOfRange(quint32 type, const QString &value, QString *why)
{
    *why = QStringLiteral("%1 is out of range for %2").arg(value, typeName(type));
    return false;
}

// Int8 .. Int64 from int_value (two's complement in 32 bits, or in the type's own width)
// or long_value (two's complement in 64 bits).
template<class M>
bool readSigned(const M &m, quint32 type, int bits, SparkplugValue *out, QString *why)
{
    qint64 v = 0;
    if (m.value_case() == M::kIntValue) {
        const quint32 raw = m.int_value();
        v = qint32(raw);
        if (bits < 32) {
            const qint64 hi = (qint64(1) << (bits - 1)) - 1;
            if (v > hi && raw <= (quint32(1) << bits) - 1)
                v = qint64(raw) - (qint64(1) << bits);  // the narrow two's complement
        }
    } else if (m.value_case() == M::kLongValue) {
        v = qint64(m.long_value());
    } else {
        return wrongField(m, type, "int_value or long_value", why);
    }
    if (bits < 64) {
        const qint64 lo = -(qint64(1) << (bits - 1));
        const qint64 hi = (qint64(1) << (bits - 1)) - 1;
        if (v < lo || v > hi)
            return outOfRange(type, QString::number(v), why);
    }
    *out = v;
    return true;
}

template<class M>
bool readUnsigned(const M &m, quint32 type, int bits, SparkplugValue *out, QString *why)
{
    quint64 v = 0;
    if (m.value_case() == M::kIntValue)
        v = m.int_value();
    else if (m.value_case() == M::kLongValue)
        v = m.long_value();
    else
        return wrongField(m, type, "int_value or long_value", why);
    if (bits < 64 && v > (quint64(1) << bits) - 1)
        return outOfRange(type, QString::number(v), why);
    *out = v;
    return true;
}

// A value of a scalar datatype (1-15) from any of the four value-carrying messages.
template<class M>
bool readScalar(const M &m, quint32 type, SparkplugValue *out, QString *why)
{
    switch (DT(type)) {
    case DT::Int8: return readSigned(m, type, 8, out, why);
    case DT::Int16: return readSigned(m, type, 16, out, why);
    case DT::Int32: return readSigned(m, type, 32, out, why);
    case DT::Int64: return readSigned(m, type, 64, out, why);
    case DT::UInt8: return readUnsigned(m, type, 8, out, why);
    case DT::UInt16: return readUnsigned(m, type, 16, out, why);
    case DT::UInt32: return readUnsigned(m, type, 32, out, why);
    case DT::UInt64:
    case DT::DateTime: return readUnsigned(m, type, 64, out, why);
    case DT::Float:
        if (m.value_case() != M::kFloatValue)
            return wrongField(m, type, "float_value", why);
        *out = m.float_value();
        return true;
    case DT::Double:
        if (m.value_case() != M::kDoubleValue)
            return wrongField(m, type, "double_value", why);
        *out = m.double_value();
        return true;
    case DT::Boolean:
        if (m.value_case() != M::kBooleanValue)
            return wrongField(m, type, "boolean_value", why);
        *out = m.boolean_value();
        return true;
    case DT::String:
    case DT::Text:
    case DT::UUID:
        if (m.value_case() != M::kStringValue)
            return wrongField(m, type, "string_value", why);
        *out = fromStd(m.string_value());
        return true;
    default:
        break;
    }
    *why = sparkplugIsKnownDatatype(type) ? QStringLiteral("datatype %1 is not allowed here").arg(typeName(type))
                                          : QStringLiteral("unknown datatype %1").arg(type);
    return false;
}

// Little-endian packed elements of Raw, widened to T.
template<typename Raw, typename T>
bool unpack(const std::string &bytes, quint32 type, qsizetype maxElements, SparkplugValue *out, QString *why)
{
    constexpr qsizetype size = qsizetype(sizeof(Raw));
    const qsizetype n = qsizetype(bytes.size());
    if (n % size != 0) {
        *why = QStringLiteral("%1 of %2 bytes is not a whole number of %3-byte elements").arg(typeName(type)).arg(n).arg(size);
        return false;
    }
    if (n / size > maxElements) {
        *why = QStringLiteral("%1 of %2 elements, the limit is %3").arg(typeName(type)).arg(n / size).arg(maxElements);
        return false;
    }
    QList<T> values;
    values.reserve(n / size);
    const char *p = bytes.data();
    for (qsizetype i = 0; i < n; i += size) {
        if constexpr (std::is_same_v<Raw, float>)
            values.append(std::bit_cast<float>(qFromLittleEndian<quint32>(p + i)));
        else if constexpr (std::is_same_v<Raw, double>)
            values.append(std::bit_cast<double>(qFromLittleEndian<quint64>(p + i)));
        else
            values.append(T(qFromLittleEndian<Raw>(p + i)));
    }
    *out = std::move(values);
    return true;
}

bool unpackBooleans(const std::string &bytes, qsizetype maxElements, SparkplugValue *out, QString *why)
{
    const qsizetype n = qsizetype(bytes.size());
    if (n == 0) {  // no count at all: read as no values
        *out = QList<bool>();
        return true;
    }
    if (n < 4) {
        *why = QStringLiteral("BooleanArray of %1 bytes has no 4-byte count").arg(n);
        return false;
    }
    const quint32 count = qFromLittleEndian<quint32>(bytes.data());
    if (qsizetype(count) > maxElements) {
        *why = QStringLiteral("BooleanArray of %1 elements, the limit is %2").arg(count).arg(maxElements);
        return false;
    }
    const qsizetype needed = 4 + (qsizetype(count) + 7) / 8;
    if (n != needed) {
        *why = QStringLiteral("BooleanArray of %1 values needs %2 bytes, it has %3").arg(count).arg(needed).arg(n);
        return false;
    }
    QList<bool> values;
    values.reserve(count);
    const auto *bits = reinterpret_cast<const uchar *>(bytes.data() + 4);
    for (quint32 i = 0; i < count; ++i)
        values.append((bits[i / 8] >> (7 - i % 8)) & 1);
    *out = std::move(values);
    return true;
}

bool unpackStrings(const std::string &bytes, qsizetype maxElements, SparkplugValue *out, QString *why)
{
    QStringList values;
    qsizetype start = 0;
    const qsizetype n = qsizetype(bytes.size());
    while (start < n) {
        if (values.size() >= maxElements) {
            *why = QStringLiteral("StringArray of more than %1 elements").arg(maxElements);
            return false;
        }
        const void *nul = std::memchr(bytes.data() + start, 0, size_t(n - start));
        const qsizetype end = nul ? qsizetype(static_cast<const char *>(nul) - bytes.data()) : n;  // last NUL may be missing
        values.append(QString::fromUtf8(bytes.data() + start, end - start));
        start = end + 1;
    }
    *out = std::move(values);
    return true;
}

bool readArray(const std::string &bytes, quint32 type, qsizetype maxElements, SparkplugValue *out, QString *why)
{
    switch (DT(type)) {
    case DT::Int8Array: return unpack<qint8, qint64>(bytes, type, maxElements, out, why);
    case DT::Int16Array: return unpack<qint16, qint64>(bytes, type, maxElements, out, why);
    case DT::Int32Array: return unpack<qint32, qint64>(bytes, type, maxElements, out, why);
    case DT::Int64Array: return unpack<qint64, qint64>(bytes, type, maxElements, out, why);
    case DT::UInt8Array: return unpack<quint8, quint64>(bytes, type, maxElements, out, why);
    case DT::UInt16Array: return unpack<quint16, quint64>(bytes, type, maxElements, out, why);
    case DT::UInt32Array: return unpack<quint32, quint64>(bytes, type, maxElements, out, why);
    case DT::UInt64Array:
    case DT::DateTimeArray: return unpack<quint64, quint64>(bytes, type, maxElements, out, why);
    case DT::FloatArray: return unpack<float, float>(bytes, type, maxElements, out, why);
    case DT::DoubleArray: return unpack<double, double>(bytes, type, maxElements, out, why);
    case DT::BooleanArray: return unpackBooleans(bytes, maxElements, out, why);
    case DT::StringArray: return unpackStrings(bytes, maxElements, out, why);
    default: break;
    }
    *why = QStringLiteral("%1 is not an array type").arg(typeName(type));
    return false;
}

} // namespace

// --- decoding -----------------------------------------------------------------------------

struct SparkplugCodec::Impl
{
    explicit Impl(const SparkplugLimits &l) : limits(l) {}

    const SparkplugLimits &limits;
    pb::Payload payload;  // reused: Clear() keeps its allocations
    QHash<QByteArray, QString> names;
    Budget budget;

    QString name(const std::string &utf8, bool *valid);
    void readMetric(const pb::Payload::Metric &m, SparkplugMetric *out, int depth, const DatatypeLookup *lookup);
    bool readMetricValue(const pb::Payload::Metric &m, quint32 type, SparkplugValue *out, int depth, QString *why);
    bool readTemplate(const pb::Payload::Template &t, SparkplugTemplate *out, int depth, QString *why);
    bool readDataSet(const pb::Payload::DataSet &ds, SparkplugDataSet *out, QString *why);
    bool readPropertySet(const pb::Payload::PropertySet &ps, SparkplugPropertySet *out, int depth, QString *why);
    bool readPropertyValue(const pb::Payload::PropertyValue &pv, SparkplugPropertyValue *out, int depth, QString *why);
};

QString SparkplugCodec::Impl::name(const std::string &utf8, bool *valid)
{
    *valid = true;
    if (utf8.empty())
        return QString();
    // fromRawData: the lookup key points into the message, no allocation.
    const auto it = names.constFind(QByteArray::fromRawData(utf8.data(), qsizetype(utf8.size())));
    if (it != names.cend())
        return it.value();
    const QByteArrayView view(utf8.data(), qsizetype(utf8.size()));
    QString s = QString::fromUtf8(view);
    if (!view.isValidUtf8()) {
        *valid = false;
        return s;
    }
    if (names.size() < kMaxInternedNames)
        names.insert(view.toByteArray(), s);
    return s;
}

void SparkplugCodec::Impl::readMetric(const pb::Payload::Metric &m, SparkplugMetric *out, int depth,
                                      const DatatypeLookup *lookup)
{
    // out may hold the metric of an earlier payload (read() reuses them): every field is set.
    bool validName = true;
    if (m.has_name())
        out->name = name(m.name(), &validName);
    else if (!out->name.isNull())
        out->name = QString();
    out->alias = m.has_alias() ? std::optional<quint64>(m.alias()) : std::nullopt;
    out->timestamp = m.has_timestamp() ? std::optional<quint64>(m.timestamp()) : std::nullopt;
    if (out->metadata)
        out->metadata.reset();
    if (out->properties)
        out->properties.reset();
    if (out->value.index() != 0)
        out->value = std::monostate();
    if (!out->invalid.isNull())
        out->invalid = QString();
    out->datatypeOmitted = !m.has_datatype();
    if (m.has_datatype())
        out->datatype = m.datatype();
    else
        out->datatype = lookup ? lookup->datatypeOf(out->name, m.has_alias(), m.alias()) : 0;
    out->isHistorical = m.is_historical();
    out->isTransient = m.is_transient();
    out->isNull = m.is_null();
    if (!validName) {
        out->invalid = QStringLiteral("the metric name is not valid UTF-8");
        return;
    }
    if (m.has_metadata()) {
        const pb::Payload::MetaData &md = m.metadata();
        SparkplugMetaData meta;
        if (md.has_is_multi_part()) meta.isMultiPart = md.is_multi_part();
        if (md.has_content_type()) meta.contentType = fromStd(md.content_type());
        if (md.has_size()) meta.size = md.size();
        if (md.has_seq()) meta.seq = md.seq();
        if (md.has_file_name()) meta.fileName = fromStd(md.file_name());
        if (md.has_file_type()) meta.fileType = fromStd(md.file_type());
        if (md.has_md5()) meta.md5 = fromStd(md.md5());
        if (md.has_description()) meta.description = fromStd(md.description());
        out->metadata = std::move(meta);
    }
    QString why;
    if (m.has_properties()) {
        SparkplugPropertySet props;
        if (!readPropertySet(m.properties(), &props, 1, &why)) {
            out->invalid = QStringLiteral("properties: ") + why;
            return;
        }
        out->properties = std::move(props);
    }
    if (out->isNull)
        return;  // a value sent anyway is ignored: the metric says it is null
    if (!readMetricValue(m, out->datatype, &out->value, depth, &why)) {
        out->value = std::monostate();
        out->invalid = why;
        return;
    }
    out->integerInLongValue = sparkplugIsNarrowInteger(out->datatype) && m.value_case() == pb::Payload::Metric::kLongValue;
}

bool SparkplugCodec::Impl::readMetricValue(const pb::Payload::Metric &m, quint32 type, SparkplugValue *out, int depth,
                                           QString *why)
{
    using M = pb::Payload::Metric;
    if (type == 0) {
        if (m.value_case() == M::VALUE_NOT_SET)
            return true;
        *why = QStringLiteral("a value (%1) without a datatype").arg(fieldName(m));
        return false;
    }
    if (!sparkplugIsKnownDatatype(type)) {
        *why = QStringLiteral("unknown datatype %1").arg(type);
        return false;
    }
    if (m.value_case() == M::VALUE_NOT_SET)
        return true;  // no value: read as one that is not known (e.g. a template definition's member)
    if (sparkplugIsScalar(type))
        return readScalar(m, type, out, why);
    if (type == sparkplugCode(DT::Bytes) || type == sparkplugCode(DT::File)) {
        if (m.value_case() != M::kBytesValue)
            return wrongField(m, type, "bytes_value", why);
        *out = QByteArray(m.bytes_value().data(), qsizetype(m.bytes_value().size()));
        return true;
    }
    if (sparkplugIsArray(type)) {
        if (m.value_case() != M::kBytesValue)
            return wrongField(m, type, "bytes_value", why);
        return readArray(m.bytes_value(), type, limits.maxArrayElements, out, why);
    }
    if (type == sparkplugCode(DT::DataSet)) {
        if (m.value_case() != M::kDatasetValue)
            return wrongField(m, type, "dataset_value", why);
        SparkplugDataSet ds;
        if (!readDataSet(m.dataset_value(), &ds, why))
            return false;
        *out = SparkplugBox<SparkplugDataSet>(std::move(ds));
        return true;
    }
    if (type == sparkplugCode(DT::Template)) {
        if (m.value_case() != M::kTemplateValue)
            return wrongField(m, type, "template_value", why);
        SparkplugTemplate t;
        if (!readTemplate(m.template_value(), &t, depth + 1, why))
            return false;
        *out = SparkplugBox<SparkplugTemplate>(std::move(t));
        return true;
    }
    *why = QStringLiteral("%1 is a property type, not a metric datatype").arg(typeName(type));
    return false;
}

bool SparkplugCodec::Impl::readTemplate(const pb::Payload::Template &t, SparkplugTemplate *out, int depth, QString *why)
{
    if (depth > limits.maxTemplateDepth) {
        *why = QStringLiteral("templates nested deeper than %1 levels").arg(limits.maxTemplateDepth);
        return false;
    }
    budget.nestedMetrics -= t.metrics_size();
    if (budget.nestedMetrics < 0) {
        *why = QStringLiteral("more than %1 template members in the payload").arg(limits.maxNestedMetrics);
        return false;
    }
    if (t.has_version())
        out->version = fromStd(t.version());
    if (t.has_template_ref())
        out->templateRef = fromStd(t.template_ref());
    out->isDefinition = t.is_definition();
    out->parameters.reserve(t.parameters_size());
    for (const pb::Payload::Template::Parameter &p : t.parameters()) {
        SparkplugTemplateParameter param;
        param.name = fromStd(p.name());
        param.type = p.type();
        if (p.value_case() != pb::Payload::Template::Parameter::VALUE_NOT_SET
            && !readScalar(p, p.type(), &param.value, why)) {
            *why = QStringLiteral("parameter \"%1\": %2").arg(param.name.left(64), *why);
            return false;
        }
        out->parameters.append(std::move(param));
    }
    out->metrics.reserve(t.metrics_size());
    for (const pb::Payload::Metric &m : t.metrics()) {
        out->metrics.emplace_back();
        readMetric(m, &out->metrics.back(), depth, nullptr);  // an invalid member leaves the others
    }
    return true;
}

bool SparkplugCodec::Impl::readDataSet(const pb::Payload::DataSet &ds, SparkplugDataSet *out, QString *why)
{
    const qsizetype columns = ds.columns_size();
    if (ds.types_size() != columns) {
        *why = QStringLiteral("DataSet of %1 columns and %2 types").arg(columns).arg(ds.types_size());
        return false;
    }
    if (ds.has_num_of_columns() && ds.num_of_columns() != quint64(columns)) {
        *why = QStringLiteral("DataSet num_of_columns %1 for %2 columns").arg(ds.num_of_columns()).arg(columns);
        return false;
    }
    const qint64 rows = ds.rows_size();
    if (rows > limits.maxDataSetCells || rows * columns > limits.maxDataSetCells) {
        *why = QStringLiteral("DataSet of %1 columns x %2 rows, the limit is %3 cells")
                   .arg(columns).arg(rows).arg(limits.maxDataSetCells);
        return false;
    }
    for (qsizetype c = 0; c < columns; ++c) {
        const quint32 type = ds.types(int(c));
        if (!sparkplugIsScalar(type)) {
            *why = QStringLiteral("DataSet column \"%1\" of type %2 (only Int8 to UUID are allowed)")
                       .arg(fromStd(ds.columns(int(c))).left(64), typeName(type));
            return false;
        }
        out->columns.append(fromStd(ds.columns(int(c))));
        out->types.append(type);
    }
    out->rows.reserve(rows);
    for (int r = 0; r < ds.rows_size(); ++r) {
        const pb::Payload::DataSet::Row &row = ds.rows(r);
        if (row.elements_size() != columns) {
            *why = QStringLiteral("DataSet row %1 has %2 values for %3 columns").arg(r).arg(row.elements_size()).arg(columns);
            return false;
        }
        QList<SparkplugValue> cells;
        cells.reserve(columns);
        for (int c = 0; c < row.elements_size(); ++c) {
            const pb::Payload::DataSet::DataSetValue &e = row.elements(c);
            SparkplugValue cell;
            if (e.value_case() != pb::Payload::DataSet::DataSetValue::VALUE_NOT_SET
                && !readScalar(e, out->types.at(c), &cell, why)) {
                *why = QStringLiteral("DataSet row %1, column %2: %3").arg(r).arg(c).arg(*why);
                return false;
            }
            cells.append(std::move(cell));
        }
        out->rows.append(std::move(cells));
    }
    return true;
}

bool SparkplugCodec::Impl::readPropertySet(const pb::Payload::PropertySet &ps, SparkplugPropertySet *out, int depth,
                                           QString *why)
{
    if (depth > limits.maxPropertyDepth) {
        *why = QStringLiteral("property sets nested deeper than %1 levels").arg(limits.maxPropertyDepth);
        return false;
    }
    if (ps.keys_size() != ps.values_size()) {
        *why = QStringLiteral("a PropertySet of %1 keys and %2 values").arg(ps.keys_size()).arg(ps.values_size());
        return false;
    }
    budget.propertyValues -= ps.values_size();
    if (budget.propertyValues < 0) {
        *why = QStringLiteral("more than %1 property values in the payload").arg(limits.maxPropertyValues);
        return false;
    }
    out->keys.reserve(ps.keys_size());
    out->values.reserve(ps.values_size());
    for (int i = 0; i < ps.keys_size(); ++i) {
        out->keys.append(fromStd(ps.keys(i)));
        SparkplugPropertyValue value;
        if (!readPropertyValue(ps.values(i), &value, depth, why)) {
            *why = QStringLiteral("\"%1\": %2").arg(out->keys.last().left(64), *why);
            return false;
        }
        out->values.append(std::move(value));
    }
    return true;
}

bool SparkplugCodec::Impl::readPropertyValue(const pb::Payload::PropertyValue &pv, SparkplugPropertyValue *out,
                                             int depth, QString *why)
{
    using PV = pb::Payload::PropertyValue;
    out->type = pv.type();
    out->isNull = pv.is_null();
    if (out->isNull || pv.value_case() == PV::VALUE_NOT_SET)
        return true;
    if (pv.type() == sparkplugCode(DT::PropertySet)) {
        if (pv.value_case() != PV::kPropertysetValue)
            return wrongField(pv, pv.type(), "propertyset_value", why);
        SparkplugPropertySet set;
        if (!readPropertySet(pv.propertyset_value(), &set, depth + 1, why))
            return false;
        out->value = SparkplugBox<SparkplugPropertySet>(std::move(set));
        return true;
    }
    if (pv.type() == sparkplugCode(DT::PropertySetList)) {
        if (pv.value_case() != PV::kPropertysetsValue)
            return wrongField(pv, pv.type(), "propertysets_value", why);
        const pb::Payload::PropertySetList &list = pv.propertysets_value();
        budget.propertyValues -= list.propertyset_size();  // empty sets cost too
        if (budget.propertyValues < 0) {
            *why = QStringLiteral("more than %1 property values in the payload").arg(limits.maxPropertyValues);
            return false;
        }
        SparkplugPropertySetList sets;
        sets.sets.reserve(list.propertyset_size());
        for (const pb::Payload::PropertySet &ps : list.propertyset()) {
            SparkplugPropertySet set;
            if (!readPropertySet(ps, &set, depth + 1, why))
                return false;
            sets.sets.append(std::move(set));
        }
        out->value = SparkplugBox<SparkplugPropertySetList>(std::move(sets));
        return true;
    }
    return readScalar(pv, pv.type(), &out->value, why);
}

// --- SparkplugCodec -------------------------------------------------------------------------

SparkplugCodec::SparkplugCodec(const SparkplugLimits &limits)
    : m_limits(limits)
    , d(std::make_unique<Impl>(m_limits))
{
}

SparkplugCodec::~SparkplugCodec() = default;

bool SparkplugCodec::parse(QByteArrayView bytes, DecodeError *error)
{
    d->payload.Clear();
    if (bytes.size() > m_limits.maxPayloadBytes || bytes.size() > INT_MAX) {
        *error = {RejectReason::Oversize,
                  QStringLiteral("payload of %1 bytes, the limit is %2").arg(bytes.size()).arg(m_limits.maxPayloadBytes)};
        return false;
    }
    if (!d->payload.ParseFromArray(bytes.data(), int(bytes.size()))) {
        d->payload.Clear();
        *error = {RejectReason::BadProtobuf,
                  QStringLiteral("not a Sparkplug B payload: protobuf cannot parse these %1 bytes (truncated or not protobuf)")
                      .arg(bytes.size())};
        return false;
    }
    if (d->payload.metrics_size() > m_limits.maxMetrics) {
        *error = {RejectReason::Oversize, QStringLiteral("%1 metrics in one payload, the limit is %2")
                                              .arg(d->payload.metrics_size())
                                              .arg(m_limits.maxMetrics)};
        d->payload.Clear();
        return false;
    }
    return true;
}

SparkplugCodec::Header SparkplugCodec::header() const
{
    Header h;
    if (d->payload.has_timestamp())
        h.timestamp = d->payload.timestamp();
    if (d->payload.has_seq())
        h.seq = d->payload.seq();
    h.metrics = d->payload.metrics_size();
    return h;
}

void SparkplugCodec::read(SparkplugPayload *out, const DatatypeLookup *lookup)
{
    const pb::Payload &p = d->payload;
    out->timestamp = p.has_timestamp() ? std::optional<quint64>(p.timestamp()) : std::nullopt;
    out->seq = p.has_seq() ? std::optional<quint64>(p.seq()) : std::nullopt;
    out->uuid = p.has_uuid() ? std::optional<QString>(fromStd(p.uuid())) : std::nullopt;
    out->body = p.has_body() ? std::optional<QByteArray>(QByteArray(p.body().data(), qsizetype(p.body().size())))
                             : std::nullopt;
    // The metrics of the previous payload are overwritten in place, not destroyed and made
    // again: most fields are already empty, so this is cheaper (the hot path of DATA).
    out->metrics.resize(p.metrics_size());
    d->budget = Budget{m_limits.maxNestedMetrics, m_limits.maxPropertyValues};
    SparkplugMetric *metrics = out->metrics.data();
    for (int i = 0; i < p.metrics_size(); ++i)
        d->readMetric(p.metrics(i), metrics + i, 0, lookup);
}

std::optional<SparkplugPayload> SparkplugCodec::decode(QByteArrayView bytes, DecodeError *error,
                                                       const DatatypeLookup *lookup)
{
    if (!parse(bytes, error))
        return std::nullopt;
    SparkplugPayload payload;
    read(&payload, lookup);
    return payload;
}

} // namespace fd
