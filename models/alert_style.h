#pragma once

#include "core/domain/alert.h"

#include <QColor>
#include <QString>

namespace fd {

// How alerts are shown everywhere (queue, detail pane, overview tiles, rule list): the
// translated words of severities, statuses and rule kinds, the severities' colours (the
// triage order reads hot to cold: red, orange, amber, blue, grey) and the queue's times.
QString alertSeverityLabel(AlertSeverity severity);  // "Critical"
QColor alertSeverityColor(AlertSeverity severity);
QString alertStatusLabel(AlertStatus status);        // "Active, unacknowledged"
QString alertRuleKindLabel(AlertRuleKind kind);      // "Above a threshold"
// A time in the queue: "14:03:22" on nowMs' day, else "2026-11-29 14:03"; "—" for 0.
QString formatAlertTime(qint64 msSinceEpoch, qint64 nowMs);
// What the alert is about, for a device column or a title: the device id, or for a group
// alert "source demo-site-1 (12 devices)".
QString alertSubjectText(const Alert &alert);

} // namespace fd
