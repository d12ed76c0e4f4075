#include "core/transport/broker_url.h"

namespace fd {

namespace {

bool fail(QString *error, const QString &reason)
{
    if (error)
        *error = reason;
    return false;
}

bool isHostChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'.' || c == u'-' || c == u'_';
}

bool isIpv6Char(QChar c)
{
    return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F')
        || c == u':' || c == u'.' || c == u'%';
}

bool parsePort(QStringView text, quint16 *port, QString *error)
{
    if (text.isEmpty())
        return fail(error, QStringLiteral("the port after ':' is missing"));
    bool ok = false;
    const uint value = text.toUInt(&ok);
    for (QChar c : text) {
        if (!c.isDigit()) {
            ok = false;
            break;
        }
    }
    if (!ok || value < 1 || value > 65535) {
        return fail(error, QStringLiteral("port must be a number between 1 and 65535 (got \"%1\")")
                               .arg(text.toString()));
    }
    *port = static_cast<quint16>(value);
    return true;
}

} // namespace

std::optional<BrokerUrl> BrokerUrl::parse(const QString &text, QString *error)
{
    QStringView rest = QStringView(text).trimmed();
    if (rest.isEmpty()) {
        fail(error, QStringLiteral("the broker address is empty"));
        return std::nullopt;
    }

    BrokerUrl url;
    const qsizetype schemeEnd = rest.indexOf(u"://");
    if (schemeEnd >= 0) {
        const QString scheme = rest.left(schemeEnd).toString().toLower();
        if (scheme == u"mqtt" || scheme == u"tcp") {
            url.tls = false;
        } else if (scheme == u"mqtts" || scheme == u"ssl") {
            url.tls = true;
        } else {
            fail(error, QStringLiteral("unsupported scheme \"%1://\" (use mqtt://, mqtts://, tcp:// or ssl://)")
                            .arg(rest.left(schemeEnd).toString()));
            return std::nullopt;
        }
        rest = rest.mid(schemeEnd + 3);
    }
    url.port = url.tls ? 8883 : 1883;

    if (rest.endsWith(u'/'))
        rest.chop(1);
    if (rest.contains(u'/') || rest.contains(u'?') || rest.contains(u'#')) {
        fail(error, QStringLiteral("a broker address has no path: \"%1\"").arg(text.trimmed()));
        return std::nullopt;
    }
    if (rest.contains(u'@')) {
        fail(error, QStringLiteral("put the user name in the connection profile, not in the address"));
        return std::nullopt;
    }

    QStringView host;
    QStringView portText;
    bool hasPort = false;
    if (rest.startsWith(u'[')) {
        const qsizetype close = rest.indexOf(u']');
        if (close < 0) {
            fail(error, QStringLiteral("missing ']' after the IPv6 address"));
            return std::nullopt;
        }
        host = rest.mid(1, close - 1);
        QStringView after = rest.mid(close + 1);
        if (!after.isEmpty()) {
            if (!after.startsWith(u':')) {
                fail(error, QStringLiteral("unexpected text after the IPv6 address: \"%1\"").arg(after.toString()));
                return std::nullopt;
            }
            hasPort = true;
            portText = after.mid(1);
        }
        if (host.isEmpty() || !host.contains(u':')) {
            fail(error, QStringLiteral("\"%1\" is not an IPv6 address").arg(host.toString()));
            return std::nullopt;
        }
        for (QChar c : host) {
            if (!isIpv6Char(c)) {
                fail(error, QStringLiteral("\"%1\" is not an IPv6 address").arg(host.toString()));
                return std::nullopt;
            }
        }
    } else {
        const qsizetype colons = rest.count(u':');
        if (colons > 1) {
            fail(error, QStringLiteral("IPv6 addresses must be written in brackets, e.g. mqtt://[::1]:1883"));
            return std::nullopt;
        }
        const qsizetype colon = rest.indexOf(u':');
        if (colon >= 0) {
            host = rest.left(colon);
            portText = rest.mid(colon + 1);
            hasPort = true;
        } else {
            host = rest;
        }
        bool letterOrDigit = false;
        for (QChar c : host) {
            if (!isHostChar(c)) {
                fail(error, QStringLiteral("invalid character '%1' in host name \"%2\"").arg(c).arg(host.toString()));
                return std::nullopt;
            }
            letterOrDigit = letterOrDigit || c.isLetterOrNumber();
        }
        // A host name is labels between single dots (one more may end it, as in a fully
        // qualified name) with a letter or digit somewhere: ".", "-", "a..b" and "a.." are
        // none. "." had the identity "mqtt://:1883", which is no address, and identity()
        // took one trailing dot off "a.." but another off its result. Found by fuzzing
        // (fuzz/fuzz_connection_profiles).
        if (!host.isEmpty() && (!letterOrDigit || host.startsWith(u'.') || host.contains(u".."))) {
            fail(error, QStringLiteral("\"%1\" is not a host name").arg(host.toString()));
            return std::nullopt;
        }
    }
    if (host.isEmpty()) {
        fail(error, QStringLiteral("the host name is missing"));
        return std::nullopt;
    }
    if (hasPort && !parsePort(portText, &url.port, error))
        return std::nullopt;

    url.host = host.toString();
    return url;
}

static QString hostPart(const QString &host)
{
    return host.contains(u':') ? u'[' + host + u']' : host;
}

QString BrokerUrl::toString() const
{
    return (tls ? QStringLiteral("mqtts://") : QStringLiteral("mqtt://")) + hostPart(host) + u':'
        + QString::number(port);
}

QString BrokerUrl::identity() const
{
    QString name = host.toLower();
    if (name.endsWith(u'.') && !name.contains(u':'))
        name.chop(1);
    return (tls ? QStringLiteral("mqtts://") : QStringLiteral("mqtt://")) + hostPart(name) + u':' + QString::number(port);
}

QString BrokerUrl::pahoUri() const
{
    return (tls ? QStringLiteral("ssl://") : QStringLiteral("tcp://")) + hostPart(host) + u':'
        + QString::number(port);
}

} // namespace fd
