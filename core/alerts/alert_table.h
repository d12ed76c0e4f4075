#pragma once

#include "core/domain/alert.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <functional>

struct sqlite3;

namespace fd {

class SqlStatement;

// Rows of the operations store's alerts and alert_events tables (schema v2), read and
// written on the store's connection inside a job's transaction. No lifecycle rules here:
// AlertLifecycle and AlertActions decide, this reads and writes.
class AlertTable
{
    Q_DECLARE_TR_FUNCTIONS(fd::AlertTable)
public:
    explicit AlertTable(sqlite3 *db);

    // The open alert of (rule, source, path, group key), if any.
    bool findOpen(qint64 ruleId, const QString &source, const QString &path, const QString &groupKey, Alert *out,
                  bool *found, QString *error);
    bool read(qint64 id, Alert *out, bool *found, QString *error);
    // Open (not resolved) alerts; with includeResolved every alert. Ascending id; limit 0: all.
    bool readMany(bool includeResolved, QList<Alert> *out, QString *error, qint64 limit = 0);
    // Open children of a group alert.
    bool children(qint64 parentId, QList<Alert> *out, QString *error);
    // Open, ungrouped alerts of an offline rule at a site (grouping candidates).
    bool openAtSite(qint64 ruleId, const QString &site, QList<Alert> *out, QString *error);
    bool openOfSource(qint64 ruleId, const QString &source, QList<Alert> *out, QString *error);

    // Inserts (the id is ignored); returns the new id or 0 with *error.
    qint64 insert(const Alert &alert, QString *error);
    // Writes every mutable field of the alert with that id.
    bool update(const Alert &alert, QString *error);
    qint64 insertEvent(const AlertEvent &event, QString *error);
    bool events(qint64 alertId, QList<AlertEvent> *out, QString *error, qint64 limit = 10000);

private:
    bool openUngrouped(const char *where, qint64 ruleId, const QString &value, QList<Alert> *out, QString *error);
    bool select(const char *where, const std::function<void(SqlStatement &)> &bind, QList<Alert> *out,
                QString *error);

    sqlite3 *m_db;
};

} // namespace fd
