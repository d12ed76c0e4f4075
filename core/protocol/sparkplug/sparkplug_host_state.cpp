#include "core/protocol/sparkplug/sparkplug_host_state.h"

#include <QSysInfo>

namespace fd {

namespace {

constexpr qsizetype kMaxHostIdLength = 64;

bool forbidden(QChar c)
{
    return c == u'/' || c == u'+' || c == u'#' || c.category() == QChar::Other_Control || c.isSurrogate();
}

} // namespace

QString SparkplugHostState::topic(const QString &hostId)
{
    return QStringLiteral("spBv1.0/STATE/") + hostId;
}

QByteArray SparkplugHostState::payload(bool online, qint64 timestampMs)
{
    return QByteArrayLiteral("{\"online\":") + (online ? "true" : "false") + ",\"timestamp\":"
        + QByteArray::number(timestampMs) + '}';
}

bool SparkplugHostState::isValidHostId(const QString &hostId, QString *why)
{
    auto fail = [why](const QString &reason) {
        if (why)
            *why = reason;
        return false;
    };
    if (hostId.isEmpty())
        return fail(QStringLiteral("the host id is empty"));
    if (hostId.size() > kMaxHostIdLength)
        return fail(QStringLiteral("the host id has more than %1 characters").arg(kMaxHostIdLength));
    for (QChar c : hostId) {
        if (forbidden(c))
            return fail(QStringLiteral("the host id contains '/', '+', '#' or a control character"));
    }
    return true;
}

QString SparkplugHostState::defaultHostId(const QString &prefix)
{
    QString machine = QSysInfo::machineHostName();
    for (QChar &c : machine) {
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != u'-' && c != u'_' && c != u'.')
            c = u'-';
    }
    QString id = machine.isEmpty() ? prefix : prefix + u'-' + machine;
    return id.left(kMaxHostIdLength);
}

} // namespace fd
