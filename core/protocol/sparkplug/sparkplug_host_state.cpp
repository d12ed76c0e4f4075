#include "core/protocol/sparkplug/sparkplug_host_state.h"

#include "core/domain/sparkplug_host_id.h"

namespace fd {


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
    return SparkplugHostId::isValid(id, why);  // the one rule, shared with the connection dialog
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
