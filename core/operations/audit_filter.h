#pragma once

#include <QString>
#include <QtGlobal>

namespace fd {

// Which audit entries OperationsStore::queryAudit() / AuditQuery::read() return. Empty
// strings and 0 times do not filter. Results are in ascending (ts_ms, id) order; with a
// limit, the newest `limit` matching entries.
struct AuditFilter
{
    qint64 fromMs = 0;  // ts_ms >= fromMs
    qint64 toMs = 0;    // ts_ms < toMs
    QString actor;
    QString action;
    QString source;
    QString devicePath;
    qint64 limit = 0;   // 0 = all
};

} // namespace fd
