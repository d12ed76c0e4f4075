#include "core/alerts/alert_service.h"

#include "core/alerts/alert_actions.h"
#include "core/alerts/alert_engine.h"
#include "core/alerts/alert_json.h"
#include "core/alerts/alert_lifecycle.h"
#include "core/alerts/alert_rule_json.h"
#include "core/alerts/alert_rule_table.h"
#include "core/alerts/alert_table.h"
#include "core/alerts/alerts_logging.h"
#include "core/operations/operations_store.h"
#include "core/operations/operations_transaction.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QSet>
#include <QThread>

#include <functional>
#include <memory>

namespace fd {

// What to do when a store job of ours finishes (on this object's thread).
struct AlertService::Pending
{
    std::function<void(bool ok, const QString &error)> done;
};

namespace {

struct LoadResult
{
    QList<AlertRule> rules;
    QList<Alert> open;
    QList<RuleStateRecord> states;
    QStringList skipped;
};

struct ChangeResult
{
    QList<Alert> alerts;
    QList<AlertRule> rules;  // the rules after a rule edit
    QList<AlertEvent> events;
};

QString ruleJson(const AlertRule &r)
{
    return QString::fromUtf8(QJsonDocument(AlertRuleJson::toJson(r)).toJson(QJsonDocument::Compact));
}

// Audits a rule change in the job's transaction.
bool auditRule(OperationsTransaction &tx, const QString &actor, const QString &action, qint64 id,
               const QString &before, const QString &after, QString *error)
{
    AuditEntry e;
    e.actor = actor;
    e.action = action;
    e.objectKind = QStringLiteral("alert_rule");
    e.objectId = QString::number(id);
    e.beforeJson = before;
    e.afterJson = after;
    return tx.insertAudit(e, error) != 0;
}

// Resolves the open alerts of a deleted rule.
bool resolveOfRule(OperationsTransaction &tx, qint64 ruleId, const QString &actor, QList<Alert> *changed,
                   QString *error)
{
    AlertTable table(tx.handle());
    QList<Alert> open;
    if (!table.readMany(false, &open, error))
        return false;
    QList<qint64> ids;
    for (const Alert &a : std::as_const(open)) {
        if (a.ruleId == ruleId)
            ids.append(a.id);
    }
    if (ids.isEmpty())
        return true;
    return AlertActions(tx, actor).run(AlertActions::Kind::Resolve, ids,
                                       AlertService::tr("the rule was deleted"), 0, changed, error);
}

} // namespace

AlertService::AlertService(OperationsStore *store, QString actor, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_actor(actor.isEmpty() ? QStringLiteral("operator") : std::move(actor))
{
    qRegisterMetaType<QList<fd::Alert>>();
    qRegisterMetaType<QList<fd::AlertRule>>();
    qRegisterMetaType<QList<fd::AlertEvent>>();
    connect(m_store, &OperationsStore::committed, this, [this](quint64 jobId, qint64) {
        if (Pending *p = m_pending.take(jobId)) {
            p->done(true, QString());
            delete p;
        }
    });
    connect(m_store, &OperationsStore::failed, this, [this](quint64 jobId, const QString &reason) {
        if (Pending *p = m_pending.take(jobId)) {
            p->done(false, reason);
            delete p;
        }
    });
}

AlertService::~AlertService()
{
    qDeleteAll(m_pending);
}

void AlertService::setActor(const QString &actor)
{
    if (!actor.trimmed().isEmpty())
        m_actor = actor.trimmed();
}

void AlertService::attachEngine(AlertEngine *engine)
{
    connect(this, &AlertService::rulesForEngine, engine, &AlertEngine::setRules, Qt::QueuedConnection);
    connect(this, &AlertService::sourceStateForEngine, engine, &AlertEngine::setSourceState, Qt::QueuedConnection);
    connect(engine, &AlertEngine::transitions, this, &AlertService::applyTransitions);
    connect(engine, &AlertEngine::statesChanged, this, &AlertService::saveStates);
}

const AlertRule *AlertService::rule(qint64 id) const
{
    for (const AlertRule &r : m_rules) {
        if (r.id == id)
            return &r;
    }
    return nullptr;
}

QList<Alert> AlertService::openAlerts() const
{
    QList<Alert> out = m_open.values();
    std::sort(out.begin(), out.end(), [](const Alert &a, const Alert &b) { return a.id < b.id; });
    return out;
}

const Alert *AlertService::alert(qint64 id) const
{
    const auto it = m_open.constFind(id);
    return it == m_open.constEnd() ? nullptr : &it.value();
}

namespace {

template<typename Result>
quint64 submitJob(OperationsStore *store, const QString &name, std::shared_ptr<Result> result,
                  std::function<bool(OperationsTransaction &, Result &, QString *)> run, QString *error)
{
    OperationsJob job;
    job.name = name;
    job.run = [result, run = std::move(run)](OperationsTransaction &tx, QString *e) { return run(tx, *result, e); };
    return store->submit(std::move(job), error);
}

} // namespace

void AlertService::start()
{
    auto result = std::make_shared<LoadResult>();
    QString error;
    const quint64 job = submitJob<LoadResult>(
        m_store, QStringLiteral("load alerts"), result,
        [](OperationsTransaction &tx, LoadResult &r, QString *e) {
            AlertRuleTable rules(tx.handle());
            AlertTable alerts(tx.handle());
            return rules.readAll(&r.rules, e, &r.skipped) && alerts.readMany(false, &r.open, e)
                && rules.readStates(&r.states, e);
        },
        &error);
    track(job, error, [this, result](bool ok, const QString &e) {
        if (!ok) {
            qCWarning(lcAlerts).noquote() << "cannot read the alerts:" << e;
            // The engine must not hold samples for rules that will never come.
            setRulesInternal({});
            emit loaded(false, e);
            return;
        }
        for (const QString &s : std::as_const(result->skipped))
            qCWarning(lcAlerts).noquote() << "skipped a stored rule:" << s;
        m_open.clear();
        for (const Alert &a : std::as_const(result->open))
            m_open.insert(a.id, a);
        m_loaded = true;
        // An active alert without a saved state still fires: tell the engine, so that it
        // clears when its condition does.
        QSet<QPair<qint64, DeviceKey>> haveState;
        for (const RuleStateRecord &r : std::as_const(result->states))
            haveState.insert({r.ruleId, r.device});
        QList<RuleStateRecord> states = result->states;
        for (const Alert &a : std::as_const(result->open)) {
            if (!a.isActive())
                continue;
            DeviceKey key = a.device;
            if (a.groupKey.startsWith(QLatin1String("site:")))
                continue;  // derived from its children
            if (haveState.contains({a.ruleId, key}))
                continue;
            RuleSeriesState st;
            st.firing = true;
            states.append(RuleStateRecord{a.ruleId, key, st.serialize()});
        }
        m_rules = result->rules;
        emit rulesForEngine(m_rules, states);
        emit rulesChanged(m_rules);
        emit alertsChanged(openAlerts());
        emit loaded(true, QString());
    });
}

void AlertService::setRulesInternal(const QList<AlertRule> &rules)
{
    m_rules = rules;
    emit rulesForEngine(rules, {});
}

void AlertService::setSourceState(const QString &source, ConnectionState state)
{
    emit sourceStateForEngine(source, state == ConnectionState::Connected, QDateTime::currentMSecsSinceEpoch());
}

void AlertService::mergeAlerts(const QList<Alert> &alerts)
{
    if (alerts.isEmpty())
        return;
    // Last version of each alert wins; keep the order of first appearance.
    QHash<qint64, qsizetype> position;
    QList<Alert> unique;
    for (const Alert &a : alerts) {
        const auto it = position.constFind(a.id);
        if (it == position.constEnd()) {
            position.insert(a.id, unique.size());
            unique.append(a);
        } else {
            unique[*it] = a;
        }
    }
    for (const Alert &a : std::as_const(unique)) {
        if (a.resolved)
            m_open.remove(a.id);
        else
            m_open.insert(a.id, a);
    }
    emit alertsChanged(unique);
}

void AlertService::applyTransitions(const QList<AlertTransition> &transitions)
{
    if (transitions.isEmpty())
        return;
    QHash<qint64, AlertRule> rules;
    for (const AlertRule &r : std::as_const(m_rules))
        rules.insert(r.id, r);
    auto result = std::make_shared<ChangeResult>();
    QString error;
    const quint64 job = submitJob<ChangeResult>(
        m_store, QStringLiteral("apply alert transitions"), result,
        [rules, transitions](OperationsTransaction &tx, ChangeResult &r, QString *e) {
            return AlertLifecycle(tx.handle(), rules).apply(transitions, &r.alerts, e);
        },
        &error);
    track(job, error, [this, result, count = transitions.size()](bool ok, const QString &e) {
        if (!ok) {
            qCWarning(lcAlerts).noquote() << count << "alert transitions not recorded:" << e;
            emit storageError(tr("%n alert change(s) could not be recorded: %1", nullptr, int(count)).arg(e));
            return;
        }
        mergeAlerts(result->alerts);
    });
}

void AlertService::saveStates(const QList<RuleStateRecord> &states)
{
    if (states.isEmpty())
        return;
    auto result = std::make_shared<ChangeResult>();
    QString error;
    const quint64 job = submitJob<ChangeResult>(
        m_store, QStringLiteral("save alert rule states"), result,
        [states](OperationsTransaction &tx, ChangeResult &, QString *e) {
            return AlertRuleTable(tx.handle()).writeStates(states, tx.nowMs(), e);
        },
        &error);
    track(job, error, [](bool ok, const QString &e) {
        if (!ok)
            qCWarning(lcAlerts).noquote() << "rule states not saved:" << e;
    });
}

quint64 AlertService::refuse(const QString &reason)
{
    const quint64 id = m_nextRequest++;
    QMetaObject::invokeMethod(this, [this, id, reason] { emit actionFinished(id, false, reason); }, Qt::QueuedConnection);
    return id;
}

quint64 AlertService::submitAction(const QString &name, const QList<qint64> &alertIds, const QString &action,
                                   const QString &text, qint64 untilMs)
{
    static const QHash<QString, AlertActions::Kind> kinds = {
        {QStringLiteral("acknowledge"), AlertActions::Kind::Acknowledge},
        {QStringLiteral("assign"), AlertActions::Kind::Assign},
        {QStringLiteral("snooze"), AlertActions::Kind::Snooze},
        {QStringLiteral("note"), AlertActions::Kind::Note},
        {QStringLiteral("resolve"), AlertActions::Kind::Resolve},
    };
    const AlertActions::Kind kind = kinds.value(action);
    if (alertIds.isEmpty())
        return refuse(tr("no alert selected"));
    for (qint64 id : alertIds) {
        if (!m_open.contains(id))
            return refuse(tr("alert %1 is not open").arg(id));
    }
    if ((kind == AlertActions::Kind::Note || kind == AlertActions::Kind::Resolve) && text.trimmed().isEmpty())
        return refuse(kind == AlertActions::Kind::Note ? tr("the note is empty")
                                                       : tr("a reason is required to resolve an alert"));
    const quint64 request = m_nextRequest++;
    auto result = std::make_shared<ChangeResult>();
    QString error;
    const QString actor = m_actor;
    const quint64 job = submitJob<ChangeResult>(
        m_store, name, result,
        [kind, alertIds, text, untilMs, actor](OperationsTransaction &tx, ChangeResult &r, QString *e) {
            return AlertActions(tx, actor).run(kind, alertIds, text, untilMs, &r.alerts, e);
        },
        &error);
    track(job, error, [this, result, request](bool ok, const QString &e) {
        if (ok)
            mergeAlerts(result->alerts);
        emit actionFinished(request, ok, e);
    });
    return request;
}

quint64 AlertService::acknowledge(const QList<qint64> &alertIds)
{
    return submitAction(QStringLiteral("acknowledge alerts"), alertIds, QStringLiteral("acknowledge"), {}, 0);
}

quint64 AlertService::assign(const QList<qint64> &alertIds, const QString &assignee)
{
    return submitAction(QStringLiteral("assign alerts"), alertIds, QStringLiteral("assign"), assignee.trimmed(), 0);
}

quint64 AlertService::snooze(const QList<qint64> &alertIds, qint64 untilMs)
{
    return submitAction(QStringLiteral("snooze alerts"), alertIds, QStringLiteral("snooze"), {}, qMax<qint64>(0, untilMs));
}

quint64 AlertService::addNote(qint64 alertId, const QString &text)
{
    return submitAction(QStringLiteral("note on alert"), {alertId}, QStringLiteral("note"), text, 0);
}

quint64 AlertService::resolve(const QList<qint64> &alertIds, const QString &reason)
{
    return submitAction(QStringLiteral("resolve alerts"), alertIds, QStringLiteral("resolve"), reason, 0);
}

namespace {

// Writes rules (insert or replace by id / name) with their audit; fills r.rules with all.
bool writeRules(OperationsTransaction &tx, const QList<AlertRule> &rules, bool byName, const QString &actor,
                QList<AlertRule> *all, QString *e)
{
    AlertRuleTable table(tx.handle());
    for (AlertRule rule : rules) {
        AlertRule before;
        bool found = false;
        if (byName) {
            if (!table.findByName(rule.name, &before, &found, e))
                return false;
            rule.id = found ? before.id : 0;
        } else if (rule.id != 0) {
            if (!table.read(rule.id, &before, &found, e))
                return false;
            if (!found) {
                *e = AlertService::tr("rule %1 does not exist").arg(rule.id);
                return false;
            }
        }
        if (found && before.sameDefinition(rule))
            continue;  // unchanged: nothing to write or audit
        const qint64 id = table.write(rule, tx.nowMs(), e);
        if (id == 0) {
            if (!rule.name.isEmpty())
                *e = AlertService::tr("rule \"%1\": %2").arg(rule.name, *e);
            return false;
        }
        rule.id = id;
        if (found && !before.sameDefinition(rule) && !table.removeStates(id, e))
            return false;  // a changed rule starts over
        if (!auditRule(tx, actor, found ? QStringLiteral("alert_rule.updated") : QStringLiteral("alert_rule.created"),
                       id, found ? ruleJson(before) : QString(), ruleJson(rule), e))
            return false;
    }
    return table.readAll(all, e);
}

} // namespace

quint64 AlertService::saveRule(const AlertRule &rule)
{
    const QString problem = rule.validate();
    if (!problem.isEmpty())
        return refuse(problem);
    for (const AlertRule &r : std::as_const(m_rules)) {
        if (r.name == rule.name && r.id != rule.id)
            return refuse(tr("another rule is named \"%1\"").arg(rule.name));
    }
    const QString actor = m_actor;
    return submitRuleJob(QStringLiteral("save alert rule"),
                         [rule, actor](OperationsTransaction &tx, QList<AlertRule> *rules, QList<Alert> *, QString *e) {
                             return writeRules(tx, {rule}, false, actor, rules, e);
                         });
}

quint64 AlertService::importRules(const QList<AlertRule> &rules)
{
    for (const AlertRule &r : rules) {
        const QString problem = r.validate();
        if (!problem.isEmpty())
            return refuse(tr("rule \"%1\": %2").arg(r.name, problem));
    }
    const QString actor = m_actor;
    return submitRuleJob(QStringLiteral("import alert rules"),
                         [rules, actor](OperationsTransaction &tx, QList<AlertRule> *out, QList<Alert> *, QString *e) {
                             return writeRules(tx, rules, true, actor, out, e);
                         });
}

quint64 AlertService::deleteRule(qint64 ruleId)
{
    const AlertRule *existing = rule(ruleId);
    if (!existing)
        return refuse(tr("rule %1 does not exist").arg(ruleId));
    const QString actor = m_actor;
    const QString before = ruleJson(*existing);
    return submitRuleJob(QStringLiteral("delete alert rule"),
                         [ruleId, actor, before](OperationsTransaction &tx, QList<AlertRule> *rules,
                                                 QList<Alert> *alerts, QString *e) {
                             AlertRuleTable table(tx.handle());
                             return resolveOfRule(tx, ruleId, actor, alerts, e) && table.remove(ruleId, e)
                                 && auditRule(tx, actor, QStringLiteral("alert_rule.deleted"), ruleId, before,
                                              QString(), e)
                                 && table.readAll(rules, e);
                         });
}

quint64 AlertService::submitRuleJob(const QString &name, RuleJob run)
{
    const quint64 request = m_nextRequest++;
    auto result = std::make_shared<ChangeResult>();
    QString error;
    const quint64 job = submitJob<ChangeResult>(
        m_store, name, result,
        [run = std::move(run)](OperationsTransaction &tx, ChangeResult &r, QString *e) {
            return run(tx, &r.rules, &r.alerts, e);
        },
        &error);
    track(job, error, [this, result, request](bool ok, const QString &e) {
        if (ok) {
            setRulesInternal(result->rules);
            emit rulesChanged(m_rules);
            mergeAlerts(result->alerts);
        }
        emit actionFinished(request, ok, e);
    });
    return request;
}

quint64 AlertService::readTimeline(qint64 alertId)
{
    const quint64 request = m_nextRequest++;
    auto result = std::make_shared<ChangeResult>();
    QString error;
    const quint64 job = submitJob<ChangeResult>(
        m_store, QStringLiteral("read alert timeline"), result,
        [alertId](OperationsTransaction &tx, ChangeResult &r, QString *e) {
            return AlertTable(tx.handle()).events(alertId, &r.events, e);
        },
        &error);
    track(job, error, [this, result, request, alertId](bool ok, const QString &) {
        emit timelineRead(request, alertId, ok ? result->events : QList<AlertEvent>());
    });
    return request;
}

quint64 AlertService::readAlerts(bool includeResolved)
{
    const quint64 request = m_nextRequest++;
    auto result = std::make_shared<ChangeResult>();
    QString error;
    const quint64 job = submitJob<ChangeResult>(
        m_store, QStringLiteral("read alerts"), result,
        [includeResolved](OperationsTransaction &tx, ChangeResult &r, QString *e) {
            return AlertTable(tx.handle()).readMany(includeResolved, &r.alerts, e);
        },
        &error);
    track(job, error, [this, result, request](bool ok, const QString &e) {
        emit alertsRead(request, ok ? result->alerts : QList<Alert>(), ok ? QString() : e);
    });
    return request;
}

void AlertService::track(quint64 job, const QString &refusal, std::function<void(bool, const QString &)> done)
{
    if (job == 0) {  // refused by the store (queue full, shut down): say so, as late as a result
        QMetaObject::invokeMethod(this, [done = std::move(done), refusal] { done(false, refusal); },
                                  Qt::QueuedConnection);
        return;
    }
    auto *p = new Pending;
    p->done = std::move(done);
    m_pending.insert(job, p);
}

bool AlertService::flush(int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!m_pending.isEmpty() && !deadline.hasExpired()) {
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        if (!m_pending.isEmpty())
            QThread::msleep(1);
    }
    return m_pending.isEmpty();
}

} // namespace fd
