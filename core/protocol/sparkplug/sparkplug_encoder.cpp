#include "core/protocol/sparkplug/sparkplug_encoder.h"

#include "protocol/sparkplug/sparkplug_b.pb.h"

#include <QtEndian>

#include <bit>
#include <optional>
#include <string>

namespace fd {

namespace pb = fleetdeck::sparkplug_b;
using DT = SparkplugDataType;

namespace {

std::optional<qint64> asInt64(const SparkplugValue &v)
{
    if (const auto *i = std::get_if<qint64>(&v)) return *i;
    if (const auto *u = std::get_if<quint64>(&v)) return qint64(*u);
    if (const auto *b = std::get_if<bool>(&v)) return qint64(*b);
    return std::nullopt;
}

std::optional<double> asDouble(const SparkplugValue &v)
{
    if (const auto *d = std::get_if<double>(&v)) return *d;
    if (const auto *f = std::get_if<float>(&v)) return double(*f);
    if (const auto *i = std::get_if<qint64>(&v)) return double(*i);
    if (const auto *u = std::get_if<quint64>(&v)) return double(*u);
    return std::nullopt;
}

void setString(std::string *out, const QString &s)
{
    const QByteArray utf8 = s.toUtf8();
    out->assign(utf8.constData(), size_t(utf8.size()));
}

template<class M>
void writeScalar(M *m, quint32 type, const SparkplugValue &v)
{
    switch (DT(type)) {
    case DT::Int8:
    case DT::Int16:
    case DT::Int32:
        if (const auto i = asInt64(v)) m->set_int_value(quint32(qint32(*i)));
        return;
    case DT::UInt8:
    case DT::UInt16:
    case DT::UInt32:
        if (const auto i = asInt64(v)) m->set_int_value(quint32(*i));
        return;
    case DT::Int64:
    case DT::UInt64:
    case DT::DateTime:
        if (const auto i = asInt64(v)) m->set_long_value(quint64(*i));
        return;
    case DT::Float:
        if (const auto *f = std::get_if<float>(&v)) m->set_float_value(*f);
        else if (const auto d = asDouble(v)) m->set_float_value(float(*d));
        return;
    case DT::Double:
        if (const auto d = asDouble(v)) m->set_double_value(*d);
        return;
    case DT::Boolean:
        if (const auto *b = std::get_if<bool>(&v)) m->set_boolean_value(*b);
        else if (const auto i = asInt64(v)) m->set_boolean_value(*i != 0);
        return;
    case DT::String:
    case DT::Text:
    case DT::UUID:
        if (const auto *s = std::get_if<QString>(&v)) setString(m->mutable_string_value(), *s);
        return;
    default:
        return;
    }
}

template<typename Raw, typename T>
void pack(std::string *out, const QList<T> &values)
{
    out->clear();
    out->reserve(size_t(values.size()) * sizeof(Raw));
    for (const T &v : values) {
        char buf[sizeof(Raw)];
        if constexpr (std::is_same_v<Raw, float>)
            qToLittleEndian(std::bit_cast<quint32>(float(v)), buf);
        else if constexpr (std::is_same_v<Raw, double>)
            qToLittleEndian(std::bit_cast<quint64>(double(v)), buf);
        else
            qToLittleEndian(Raw(v), buf);
        out->append(buf, sizeof(Raw));
    }
}

void writeArray(std::string *out, quint32 type, const SparkplugValue &v)
{
    const auto *ints = std::get_if<QList<qint64>>(&v);
    const auto *uints = std::get_if<QList<quint64>>(&v);
    switch (DT(type)) {
    case DT::Int8Array: if (ints) pack<qint8>(out, *ints); return;
    case DT::Int16Array: if (ints) pack<qint16>(out, *ints); return;
    case DT::Int32Array: if (ints) pack<qint32>(out, *ints); return;
    case DT::Int64Array: if (ints) pack<qint64>(out, *ints); return;
    case DT::UInt8Array: if (uints) pack<quint8>(out, *uints); return;
    case DT::UInt16Array: if (uints) pack<quint16>(out, *uints); return;
    case DT::UInt32Array: if (uints) pack<quint32>(out, *uints); return;
    case DT::UInt64Array:
    case DT::DateTimeArray: if (uints) pack<quint64>(out, *uints); return;
    case DT::FloatArray:
        if (const auto *f = std::get_if<QList<float>>(&v)) pack<float>(out, *f);
        return;
    case DT::DoubleArray:
        if (const auto *d = std::get_if<QList<double>>(&v)) pack<double>(out, *d);
        return;
    case DT::BooleanArray:
        if (const auto *b = std::get_if<QList<bool>>(&v)) {
            out->assign(size_t(4 + (b->size() + 7) / 8), '\0');
            qToLittleEndian(quint32(b->size()), out->data());
            for (qsizetype i = 0; i < b->size(); ++i) {
                if (b->at(i))
                    (*out)[size_t(4 + i / 8)] = char(uchar((*out)[size_t(4 + i / 8)]) | (0x80 >> (i % 8)));
            }
        }
        return;
    case DT::StringArray:
        if (const auto *s = std::get_if<QStringList>(&v)) {
            out->clear();
            for (const QString &e : *s) {
                const QByteArray utf8 = e.toUtf8();
                out->append(utf8.constData(), size_t(utf8.size()));
                out->push_back('\0');
            }
        }
        return;
    default:
        return;
    }
}

void writePropertySet(pb::Payload::PropertySet *out, const SparkplugPropertySet &in);

void writePropertyValue(pb::Payload::PropertyValue *out, const SparkplugPropertyValue &in)
{
    out->set_type(in.type);
    if (in.isNull) {
        out->set_is_null(true);
        return;
    }
    if (in.type == sparkplugCode(DT::PropertySet)) {
        if (const auto *set = std::get_if<SparkplugBox<SparkplugPropertySet>>(&in.value))
            writePropertySet(out->mutable_propertyset_value(), **set);
    } else if (in.type == sparkplugCode(DT::PropertySetList)) {
        if (const auto *list = std::get_if<SparkplugBox<SparkplugPropertySetList>>(&in.value)) {
            pb::Payload::PropertySetList *pl = out->mutable_propertysets_value();
            for (const SparkplugPropertySet &set : (*list)->sets)
                writePropertySet(pl->add_propertyset(), set);
        }
    } else {
        writeScalar(out, in.type, in.value);
    }
}

void writePropertySet(pb::Payload::PropertySet *out, const SparkplugPropertySet &in)
{
    for (const QString &key : in.keys)
        setString(out->add_keys(), key);
    for (const SparkplugPropertyValue &value : in.values)
        writePropertyValue(out->add_values(), value);
}

void writeMetric(pb::Payload::Metric *out, const SparkplugMetric &in);

void writeTemplate(pb::Payload::Template *out, const SparkplugTemplate &in)
{
    if (in.version)
        setString(out->mutable_version(), *in.version);
    for (const SparkplugMetric &m : in.metrics)
        writeMetric(out->add_metrics(), m);
    for (const SparkplugTemplateParameter &p : in.parameters) {
        pb::Payload::Template::Parameter *param = out->add_parameters();
        setString(param->mutable_name(), p.name);
        param->set_type(p.type);
        writeScalar(param, p.type, p.value);
    }
    if (in.templateRef)
        setString(out->mutable_template_ref(), *in.templateRef);
    if (in.isDefinition)
        out->set_is_definition(true);
}

void writeDataSet(pb::Payload::DataSet *out, const SparkplugDataSet &in)
{
    out->set_num_of_columns(quint64(in.columns.size()));
    for (const QString &c : in.columns)
        setString(out->add_columns(), c);
    for (quint32 t : in.types)
        out->add_types(t);
    for (const QList<SparkplugValue> &row : in.rows) {
        pb::Payload::DataSet::Row *r = out->add_rows();
        for (qsizetype c = 0; c < row.size(); ++c)
            writeScalar(r->add_elements(), c < in.types.size() ? in.types.at(c) : 0, row.at(c));
    }
}

void writeMetaData(pb::Payload::MetaData *out, const SparkplugMetaData &in)
{
    if (in.isMultiPart) out->set_is_multi_part(*in.isMultiPart);
    if (in.contentType) setString(out->mutable_content_type(), *in.contentType);
    if (in.size) out->set_size(*in.size);
    if (in.seq) out->set_seq(*in.seq);
    if (in.fileName) setString(out->mutable_file_name(), *in.fileName);
    if (in.fileType) setString(out->mutable_file_type(), *in.fileType);
    if (in.md5) setString(out->mutable_md5(), *in.md5);
    if (in.description) setString(out->mutable_description(), *in.description);
}

void writeMetric(pb::Payload::Metric *out, const SparkplugMetric &in)
{
    if (!in.name.isEmpty())
        setString(out->mutable_name(), in.name);
    if (in.alias)
        out->set_alias(*in.alias);
    if (in.timestamp)
        out->set_timestamp(*in.timestamp);
    if (in.datatype != 0 && !in.datatypeOmitted)
        out->set_datatype(in.datatype);
    if (in.isHistorical)
        out->set_is_historical(true);
    if (in.isTransient)
        out->set_is_transient(true);
    if (in.metadata)
        writeMetaData(out->mutable_metadata(), *in.metadata);
    if (in.properties)
        writePropertySet(out->mutable_properties(), *in.properties);
    if (in.isNull) {
        out->set_is_null(true);
        return;
    }
    const quint32 type = in.datatype;
    if (in.integerInLongValue && sparkplugIsNarrowInteger(type)) {
        if (const auto i = asInt64(in.value))
            out->set_long_value(quint64(*i));  // signed: two's complement in 64 bits
    } else if (sparkplugIsScalar(type)) {
        writeScalar(out, type, in.value);
    } else if (type == sparkplugCode(DT::Bytes) || type == sparkplugCode(DT::File)) {
        if (const auto *b = std::get_if<QByteArray>(&in.value))
            out->set_bytes_value(b->constData(), size_t(b->size()));
    } else if (sparkplugIsArray(type)) {
        if (!std::holds_alternative<std::monostate>(in.value))
            writeArray(out->mutable_bytes_value(), type, in.value);
    } else if (type == sparkplugCode(DT::DataSet)) {
        if (const auto *ds = std::get_if<SparkplugBox<SparkplugDataSet>>(&in.value))
            writeDataSet(out->mutable_dataset_value(), **ds);
    } else if (type == sparkplugCode(DT::Template)) {
        if (const auto *t = std::get_if<SparkplugBox<SparkplugTemplate>>(&in.value))
            writeTemplate(out->mutable_template_value(), **t);
    }
}

} // namespace

QByteArray SparkplugEncoder::encode(const SparkplugPayload &payload)
{
    pb::Payload p;
    if (payload.timestamp)
        p.set_timestamp(*payload.timestamp);
    if (payload.seq)
        p.set_seq(*payload.seq);
    if (payload.uuid)
        setString(p.mutable_uuid(), *payload.uuid);
    if (payload.body)
        p.set_body(payload.body->constData(), size_t(payload.body->size()));
    for (const SparkplugMetric &m : payload.metrics)
        writeMetric(p.add_metrics(), m);
    std::string bytes;
    p.SerializeToString(&bytes);
    return QByteArray(bytes.data(), qsizetype(bytes.size()));
}

} // namespace fd
