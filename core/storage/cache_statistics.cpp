#include "core/storage/cache_statistics.h"

#include "core/storage/database.h"
#include "core/storage/raw_series_reader.h"
#include "core/storage/sql_statement.h"

#include <QFileInfo>

#include <sqlite3.h>

namespace fd {

namespace {

// count(*) of one table, or -1 with error set.
qint64 countRows(Database &db, const char *sql, QString *error)
{
    SqlStatement st;
    if (!st.prepare(db.handle(), sql, error))
        return -1;
    if (st.step() != SQLITE_ROW) {
        if (error)
            *error = st.errorMessage();
        return -1;
    }
    return st.columnInt64(0);
}

} // namespace

qint64 CacheStatistics::fileSize(const QString &path)
{
    qint64 bytes = 0;
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        const QFileInfo info(path + suffix);
        if (info.exists())
            bytes += info.size();
    }
    return bytes;
}

CacheStatistics CacheStatistics::read(const QString &path, QString *error)
{
    CacheStatistics s;
    s.fileBytes = fileSize(path);
    Database db;
    const Database::OpenResult opened = db.open(path, /*readOnly=*/true);
    if (!opened.ok()) {
        if (error)
            *error = opened.message;
        return s;
    }
    QString problem;
    qint64 raw = -1;
    if (!RawSeriesReader(db).countAll(&raw, &problem))
        raw = -1;
    const qint64 minute = raw < 0 ? -1 : countRows(db, "SELECT count(*) FROM telemetry_1m", &problem);
    const qint64 hour = minute < 0 ? -1 : countRows(db, "SELECT count(*) FROM telemetry_1h", &problem);
    if (hour < 0) {
        if (error)
            *error = problem;
        return s;
    }
    s.rawRows = raw;
    s.minuteRows = minute;
    s.hourRows = hour;
    return s;
}

} // namespace fd
