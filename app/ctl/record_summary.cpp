#include "app/ctl/record_summary.h"

#include <QFile>
#include <QJsonDocument>

#include <sys/resource.h>

namespace fd {

namespace {

double seconds(const timeval &tv)
{
    return double(tv.tv_sec) + double(tv.tv_usec) / 1e6;
}

} // namespace

QJsonObject RecordSummary::toJson(const IngestStats &stats)
{
    QJsonObject o;
    o.insert(QStringLiteral("received"), double(stats.received));
    o.insert(QStringLiteral("accepted"), double(stats.accepted));
    o.insert(QStringLiteral("rejected"), double(stats.rejected));
    o.insert(QStringLiteral("gaps"), double(stats.gaps));
    o.insert(QStringLiteral("dropped"), double(stats.dropped));
    rusage ru{};
    if (getrusage(RUSAGE_SELF, &ru) == 0) {
        o.insert(QStringLiteral("cpu_user_s"), seconds(ru.ru_utime));
        o.insert(QStringLiteral("cpu_sys_s"), seconds(ru.ru_stime));
        o.insert(QStringLiteral("max_rss_kb"), double(ru.ru_maxrss));
    }
    return o;
}

bool RecordSummary::write(const QString &path, const IngestStats &stats, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = file.errorString();
        return false;
    }
    if (file.write(QJsonDocument(toJson(stats)).toJson(QJsonDocument::Compact) + '\n') < 0 || !file.flush()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace fd
