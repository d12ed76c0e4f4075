#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QFile>
#include <QString>
#include <QStringList>

#include <sqlite3.h>

namespace fd::test {

// A raw sqlite3 connection, independent of the code under test: for writing files in an
// old or foreign shape and for checking what the code wrote.
class RawDb
{
public:
    explicit RawDb(const QString &path)
    {
        if (sqlite3_open_v2(QFile::encodeName(path).constData(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                            nullptr)
            != SQLITE_OK) {
            sqlite3_close(m_db);
            m_db = nullptr;
        }
        if (m_db)
            sqlite3_busy_timeout(m_db, 5000);
    }
    ~RawDb() { sqlite3_close(m_db); }
    RawDb(const RawDb &) = delete;
    RawDb &operator=(const RawDb &) = delete;

    bool isOpen() const { return m_db != nullptr; }
    QString exec(const QByteArray &sql)  // empty on success, else the error
    {
        char *msg = nullptr;
        if (sqlite3_exec(m_db, sql.constData(), nullptr, nullptr, &msg) == SQLITE_OK)
            return {};
        const QString error = QString::fromUtf8(msg ? msg : sqlite3_errmsg(m_db));
        sqlite3_free(msg);
        return error;
    }
    // Raw telemetry points (schema v4: in blocks, staged, or v3 rows not converted yet) of the
    // devices whose device_keys row matches `where` (e.g. "source = 'x' AND path = 'y'").
    qint64 rawPoints(const QByteArray &where)
    {
        const QByteArray keys = "(SELECT id FROM device_keys WHERE " + where + ")";
        QByteArray sql = "SELECT (SELECT coalesce(sum(count), 0) FROM telemetry_blocks WHERE device_key IN " + keys
                         + ") + (SELECT coalesce(sum(count), 0) FROM telemetry_staging WHERE device_key IN " + keys + ")";
        if (integer("SELECT count(*) FROM sqlite_schema WHERE name = 'telemetry'") == 1)
            sql += " + (SELECT count(*) FROM telemetry WHERE device_key IN " + keys + ")";
        return integer(sql);
    }
    qint64 integer(const QByteArray &sql)  // first column of the first row, -1 on error
    {
        sqlite3_stmt *st = nullptr;
        qint64 value = -1;
        if (sqlite3_prepare_v2(m_db, sql.data(), int(sql.size()), &st, nullptr) == SQLITE_OK
            && sqlite3_step(st) == SQLITE_ROW)
            value = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return value;
    }
    QStringList texts(const QByteArray &sql)  // first column of every row; "error: ..." on failure
    {
        QStringList out;
        sqlite3_stmt *st = nullptr;
        if (sqlite3_prepare_v2(m_db, sql.data(), int(sql.size()), &st, nullptr) != SQLITE_OK)
            return {QStringLiteral("error: ") + QString::fromUtf8(sqlite3_errmsg(m_db))};
        while (sqlite3_step(st) == SQLITE_ROW)
            out.append(QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(st, 0))));
        sqlite3_finalize(st);
        return out;
    }
    sqlite3 *handle() const { return m_db; }

private:
    sqlite3 *m_db = nullptr;
};

} // namespace fd::test
