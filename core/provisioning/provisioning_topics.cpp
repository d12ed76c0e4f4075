#include "core/provisioning/provisioning_topics.h"

#include "core/provisioning/provisioning_ids.h"

namespace fd {
namespace {

QString trimmed(const QString &s, QStringView fallback)
{
    QString out = s;
    while (out.endsWith(u'/'))
        out.chop(1);
    return out.isEmpty() ? fallback.toString() : out;
}

} // namespace

ProvisioningTopics::ProvisioningTopics(const QString &root, const QString &prefix)
    : m_root(trimmed(root, kDefaultRoot))
    , m_prefix(trimmed(prefix, u"fleetdeck/v1"))
{
}

QString ProvisioningTopics::requestTopic(const QString &serial) const
{
    return m_root + u'/' + serial + QStringLiteral("/request");
}

QString ProvisioningTopics::responseTopic(const QString &serial) const
{
    return m_root + u'/' + serial + QStringLiteral("/response");
}

QString ProvisioningTopics::rotationCsrTopic(const QString &deviceId) const
{
    return m_prefix + u'/' + deviceId + QStringLiteral("/pki/csr");
}

QString ProvisioningTopics::rotationCertTopic(const QString &deviceId) const
{
    return m_prefix + u'/' + deviceId + QStringLiteral("/pki/cert");
}

QString ProvisioningTopics::requestFilter() const
{
    return m_root + QStringLiteral("/+/request");
}

QString ProvisioningTopics::rotationCsrFilter() const
{
    return m_prefix + QStringLiteral("/+/pki/csr");
}

ProvisioningTopics::Parsed ProvisioningTopics::parse(QByteArrayView topic) const
{
    Parsed out;
    const QString t = QString::fromUtf8(topic);
    auto splitUnder = [&t](const QString &base, QString *id, QString *kind) {
        const QString head = base + u'/';
        if (!t.startsWith(head))
            return false;
        const QString rest = t.mid(head.size());
        const qsizetype slash = rest.indexOf(u'/');
        if (slash <= 0)
            return false;
        *id = rest.left(slash);
        *kind = rest.mid(slash + 1);
        return true;
    };
    QString id;
    QString kind;
    if (splitUnder(m_root, &id, &kind) && ProvisioningIds::isValidSerial(id)) {
        if (kind == u"request")
            out.kind = Kind::Request;
        else if (kind == u"response")
            out.kind = Kind::Response;
    }
    if (out.kind == Kind::None && splitUnder(m_prefix, &id, &kind) && ProvisioningIds::isValidDeviceIdSyntax(id)) {
        if (kind == u"pki/csr")
            out.kind = Kind::RotationCsr;
        else if (kind == u"pki/cert")
            out.kind = Kind::RotationCert;
    }
    if (out.kind != Kind::None)
        out.id = id;
    return out;
}

} // namespace fd
