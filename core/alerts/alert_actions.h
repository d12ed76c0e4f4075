#pragma once

#include "core/alerts/alert_table.h"
#include "core/domain/alert.h"

#include <QCoreApplication>
#include <QList>

namespace fd {

class OperationsTransaction;

// An operator's action on alerts, inside one operations-store job: every alert it changes
// gets its timeline event and an audit entry (actor, time, action, before and after as
// JSON) in the same transaction. An action on a group alert applies to its open children
// too. Alerts that the action would not change (already acknowledged, ...) are left
// alone; an id that is unknown or resolved fails the whole action.
class AlertActions
{
    Q_DECLARE_TR_FUNCTIONS(fd::AlertActions)
public:
    enum class Kind { Acknowledge, Assign, Snooze, Note, Resolve };

    static QString auditAction(Kind kind);  // "alert.acknowledged", "alert.assigned", ...
    static QString eventKind(Kind kind);    // "acknowledged", "assigned", "snoozed", "note", "resolved"

    AlertActions(OperationsTransaction &transaction, const QString &actor);

    // text: the assignee, the note or the reason; untilMs: the snooze's end.
    bool run(Kind kind, const QList<qint64> &alertIds, const QString &text, qint64 untilMs, QList<Alert> *changed,
             QString *error);

private:
    bool applyTo(Kind kind, Alert alert, const QString &text, qint64 untilMs, QList<Alert> *changed, QString *error);

    OperationsTransaction &m_tx;
    AlertTable m_table;
    QString m_actor;
};

} // namespace fd
