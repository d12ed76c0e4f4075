#include "core/protocol/payload_codec.h"

#include "core/domain/json_names.h"
#include "core/protocol/telemetry_fast_parser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QSet>

#include <cmath>

namespace fd {

namespace {

constexpr qsizetype kMaxInternedNames = 4096;
// Distinct tag lists shared by the devices that report them (a fleet has a few dozen).
constexpr qsizetype kMaxInternedTagLists = 1024;
// The largest integer a double holds exactly with nothing above it rounding down onto it:
// 2^53 - 1 (JavaScript's MAX_SAFE_INTEGER). 2^53 itself is exact, but 2^53 + 1 parses to
// 2^53, so accepting 2^53 would accept integers that lost their value in parsing.
constexpr double kMaxExactInteger = 9007199254740991.0;

DecodeError error(RejectReason reason, QString detail)
{
    return DecodeError{reason, std::move(detail)};
}

QString oversizeDetail(qsizetype size, qsizetype limit)
{
    return QStringLiteral("payload is %1 bytes, the limit is %2 bytes").arg(size).arg(limit);
}

bool parseObject(const QByteArray &payload, QJsonObject *out, QString *detail)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *detail = QStringLiteral("invalid JSON at offset %1: %2")
                      .arg(parseError.offset)
                      .arg(parseError.errorString());
        return false;
    }
    if (!doc.isObject()) {
        *detail = QStringLiteral("payload must be a JSON object");
        return false;
    }
    *out = doc.object();
    return true;
}

bool isNonNegativeInteger(double d)
{
    return std::isfinite(d) && d >= 0 && d <= kMaxExactInteger && std::floor(d) == d;
}

// A JSON number that is a non-negative integer representable exactly in a double.
bool toNonNegativeInteger(const QJsonValue &v, double *out)
{
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    if (!isNonNegativeInteger(d))
        return false;
    *out = d;
    return true;
}

// Reads an optional string attribute; absent or null -> nullopt. False on a wrong type.
bool optionalString(const QJsonObject &obj, QLatin1StringView key, std::optional<QString> *out,
                    QString *detail)
{
    const QJsonValue v = obj.value(key);
    if (v.isUndefined() || v.isNull())
        return true;
    if (!v.isString()) {
        *detail = QStringLiteral("field \"%1\" must be a string").arg(key);
        return false;
    }
    // Attributes are names too: the inventory groups and filters by site, model and firmware.
    QString s = jsonName(v.toString());
    if (!s.isValidUtf16()) {  // a lone "\ud800" escape: not text, and not storable as UTF-8
        *detail = QStringLiteral("field \"%1\" is not valid Unicode text").arg(key);
        return false;
    }
    if (s.size() > PayloadCodec::kMaxAttributeLength) {
        *detail = QStringLiteral("field \"%1\" is longer than %2 characters")
                      .arg(key)
                      .arg(PayloadCodec::kMaxAttributeLength);
        return false;
    }
    *out = std::move(s);
    return true;
}

bool hasControlCharacter(const QString &s)
{
    for (QChar c : s) {
        if (c.category() == QChar::Other_Control)  // C0, DEL, C1
            return true;
    }
    return false;
}

// Reads the optional "tags" array; absent or null -> nullopt, [] -> an empty list. Each tag
// is read like an attribute (jsonName: a leading U+FEFF is no part of it), must then be 1 to
// kMaxTagLength characters without control characters; repeats are dropped, the first
// occurrence keeps its place. False (wrong_type) on anything else.
bool optionalTags(const QJsonObject &obj, std::optional<QStringList> *out, QString *detail)
{
    const QJsonValue v = obj.value(QLatin1StringView("tags"));
    if (v.isUndefined() || v.isNull())
        return true;
    if (!v.isArray()) {
        *detail = QStringLiteral("field \"tags\" must be an array of strings");
        return false;
    }
    const QJsonArray array = v.toArray();
    if (array.size() > PayloadCodec::kMaxTags) {
        *detail = QStringLiteral("field \"tags\" has %1 elements, at most %2 are allowed")
                      .arg(array.size())
                      .arg(PayloadCodec::kMaxTags);
        return false;
    }
    QStringList tags;
    tags.reserve(array.size());
    for (const QJsonValue &element : array) {
        if (!element.isString()) {
            *detail = QStringLiteral("field \"tags\" must be an array of strings");
            return false;
        }
        QString tag = jsonName(element.toString());
        if (tag.isEmpty() || tag.size() > PayloadCodec::kMaxTagLength) {
            *detail = QStringLiteral("tags must be 1 to %1 characters").arg(PayloadCodec::kMaxTagLength);
            return false;
        }
        if (!tag.isValidUtf16()) {
            *detail = QStringLiteral("tags must be valid Unicode text");
            return false;
        }
        if (hasControlCharacter(tag)) {
            *detail = QStringLiteral("tags must not contain control characters");
            return false;
        }
        if (!tags.contains(tag))  // at most 32: a scan is cheaper than a set
            tags.append(std::move(tag));
    }
    *out = std::move(tags);
    return true;
}

} // namespace

