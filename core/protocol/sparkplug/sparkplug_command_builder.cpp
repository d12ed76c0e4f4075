#include "core/protocol/sparkplug/sparkplug_command_builder.h"

#include "protocol/sparkplug/sparkplug_b.pb.h"

#include <QCoreApplication>
#include <QStringList>

#include <array>
#include <cmath>
#include <limits>

namespace fd {

namespace pb = fleetdeck::sparkplug_b;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("SparkplugCommandBuilder", text);
}

bool fail(QString *error, const QString &reason)
{
    if (error)
        *error = reason;
    return false;
}

// "group/node" or "group/node/device": the segments, or empty when it is neither.
QStringList sparkplugSegments(const QString &path)
{
    const QStringList segments = path.split(QLatin1Char('/'));
    if (segments.size() < 2 || segments.size() > 3)
        return {};
    for (const QString &s : segments) {
        if (s.isEmpty())
            return {};
    }
    return segments;
}

QString commandTopic(const QStringList &segments)
{
    const bool device = segments.size() == 3;
    QString topic = QStringLiteral("spBv1.0/") + segments.at(0) + (device ? u"/DCMD/" : u"/NCMD/") + segments.at(1);
    if (device)
        topic += u'/' + segments.at(2);
    return topic;
}

QByteArray serialize(const pb::Payload &payload)
{
    std::string bytes;
    payload.SerializeToString(&bytes);
    return QByteArray(bytes.data(), qsizetype(bytes.size()));
}

template<typename T>
bool parseInteger(const QString &text, T *out, quint32 datatype, QString *error)
{
    bool ok = false;
    const QString t = text.trimmed();
    if constexpr (std::is_signed_v<T>) {
        const qlonglong v = t.toLongLong(&ok);
        if (ok && (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max()))
            return fail(error, tr("%1 is out of range for %2").arg(t, SparkplugCommandBuilder::datatypeName(datatype)));
        *out = T(v);
    } else {
        const qulonglong v = t.startsWith(u'-') ? 0 : t.toULongLong(&ok);
        if (t.startsWith(u'-') || (ok && v > std::numeric_limits<T>::max()))
            return fail(error, tr("%1 is out of range for %2").arg(t, SparkplugCommandBuilder::datatypeName(datatype)));
        *out = T(v);
    }
    if (!ok)
        return fail(error, tr("\"%1\" is not an integer (%2)").arg(t.left(64), SparkplugCommandBuilder::datatypeName(datatype)));
    return true;
}

void setNarrow(pb::Payload::Metric *m, qint64 v, bool inLong)
{
    if (inLong)
        m->set_long_value(quint64(v));
    else
        m->set_int_value(quint32(v));  // modulo 2^32: two's complement for the signed ones
}

