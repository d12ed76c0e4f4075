#include "core/protocol/topic_scheme.h"

#include <QCoreApplication>

namespace fd {

namespace {

bool isIdChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
           || c == '_' || c == '-';
}

QString normalizedPrefix(const QString &prefix)
{
    QString p = prefix.trimmed();
    while (p.endsWith(u'/'))
        p.chop(1);
    return p.isEmpty() ? TopicScheme::kDefaultPrefix.toString() : p;
}

} // namespace

TopicScheme::TopicScheme(const QString &prefix)
    : m_prefix(normalizedPrefix(prefix))
    , m_prefixUtf8(m_prefix.toUtf8() + '/')
{
}

QString TopicScheme::subscriptionFilter() const
{
    return m_prefix + QStringLiteral("/#");
}

QString TopicScheme::statusTopic(const QString &deviceId) const
{
    return m_prefix + u'/' + deviceId + QStringLiteral("/status");
}

QString TopicScheme::telemetryTopic(const QString &deviceId) const
{
    return m_prefix + u'/' + deviceId + QStringLiteral("/telemetry");
}

QString TopicScheme::commandTopic(const QString &deviceId) const
{
    return m_prefix + u'/' + deviceId + QStringLiteral("/cmd");
}

QString TopicScheme::commandResponseTopic(const QString &deviceId) const
{
    return m_prefix + u'/' + deviceId + QStringLiteral("/cmd/response");
}

TopicScheme::Parsed TopicScheme::parse(QByteArrayView topic) const
{
    Parsed out;
    if (!topic.startsWith(QByteArrayView(m_prefixUtf8)))
        return out;
    out.underPrefix = true;

    const QByteArrayView rest = topic.sliced(m_prefixUtf8.size());
    const qsizetype slash = rest.indexOf('/');
    if (slash < 0)
        return out;  // "{prefix}/x": no kind
    const QByteArrayView id = rest.first(slash);
    const QByteArrayView kind = rest.sliced(slash + 1);

    if (kind == QByteArrayView("status"))
        out.kind = Kind::Status;
    else if (kind == QByteArrayView("telemetry"))
        out.kind = Kind::Telemetry;
    else if (kind == QByteArrayView("cmd"))
        out.kind = Kind::Command;
    else if (kind == QByteArrayView("cmd/response"))
        out.kind = Kind::CommandResponse;
    else if (kind == QByteArrayView("ota") || kind.startsWith(QByteArrayView("ota/")))
        out.kind = Kind::Ota;  // {prefix}/+/ota/#: firmware updates, not ingest's
    else if (kind == QByteArrayView("pki") || kind.startsWith(QByteArrayView("pki/")))
        out.kind = Kind::Pki;  // {prefix}/+/pki/#: certificate rotation, the provisioning service's
    else
        return out;  // unknown kind, or more levels

    out.deviceId = id;
    out.deviceIdValid = isValidDeviceId(id);
    return out;
}

bool TopicScheme::isValidPrefix(const QString &prefix, QString *reason)
{
    auto fail = [reason](const QString &why) {
        if (reason)
            *reason = why;
        return false;
    };
    const QString p = normalizedPrefix(prefix);
    if (p.size() > kMaxPrefixLength)
        return fail(QCoreApplication::translate("fd::TopicScheme", "the topic prefix is longer than %1 characters")
                        .arg(kMaxPrefixLength));
    for (QChar c : p) {
        if (c == u'+' || c == u'#')
            return fail(QCoreApplication::translate("fd::TopicScheme",
                                                    "the topic prefix contains the MQTT wildcard '%1'; a prefix "
                                                    "names topics, it does not match them")
                            .arg(c));
        if (c.category() == QChar::Other_Control || c.unicode() == 0)
            return fail(QCoreApplication::translate("fd::TopicScheme", "the topic prefix contains a control character"));
    }
    if (p.contains(QStringLiteral("//")))
        return fail(QCoreApplication::translate("fd::TopicScheme", "the topic prefix has an empty level (\"//\")"));
    return true;
}

bool TopicScheme::isValidDeviceId(QByteArrayView id)
{
    if (id.isEmpty() || id.size() > 64)
        return false;
    for (char c : id) {
        if (!isIdChar(c))
            return false;
    }
    return true;
}

bool TopicScheme::isValidDeviceId(const QString &id)
{
    if (id.isEmpty() || id.size() > 64)
        return false;
    for (QChar c : id) {
        if (c.unicode() > 127 || !isIdChar(char(c.unicode())))
            return false;
    }
    return true;
}

} // namespace fd
