#pragma once

#include "core/domain/alert_rule.h"
#include "core/domain/device_key.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringView>

#include <optional>

namespace fd {

// ThingsBoard's alarm status: active or cleared (the rule's clear condition held),
// acknowledged or not by an operator.
enum class AlertStatus : quint8 { ActiveUnack, ActiveAck, ClearedUnack, ClearedAck };

QString alertStatusKey(AlertStatus status);  // "ACTIVE_UNACK", "ACTIVE_ACK", "CLEARED_UNACK", "CLEARED_ACK"
std::optional<AlertStatus> alertStatusFromKey(QStringView key);

// One alert of one rule on one device (operations store, table alerts). At most one alert
// per (rule, device) is open (not resolved): a new occurrence while it is open updates it
// (count, last value and time; a cleared one becomes active again), one after it was
// resolved opens a new alert.
//
// A group alert (isGroup(): no device path) stands for several devices' offline alerts of
// one rule: a source that went down, or a site whose devices went offline together
// (groupKey "source:<name>" / "site:<name>"); the children carry its id in parentId.
struct Alert
{
    qint64 id = 0;
    qint64 ruleId = 0;
    QString ruleName;
    AlertSeverity severity = AlertSeverity::Major;
    AlertRuleKind ruleKind = AlertRuleKind::Above;
    DeviceKey device;     // path empty for a group alert
    QString site;         // the device's site when it fired (grouping, filters)
    QString metric;
    AlertStatus status = AlertStatus::ActiveUnack;
    bool resolved = false;
    qint64 firstTsMs = 0;     // first occurrence (sample time)
    qint64 lastTsMs = 0;      // latest occurrence or update while active
    qint64 clearTsMs = 0;     // when it last cleared; 0 while active
    qint64 ackTsMs = 0;
    QString ackBy;
    QString assignee;
    qint64 snoozedUntilMs = 0;  // hidden from the "needs attention" queue until then
    qint64 resolvedTsMs = 0;
    QString resolvedBy;
    QString resolution;       // the reason given when resolved by hand
    quint32 count = 1;        // occurrences (raises) while open
    QString lastValue;        // display text of the value that fired or last updated it
    QString message;          // "temperature 47.2 above 40 for 10 s"
    qint64 parentId = 0;      // the group alert it belongs to, 0 if none
    QString groupKey;         // group alerts: "source:<name>" or "site:<name>"
    int childCount = 0;       // group alerts: open children

    bool isGroup() const { return device.path.isEmpty(); }
    bool isActive() const { return status == AlertStatus::ActiveUnack || status == AlertStatus::ActiveAck; }
    bool isAcknowledged() const { return status == AlertStatus::ActiveAck || status == AlertStatus::ClearedAck; }
    bool isSnoozed(qint64 nowMs) const { return snoozedUntilMs > nowMs; }
    // The device's own id ("dev-00001"), empty for a group.
    QString deviceId() const { return device.id(); }
};

// One line of an alert's timeline (table alert_events): an occurrence, a clear, or an
// operator's action.
struct AlertEvent
{
    qint64 id = 0;
    qint64 alertId = 0;
    qint64 tsMs = 0;
    QString kind;    // "raised", "repeated", "cleared", "reopened", "acknowledged", "assigned",
                     // "snoozed", "note", "resolved", "grouped"
    QString actor;   // operator, or "fleetdeck" for the rule engine
    QString detail;  // the note, the assignee, the reason, the message
    QString value;   // the value at an occurrence
};

} // namespace fd

Q_DECLARE_METATYPE(fd::Alert)
Q_DECLARE_METATYPE(fd::AlertEvent)
