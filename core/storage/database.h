#pragma once

#include <QString>

#include <memory>

struct sqlite3;

namespace fd {

// One SQLite connection to the FleetDeck cache. WAL mode, foreign keys on, busy timeout.
// open() checks integrity and the schema version and runs pending migrations; it never
// deletes or overwrites a file it cannot understand.
class Database
{
public:
    enum class OpenStatus {
        Ok,
        Unreadable,     // cannot open / permission / not a database / corrupt
        NewerSchema,    // written by a newer FleetDeck; refuse to touch it
        MigrationFailed,
    };

    struct OpenResult
    {
        OpenStatus status = OpenStatus::Ok;
        QString message;      // for the operator: what is wrong with which file
        int schemaVersion = 0;
        bool ok() const { return status == OpenStatus::Ok; }
    };

    static constexpr int kSchemaVersion = 1;

    Database();
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    // path ":memory:" gives a private in-memory database. readOnly opens without migrating.
    OpenResult open(const QString &path, bool readOnly = false);
    void close();
    bool isOpen() const;
    QString path() const;
    sqlite3 *handle() const;

    // Runs SQL without results; returns false and fills error on failure.
    bool exec(const char *sql, QString *error = nullptr);

    // Renames a bad file (and its -wal/-shm) to "<path>.broken-<timestamp>" so the user can
    // start fresh without losing it. Returns the new name, or empty with error set.
    static QString moveAside(const QString &path, QString *error = nullptr);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace fd
