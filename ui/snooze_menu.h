#pragma once

#include <QDateTime>
#include <QMenu>

namespace fd {

// Snooze ▸ 15 minutes, 1 hour, 4 hours, until tomorrow 08:00, a time of one's choice, or
// Unsnooze: each entry emits snoozeRequested(untilMs) (0: unsnooze) or customRequested().
// Every entry has a mnemonic, so the menu is worked from the keyboard (s, then 1/h/4/t/c/u).
class SnoozeMenu : public QMenu
{
    Q_OBJECT
public:
    explicit SnoozeMenu(QWidget *parent = nullptr);

    // 08:00 local time of the day after `now`.
    static QDateTime tomorrowMorning(const QDateTime &now);
    // When a choice made at `now` ends (ms since the epoch).
    static qint64 untilMs(int minutes, const QDateTime &now);

    void setUnsnoozeEnabled(bool enabled);
    QAction *unsnoozeAction() const { return m_unsnooze; }

signals:
    void snoozeRequested(qint64 untilMs);
    void customRequested();

private:
    QAction *m_unsnooze = nullptr;
};

} // namespace fd
