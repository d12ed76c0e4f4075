#include "tests/reliability/process_cpu.h"

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QString>

#include <unistd.h>

namespace fd::test {

double processCpuSeconds(qint64 pid)
{
    QFile file(QStringLiteral("/proc/%1/stat").arg(pid));
    if (pid <= 0 || !file.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray stat = file.readAll();
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses; fields after the last ')'.
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return -1;
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    // After comm: state is field 3 of stat(5), utime 14, stime 15 -> indexes 11 and 12 here.
    if (fields.size() < 13)
        return -1;
    const double ticks = double(fields.at(11).toLongLong() + fields.at(12).toLongLong());
    const long perSecond = sysconf(_SC_CLK_TCK);
    return perSecond > 0 ? ticks / double(perSecond) : -1;
}

} // namespace fd::test
