#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <variant>

namespace fd {

// The datatype codes of the Sparkplug B 3.0 specification (chapter 6; sparkplug_b.proto,
// enum DataType). On the wire and in these types a datatype is a plain quint32, so that a
// code this enum does not know can be carried and reported.
enum class SparkplugDataType : quint32 {
    Unknown = 0,
    Int8 = 1, Int16 = 2, Int32 = 3, Int64 = 4,
    UInt8 = 5, UInt16 = 6, UInt32 = 7, UInt64 = 8,
    Float = 9, Double = 10, Boolean = 11, String = 12, DateTime = 13, Text = 14, UUID = 15,
    DataSet = 16, Bytes = 17, File = 18, Template = 19,
    PropertySet = 20, PropertySetList = 21,
    Int8Array = 22, Int16Array = 23, Int32Array = 24, Int64Array = 25,
    UInt8Array = 26, UInt16Array = 27, UInt32Array = 28, UInt64Array = 29,
    FloatArray = 30, DoubleArray = 31, BooleanArray = 32, StringArray = 33, DateTimeArray = 34,
};

constexpr quint32 sparkplugCode(SparkplugDataType t) { return quint32(t); }
// 1 Int8 ... 34 DateTimeArray.
constexpr bool sparkplugIsKnownDatatype(quint32 t) { return t >= 1 && t <= 34; }
// The single-value types Int8 ... UUID (1-15): what a DataSet cell, a template parameter
// and (with PropertySet / PropertySetList) a property value may hold, and what an operator
// may write.
constexpr bool sparkplugIsScalar(quint32 t) { return t >= 1 && t <= 15; }
constexpr bool sparkplugIsArray(quint32 t) { return t >= 22 && t <= 34; }
// The integers the specification carries in int_value: Int8, Int16, Int32, UInt8, UInt16, UInt32.
constexpr bool sparkplugIsNarrowInteger(quint32 t) { return (t >= 1 && t <= 3) || (t >= 5 && t <= 7); }

// An immutable heap value shared between copies, compared by value: lets the value types
// below nest (a Template holds metrics, a PropertySet holds property values).
template<typename T>
class SparkplugBox
{
public:
    SparkplugBox(T value) : m_p(std::make_shared<const T>(std::move(value))) {}  // NOLINT: implicit on purpose
    const T &operator*() const { return *m_p; }
    const T *operator->() const { return m_p.get(); }
    friend bool operator==(const SparkplugBox &a, const SparkplugBox &b) { return a.m_p == b.m_p || *a.m_p == *b.m_p; }

private:
    std::shared_ptr<const T> m_p;
};

struct SparkplugDataSet;
struct SparkplugTemplate;
struct SparkplugPropertySet;
struct SparkplugPropertySetList;

// A decoded value. Which alternative holds it follows from the datatype:
//   std::monostate           no value (is_null, a template definition's member without one)
//   qint64                   Int8, Int16, Int32, Int64
//   quint64                  UInt8, UInt16, UInt32, UInt64, DateTime (ms since epoch)
//   float / double / bool    Float / Double / Boolean
//   QString                  String, Text, UUID
//   QByteArray               Bytes, File
//   QList<qint64>            Int8Array ... Int64Array
//   QList<quint64>           UInt8Array ... UInt64Array, DateTimeArray
//   QList<float>             FloatArray
//   QList<double>            DoubleArray
//   QList<bool>              BooleanArray
//   QStringList              StringArray
//   SparkplugBox<...>        DataSet, Template, PropertySet, PropertySetList
using SparkplugValue = std::variant<std::monostate, qint64, quint64, float, double, bool, QString, QByteArray,
                                    QList<qint64>, QList<quint64>, QList<float>, QList<double>, QList<bool>,
                                    QStringList, SparkplugBox<SparkplugDataSet>, SparkplugBox<SparkplugTemplate>,
                                    SparkplugBox<SparkplugPropertySet>, SparkplugBox<SparkplugPropertySetList>>;

// Same alternative and value; floating point compared bit for bit (NaN equals NaN, 0.0 and
// -0.0 differ), so that round trips can be checked exactly.
bool sparkplugSameValue(const SparkplugValue &a, const SparkplugValue &b);

struct SparkplugPropertyValue
{
    quint32 type = 0;
    bool isNull = false;
    SparkplugValue value;  // a scalar, or a PropertySet / PropertySetList
    friend bool operator==(const SparkplugPropertyValue &a, const SparkplugPropertyValue &b)
    {
        return a.type == b.type && a.isNull == b.isNull && sparkplugSameValue(a.value, b.value);
    }
};

// Metric properties (e.g. "readOnly", "engUnit", "Quality"): keys and values of equal count.
struct SparkplugPropertySet
{
    QStringList keys;
    QList<SparkplugPropertyValue> values;
    // The value of key, or nullptr.
    const SparkplugPropertyValue *value(QStringView key) const;
    friend bool operator==(const SparkplugPropertySet &, const SparkplugPropertySet &) = default;
};

struct SparkplugPropertySetList
{
    QList<SparkplugPropertySet> sets;
    friend bool operator==(const SparkplugPropertySetList &, const SparkplugPropertySetList &) = default;
};

struct SparkplugMetaData
{
    std::optional<bool> isMultiPart;
    std::optional<QString> contentType;
    std::optional<quint64> size;
    std::optional<quint64> seq;
    std::optional<QString> fileName;
    std::optional<QString> fileType;
    std::optional<QString> md5;
    std::optional<QString> description;
    friend bool operator==(const SparkplugMetaData &, const SparkplugMetaData &) = default;
};

// A table: column names and datatypes (scalar codes), and rows of one cell per column
// (monostate: a cell without a value).
struct SparkplugDataSet
{
    QStringList columns;
    QList<quint32> types;
    QList<QList<SparkplugValue>> rows;
    friend bool operator==(const SparkplugDataSet &a, const SparkplugDataSet &b);
};

struct SparkplugMetric
{
    QString name;                      // empty: none on the wire (DATA by alias)
    std::optional<quint64> alias;
    std::optional<quint64> timestamp;  // ms since epoch
    quint32 datatype = 0;              // 0: none on the wire (and no lookup knew it)
    // No datatype on the wire (DATA and CMD metrics): when decoding, datatype came from the
    // codec's DatatypeLookup (or is 0); when encoding, datatype chooses the value field but
    // is not written.
    bool datatypeOmitted = false;
    bool isHistorical = false;
    bool isTransient = false;
    bool isNull = false;
    // An Int8 … Int32 or UInt8 … UInt32 value carried in long_value, where the specification
    // puts it in int_value (Eclipse Tahu's JavaScript library sends UInt32 so, and reads it
    // only from there). Decoding: the value was read from long_value; encoding: written there.
    bool integerInLongValue = false;
    std::optional<SparkplugMetaData> metadata;
    std::optional<SparkplugPropertySet> properties;
    SparkplugValue value;
    // Decoding only: why this metric's value could not be decoded (a value field that does
    // not match the datatype, an unknown datatype, a limit); value is then monostate. Empty:
    // decoded. The other metrics of the payload are not affected.
    QString invalid;

