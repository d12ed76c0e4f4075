#include "core/ota/ota_topics.h"

#include "core/protocol/topic_scheme.h"

namespace fd {

OtaTopics::OtaTopics(const QString &prefix)
    : m_prefix(TopicScheme(prefix).prefix())  // the same normalisation as the v1 decoder
    , m_prefixUtf8(m_prefix.toUtf8() + '/')
{
}

QString OtaTopics::jobTopic(const QString &deviceId) const
{
    return m_prefix + u'/' + deviceId + QStringLiteral("/ota/job");
}

QString OtaTopics::chunkRequestTopic(const QString &deviceId) const
{
    return m_prefix + u'/' + deviceId + QStringLiteral("/ota/chunk/request");
}

QString OtaTopics::chunkTopic(const QString &deviceId) const
{
    return m_prefix + u'/' + deviceId + QStringLiteral("/ota/chunk");
}

QString OtaTopics::statusTopic(const QString &deviceId) const
{
    return m_prefix + u'/' + deviceId + QStringLiteral("/ota/status");
}

QString OtaTopics::jobFilter() const
{
    return m_prefix + QStringLiteral("/+/ota/job");
}

QString OtaTopics::chunkRequestFilter() const
{
    return m_prefix + QStringLiteral("/+/ota/chunk/request");
}

QString OtaTopics::statusFilter() const
{
    return m_prefix + QStringLiteral("/+/ota/status");
}

OtaTopics::Parsed OtaTopics::parse(QByteArrayView topic) const
{
    Parsed out;
    if (!topic.startsWith(QByteArrayView(m_prefixUtf8)))
        return out;
    const QByteArrayView rest = topic.sliced(m_prefixUtf8.size());
    const qsizetype slash = rest.indexOf('/');
    if (slash <= 0)
        return out;
    const QByteArrayView id = rest.first(slash);
    const QByteArrayView kind = rest.sliced(slash + 1);
    Kind k = Kind::None;
    if (kind == QByteArrayView("ota/job"))
        k = Kind::Job;
    else if (kind == QByteArrayView("ota/chunk/request"))
        k = Kind::ChunkRequest;
    else if (kind == QByteArrayView("ota/chunk"))
        k = Kind::Chunk;
    else if (kind == QByteArrayView("ota/status"))
        k = Kind::Status;
    if (k == Kind::None || !TopicScheme::isValidDeviceId(id))
        return out;
    out.kind = k;
    out.deviceId = id;
    return out;
}

QStringView OtaTopics::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Job:
        return u"job";
    case Kind::ChunkRequest:
        return u"chunk request";
    case Kind::Chunk:
        return u"chunk";
    case Kind::Status:
        return u"status";
    case Kind::None:
        break;
    }
    return u"none";
}

} // namespace fd
