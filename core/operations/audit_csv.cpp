#include "core/operations/audit_csv.h"

#include <QDateTime>

#include <utility>

namespace fd {

QByteArray AuditCsv::header()
{
    return QByteArrayLiteral("ts,actor,action,source,device_path,object_kind,object_id,before,after,detail\r\n");
}

QByteArray AuditCsv::field(const QString &text)
{
    QString value = text;
    if (!value.isEmpty()) {
        const QChar first = value.front();
        if (first == u'=' || first == u'+' || first == u'-' || first == u'@' || first == u'\t' || first == u'\r')
            value.prepend(u'\'');
    }
    const bool quote = value.contains(u',') || value.contains(u'"') || value.contains(u'\n') || value.contains(u'\r');
    if (!quote)
        return value.toUtf8();
    value.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return '"' + value.toUtf8() + '"';
}

QByteArray AuditCsv::toCsv(const QList<AuditEntry> &entries)
{
    QByteArray out = header();
    for (const AuditEntry &e : entries) {
        const QString ts = QDateTime::fromMSecsSinceEpoch(e.tsMs, Qt::UTC).toString(Qt::ISODateWithMs);
        const QString cells[] = {ts,           e.actor,    e.action,    e.source,    e.devicePath,
                                 e.objectKind, e.objectId, e.beforeJson, e.afterJson, e.detail};
        bool firstCell = true;
        for (const QString &cell : cells) {
            if (!std::exchange(firstCell, false))
                out += ',';
            out += field(cell);
        }
        out += "\r\n";
    }
    return out;
}

} // namespace fd
