#include "models/relative_time.h"

#include <QCoreApplication>
#include <QDateTime>

namespace fd {

QString formatRelativeTime(qint64 thenMs, qint64 nowMs)
{
    if (thenMs <= 0)
        return QCoreApplication::translate("fd::RelativeTime", "never");
    const qint64 seconds = (nowMs - thenMs) / 1000;
    if (seconds < 1)
        return QCoreApplication::translate("fd::RelativeTime", "just now");
    if (seconds < 60)
        return QCoreApplication::translate("fd::RelativeTime", "%1 s ago").arg(seconds);
    if (seconds < 3600)
        return QCoreApplication::translate("fd::RelativeTime", "%1 min ago").arg(seconds / 60);
    if (seconds < 86400)
        return QCoreApplication::translate("fd::RelativeTime", "%1 h ago").arg(seconds / 3600);
    return QCoreApplication::translate("fd::RelativeTime", "%1 d ago").arg(seconds / 86400);
}

QString formatAbsoluteTime(qint64 msSinceEpoch)
{
    if (msSinceEpoch <= 0)
        return QCoreApplication::translate("fd::RelativeTime", "never");
    // With the zone, so that a time read off the screen is unambiguous: "... UTC+01:00".
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(msSinceEpoch);
    const int offset = local.offsetFromUtc();
    const int minutes = qAbs(offset) / 60;
    const QString zone = offset == 0 ? QStringLiteral("UTC")
                                     : QStringLiteral("UTC%1%2:%3")
                                           .arg(offset < 0 ? QLatin1Char('-') : QLatin1Char('+'))
                                           .arg(minutes / 60, 2, 10, QLatin1Char('0'))
                                           .arg(minutes % 60, 2, 10, QLatin1Char('0'));
    return local.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss ")) + zone;
}

QString formatClockTime(qint64 msSinceEpoch, qint64 nowMs)
{
    if (msSinceEpoch <= 0)
        return QCoreApplication::translate("fd::RelativeTime", "never");
    const QDateTime then = QDateTime::fromMSecsSinceEpoch(msSinceEpoch);
    if (then.date() == QDateTime::fromMSecsSinceEpoch(nowMs).date())
        return then.toString(QStringLiteral("HH:mm:ss"));
    return then.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace fd
