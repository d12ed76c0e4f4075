#include "core/alerts/alert_rule_table.h"

#include "core/alerts/alert_rule_json.h"
#include "core/storage/sql_statement.h"

#include <QJsonDocument>

#include <sqlite3.h>

namespace fd {
namespace {

bool readRules(SqlStatement &st, QList<AlertRule> *out, QString *error, QStringList *skipped)
{
    for (;;) {
        const int rc = st.step();
        if (rc == SQLITE_DONE)
            return true;
        if (rc != SQLITE_ROW) {
            *error = st.errorMessage();
            return false;
        }
        const qint64 id = st.columnInt64(0);
        const QJsonDocument doc = QJsonDocument::fromJson(st.columnUtf8(1));
        QString problem;
        AlertRule rule = doc.isObject() ? AlertRuleJson::fromJson(doc.object(), &problem) : AlertRule();
        if (!doc.isObject())
            problem = AlertRuleTable::tr("the stored definition is not JSON");
        if (!problem.isEmpty()) {
            if (skipped)
                skipped->append(AlertRuleTable::tr("rule %1: %2").arg(id).arg(problem));
            continue;
        }
        rule.id = id;
        rule.enabled = st.columnInt64(2) != 0;
        out->append(std::move(rule));
    }
}

} // namespace

AlertRuleTable::AlertRuleTable(sqlite3 *db)
    : m_db(db)
{
}

bool AlertRuleTable::readAll(QList<AlertRule> *out, QString *error, QStringList *skipped)
{
    SqlStatement st;
    if (!st.prepare(m_db, "SELECT id, definition, enabled FROM alert_rules ORDER BY id", error))
        return false;
    return readRules(st, out, error, skipped);
}

bool AlertRuleTable::readOne(const char *sql, const std::function<void(SqlStatement &)> &bind, AlertRule *out,
                             bool *found, QString *error)
{
    SqlStatement st;
    if (!st.prepare(m_db, sql, error))
        return false;
    bind(st);
    QList<AlertRule> rules;
    if (!readRules(st, &rules, error, nullptr))
        return false;
    *found = !rules.isEmpty();
    if (*found)
        *out = rules.first();
    return true;
}

bool AlertRuleTable::read(qint64 id, AlertRule *out, bool *found, QString *error)
{
    return readOne("SELECT id, definition, enabled FROM alert_rules WHERE id = ?1",
                   [id](SqlStatement &st) { st.bindInt64(1, id); }, out, found, error);
}

bool AlertRuleTable::findByName(const QString &name, AlertRule *out, bool *found, QString *error)
{
    return readOne("SELECT id, definition, enabled FROM alert_rules WHERE name = ?1",
                   [&name](SqlStatement &st) { st.bindText(1, name); }, out, found, error);
}

qint64 AlertRuleTable::write(const AlertRule &rule, qint64 nowMs, QString *error)
{
    const QString problem = rule.validate();
    if (!problem.isEmpty()) {
        *error = problem;
        return 0;
    }
    const QByteArray definition = QJsonDocument(AlertRuleJson::toJson(rule)).toJson(QJsonDocument::Compact);
    SqlStatement st;
    if (rule.id == 0) {
        if (!st.prepare(m_db,
                        "INSERT INTO alert_rules(name, definition, enabled, created_ms, updated_ms)"
                        " VALUES(?1, ?2, ?3, ?4, ?4)",
                        error))
            return 0;
    } else if (!st.prepare(m_db,
                           "UPDATE alert_rules SET name = ?1, definition = ?2, enabled = ?3, updated_ms = ?4"
                           " WHERE id = ?5",
                           error)) {
        return 0;
    }
    st.bindText(1, rule.name);
    st.bindText(2, definition);
    st.bindInt64(3, rule.enabled ? 1 : 0);
    st.bindInt64(4, nowMs);
    if (rule.id != 0)
        st.bindInt64(5, rule.id);
    const int rc = st.step();
    if (rc == SQLITE_CONSTRAINT) {
        *error = tr("another rule is named \"%1\"").arg(rule.name);
        return 0;
    }
    if (rc != SQLITE_DONE) {
        *error = st.errorMessage();
        return 0;
    }
    if (rule.id == 0)
        return sqlite3_last_insert_rowid(m_db);
    if (sqlite3_changes(m_db) != 1) {
        *error = tr("rule %1 does not exist").arg(rule.id);
        return 0;
    }
    return rule.id;
}

bool AlertRuleTable::remove(qint64 id, QString *error)
{
    SqlStatement st;
    if (!st.prepare(m_db, "DELETE FROM alert_rules WHERE id = ?1", error))
        return false;
    st.bindInt64(1, id);
    return st.execute(error) && removeStates(id, error);
}

bool AlertRuleTable::readStates(QList<RuleStateRecord> *out, QString *error)
{
    SqlStatement st;
    if (!st.prepare(m_db, "SELECT rule_id, source, device_path, state FROM alert_rule_state", error))
        return false;
    for (;;) {
        const int rc = st.step();
        if (rc == SQLITE_DONE)
            return true;
        if (rc != SQLITE_ROW) {
            *error = st.errorMessage();
            return false;
        }
        RuleStateRecord r;
        r.ruleId = st.columnInt64(0);
        r.device = DeviceKey(st.columnText(1), st.columnText(2));
        r.state = st.columnUtf8(3);
        out->append(std::move(r));
    }
}

bool AlertRuleTable::writeStates(const QList<RuleStateRecord> &states, qint64 nowMs, QString *error)
{
    SqlStatement put;
    SqlStatement drop;
    if (!put.prepare(m_db,
                     "INSERT INTO alert_rule_state(rule_id, source, device_path, state, updated_ms)"
                     " VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(rule_id, source, device_path) DO UPDATE SET"
                     " state = excluded.state, updated_ms = excluded.updated_ms",
                     error)
        || !drop.prepare(m_db, "DELETE FROM alert_rule_state WHERE rule_id = ?1 AND source = ?2 AND device_path = ?3",
                         error))
        return false;
    for (const RuleStateRecord &r : states) {
        SqlStatement &st = r.state.isEmpty() ? drop : put;
        st.bindInt64(1, r.ruleId);
        st.bindText(2, r.device.source.isNull() ? QStringLiteral("") : r.device.source);
        st.bindText(3, r.device.path.isNull() ? QStringLiteral("") : r.device.path);
        if (!r.state.isEmpty()) {
            st.bindText(4, r.state);
            st.bindInt64(5, nowMs);
        }
        if (!st.execute(error))
            return false;
    }
    return true;
}

bool AlertRuleTable::removeStates(qint64 ruleId, QString *error)
{
    SqlStatement st;
    if (!st.prepare(m_db, "DELETE FROM alert_rule_state WHERE rule_id = ?1", error))
        return false;
    st.bindInt64(1, ruleId);
    return st.execute(error);
}

} // namespace fd
