#include "core/storage/sql_statement.h"

#include <sqlite3.h>

#include <limits>
#include <utility>

namespace fd {

SqlStatement::~SqlStatement()
{
    finalize();
}

SqlStatement::SqlStatement(SqlStatement &&other) noexcept
    : m_db(std::exchange(other.m_db, nullptr))
    , m_stmt(std::exchange(other.m_stmt, nullptr))
{
}

SqlStatement &SqlStatement::operator=(SqlStatement &&other) noexcept
{
    if (this != &other) {
        finalize();
        m_db = std::exchange(other.m_db, nullptr);
        m_stmt = std::exchange(other.m_stmt, nullptr);
    }
    return *this;
}

bool SqlStatement::prepare(sqlite3 *db, const char *sql, QString *error, bool persistent)
{
    finalize();
    m_db = db;
    if (!db) {
        if (error)
            *error = QStringLiteral("database is not open");
        return false;
    }
    const unsigned int flags = persistent ? SQLITE_PREPARE_PERSISTENT : 0;
    const int rc = sqlite3_prepare_v3(db, sql, -1, flags, &m_stmt, nullptr);
    if (rc != SQLITE_OK) {
        if (error)
            *error = QString::fromUtf8(sqlite3_errmsg(db));
        sqlite3_finalize(m_stmt);
        m_stmt = nullptr;
        return false;
    }
    return true;
}

void SqlStatement::finalize()
{
    if (m_stmt) {
        sqlite3_finalize(m_stmt);
        m_stmt = nullptr;
    }
}

void SqlStatement::bindInt64(int index, qint64 value)
{
    sqlite3_bind_int64(m_stmt, index, value);
}

void SqlStatement::bindDouble(int index, double value)
{
    sqlite3_bind_double(m_stmt, index, value);
}

void SqlStatement::bindText(int index, const QString &value)
{
    bindText(index, value.toUtf8());
}

void SqlStatement::bindText(int index, const QByteArray &utf8)
{
    sqlite3_bind_text(m_stmt, index, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
}

void SqlStatement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
}

void SqlStatement::bindBlob(int index, QByteArrayView bytes)
{
    // A non-null pointer even for an empty blob: SQLite stores NULL for a null pointer.
    static const char kEmpty = 0;
    sqlite3_bind_blob64(m_stmt, index, bytes.isEmpty() ? &kEmpty : bytes.data(), sqlite3_uint64(bytes.size()),
                        SQLITE_TRANSIENT);
}

int SqlStatement::step()
{
    return sqlite3_step(m_stmt);
}

bool SqlStatement::execute(QString *error)
{
    int rc = SQLITE_ROW;
    while (rc == SQLITE_ROW)
        rc = sqlite3_step(m_stmt);
    const bool ok = rc == SQLITE_DONE;
    if (!ok && error)
        *error = errorMessage();
    sqlite3_reset(m_stmt);
    return ok;
}

void SqlStatement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

qint64 SqlStatement::columnInt64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

double SqlStatement::columnDouble(int column) const
{
    if (sqlite3_column_type(m_stmt, column) == SQLITE_NULL)
        return std::numeric_limits<double>::quiet_NaN();
    return sqlite3_column_double(m_stmt, column);
}

QString SqlStatement::columnText(int column) const
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    return QString::fromUtf8(text, sqlite3_column_bytes(m_stmt, column));
}

QByteArray SqlStatement::columnUtf8(int column) const
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    return QByteArray(text, sqlite3_column_bytes(m_stmt, column));
}

QByteArrayView SqlStatement::columnView(int column) const
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    return QByteArrayView(text, sqlite3_column_bytes(m_stmt, column));
}

QByteArrayView SqlStatement::columnBlob(int column) const
{
    const auto *data = static_cast<const char *>(sqlite3_column_blob(m_stmt, column));
    return QByteArrayView(data, sqlite3_column_bytes(m_stmt, column));
}

int SqlStatement::columnType(int column) const
{
    return sqlite3_column_type(m_stmt, column);
}

bool SqlStatement::columnIsNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

QString SqlStatement::errorMessage() const
{
    if (!m_db)
        return QStringLiteral("database is not open");
    return QString::fromUtf8(sqlite3_errmsg(m_db));
}

} // namespace fd
