#pragma once

#include "core/protocol/payload_codec.h"
#include "core/protocol/sparkplug/sparkplug_types.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QString>

#include <memory>

namespace fd {

// The bounds the codec holds a payload to (anything a broker delivers is hostile). A
// payload over maxPayloadBytes, that protobuf cannot parse, or with more than maxMetrics
// metrics is rejected as a whole; a metric over another bound is decoded as invalid (with
// the reason) and the rest of the payload still decodes.
struct SparkplugLimits
{
    qsizetype maxPayloadBytes = 256 * 1024;
    int maxMetrics = 10000;             // top-level metrics of one payload
    int maxNestedMetrics = 10000;       // template members, all levels, of one payload
    int maxTemplateDepth = 8;           // a template in a template ... (1: no nesting)
    int maxPropertyDepth = 8;           // a PropertySet in a property value in ...
    int maxPropertyValues = 10000;      // property values, all levels, of one payload
    qsizetype maxArrayElements = 100000;
    qsizetype maxDataSetCells = 100000; // rows x columns of one DataSet
};

// Sparkplug B payloads (protobuf, sparkplug_b.proto) to and from the plain value types of
// sparkplug_types.h. The protobuf classes stay inside the codec.
//
// Decoding follows the specification's mapping of datatypes to value fields (chapter 6),
// with one leniency that real edge nodes need: an integer datatype is read from int_value or
// long_value, whichever is set, as long as the value fits the type (Eclipse Tahu's
// JavaScript library writes UInt32 to long_value); an Int8 / Int16 whose int_value is the
// narrow two's complement (0xFF for Int8 -1) is read as that. Everything else must be in
// its field: a Float in float_value, a String in string_value, an array packed little-endian
// in bytes_value (BooleanArray: a 4-byte little-endian count, then the bits, most
// significant first; StringArray: NUL-terminated UTF-8, the last NUL may be missing).
//
// Not thread-safe: one codec per thread (it reuses one protobuf message and interns metric
// names, so a million DATA messages naming "temperature" share one string).
class SparkplugCodec
{
public:
    // Datatypes for the metrics of a payload that carry none (DATA and CMD metrics
    // usually do not: the BIRTH declared them). Asked only for such metrics.
    class DatatypeLookup
    {
    public:
        virtual ~DatatypeLookup() = default;
        // The datatype the BIRTH declared for the metric called name (may be empty) or with
        // alias (when hasAlias); 0 when it is not known.
        virtual quint32 datatypeOf(const QString &name, bool hasAlias, quint64 alias) const = 0;
    };

    explicit SparkplugCodec(const SparkplugLimits &limits = {});
    ~SparkplugCodec();
    SparkplugCodec(const SparkplugCodec &) = delete;
    SparkplugCodec &operator=(const SparkplugCodec &) = delete;

    const SparkplugLimits &limits() const { return m_limits; }

    // Parses bytes into the codec's message: false with *error (Oversize: over
    // maxPayloadBytes or more than maxMetrics metrics; BadProtobuf: protobuf cannot parse
    // it). Then header() and read() see that payload until the next parse().
    bool parse(QByteArrayView bytes, DecodeError *error);
    struct Header
    {
        std::optional<quint64> timestamp;
        std::optional<quint64> seq;
        int metrics = 0;
    };
    Header header() const;
    // The parsed payload as value types, into out (its lists are reused: pass the same
    // object again to avoid allocations). lookup may be null.
    void read(SparkplugPayload *out, const DatatypeLookup *lookup = nullptr);

    // parse() + read().
    std::optional<SparkplugPayload> decode(QByteArrayView bytes, DecodeError *error,
                                           const DatatypeLookup *lookup = nullptr);

private:
    struct Impl;
    SparkplugLimits m_limits;
    std::unique_ptr<Impl> d;
};

} // namespace fd
