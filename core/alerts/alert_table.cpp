#include "core/alerts/alert_table.h"

#include "core/storage/sql_statement.h"

#include <sqlite3.h>

#include <functional>

namespace fd {
namespace {

constexpr const char kColumns[] =
    "SELECT a.id, a.rule_id, a.rule_name, a.rule_kind, a.severity, a.source, a.device_path, a.site, a.metric,"
    " a.status, a.is_open, a.first_ts_ms, a.last_ts_ms, a.clear_ts_ms, a.ack_ts_ms, a.ack_by, a.assignee,"
    " a.snoozed_until_ms, a.resolved_ts_ms, a.resolved_by, a.resolution, a.count, a.last_value, a.message,"
    " a.parent_id, a.group_key,"
    " (SELECT COUNT(*) FROM alerts c WHERE c.parent_id = a.id AND c.is_open = 1 AND a.group_key <> '')"
    " FROM alerts a ";

Alert rowToAlert(const SqlStatement &st)
{
    Alert a;
    a.id = st.columnInt64(0);
    a.ruleId = st.columnInt64(1);
    a.ruleName = st.columnText(2);
    a.ruleKind = AlertRule::kindFromKey(st.columnText(3)).value_or(AlertRuleKind::Above);
    a.severity = alertSeverityFromKey(st.columnText(4)).value_or(AlertSeverity::Indeterminate);
    a.device = DeviceKey(st.columnText(5), st.columnText(6));
    a.site = st.columnText(7);
    a.metric = st.columnText(8);
    a.status = alertStatusFromKey(st.columnText(9)).value_or(AlertStatus::ActiveUnack);
    a.resolved = st.columnInt64(10) == 0;
    a.firstTsMs = st.columnInt64(11);
    a.lastTsMs = st.columnInt64(12);
    a.clearTsMs = st.columnInt64(13);
    a.ackTsMs = st.columnInt64(14);
    a.ackBy = st.columnText(15);
    a.assignee = st.columnText(16);
    a.snoozedUntilMs = st.columnInt64(17);
    a.resolvedTsMs = st.columnInt64(18);
    a.resolvedBy = st.columnText(19);
    a.resolution = st.columnText(20);
    a.count = quint32(qBound<qint64>(0, st.columnInt64(21), 0xFFFFFFFF));
    a.lastValue = st.columnText(22);
    a.message = st.columnText(23);
    a.parentId = st.columnInt64(24);
    a.groupKey = st.columnText(25);
    a.childCount = int(st.columnInt64(26));
    return a;
}

// Binds the fields from rule_id on, in the order of kInsert / kUpdate (?1 .. ?25).
void bindFields(SqlStatement &st, const Alert &a)
{
    st.bindInt64(1, a.ruleId);
    st.bindText(2, a.ruleName);
    st.bindText(3, AlertRule::kindKey(a.ruleKind));
    st.bindText(4, alertSeverityKey(a.severity));
    st.bindText(5, a.device.source.isNull() ? QStringLiteral("") : a.device.source);
    st.bindText(6, a.device.path.isNull() ? QStringLiteral("") : a.device.path);
    st.bindText(7, a.site.isNull() ? QStringLiteral("") : a.site);
    st.bindText(8, a.metric.isNull() ? QStringLiteral("") : a.metric);
    st.bindText(9, alertStatusKey(a.status));
    st.bindInt64(10, a.resolved ? 0 : 1);
    st.bindInt64(11, a.firstTsMs);
    st.bindInt64(12, a.lastTsMs);
    st.bindInt64(13, a.clearTsMs);
    st.bindInt64(14, a.ackTsMs);
    st.bindText(15, a.ackBy.isNull() ? QStringLiteral("") : a.ackBy);
    st.bindText(16, a.assignee.isNull() ? QStringLiteral("") : a.assignee);
    st.bindInt64(17, a.snoozedUntilMs);
    st.bindInt64(18, a.resolvedTsMs);
    st.bindText(19, a.resolvedBy.isNull() ? QStringLiteral("") : a.resolvedBy);
    st.bindText(20, a.resolution.isNull() ? QStringLiteral("") : a.resolution);
    st.bindInt64(21, qint64(a.count));
    st.bindText(22, a.lastValue.isNull() ? QStringLiteral("") : a.lastValue);
    st.bindText(23, a.message.isNull() ? QStringLiteral("") : a.message);
    st.bindInt64(24, a.parentId);
    st.bindText(25, a.groupKey.isNull() ? QStringLiteral("") : a.groupKey);
}

QString orEmpty(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

} // namespace

AlertTable::AlertTable(sqlite3 *db)
    : m_db(db)
{
}

bool AlertTable::select(const char *where, const std::function<void(SqlStatement &)> &bind, QList<Alert> *out,
                        QString *error)
{
    SqlStatement st;
    const QByteArray sql = QByteArray(kColumns) + where;
    if (!st.prepare(m_db, sql.constData(), error))
        return false;
    bind(st);
    for (;;) {
        const int rc = st.step();
        if (rc == SQLITE_DONE)
            return true;
        if (rc != SQLITE_ROW) {
            *error = st.errorMessage();
            return false;
        }
        out->append(rowToAlert(st));
    }
}

bool AlertTable::findOpen(qint64 ruleId, const QString &source, const QString &path, const QString &groupKey,
                          Alert *out, bool *found, QString *error)
{
    QList<Alert> rows;
    if (!select("WHERE a.is_open = 1 AND a.rule_id = ?1 AND a.source = ?2 AND a.device_path = ?3 AND a.group_key = ?4",
                [&](SqlStatement &st) {
                    st.bindInt64(1, ruleId);
                    st.bindText(2, orEmpty(source));
                    st.bindText(3, orEmpty(path));
                    st.bindText(4, orEmpty(groupKey));
                },
                &rows, error))
        return false;
    *found = !rows.isEmpty();
    if (*found)
        *out = rows.first();
    return true;
}

bool AlertTable::read(qint64 id, Alert *out, bool *found, QString *error)
{
    QList<Alert> rows;
    if (!select("WHERE a.id = ?1", [&](SqlStatement &st) { st.bindInt64(1, id); }, &rows, error))
        return false;
    *found = !rows.isEmpty();
    if (*found)
        *out = rows.first();
    return true;
}

bool AlertTable::readMany(bool includeResolved, QList<Alert> *out, QString *error, qint64 limit)
{
    const char *where = includeResolved ? "WHERE 1 ORDER BY a.id LIMIT ?1" : "WHERE a.is_open = 1 ORDER BY a.id LIMIT ?1";
    return select(where, [&](SqlStatement &st) { st.bindInt64(1, limit > 0 ? limit : -1); }, out, error);
}

bool AlertTable::children(qint64 parentId, QList<Alert> *out, QString *error)
{
    return select("WHERE a.is_open = 1 AND a.parent_id = ?1 ORDER BY a.id",
                  [&](SqlStatement &st) { st.bindInt64(1, parentId); }, out, error);
}

bool AlertTable::openAtSite(qint64 ruleId, const QString &site, QList<Alert> *out, QString *error)
{
    return openUngrouped("WHERE a.is_open = 1 AND a.rule_id = ?1 AND a.site = ?2 AND a.group_key = '' ORDER BY a.id",
                         ruleId, site, out, error);
}

bool AlertTable::openOfSource(qint64 ruleId, const QString &source, QList<Alert> *out, QString *error)
{
    return openUngrouped("WHERE a.is_open = 1 AND a.rule_id = ?1 AND a.source = ?2 AND a.group_key = '' ORDER BY a.id",
                         ruleId, source, out, error);
}

bool AlertTable::openUngrouped(const char *where, qint64 ruleId, const QString &value, QList<Alert> *out,
                               QString *error)
{
    return select(where,
                  [&](SqlStatement &st) {
                      st.bindInt64(1, ruleId);
                      st.bindText(2, orEmpty(value));
                  },
                  out, error);
}

qint64 AlertTable::insert(const Alert &alert, QString *error)
{
    SqlStatement st;
    if (!st.prepare(m_db,
                    "INSERT INTO alerts(rule_id, rule_name, rule_kind, severity, source, device_path, site, metric,"
                    " status, is_open, first_ts_ms, last_ts_ms, clear_ts_ms, ack_ts_ms, ack_by, assignee,"
                    " snoozed_until_ms, resolved_ts_ms, resolved_by, resolution, count, last_value, message,"
                    " parent_id, group_key) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                    " ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)",
                    error))
        return 0;
    bindFields(st, alert);
    if (!st.execute(error))
        return 0;
    return sqlite3_last_insert_rowid(m_db);
}

bool AlertTable::update(const Alert &alert, QString *error)
{
    SqlStatement st;
    if (!st.prepare(m_db,
                    "UPDATE alerts SET rule_id = ?1, rule_name = ?2, rule_kind = ?3, severity = ?4, source = ?5,"
                    " device_path = ?6, site = ?7, metric = ?8, status = ?9, is_open = ?10, first_ts_ms = ?11,"
                    " last_ts_ms = ?12, clear_ts_ms = ?13, ack_ts_ms = ?14, ack_by = ?15, assignee = ?16,"
                    " snoozed_until_ms = ?17, resolved_ts_ms = ?18, resolved_by = ?19, resolution = ?20,"
                    " count = ?21, last_value = ?22, message = ?23, parent_id = ?24, group_key = ?25"
                    " WHERE id = ?26",
                    error))
        return false;
    bindFields(st, alert);
    st.bindInt64(26, alert.id);
    if (!st.execute(error))
        return false;
    if (sqlite3_changes(m_db) != 1) {
        *error = tr("alert %1 does not exist").arg(alert.id);
        return false;
    }
    return true;
}

qint64 AlertTable::insertEvent(const AlertEvent &event, QString *error)
{
    SqlStatement st;
    if (!st.prepare(m_db,
                    "INSERT INTO alert_events(alert_id, ts_ms, kind, actor, detail, value) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                    error))
        return 0;
    st.bindInt64(1, event.alertId);
    st.bindInt64(2, event.tsMs);
    st.bindText(3, event.kind);
    st.bindText(4, orEmpty(event.actor));
    st.bindText(5, orEmpty(event.detail));
    st.bindText(6, orEmpty(event.value));
    if (!st.execute(error))
        return 0;
    return sqlite3_last_insert_rowid(m_db);
}

bool AlertTable::events(qint64 alertId, QList<AlertEvent> *out, QString *error, qint64 limit)
{
    SqlStatement st;
    if (!st.prepare(m_db,
                    "SELECT id, alert_id, ts_ms, kind, actor, detail, value FROM alert_events WHERE alert_id = ?1"
                    " ORDER BY id LIMIT ?2",
                    error))
        return false;
    st.bindInt64(1, alertId);
    st.bindInt64(2, limit > 0 ? limit : -1);
    for (;;) {
        const int rc = st.step();
        if (rc == SQLITE_DONE)
            return true;
        if (rc != SQLITE_ROW) {
            *error = st.errorMessage();
            return false;
        }
        AlertEvent e;
        e.id = st.columnInt64(0);
        e.alertId = st.columnInt64(1);
        e.tsMs = st.columnInt64(2);
        e.kind = st.columnText(3);
        e.actor = st.columnText(4);
        e.detail = st.columnText(5);
        e.value = st.columnText(6);
        out->append(std::move(e));
    }
}

} // namespace fd