PayloadCodec::PayloadCodec(qsizetype maxPayloadBytes)
    : m_maxPayloadBytes(maxPayloadBytes > 0 ? maxPayloadBytes : kDefaultMaxPayloadBytes)
{
}

QString PayloadCodec::intern(const QString &name) const
{
    const auto it = m_names.constFind(name);
    if (it != m_names.constEnd())
        return it.value();
    if (m_names.size() < kMaxInternedNames)
        m_names.insert(name, name);
    return name;
}

Decoded<DeviceStatus> PayloadCodec::decodeStatus(const QString &deviceId, const QByteArray &payload) const
{
    if (payload.size() > m_maxPayloadBytes)
        return error(RejectReason::Oversize, oversizeDetail(payload.size(), m_maxPayloadBytes));

    QJsonObject obj;
    QString detail;
    if (!parseObject(payload, &obj, &detail))
        return error(RejectReason::BadJson, detail);

    const QJsonValue online = obj.value(QLatin1StringView("online"));
    if (online.isUndefined())
        return error(RejectReason::MissingField, QStringLiteral("field \"online\" is required"));
    if (!online.isBool())
        return error(RejectReason::WrongType, QStringLiteral("field \"online\" must be true or false"));

    DeviceStatus status;
    status.deviceId = deviceId;
    status.online = online.toBool();
    if (!optionalString(obj, QLatin1StringView("name"), &status.name, &detail)
        || !optionalString(obj, QLatin1StringView("model"), &status.model, &detail)
        || !optionalString(obj, QLatin1StringView("fw_version"), &status.fwVersion, &detail)
        || !optionalString(obj, QLatin1StringView("site"), &status.site, &detail)
        || !optionalString(obj, QLatin1StringView("cert_serial"), &status.certSerial, &detail)
        || !optionalTags(obj, &status.tags, &detail)) {
        return error(RejectReason::WrongType, detail);
    }
    if (status.tags)
        status.tags = internTags(*status.tags);
    return status;
}

QStringList PayloadCodec::internTags(const QStringList &tags) const
{
    if (tags.isEmpty())
        return {};  // no allocation at all
    // Whole lists, not single tags: tags must not crowd metric names out of m_names.
    const auto it = m_tagLists.constFind(tags);
    if (it != m_tagLists.constEnd())
        return it.value();
    if (m_tagLists.size() < kMaxInternedTagLists)
        m_tagLists.insert(tags, tags);
    return tags;
}

QString PayloadCodec::internBytes(QByteArrayView name) const
{
    // fromRawData: the lookup key points into the payload, no allocation.
    const auto it = m_namesByBytes.constFind(QByteArray::fromRawData(name.data(), name.size()));
    if (it != m_namesByBytes.constEnd())
        return it.value();
    const QString interned = intern(QString::fromLatin1(name));  // ASCII: checked by the scanner
    if (m_namesByBytes.size() < kMaxInternedNames)
        m_namesByBytes.insert(name.toByteArray(), interned);
    return interned;
}

bool PayloadCodec::decodeTelemetryFast(const QString &deviceId, const QByteArray &payload,
                                       TelemetrySample *out) const
{
    double ts = 0, seq = 0;
    TelemetryFastParser::Metrics metrics;
    if (!TelemetryFastParser::parse(payload, &ts, &seq, &metrics) || !isNonNegativeInteger(ts)
        || !isNonNegativeInteger(seq)) {
        return false;
    }
    out->deviceId = deviceId;
    out->timestampMs = qint64(ts);
    out->seq = quint64(seq);
    out->metrics.reserve(metrics.size());
    for (const TelemetryFastParser::Metric &m : metrics) {
        if (m.name.isEmpty() || m.name.size() > kMaxMetricNameLength)
            return false;
        out->metrics.append(MetricValue{internBytes(m.name), m.value});
    }
    return true;
}

Decoded<TelemetrySample> PayloadCodec::decodeTelemetry(const QString &deviceId,
                                                       const QByteArray &payload) const
{
    if (payload.size() > m_maxPayloadBytes)
        return error(RejectReason::Oversize, oversizeDetail(payload.size(), m_maxPayloadBytes));

    // Fast path for well-formed telemetry of the usual shape; anything else, valid or not,
    // goes through QJsonDocument below, which decides the reject reason.
    {
        TelemetrySample sample;
        if (decodeTelemetryFast(deviceId, payload, &sample))
            return sample;
    }
    return decodeTelemetryGeneral(deviceId, payload);
}

