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
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace fd
