#pragma once

// Helpers shared by the operations store tests (header-only): open a store and wait for
// the result, collect the outcome of every job, look at the file with a raw connection.

#include "core/operations/operations_store.h"

#include <QByteArray>
#include <QFile>
#include <QHash>
#include <QObject>
#include <QSignalSpy>
#include <QString>
#include <QStringList>
#include <QTest>

#include <sqlite3.h>

namespace fd::operationstest {

// Opens store at path and waits for opened(); the result, or Unreadable on timeout.
inline Database::OpenResult openStore(OperationsStore &store, const QString &path)
{
    QSignalSpy spy(&store, &OperationsStore::opened);
    store.open(path);
    if (!spy.wait(10000))
        return {Database::OpenStatus::Unreadable, QStringLiteral("opened() did not come"), 0};
    return spy.first().first().value<Database::OpenResult>();
}

// Records committed() / failed() of a store, by job id.
class JobOutcomes : public QObject
{
public:
    explicit JobOutcomes(OperationsStore &store)
    {
        connect(&store, &OperationsStore::committed, this,
                [this](quint64 id, qint64 rowId) { committed.insert(id, rowId); });
        connect(&store, &OperationsStore::failed, this,
                [this](quint64 id, const QString &reason) { failed.insert(id, reason); });
    }
    bool done(quint64 id) const { return committed.contains(id) || failed.contains(id); }

    QHash<quint64, qint64> committed;  // job id -> row id
    QHash<quint64, QString> failed;    // job id -> reason
};

inline QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline bool writeAll(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

// A raw sqlite3 connection, independent of the code under test.
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
    qint64 integer(const QByteArray &sql)  // first column of the first row, -1 on error
    {
        sqlite3_stmt *st = nullptr;
        qint64 value = -1;
        if (sqlite3_prepare_v2(m_db, sql.constData(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
            value = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return value;
    }
    QStringList texts(const QByteArray &sql)  // first column of every row; "error: ..." on failure
    {
        QStringList out;
        sqlite3_stmt *st = nullptr;
        if (sqlite3_prepare_v2(m_db, sql.constData(), -1, &st, nullptr) != SQLITE_OK)
            return {QStringLiteral("error: ") + QString::fromUtf8(sqlite3_errmsg(m_db))};
        while (sqlite3_step(st) == SQLITE_ROW)
            out.append(QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(st, 0))));
        sqlite3_finalize(st);
        return out;
    }

private:
    sqlite3 *m_db = nullptr;
};

} // namespace fd::operationstest
