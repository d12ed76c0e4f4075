#include "core/commands/command_topics.h"

namespace fd {

CommandTopics::CommandTopics(const QString &prefix)
    : m_prefix(prefix)
{
    while (m_prefix.endsWith(QLatin1Char('/')))
        m_prefix.chop(1);
    m_prefixUtf8 = m_prefix.toUtf8() + '/';
}

QString CommandTopics::requestTopic(const QString &deviceId) const
{
    return m_prefix + QLatin1Char('/') + deviceId + QStringLiteral("/cmd");
}

QString CommandTopics::responseTopic(const QString &deviceId) const
{
    return m_prefix + QLatin1Char('/') + deviceId + QStringLiteral("/cmd/response");
}

QString CommandTopics::requestFilter() const
{
    return m_prefix + QStringLiteral("/+/cmd");
}

QString CommandTopics::responseFilter() const
{
    return m_prefix + QStringLiteral("/+/cmd/response");
}

CommandTopics::Parsed CommandTopics::parse(QByteArrayView topic) const
{
    Parsed p;
    if (!topic.startsWith(m_prefixUtf8))
        return p;
    const QByteArrayView rest = topic.sliced(m_prefixUtf8.size());
    const qsizetype slash = rest.indexOf('/');
    if (slash <= 0)
        return p;
    const QByteArrayView tail = rest.sliced(slash);
    if (tail == QByteArrayView("/cmd"))
        p.kind = Kind::Request;
    else if (tail == QByteArrayView("/cmd/response"))
        p.kind = Kind::Response;
    else
        return p;
    p.deviceId = rest.first(slash);
    return p;
}

} // namespace fd
