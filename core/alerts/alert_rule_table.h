#pragma once

#include "core/alerts/alert_transition.h"
#include "core/domain/alert_rule.h"

#include <QCoreApplication>
#include <QList>

#include <functional>

struct sqlite3;

namespace fd {

class SqlStatement;

// The operations store's alert_rules and alert_rule_state tables (schema v2) inside a job's
// transaction. A rule is stored as its rules-file JSON (AlertRuleJson), so what a later
// version adds round-trips through an older one's edits only as far as that one knows it.
class AlertRuleTable
{
    Q_DECLARE_TR_FUNCTIONS(fd::AlertRuleTable)
public:
    explicit AlertRuleTable(sqlite3 *db);

    // Every rule, by id. A stored definition that no longer reads is skipped and named in
    // *skipped (the rule stays in the table).
    bool readAll(QList<AlertRule> *out, QString *error, QStringList *skipped = nullptr);
    bool read(qint64 id, AlertRule *out, bool *found, QString *error);
    bool findByName(const QString &name, AlertRule *out, bool *found, QString *error);
    // Inserts (id 0) or updates; returns the id, 0 with *error (a duplicate name included).
    qint64 write(const AlertRule &rule, qint64 nowMs, QString *error);
    bool remove(qint64 id, QString *error);

    bool readStates(QList<RuleStateRecord> *out, QString *error);
    // An empty state deletes the row.
    bool writeStates(const QList<RuleStateRecord> &states, qint64 nowMs, QString *error);
    bool removeStates(qint64 ruleId, QString *error);

private:
    bool readOne(const char *sql, const std::function<void(SqlStatement &)> &bind, AlertRule *out, bool *found,
                 QString *error);

    sqlite3 *m_db;
};

} // namespace fd
