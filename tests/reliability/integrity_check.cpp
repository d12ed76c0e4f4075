#include "tests/reliability/integrity_check.h"

#include <QFile>
#include <QStringList>

#include <sqlite3.h>

namespace fd::test {

QString integrityProblems(const QString &path)
{
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        const QString why = QString::fromUtf8(db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return QStringLiteral("cannot open %1: %2").arg(path, why);
    }
    sqlite3_busy_timeout(db, 10000);
    sqlite3_stmt *st = nullptr;
    QStringList lines;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr) != SQLITE_OK) {
        lines << QString::fromUtf8(sqlite3_errmsg(db));
    } else {
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            lines << QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(st, 0)));
        if (rc != SQLITE_DONE)
            lines << QString::fromUtf8(sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    if (lines == QStringList{QStringLiteral("ok")})
        return {};
    return lines.mid(0, 10).join(u"; ");
}

} // namespace fd::test
