#pragma once

#include "core/domain/alert.h"

#include <QString>

#include <optional>

namespace fd {

// Which open alerts an operator wants to see in the triage queue. Plain value; matches() is
// the one answer (AlertFilterProxyModel only calls it).
//
// "Needs attention" (the default view): active alerts, acknowledged or not, and cleared
// ones nobody acknowledged yet, unless they are snoozed. "All open": every alert not
// resolved (cleared-and-acknowledged and snoozed ones too). Alerts grouped under a group
// alert (parentId != 0: the devices of a source or site that went offline together) are
// left out unless showGrouped is set; the group alert stands for them.
struct AlertFilter
{
    enum class Scope : quint8 { NeedsAttention, AllOpen };

    Scope scope = Scope::NeedsAttention;
    std::optional<AlertSeverity> severity;  // one severity; none: any
    std::optional<AlertStatus> status;      // one status; none: any
    QString source;                         // exact; empty: any
    QString site;                           // exact; empty: any
    QString rule;                           // rule name, exact; empty: any
    // Words (separated by spaces), each found case-insensitively in the rule, device path,
    // source, site, metric, assignee, message or group key; empty: any.
    QString text;
    bool showGrouped = false;

    bool matches(const Alert &alert, qint64 nowMs) const;
    // Active, or cleared and not acknowledged; and not snoozed at nowMs.
    static bool needsAttention(const Alert &alert, qint64 nowMs);

    bool isDefault() const { return *this == AlertFilter(); }
    friend bool operator==(const AlertFilter &, const AlertFilter &) = default;
};

} // namespace fd
