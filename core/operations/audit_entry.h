#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <QtGlobal>

namespace fd {

// One row of the audit log: who did what to which object, when, and how it looked before
// and after. Append-only. A null QString is stored as NULL (an empty one as '').
struct AuditEntry
{
    qint64 id = 0;      // assigned by the store (AUTOINCREMENT, never reused)
    qint64 tsMs = 0;    // ms since epoch, UTC; 0 = the time the job runs
    QString actor;      // operator (user name) or "fleetdeck" for automatic actions
    QString action;     // dotted verb, e.g. "device.command.sent", "alert.acknowledged"
    QString source;     // connection of the device (DeviceKey::source), if any
    QString devicePath; // device path within the source, if any
    QString objectKind; // e.g. "operator_action", "alert", "rollout"
    QString objectId;
    QString beforeJson; // JSON of the object before / after, if it applies
    QString afterJson;
    QString detail;     // free text for the operator

    friend bool operator==(const AuditEntry &, const AuditEntry &) = default;
};

} // namespace fd

Q_DECLARE_METATYPE(fd::AuditEntry)
