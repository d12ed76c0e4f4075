#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QtGlobal>

struct sqlite3;
struct sqlite3_stmt;

namespace fd {

// RAII wrapper of one prepared sqlite3 statement (move-only). Keeps the calling code short
// and makes sure every statement is finalized. Binding indexes are 1-based, columns 0-based.
class SqlStatement
{
public:
    SqlStatement() = default;
    ~SqlStatement();
    SqlStatement(SqlStatement &&other) noexcept;
    SqlStatement &operator=(SqlStatement &&other) noexcept;
    SqlStatement(const SqlStatement &) = delete;
    SqlStatement &operator=(const SqlStatement &) = delete;

    // Prepares sql on db (for repeated use when persistent is true). False with error set.
    bool prepare(sqlite3 *db, const char *sql, QString *error = nullptr, bool persistent = false);
    bool isValid() const { return m_stmt != nullptr; }
    void finalize();

    void bindInt64(int index, qint64 value);
    void bindDouble(int index, double value);  // NaN is stored as NULL by SQLite
    void bindText(int index, const QString &value);
    void bindText(int index, const QByteArray &utf8);
    void bindNull(int index);
    // Binds a copy of the bytes (SQLITE_TRANSIENT).
    void bindBlob(int index, QByteArrayView bytes);

    // One sqlite3_step(): SQLITE_ROW, SQLITE_DONE or an error code.
    int step();
    // Steps until SQLITE_DONE and resets; false with error (the statement is reset too).
    bool execute(QString *error = nullptr);
    void reset();  // reset + clear bindings

    qint64 columnInt64(int column) const;
    double columnDouble(int column) const;  // NULL reads back as NaN
    QString columnText(int column) const;
    QByteArray columnUtf8(int column) const;
    // The UTF-8 text without a copy; valid until the next step(), reset() or finalize().
    QByteArrayView columnView(int column) const;
    bool columnIsNull(int column) const;
    // The blob without a copy; valid until the next step(), reset() or finalize().
    QByteArrayView columnBlob(int column) const;
    int columnType(int column) const;  // SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, ...

    // Message of the last error on this statement's connection.
    QString errorMessage() const;
    sqlite3_stmt *handle() const { return m_stmt; }

private:
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
};

} // namespace fd