Decoded<TelemetrySample> PayloadCodec::decodeTelemetryGeneral(const QString &deviceId,
                                                              const QByteArray &payload) const
{
    if (payload.size() > m_maxPayloadBytes)
        return error(RejectReason::Oversize, oversizeDetail(payload.size(), m_maxPayloadBytes));

    QJsonObject obj;
    QString detail;
    if (!parseObject(payload, &obj, &detail))
        return error(RejectReason::BadJson, detail);

    TelemetrySample sample;
    sample.deviceId = deviceId;

    const QJsonValue ts = obj.value(QLatin1StringView("ts"));
    const QJsonValue seq = obj.value(QLatin1StringView("seq"));
    const QJsonValue metrics = obj.value(QLatin1StringView("metrics"));
    if (ts.isUndefined())
        return error(RejectReason::MissingField, QStringLiteral("field \"ts\" is required"));
    if (seq.isUndefined())
        return error(RejectReason::MissingField, QStringLiteral("field \"seq\" is required"));
    if (metrics.isUndefined())
        return error(RejectReason::MissingField, QStringLiteral("field \"metrics\" is required"));

    double number = 0;
    if (!toNonNegativeInteger(ts, &number)) {
        return error(RejectReason::WrongType,
                     QStringLiteral("field \"ts\" must be milliseconds since the epoch (a non-negative integer)"));
    }
    sample.timestampMs = qint64(number);
    if (!toNonNegativeInteger(seq, &number))
        return error(RejectReason::WrongType, QStringLiteral("field \"seq\" must be a non-negative integer"));
    sample.seq = quint64(number);

    if (!metrics.isObject())
        return error(RejectReason::WrongType, QStringLiteral("field \"metrics\" must be an object"));
    const QJsonObject m = metrics.toObject();
    sample.metrics.reserve(m.size());
    // QJsonObject keeps keys unique by their bytes, but a leading byte order mark does not
    // count in a name (jsonName), so {"\ufefft": 1, "t": 2} has two keys that both read "t".
    // Two values of one metric in one message are ambiguous: rejected (found by fuzzing).
    QSet<QString> names;
    names.reserve(m.size());
    for (auto it = m.constBegin(); it != m.constEnd(); ++it) {
        const QString name = jsonName(it.key());
        if (name.isEmpty() || name.size() > kMaxMetricNameLength) {
            return error(RejectReason::WrongType,
                         QStringLiteral("metric names must be 1 to %1 characters").arg(kMaxMetricNameLength));
        }
        // Lone surrogates (JSON "\ud800") would all become U+FFFD once stored as UTF-8:
        // two different names would collide in the cache.
        if (!name.isValidUtf16())
            return error(RejectReason::WrongType, QStringLiteral("metric names must be valid Unicode text"));
        if (names.contains(name))
            return error(RejectReason::WrongType, QStringLiteral("metric \"%1\" appears twice").arg(name));
        names.insert(name);
        const QJsonValue v = it.value();
        if (!v.isDouble()) {
            return error(RejectReason::WrongType,
                         QStringLiteral("metric \"%1\" must be a number").arg(name.left(kMaxMetricNameLength)));
        }
        sample.metrics.append(MetricValue{intern(name), v.toDouble()});
    }
    return sample;
}

QByteArray PayloadCodec::encodeStatus(const DeviceStatus &status)
{
    QJsonObject obj;
    obj.insert(QLatin1StringView("online"), status.online);
    if (status.name)
        obj.insert(QLatin1StringView("name"), *status.name);
    if (status.model)
        obj.insert(QLatin1StringView("model"), *status.model);
    if (status.fwVersion)
        obj.insert(QLatin1StringView("fw_version"), *status.fwVersion);
    if (status.site)
        obj.insert(QLatin1StringView("site"), *status.site);
    if (status.tags)
        obj.insert(QLatin1StringView("tags"), QJsonArray::fromStringList(*status.tags));
    if (status.certSerial)
        obj.insert(QLatin1StringView("cert_serial"), *status.certSerial);
    return QJsonDocument(obj).toJson(QJsonDocument::Compact);
}

QByteArray PayloadCodec::encodeTelemetry(const TelemetrySample &sample)
{
    QJsonObject metrics;
    for (const MetricValue &m : sample.metrics) {
        if (std::isfinite(m.value))
            metrics.insert(m.name, m.value);
    }
    QJsonObject obj;
    obj.insert(QLatin1StringView("ts"), double(sample.timestampMs));
    obj.insert(QLatin1StringView("seq"), double(sample.seq));
    obj.insert(QLatin1StringView("metrics"), metrics);
    return QJsonDocument(obj).toJson(QJsonDocument::Compact);
}

} // namespace fd
