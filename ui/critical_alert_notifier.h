#pragma once

#include "core/domain/alert.h"

#include <QIcon>
#include <QObject>
#include <QSet>

#include <memory>

class QSystemTrayIcon;

namespace fd {

// Desktop notifications of unacknowledged CRITICAL alerts (issue 11): once per new alert
// (by id: a repeat, a clear and a reopen of the same alert do not notify again), only for
// alerts that need attention now (active, unacknowledged, not snoozed, not grouped under a
// group alert). Several in one change are one notification ("3 new critical alerts").
// At start (setInitial) the alerts already open are one summary, if any.
//
// Shown through QSystemTrayIcon when the desktop has a tray (isSystemTrayAvailable());
// notified() is emitted either way (the window's status bar, tests). Clicking the
// message or the tray icon emits activated().
class CriticalAlertNotifier : public QObject
{
    Q_OBJECT
public:
    explicit CriticalAlertNotifier(const QIcon &icon, QObject *parent = nullptr);
    ~CriticalAlertNotifier() override;

    static bool isNotifiable(const Alert &alert, qint64 nowMs);
    // The open alerts when the service loaded: remembered, summarised in one notification.
    // Changes before it (the service's own load) are not news.
    void setInitial(const QList<fd::Alert> &open);
    bool usesTray() const { return m_tray != nullptr; }
    int notificationCount() const { return m_count; }

public slots:
    // AlertService::alertsChanged.
    void onAlertsChanged(const QList<fd::Alert> &changed);

signals:
    void notified(const QString &title, const QString &message);
    void activated();

private:
    void notify(const QString &title, const QString &message);

    QIcon m_icon;
    std::unique_ptr<QSystemTrayIcon> m_tray;
    QSet<qint64> m_seen;  // open critical alerts already notified (or there at start)
    int m_count = 0;
    bool m_initialized = false;
};

} // namespace fd
