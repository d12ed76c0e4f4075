#pragma once

#include "core/alerts/alert_table.h"
#include "core/alerts/alert_transition.h"
#include "core/domain/alert.h"
#include "core/domain/alert_rule.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>

struct sqlite3;

namespace fd {

// What the rule engine's transitions do to the alerts (docs/alerts.md, "Lifecycle"), on the
// operations store's connection inside one job's transaction:
// - Raise: opens an alert for (rule, device), or, when one is open, updates it: a cleared
//   one becomes ACTIVE_UNACK again (reopened, count + 1), an active one takes the newer
//   value and time. Timeline: raised / reopened.
// - Update: newest value and time of an open active alert.
// - Clear: an active alert becomes CLEARED_UNACK (or CLEARED_ACK if acknowledged).
// - Grouping of offline alerts: a source that went down (a Raise without device path) opens
//   a group alert "source:<name>" and takes in the open offline alerts of that rule and
//   source; kSiteGroupThreshold or more offline alerts of one rule at one site share a
//   group "site:<name>". A group clears when its source is back, or when none of its
//   children is still active.
class AlertLifecycle
{
    Q_DECLARE_TR_FUNCTIONS(fd::AlertLifecycle)
public:
    static constexpr int kSiteGroupThreshold = 3;
    static QString engineActor() { return QStringLiteral("fleetdeck"); }

    AlertLifecycle(sqlite3 *db, const QHash<qint64, AlertRule> &rules);

    // Applies in order; alerts created or changed are added to *changed (last version
    // wins: callers merge by id). Transitions of unknown rules are skipped.
    bool apply(const QList<AlertTransition> &transitions, QList<Alert> *changed, QString *error);

private:
    bool raise(const AlertTransition &t, const AlertRule &rule, QList<Alert> *changed, QString *error);
    bool update(const AlertTransition &t, QList<Alert> *changed, QString *error);
    bool clear(const AlertTransition &t, QList<Alert> *changed, QString *error);
    bool raiseSource(const AlertTransition &t, const AlertRule &rule, QList<Alert> *changed, QString *error);
    bool groupAtSite(Alert &alert, const AlertRule &rule, QList<Alert> *changed, QString *error);
    bool clearGroupIfQuiet(qint64 parentId, qint64 tsMs, QList<Alert> *changed, QString *error);
    bool refresh(qint64 id, QList<Alert> *changed, QString *error);
    bool event(qint64 alertId, qint64 tsMs, const QString &kind, const QString &detail, const QString &value,
               QString *error);

    AlertTable m_table;
    const QHash<qint64, AlertRule> &m_rules;
};

} // namespace fd
