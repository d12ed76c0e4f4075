#include "ui/snooze_menu.h"

namespace fd {

SnoozeMenu::SnoozeMenu(QWidget *parent)
    : QMenu(parent)
{
    setObjectName(QStringLiteral("snoozeMenu"));
    setTitle(tr("S&nooze"));
    const std::pair<QString, int> choices[] = {
        {tr("&15 minutes"), 15},
        {tr("1 &hour"), 60},
        {tr("&4 hours"), 240},
    };
    for (const auto &[label, minutes] : choices) {
        QAction *action = addAction(label);
        action->setObjectName(QStringLiteral("snooze%1").arg(minutes));
        const int m = minutes;
        connect(action, &QAction::triggered, this,
                [this, m] { emit snoozeRequested(untilMs(m, QDateTime::currentDateTime())); });
    }
    QAction *tomorrow = addAction(tr("Until &tomorrow 08:00"));
    tomorrow->setObjectName(QStringLiteral("snoozeTomorrow"));
    connect(tomorrow, &QAction::triggered, this, [this] {
        emit snoozeRequested(tomorrowMorning(QDateTime::currentDateTime()).toMSecsSinceEpoch());
    });
    QAction *custom = addAction(tr("&Custom…"));
    custom->setObjectName(QStringLiteral("snoozeCustom"));
    connect(custom, &QAction::triggered, this, &SnoozeMenu::customRequested);
    addSeparator();
    m_unsnooze = addAction(tr("&Unsnooze"));
    m_unsnooze->setObjectName(QStringLiteral("unsnooze"));
    connect(m_unsnooze, &QAction::triggered, this, [this] { emit snoozeRequested(0); });
}

QDateTime SnoozeMenu::tomorrowMorning(const QDateTime &now)
{
    return QDateTime(now.date().addDays(1), QTime(8, 0));
}

qint64 SnoozeMenu::untilMs(int minutes, const QDateTime &now)
{
    return now.toMSecsSinceEpoch() + qint64(minutes) * 60 * 1000;
}

void SnoozeMenu::setUnsnoozeEnabled(bool enabled)
{
    m_unsnooze->setEnabled(enabled);
}

} // namespace fd
