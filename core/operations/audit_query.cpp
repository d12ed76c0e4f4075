#include "core/operations/audit_query.h"

#include "core/storage/database.h"
#include "core/storage/sql_statement.h"

#include <sqlite3.h>

#include <algorithm>

namespace fd {

namespace {

QString nullableText(const SqlStatement &st, int column)
{
    return st.columnIsNull(column) ? QString() : st.columnText(column);
}

void bindFilterText(SqlStatement &st, int index, const QString &value)
{
    if (value.isEmpty())
        st.bindNull(index);
    else
        st.bindText(index, value);
}

} // namespace

AuditQuery::AuditQuery(Database &db)
    : m_db(db)
{
}

QList<AuditEntry> AuditQuery::read(const AuditFilter &filter, QString *error) const
{
    // Newest first so LIMIT keeps the newest entries; reversed below.
    SqlStatement st;
    if (!st.prepare(m_db.handle(),
                    "SELECT id, ts_ms, actor, action, source, device_path, object_kind, object_id, "
                    "before_json, after_json, detail FROM audit_log "
                    "WHERE (?1 IS NULL OR ts_ms >= ?1) AND (?2 IS NULL OR ts_ms < ?2) "
                    "AND (?3 IS NULL OR actor = ?3) AND (?4 IS NULL OR action = ?4) "
                    "AND (?5 IS NULL OR source = ?5) AND (?6 IS NULL OR device_path = ?6) "
                    "ORDER BY ts_ms DESC, id DESC LIMIT ?7",
                    error))
        return {};
    if (filter.fromMs > 0)
        st.bindInt64(1, filter.fromMs);
    else
        st.bindNull(1);
    if (filter.toMs > 0)
        st.bindInt64(2, filter.toMs);
    else
        st.bindNull(2);
    bindFilterText(st, 3, filter.actor);
    bindFilterText(st, 4, filter.action);
    bindFilterText(st, 5, filter.source);
    bindFilterText(st, 6, filter.devicePath);
    st.bindInt64(7, filter.limit > 0 ? filter.limit : -1);  // negative: no limit

    QList<AuditEntry> entries;
    int rc;
    while ((rc = st.step()) == SQLITE_ROW) {
        AuditEntry e;
        e.id = st.columnInt64(0);
        e.tsMs = st.columnInt64(1);
        e.actor = st.columnText(2);
        e.action = st.columnText(3);
        e.source = nullableText(st, 4);
        e.devicePath = nullableText(st, 5);
        e.objectKind = nullableText(st, 6);
        e.objectId = nullableText(st, 7);
        e.beforeJson = nullableText(st, 8);
        e.afterJson = nullableText(st, 9);
        e.detail = nullableText(st, 10);
        entries.append(std::move(e));
    }
    if (rc != SQLITE_DONE) {
        if (error)
            *error = st.errorMessage();
        return {};
    }
    std::reverse(entries.begin(), entries.end());
    return entries;
}

} // namespace fd
