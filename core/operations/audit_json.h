#pragma once

#include "core/operations/audit_entry.h"

#include <QJsonArray>
#include <QJsonObject>

namespace fd {

// The audit log as `fleetdeckctl audit --json` prints it and the triage page exports it (a
// stable, documented format): {ts (ISO 8601 UTC with ms), actor, action, source, device_path, object_kind, object_id,
//  before, after (the stored JSON as JSON; text that is not JSON as a string), detail};
// absent values are null.
class AuditJson
{
public:
    static QJsonObject toJson(const AuditEntry &entry);
    static QJsonArray toJson(const QList<AuditEntry> &entries);
};

} // namespace fd
