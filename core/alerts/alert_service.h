#pragma once

#include "core/domain/alert.h"
#include "core/domain/alert_rule.h"
#include "core/domain/connection_state.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>

namespace fd {

class AlertEngine;
class OperationsStore;
class OperationsTransaction;
struct AlertTransition;
struct RuleStateRecord;

// The alerts as the UI and fleetdeckctl see them: the rules, the open alerts (every alert
// not resolved, cleared ones included) and the operator's actions on them. Lives on the
// thread it was created on (the GUI thread); the operations store is the truth: every
// change is one store job (rows + audit + timeline in one transaction), and only after it
// committed does the service update its view and emit alertsChanged()/rulesChanged().
//
//   start()                 -> loaded(ok, error): rules, open alerts and the engine's saved
//                              rule states are read; the engine (attachEngine) gets the rules
//   engine transitions      -> store job -> alertsChanged(changed alerts)
//   acknowledge()/assign()/snooze()/addNote()/resolve()/saveRule()/deleteRule()/
//   importRules()           -> request id; actionFinished(id, ok, error) after commit,
//                              preceded by alertsChanged()/rulesChanged() on success
//   readTimeline(id)        -> timelineRead(requestId, alertId, events)
//   readAlerts(includeResolved) -> alertsRead(requestId, alerts, error) (exports; error empty
//                              when the read went well)
//
// Actions are refused (actionFinished(id, false, reason), id > 0) for unknown alerts, an
// empty note or reason, and while the store is not open. The actor of every action is
// actor() (settings; default the OS user name).
class AlertService : public QObject
{
    Q_OBJECT
public:
    AlertService(OperationsStore *store, QString actor, QObject *parent = nullptr);
    ~AlertService() override;

    // The engine that evaluates the rules on the ingest thread (owned by FleetSession as
    // a consumer): its transitions and rule states come here; it gets the rules.
    void attachEngine(AlertEngine *engine);
    void start();
    bool isLoaded() const { return m_loaded; }

    QString actor() const { return m_actor; }
    void setActor(const QString &actor);

    // A source's connection state (FleetSession::sourceStateChanged): the engine measures
    // offline and no-data time only while a source is connected, and raises one
    // source-level alert per offline rule while it is not.
    void setSourceState(const QString &source, fd::ConnectionState state);
    // Transitions of rules evaluated outside the telemetry engine (certificate expiry,
    // CertificateExpiryMonitor): recorded like the engine's.
    void applyExternalTransitions(const QList<fd::AlertTransition> &transitions) { applyTransitions(transitions); }

    QList<AlertRule> rules() const { return m_rules; }
    const AlertRule *rule(qint64 id) const;
    QList<Alert> openAlerts() const;  // not resolved, by id
    const Alert *alert(qint64 id) const;

    quint64 acknowledge(const QList<qint64> &alertIds);
    quint64 assign(const QList<qint64> &alertIds, const QString &assignee);  // empty: unassign
    quint64 snooze(const QList<qint64> &alertIds, qint64 untilMs);           // 0: unsnooze
    quint64 addNote(qint64 alertId, const QString &text);
    quint64 resolve(const QList<qint64> &alertIds, const QString &reason);

    // Inserts (id 0) or updates a rule; invalid rules are refused with validate()'s reason,
    // a duplicate name too.
    quint64 saveRule(const AlertRule &rule);
    quint64 deleteRule(qint64 ruleId);  // resolves its open alerts ("rule deleted")
    // Each rule replaces the one of the same name, or is added.
    quint64 importRules(const QList<AlertRule> &rules);

    quint64 readTimeline(qint64 alertId);
    quint64 readAlerts(bool includeResolved);

    // Everything handed to the store is committed (tests, shutdown): waits at most timeoutMs.
    bool flush(int timeoutMs = 5000);

signals:
    void loaded(bool ok, const QString &error);
    void rulesChanged(const QList<fd::AlertRule> &rules);
    // Alerts created or changed (a resolved one has resolved == true: it leaves the open set).
    void alertsChanged(const QList<fd::Alert> &changed);
    void actionFinished(quint64 requestId, bool ok, const QString &error);
    void timelineRead(quint64 requestId, qint64 alertId, const QList<fd::AlertEvent> &events);
    void alertsRead(quint64 requestId, const QList<fd::Alert> &alerts, const QString &error);
    // The store refused or failed a job of the engine's (the alert is then not recorded).
    void storageError(const QString &message);
    // To the attached engine on the ingest thread (queued connections made by attachEngine: a
    // connection, unlike a pointer, is safe against the engine being destroyed on its thread).
    void rulesForEngine(const QList<fd::AlertRule> &rules, const QList<fd::RuleStateRecord> &states);
    void sourceStateForEngine(const QString &source, bool connected, qint64 sinceMs);

private:
    struct Pending;
    using RuleJob = std::function<bool(OperationsTransaction &, QList<AlertRule> *rules, QList<Alert> *alerts,
                                       QString *error)>;
    quint64 submitRuleJob(const QString &name, RuleJob run);
    // Calls done(ok, error) when the store job ends; a refused job (0) reports the refusal.
    void track(quint64 job, const QString &refusal, std::function<void(bool, const QString &)> done);
    quint64 submitAction(const QString &name, const QList<qint64> &alertIds, const QString &action,
                         const QString &detail, qint64 untilMs);
    void applyTransitions(const QList<fd::AlertTransition> &transitions);
    void saveStates(const QList<fd::RuleStateRecord> &states);
    void mergeAlerts(const QList<Alert> &alerts);
    void setRulesInternal(const QList<AlertRule> &rules);
    quint64 refuse(const QString &reason);

    OperationsStore *m_store = nullptr;
    QString m_actor;
    QList<AlertRule> m_rules;
    QHash<qint64, Alert> m_open;
    QHash<quint64, Pending *> m_pending;  // store job id -> what to do when it commits
    quint64 m_nextRequest = 1;
    bool m_loaded = false;
};

} // namespace fd
