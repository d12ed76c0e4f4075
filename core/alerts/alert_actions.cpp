#include "core/alerts/alert_actions.h"

#include "core/alerts/alert_json.h"
#include "core/operations/operations_transaction.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSet>

namespace fd {
namespace {

QString json(const Alert &a)
{
    return QString::fromUtf8(QJsonDocument(AlertJson::toJson(a)).toJson(QJsonDocument::Compact));
}

} // namespace

QString AlertActions::auditAction(Kind kind)
{
    return QStringLiteral("alert.") + eventKind(kind);
}

QString AlertActions::eventKind(Kind kind)
{
    switch (kind) {
    case Kind::Acknowledge: return QStringLiteral("acknowledged");
    case Kind::Assign: return QStringLiteral("assigned");
    case Kind::Snooze: return QStringLiteral("snoozed");
    case Kind::Note: return QStringLiteral("note");
    case Kind::Resolve: return QStringLiteral("resolved");
    }
    return QStringLiteral("note");
}

AlertActions::AlertActions(OperationsTransaction &transaction, const QString &actor)
    : m_tx(transaction)
    , m_table(transaction.handle())
    , m_actor(actor)
{
}

bool AlertActions::run(Kind kind, const QList<qint64> &alertIds, const QString &text, qint64 untilMs,
                       QList<Alert> *changed, QString *error)
{
    if (alertIds.isEmpty()) {
        *error = tr("no alert selected");
        return false;
    }
    if ((kind == Kind::Note || kind == Kind::Resolve) && text.trimmed().isEmpty()) {
        *error = kind == Kind::Note ? tr("the note is empty") : tr("a reason is required to resolve an alert");
        return false;
    }
    QSet<qint64> done;
    for (qint64 id : alertIds) {
        if (done.contains(id))
            continue;
        Alert a;
        bool found = false;
        if (!m_table.read(id, &a, &found, error))
            return false;
        if (!found || a.resolved) {
            *error = found ? tr("alert %1 is already resolved").arg(id) : tr("alert %1 does not exist").arg(id);
            return false;
        }
        QList<Alert> targets{a};
        if (a.isGroup() && kind != Kind::Note) {
            QList<Alert> children;
            if (!m_table.children(a.id, &children, error))
                return false;
            targets += children;
        }
        for (const Alert &t : std::as_const(targets)) {
            if (done.contains(t.id))
                continue;
            done.insert(t.id);
            if (!applyTo(kind, t, text, untilMs, changed, error))
                return false;
        }
    }
    return true;
}

bool AlertActions::applyTo(Kind kind, Alert a, const QString &text, qint64 untilMs, QList<Alert> *changed,
                           QString *error)
{
    const Alert before = a;
    const qint64 now = m_tx.nowMs();
    QString detail = text;
    switch (kind) {
    case Kind::Acknowledge:
        if (a.isAcknowledged())
            return true;
        a.status = a.isActive() ? AlertStatus::ActiveAck : AlertStatus::ClearedAck;
        a.ackTsMs = now;
        a.ackBy = m_actor;
        detail.clear();
        break;
    case Kind::Assign:
        if (a.assignee == text)
            return true;
        a.assignee = text;
        break;
    case Kind::Snooze:
        a.snoozedUntilMs = untilMs;
        detail = untilMs > 0 ? tr("until %1").arg(QDateTime::fromMSecsSinceEpoch(untilMs, Qt::UTC).toString(Qt::ISODate))
                             : tr("snooze ended");
        break;
    case Kind::Note:
        break;
    case Kind::Resolve:
        a.resolved = true;
        a.resolvedTsMs = now;
        a.resolvedBy = m_actor;
        a.resolution = text;
        break;
    }
    if (kind != Kind::Note && !m_table.update(a, error))
        return false;
    AlertEvent e;
    e.alertId = a.id;
    e.tsMs = now;
    e.kind = eventKind(kind);
    e.actor = m_actor;
    e.detail = detail;
    if (m_table.insertEvent(e, error) == 0)
        return false;
    AuditEntry entry;
    entry.tsMs = now;
    entry.actor = m_actor;
    entry.action = auditAction(kind);
    entry.source = a.device.source;
    entry.devicePath = a.device.path;
    entry.objectKind = QStringLiteral("alert");
    entry.objectId = QString::number(a.id);
    entry.beforeJson = json(before);
    entry.afterJson = json(a);
    entry.detail = detail;
    if (m_tx.insertAudit(entry, error) == 0)
        return false;
    Alert fresh;
    bool found = false;
    if (!m_table.read(a.id, &fresh, &found, error))
        return false;
    changed->append(found ? fresh : a);
    return true;
}

} // namespace fd