    bool isValid() const { return invalid.isEmpty(); }
    friend bool operator==(const SparkplugMetric &a, const SparkplugMetric &b);
};

struct SparkplugTemplateParameter
{
    QString name;
    quint32 type = 0;
    SparkplugValue value;  // a scalar, or monostate
    friend bool operator==(const SparkplugTemplateParameter &a, const SparkplugTemplateParameter &b)
    {
        return a.name == b.name && a.type == b.type && sparkplugSameValue(a.value, b.value);
    }
};

// A template definition (isDefinition, in a BIRTH) or an instance of one (templateRef names
// the definition); its members are metrics, which may be templates themselves.
struct SparkplugTemplate
{
    std::optional<QString> version;
    QList<SparkplugMetric> metrics;
    QList<SparkplugTemplateParameter> parameters;
    std::optional<QString> templateRef;
    bool isDefinition = false;
    friend bool operator==(const SparkplugTemplate &, const SparkplugTemplate &) = default;
};

struct SparkplugPayload
{
    std::optional<quint64> timestamp;  // ms since epoch
    std::optional<quint64> seq;
    std::optional<QString> uuid;
    std::optional<QByteArray> body;
    QList<SparkplugMetric> metrics;
    friend bool operator==(const SparkplugPayload &, const SparkplugPayload &) = default;
};

} // namespace fd
