#include "core/platform/process_clock.h"

#include <QElapsedTimer>
#include <QFile>
#include <QList>

#ifdef Q_OS_LINUX
#include <time.h>
#include <unistd.h>
#endif

namespace fd {

namespace {

qint64 fallbackMs()
{
    static QElapsedTimer first = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return first.elapsed();
}

} // namespace

qint64 ProcessClock::msSinceProcessStart()
{
#ifdef Q_OS_LINUX
    QFile stat(QStringLiteral("/proc/self/stat"));
    if (stat.open(QIODevice::ReadOnly)) {
        const QByteArray data = stat.readAll();
        // Field 22 (starttime, clock ticks since boot) counted after the ")" of the name.
        const qsizetype close = data.lastIndexOf(')');
        const QList<QByteArray> fields = data.mid(close + 2).split(' ');
        bool ok = false;
        const qint64 startTicks = fields.size() > 19 ? fields.at(19).toLongLong(&ok) : 0;
        timespec now{};
        const long ticksPerSecond = sysconf(_SC_CLK_TCK);
        if (ok && ticksPerSecond > 0 && clock_gettime(CLOCK_BOOTTIME, &now) == 0) {
            const qint64 nowMs = qint64(now.tv_sec) * 1000 + now.tv_nsec / 1000000;
            return std::max<qint64>(0, nowMs - startTicks * 1000 / ticksPerSecond);
        }
    }
#endif
    return fallbackMs();
}

} // namespace fd