bool setValue(pb::Payload::Metric *m, quint32 datatype, bool inLong, const QString &text, QString *error)
{
    switch (datatype) {
    // Int8 … UInt32 in int_value (two's complement in 32 bits), as the specification says, or
    // in long_value (two's complement in 64 bits) when the node's BIRTH carried it there.
    case pb::Int8: { qint8 v; if (!parseInteger(text, &v, datatype, error)) return false; setNarrow(m, qint64(v), inLong); return true; }
    case pb::Int16: { qint16 v; if (!parseInteger(text, &v, datatype, error)) return false; setNarrow(m, qint64(v), inLong); return true; }
    case pb::Int32: { qint32 v; if (!parseInteger(text, &v, datatype, error)) return false; setNarrow(m, qint64(v), inLong); return true; }
    case pb::Int64: { qint64 v; if (!parseInteger(text, &v, datatype, error)) return false; m->set_long_value(quint64(v)); return true; }
    case pb::UInt8: { quint8 v; if (!parseInteger(text, &v, datatype, error)) return false; setNarrow(m, qint64(v), inLong); return true; }
    case pb::UInt16: { quint16 v; if (!parseInteger(text, &v, datatype, error)) return false; setNarrow(m, qint64(v), inLong); return true; }
    case pb::UInt32: { quint32 v; if (!parseInteger(text, &v, datatype, error)) return false; setNarrow(m, qint64(v), inLong); return true; }
    case pb::UInt64: { quint64 v; if (!parseInteger(text, &v, datatype, error)) return false; m->set_long_value(v); return true; }
    case pb::DateTime: {
        quint64 v;
        if (!parseInteger(text, &v, datatype, error))
            return false;
        m->set_long_value(v);
        return true;
    }
    case pb::Float:
    case pb::Double: {
        bool ok = false;
        const double v = text.trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(v))
            return fail(error, tr("\"%1\" is not a finite number").arg(text.trimmed().left(64)));
        if (datatype == pb::Float) {
            if (std::fabs(v) > double(std::numeric_limits<float>::max()))
                return fail(error, tr("%1 is out of range for Float").arg(text.trimmed()));
            m->set_float_value(float(v));
        } else {
            m->set_double_value(v);
        }
        return true;
    }
    case pb::Boolean: {
        const QString t = text.trimmed().toLower();
        if (t == u"true" || t == u"1")
            m->set_boolean_value(true);
        else if (t == u"false" || t == u"0")
            m->set_boolean_value(false);
        else
            return fail(error, tr("\"%1\" is not a Boolean (true, false, 1 or 0)").arg(text.trimmed().left(64)));
        return true;
    }
    case pb::String:
    case pb::Text:
    case pb::UUID: {
        const QByteArray utf8 = text.toUtf8();
        if (utf8.size() > 64 * 1024)
            return fail(error, tr("the text is longer than 64 KiB"));
        m->set_string_value(utf8.constData(), size_t(utf8.size()));
        return true;
    }
    default:
        return fail(error, tr("metrics of type %1 cannot be written from FleetDeck")
                               .arg(SparkplugCommandBuilder::datatypeName(datatype)));
    }
}

} // namespace

QString SparkplugCommandBuilder::datatypeName(quint32 datatype)
{
    if (datatype <= quint32(pb::DataType_MAX) && pb::DataType_IsValid(int(datatype)))
        return QString::fromStdString(pb::DataType_Name(pb::DataType(datatype)));
    return tr("Unknown (%1)").arg(datatype);
}

std::optional<SparkplugCommandMessage> SparkplugCommandBuilder::rebirth(const QString &path, qint64 nowMs,
                                                                       QString *error)
{
    const QStringList segments = sparkplugSegments(path);
    if (segments.isEmpty()) {
        fail(error, tr("\"%1\" is not a Sparkplug edge node or device").arg(path.left(128)));
        return std::nullopt;
    }
    pb::Payload payload;
    payload.set_timestamp(quint64(nowMs));
    pb::Payload::Metric *m = payload.add_metrics();
    m->set_name("Node Control/Rebirth");
    m->set_timestamp(quint64(nowMs));
    m->set_datatype(pb::Boolean);
    m->set_boolean_value(true);
    return SparkplugCommandMessage{QStringLiteral("rebirth"), commandTopic(segments.first(2)), serialize(payload)};
}

std::optional<SparkplugCommandMessage> SparkplugCommandBuilder::write(const QString &path, const QString &metric,
                                                                     const SparkplugMetricDefinition &definition,
                                                                     const QString &valueText, qint64 nowMs,
                                                                     QString *error)
{
    const QStringList segments = sparkplugSegments(path);
    if (segments.isEmpty()) {
        fail(error, tr("\"%1\" is not a Sparkplug edge node or device").arg(path.left(128)));
        return std::nullopt;
    }
    if (!definition.writable) {
        fail(error, tr("%1 is read-only").arg(metric.left(128)));
        return std::nullopt;
    }
    pb::Payload payload;
    payload.set_timestamp(quint64(nowMs));
    pb::Payload::Metric *m = payload.add_metrics();
    m->set_name(metric.toStdString());
    if (definition.hasAlias)
        m->set_alias(definition.alias);
    m->set_timestamp(quint64(nowMs));
    m->set_datatype(definition.datatype);
    if (!setValue(m, definition.datatype, definition.integerInLongValue, valueText, error))
        return std::nullopt;
    return SparkplugCommandMessage{QStringLiteral("write"), commandTopic(segments), serialize(payload)};
}

} // namespace fd
