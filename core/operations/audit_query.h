#pragma once

#include "core/operations/audit_entry.h"
#include "core/operations/audit_filter.h"

#include <QList>
#include <QString>

namespace fd {

class Database;

// Reads the audit log of an open operations store connection (the store's worker, or a
// read-only Database opened with operationsSchema(), as `fleetdeckctl audit` does).
class AuditQuery
{
public:
    explicit AuditQuery(Database &db);

    // Entries matching filter in ascending (ts_ms, id) order; empty with *error on failure.
    QList<AuditEntry> read(const AuditFilter &filter, QString *error) const;

private:
    Database &m_db;
};

} // namespace fd
