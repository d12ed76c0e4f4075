#include "core/alerts/alert_json.h"

namespace fd {
namespace {

const QStringList &csvColumns()
{
    static const QStringList columns = {
        QStringLiteral("id"),          QStringLiteral("rule"),         QStringLiteral("rule_id"),
        QStringLiteral("severity"),    QStringLiteral("status"),       QStringLiteral("resolved"),
        QStringLiteral("source"),      QStringLiteral("device"),       QStringLiteral("path"),
        QStringLiteral("site"),        QStringLiteral("metric"),       QStringLiteral("first_ts"),
        QStringLiteral("last_ts"),     QStringLiteral("clear_ts"),     QStringLiteral("ack_ts"),
        QStringLiteral("ack_by"),      QStringLiteral("assignee"),     QStringLiteral("snoozed_until"),
        QStringLiteral("count"),       QStringLiteral("last_value"),   QStringLiteral("message"),
        QStringLiteral("parent_id"),   QStringLiteral("group"),        QStringLiteral("resolved_ts"),
        QStringLiteral("resolved_by"), QStringLiteral("resolution")};
    return columns;
}

QString csvCell(QString s)
{
    // A cell a spreadsheet would evaluate is quoted with a leading apostrophe.
    if (!s.isEmpty() && (s.front() == u'=' || s.front() == u'+' || s.front() == u'-' || s.front() == u'@'
                         || s.front() == u'\t' || s.front() == u'\r'))
        s.prepend(u'\'');
    if (s.contains(u',') || s.contains(u'"') || s.contains(u'\n') || s.contains(u'\r')) {
        s.replace(QStringLiteral("\""), QStringLiteral("\"\""));
        s = u'"' + s + u'"';
    }
    return s;
}

} // namespace

QJsonObject AlertJson::toJson(const Alert &a)
{
    QJsonObject o;
    o.insert(QLatin1String("id"), double(a.id));
    o.insert(QLatin1String("rule"), a.ruleName);
    o.insert(QLatin1String("rule_id"), double(a.ruleId));
    o.insert(QLatin1String("severity"), alertSeverityKey(a.severity));
    o.insert(QLatin1String("status"), alertStatusKey(a.status));
    o.insert(QLatin1String("resolved"), a.resolved);
    o.insert(QLatin1String("source"), a.device.source);
    o.insert(QLatin1String("device"), a.deviceId());
    o.insert(QLatin1String("path"), a.device.path);
    o.insert(QLatin1String("site"), a.site);
    o.insert(QLatin1String("metric"), a.metric);
    o.insert(QLatin1String("first_ts"), double(a.firstTsMs));
    o.insert(QLatin1String("last_ts"), double(a.lastTsMs));
    o.insert(QLatin1String("clear_ts"), double(a.clearTsMs));
    o.insert(QLatin1String("ack_ts"), double(a.ackTsMs));
    o.insert(QLatin1String("ack_by"), a.ackBy);
    o.insert(QLatin1String("assignee"), a.assignee);
    o.insert(QLatin1String("snoozed_until"), double(a.snoozedUntilMs));
    o.insert(QLatin1String("count"), double(a.count));
    o.insert(QLatin1String("last_value"), a.lastValue);
    o.insert(QLatin1String("message"), a.message);
    o.insert(QLatin1String("parent_id"), double(a.parentId));
    o.insert(QLatin1String("group"), a.groupKey);
    if (!a.groupKey.isEmpty())
        o.insert(QLatin1String("children"), a.childCount);
    o.insert(QLatin1String("resolved_ts"), double(a.resolvedTsMs));
    o.insert(QLatin1String("resolved_by"), a.resolvedBy);
    o.insert(QLatin1String("resolution"), a.resolution);
    return o;
}

QJsonArray AlertJson::toJson(const QList<Alert> &alerts)
{
    QJsonArray a;
    for (const Alert &alert : alerts)
        a.append(toJson(alert));
    return a;
}

QJsonObject AlertJson::eventToJson(const AlertEvent &e)
{
    QJsonObject o;
    o.insert(QLatin1String("id"), double(e.id));
    o.insert(QLatin1String("alert_id"), double(e.alertId));
    o.insert(QLatin1String("ts"), double(e.tsMs));
    o.insert(QLatin1String("kind"), e.kind);
    o.insert(QLatin1String("actor"), e.actor);
    o.insert(QLatin1String("detail"), e.detail);
    o.insert(QLatin1String("value"), e.value);
    return o;
}

QByteArray AlertJson::toCsv(const QList<Alert> &alerts)
{
    QString out = csvColumns().join(u',') + QStringLiteral("\r\n");
    for (const Alert &a : alerts) {
        const QJsonObject o = toJson(a);
        QStringList cells;
        for (const QString &column : csvColumns()) {
            const QJsonValue v = o.value(column);
            if (v.isBool())
                cells << (v.toBool() ? QStringLiteral("true") : QStringLiteral("false"));
            else if (v.isDouble())
                cells << QString::number(qint64(v.toDouble()));
            else
                cells << csvCell(v.toString());
        }
        out += cells.join(u',') + QStringLiteral("\r\n");
    }
    return out.toUtf8();
}

} // namespace fd
