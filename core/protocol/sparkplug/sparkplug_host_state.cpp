#include "core/protocol/sparkplug/sparkplug_host_state.h"

namespace fd {

namespace {

bool allowedInId(QChar c)
{
    return c != u'/' && c != u'+' && c != u'#' && c.category() != QChar::Other_Control
        && c.category() != QChar::Other_Surrogate;
}

} // namespace

QString SparkplugHostState::topic(const QString &hostId)
{
    return QStringLiteral("spBv1.0/STATE/") + hostId;
}

QByteArray SparkplugHostState::payload(bool online, qint64 timestampMs)
{
    return QByteArrayLiteral("{\"online\":") + (online ? QByteArrayLiteral("true") : QByteArrayLiteral("false"))
        + QByteArrayLiteral(",\"timestamp\":") + QByteArray::number(timestampMs) + '}';
}

bool SparkplugHostState::isValidHostId(const QString &id, QString *why)
{
    auto fail = [why](const QString &reason) {
        if (why)
            *why = reason;
        return false;
    };
    if (id.isEmpty())
        return fail(QStringLiteral("the host id is empty"));
    if (id.size() > kMaxHostIdLength)
        return fail(QStringLiteral("the host id has more than %1 characters").arg(kMaxHostIdLength));
    if (!id.isValidUtf16())
        return fail(QStringLiteral("the host id is not valid Unicode"));
    for (QChar c : id) {
        if (!allowedInId(c))
            return fail(QStringLiteral("the host id contains '/', '+', '#' or a control character"));
    }
    return true;
}

QString SparkplugHostState::defaultHostId(const QString &seed)
{
    QString id = QStringLiteral("fleetdeck");
    if (seed.isEmpty())
        return id;
    id += u'-';
    for (QChar c : seed) {
        if (id.size() >= kMaxHostIdLength)
            break;
        // ASCII letters, digits, '.', '_' and '-' are kept; anything else becomes '-', so the
        // id is also a safe MQTT client id part and file name.
        const bool keep = c.unicode() < 128 && (c.isLetterOrNumber() || c == u'.' || c == u'_' || c == u'-');
        id += keep ? c : QChar(u'-');
    }
    return id;
}

} // namespace fd
