#include "ui/critical_alert_notifier.h"

#include "models/alert_style.h"

#include <QDateTime>
#include <QSystemTrayIcon>

namespace fd {

namespace {
constexpr int kMessageMs = 10000;
constexpr int kListed = 3;
} // namespace

CriticalAlertNotifier::CriticalAlertNotifier(const QIcon &icon, QObject *parent)
    : QObject(parent)
    , m_icon(icon)
{
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = std::make_unique<QSystemTrayIcon>(m_icon);
        m_tray->setToolTip(tr("FleetDeck"));
        connect(m_tray.get(), &QSystemTrayIcon::messageClicked, this, &CriticalAlertNotifier::activated);
        connect(m_tray.get(), &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
            if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
                emit activated();
        });
    }
}

CriticalAlertNotifier::~CriticalAlertNotifier() = default;

bool CriticalAlertNotifier::isNotifiable(const Alert &alert, qint64 nowMs)
{
    return !alert.resolved && alert.severity == AlertSeverity::Critical && alert.status == AlertStatus::ActiveUnack
        && alert.parentId == 0 && !alert.isSnoozed(nowMs);
}

void CriticalAlertNotifier::setInitial(const QList<Alert> &open)
{
    m_initialized = true;
    m_seen.clear();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    int count = 0;
    for (const Alert &a : open) {
        if (a.severity != AlertSeverity::Critical || a.resolved)
            continue;
        m_seen.insert(a.id);
        if (isNotifiable(a, now))
            ++count;
    }
    if (count > 0)
        notify(tr("%n unacknowledged critical alert(s)", nullptr, count),
               tr("Open FleetDeck's Alerts page to work through them."));
}

void CriticalAlertNotifier::onAlertsChanged(const QList<Alert> &changed)
{
    if (!m_initialized)
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<const Alert *> fresh;
    for (const Alert &a : changed) {
        if (a.resolved) {
            m_seen.remove(a.id);  // bounded: only open alerts are remembered
            continue;
        }
        if (m_seen.contains(a.id) || !isNotifiable(a, now))
            continue;
        m_seen.insert(a.id);
        fresh.append(&a);
    }
    if (fresh.isEmpty())
        return;
    if (fresh.size() == 1) {
        const Alert &a = *fresh.constFirst();
        const QString where = a.site.isEmpty() ? alertSubjectText(a) : tr("%1 at %2").arg(alertSubjectText(a), a.site);
        notify(tr("Critical: %1").arg(a.ruleName), a.message.isEmpty() ? where : tr("%1: %2").arg(where, a.message));
        return;
    }
    QStringList lines;
    for (qsizetype i = 0; i < fresh.size() && i < kListed; ++i)
        lines.append(tr("%1 on %2").arg(fresh.at(i)->ruleName, alertSubjectText(*fresh.at(i))));
    if (fresh.size() > kListed)
        lines.append(tr("… and %n more", nullptr, int(fresh.size() - kListed)));
    notify(tr("%n new critical alert(s)", nullptr, int(fresh.size())), lines.join(u'\n'));
}

void CriticalAlertNotifier::notify(const QString &title, const QString &message)
{
    ++m_count;
    if (m_tray) {
        if (!m_tray->isVisible())
            m_tray->show();
        // Plain text: notification servers may render markup in the body; a rule or device
        // name must not become markup.
        QString body = message;
        body.replace(u'&', QStringLiteral("&amp;")).replace(u'<', QStringLiteral("&lt;")).replace(u'>', QStringLiteral("&gt;"));
        m_tray->showMessage(title, body, QSystemTrayIcon::Critical, kMessageMs);
    }
    emit notified(title, message);
}

} // namespace fd
