#include "core/alerts/alert_lifecycle.h"

namespace fd {
namespace {

Alert newAlert(const AlertTransition &t, const AlertRule &rule)
{
    Alert a;
    a.ruleId = rule.id;
    a.ruleName = rule.name;
    a.ruleKind = rule.kind;
    a.severity = rule.severity;
    a.device = t.device;
    a.site = t.site;
    a.metric = rule.metric;
    a.status = AlertStatus::ActiveUnack;
    a.firstTsMs = t.tsMs;
    a.lastTsMs = t.tsMs;
    a.count = 1;
    a.lastValue = t.value;
    a.message = t.message;
    return a;
}

AlertStatus clearedStatus(AlertStatus s)
{
    return (s == AlertStatus::ActiveAck || s == AlertStatus::ClearedAck) ? AlertStatus::ClearedAck
                                                                         : AlertStatus::ClearedUnack;
}

} // namespace

AlertLifecycle::AlertLifecycle(sqlite3 *db, const QHash<qint64, AlertRule> &rules)
    : m_table(db)
    , m_rules(rules)
{
}

bool AlertLifecycle::apply(const QList<AlertTransition> &transitions, QList<Alert> *changed, QString *error)
{
    for (const AlertTransition &t : transitions) {
        const auto rule = m_rules.constFind(t.ruleId);
        if (rule == m_rules.constEnd())
            continue;  // deleted meanwhile
        bool ok = true;
        switch (t.kind) {
        case AlertTransition::Kind::Raise:
            ok = t.device.path.isEmpty() ? raiseSource(t, *rule, changed, error) : raise(t, *rule, changed, error);
            break;
        case AlertTransition::Kind::Update: ok = update(t, changed, error); break;
        case AlertTransition::Kind::Clear: ok = clear(t, changed, error); break;
        }
        if (!ok)
            return false;
    }
    return true;
}

bool AlertLifecycle::event(qint64 alertId, qint64 tsMs, const QString &kind, const QString &detail,
                           const QString &value, QString *error)
{
    AlertEvent e;
    e.alertId = alertId;
    e.tsMs = tsMs;
    e.kind = kind;
    e.actor = engineActor();
    e.detail = detail;
    e.value = value;
    return m_table.insertEvent(e, error) != 0;
}

bool AlertLifecycle::refresh(qint64 id, QList<Alert> *changed, QString *error)
{
    Alert a;
    bool found = false;
    if (!m_table.read(id, &a, &found, error))
        return false;
    if (found)
        changed->append(a);
    return true;
}

bool AlertLifecycle::raise(const AlertTransition &t, const AlertRule &rule, QList<Alert> *changed, QString *error)
{
    Alert a;
    bool found = false;
    if (!m_table.findOpen(rule.id, t.device.source, t.device.path, QString(), &a, &found, error))
        return false;
    if (!found) {
        a = newAlert(t, rule);
        a.id = m_table.insert(a, error);
        if (a.id == 0 || !event(a.id, t.tsMs, QStringLiteral("raised"), t.message, t.value, error))
            return false;
    } else if (a.isActive()) {
        if (t.tsMs >= a.lastTsMs) {
            a.lastTsMs = t.tsMs;
            a.lastValue = t.value;
        }
        if (!m_table.update(a, error))
            return false;
    } else {
        a.status = AlertStatus::ActiveUnack;
        a.clearTsMs = 0;
        a.count += 1;
        a.lastTsMs = qMax(a.lastTsMs, t.tsMs);
        a.lastValue = t.value;
        a.message = t.message;
        a.severity = rule.severity;
        if (!m_table.update(a, error)
            || !event(a.id, t.tsMs, QStringLiteral("reopened"), t.message, t.value, error))
            return false;
    }
    if (rule.kind == AlertRuleKind::Offline && a.parentId == 0) {
        // Under the source's group while the source is down.
        Alert group;
        bool haveGroup = false;
        if (!m_table.findOpen(rule.id, t.device.source, QString(), QStringLiteral("source:") + t.device.source, &group,
                              &haveGroup, error))
            return false;
        if (haveGroup && group.isActive()) {
            a.parentId = group.id;
            if (!m_table.update(a, error) || !refresh(group.id, changed, error))
                return false;
        } else if (!a.site.isEmpty() && !groupAtSite(a, rule, changed, error)) {
            return false;
        }
    } else if (a.parentId != 0) {
        // A child that comes back reopens its group if the group had cleared.
        Alert group;
        bool haveGroup = false;
        if (!m_table.read(a.parentId, &group, &haveGroup, error))
            return false;
        if (haveGroup && !group.resolved && !group.isActive()) {
            group.status = AlertStatus::ActiveUnack;
            group.clearTsMs = 0;
            group.count += 1;
            group.lastTsMs = qMax(group.lastTsMs, t.tsMs);
            if (!m_table.update(group, error)
                || !event(group.id, t.tsMs, QStringLiteral("reopened"), a.device.displayString(), QString(), error))
                return false;
        }
        if (haveGroup && !refresh(group.id, changed, error))
            return false;
    }
    return refresh(a.id, changed, error);
}

bool AlertLifecycle::groupAtSite(Alert &a, const AlertRule &rule, QList<Alert> *changed, QString *error)
{
    const QString key = QStringLiteral("site:") + a.site;
    Alert group;
    bool haveGroup = false;
    if (!m_table.findOpen(rule.id, QString(), QString(), key, &group, &haveGroup, error))
        return false;
    if (haveGroup) {
        a.parentId = group.id;
        if (!m_table.update(a, error))
            return false;
        if (!group.isActive()) {
            group.status = AlertStatus::ActiveUnack;
            group.clearTsMs = 0;
            group.count += 1;
        }
        group.lastTsMs = qMax(group.lastTsMs, a.lastTsMs);
        return m_table.update(group, error) && refresh(group.id, changed, error);
    }
    QList<Alert> candidates;
    if (!m_table.openAtSite(rule.id, a.site, &candidates, error))
        return false;
    QList<Alert> active;
    for (const Alert &c : std::as_const(candidates)) {
        if (c.isActive() && c.parentId == 0 && !c.device.path.isEmpty())
            active.append(c);
    }
    if (active.size() < kSiteGroupThreshold)
        return true;
    AlertTransition t;
    t.device = DeviceKey(QString(), QString());
    t.site = a.site;
    t.tsMs = a.lastTsMs;
    t.message = tr("devices offline at site %1").arg(a.site);
    group = newAlert(t, rule);
    group.groupKey = key;
    group.firstTsMs = active.first().firstTsMs;
    for (const Alert &c : std::as_const(active))
        group.firstTsMs = qMin(group.firstTsMs, c.firstTsMs);
    group.id = m_table.insert(group, error);
    if (group.id == 0 || !event(group.id, t.tsMs, QStringLiteral("raised"), t.message, QString(), error))
        return false;
    for (Alert c : std::as_const(active)) {
        c.parentId = group.id;
        if (c.id == a.id)
            a.parentId = group.id;
        if (!m_table.update(c, error)
            || !event(c.id, t.tsMs, QStringLiteral("grouped"), tr("under the offline alert of site %1").arg(a.site),
                      QString(), error)
            || !refresh(c.id, changed, error))
            return false;
    }
    return refresh(group.id, changed, error);
}

bool AlertLifecycle::raiseSource(const AlertTransition &t, const AlertRule &rule, QList<Alert> *changed,
                                 QString *error)
{
    const QString key = QStringLiteral("source:") + t.device.source;
    Alert group;
    bool found = false;
    if (!m_table.findOpen(rule.id, t.device.source, QString(), key, &group, &found, error))
        return false;
    if (!found) {
        group = newAlert(t, rule);
        group.groupKey = key;
        group.id = m_table.insert(group, error);
        if (group.id == 0 || !event(group.id, t.tsMs, QStringLiteral("raised"), t.message, QString(), error))
            return false;
    } else if (!group.isActive()) {
        group.status = AlertStatus::ActiveUnack;
        group.clearTsMs = 0;
        group.count += 1;
        group.lastTsMs = qMax(group.lastTsMs, t.tsMs);
        if (!m_table.update(group, error)
            || !event(group.id, t.tsMs, QStringLiteral("reopened"), t.message, QString(), error))
            return false;
    }
    QList<Alert> members;
    if (!m_table.openOfSource(rule.id, t.device.source, &members, error))
        return false;
    for (Alert c : std::as_const(members)) {
        if (c.parentId == group.id || c.device.path.isEmpty())
            continue;
        c.parentId = group.id;
        if (!m_table.update(c, error)
            || !event(c.id, t.tsMs, QStringLiteral("grouped"),
                      tr("under the alert of source %1").arg(t.device.source), QString(), error)
            || !refresh(c.id, changed, error))
            return false;
    }
    return refresh(group.id, changed, error);
}

bool AlertLifecycle::update(const AlertTransition &t, QList<Alert> *changed, QString *error)
{
    Alert a;
    bool found = false;
    if (!m_table.findOpen(t.ruleId, t.device.source, t.device.path, QString(), &a, &found, error))
        return false;
    if (!found || !a.isActive() || t.tsMs < a.lastTsMs)
        return true;
    a.lastTsMs = t.tsMs;
    a.lastValue = t.value;
    return m_table.update(a, error) && refresh(a.id, changed, error);
}

bool AlertLifecycle::clear(const AlertTransition &t, QList<Alert> *changed, QString *error)
{
    const QString groupKey = t.device.path.isEmpty() ? QStringLiteral("source:") + t.device.source : QString();
    Alert a;
    bool found = false;
    if (!m_table.findOpen(t.ruleId, t.device.source, t.device.path, groupKey, &a, &found, error))
        return false;
    if (!found || !a.isActive())
        return true;
    a.status = clearedStatus(a.status);
    a.clearTsMs = t.tsMs;
    // last_value stays the last value that violated; the clearing one is in the timeline.
    if (!m_table.update(a, error) || !event(a.id, t.tsMs, QStringLiteral("cleared"), t.message, t.value, error))
        return false;
    if (a.parentId != 0 && !clearGroupIfQuiet(a.parentId, t.tsMs, changed, error))
        return false;
    return refresh(a.id, changed, error);
}

bool AlertLifecycle::clearGroupIfQuiet(qint64 parentId, qint64 tsMs, QList<Alert> *changed, QString *error)
{
    Alert group;
    bool found = false;
    if (!m_table.read(parentId, &group, &found, error))
        return false;
    if (!found || group.resolved)
        return true;
    // A source group clears with its source (its own Clear), not with its children.
    if (group.isActive() && group.groupKey.startsWith(QLatin1String("site:"))) {
        QList<Alert> children;
        if (!m_table.children(parentId, &children, error))
            return false;
        const bool anyActive = std::any_of(children.cbegin(), children.cend(), [](const Alert &c) { return c.isActive(); });
        if (!anyActive) {
            group.status = clearedStatus(group.status);
            group.clearTsMs = tsMs;
            if (!m_table.update(group, error)
                || !event(group.id, tsMs, QStringLiteral("cleared"), tr("every device is back"), QString(), error))
                return false;
        }
    }
    return refresh(group.id, changed, error);
}

} // namespace fd
