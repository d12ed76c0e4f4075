#pragma once

#include "core/domain/alert.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>

namespace fd {

// Alerts and their timelines as JSON and CSV (fleetdeckctl alerts, the triage page's
// export). Keys: rule, rule_id, id, device, path, source, site, metric, severity, status,
// resolved, first_ts, last_ts, clear_ts, ack_ts, ack_by, assignee, snoozed_until, count,
// last_value, message, parent_id, group, resolved_ts, resolved_by, resolution; times in ms
// since the epoch (0 when not set). CSV: the same columns, RFC 4180 quoting, cells that
// a spreadsheet would run as a formula (=, +, -, @ first) prefixed with a quote.
class AlertJson
{
public:
    static QJsonObject toJson(const Alert &alert);
    static QJsonArray toJson(const QList<Alert> &alerts);
    static QJsonObject eventToJson(const AlertEvent &event);
    static QByteArray toCsv(const QList<Alert> &alerts);
};

} // namespace fd
