#include "core/operations/audit_json.h"

#include <QDateTime>
#include <QJsonDocument>

namespace fd {

namespace {

QJsonValue text(const QString &value)
{
    return value.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(value);
}

QJsonValue json(const QString &value)
{
    if (value.isNull())
        return QJsonValue::Null;
    // Wrapped in an array so that scalars ("3", "\"x\"", "null") parse too.
    const QJsonDocument doc = QJsonDocument::fromJson("[" + value.toUtf8() + "]");
    if (doc.isArray() && doc.array().size() == 1)
        return doc.array().first();
    return value;
}

} // namespace

QJsonObject AuditJson::toJson(const AuditEntry &entry)
{
    QJsonObject o;
    o.insert(QLatin1StringView("ts"),
             QDateTime::fromMSecsSinceEpoch(entry.tsMs, Qt::UTC).toString(Qt::ISODateWithMs));
    o.insert(QLatin1StringView("actor"), entry.actor);
    o.insert(QLatin1StringView("action"), entry.action);
    o.insert(QLatin1StringView("source"), text(entry.source));
    o.insert(QLatin1StringView("device_path"), text(entry.devicePath));
    o.insert(QLatin1StringView("object_kind"), text(entry.objectKind));
    o.insert(QLatin1StringView("object_id"), text(entry.objectId));
    o.insert(QLatin1StringView("before"), json(entry.beforeJson));
    o.insert(QLatin1StringView("after"), json(entry.afterJson));
    o.insert(QLatin1StringView("detail"), text(entry.detail));
    return o;
}

QJsonArray AuditJson::toJson(const QList<AuditEntry> &entries)
{
    QJsonArray array;
    for (const AuditEntry &e : entries)
        array.append(toJson(e));
    return array;
}

} // namespace fd
