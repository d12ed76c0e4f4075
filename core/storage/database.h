#pragma once

#include "core/storage/database_schema.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <memory>

struct sqlite3;

namespace fd {

// One SQLite connection to a FleetDeck file: the cache (the default schema) or another
// DatabaseSchema (the operations store). WAL mode, foreign keys on, busy timeout.
// open() checks integrity and the schema version and runs pending migrations; it never
// deletes or overwrites a file it cannot understand.
//
// Order of open(): open the file (creating its folder) -> read PRAGMA user_version (a
// non-database file fails here, before anything is written) -> refuse a file we may not
// write (read-write opens) -> refuse a file of another application (PRAGMA application_id,
// see DatabaseSchema; for the cache, which has no id, a file at user_version 0 that already
// has tables) -> refuse a newer schema -> PRAGMA quick_check (read-write opens only; the
// reader connections rely on the writer's check; above kFullCheckMaxBytes only the tables
// that are not bulk, see integrityCheckDeferred) -> WAL, synchronous (NORMAL, or FULL as the
// schema says), foreign_keys -> migrations, one transaction per step.
// A connection must not be used by two threads at the same time (it is opened without
// SQLite's connection mutex); hand it over between threads only with proper
// synchronisation, as StorageWriter does. Give every reader its own Database.
class Database
{
    Q_DECLARE_TR_FUNCTIONS(fd::Database)
public:
    enum class OpenStatus {
        Ok,
        Unreadable,     // cannot open / permission / not a database / corrupt
        NewerSchema,    // written by a newer FleetDeck; refuse to touch it
        MigrationFailed,
        NotOurs,        // another application's file (application_id, or tables without a schema)
        ReadOnly,       // opened for writing, but the file or its folder is not writable
    };

    struct OpenResult
    {
        OpenStatus status = OpenStatus::Ok;
        QString message;      // for the operator: what is wrong with which file
        int schemaVersion = 0;
        // The file was too big to check whole at open (only its small tables were): run
        // BackgroundIntegrityCheck on it.
        bool integrityCheckDeferred = false;
        bool ok() const { return status == OpenStatus::Ok; }
    };

    static constexpr int kSchemaVersion = 6;  // of the cache (cacheSchema())
    static constexpr int kBusyTimeoutMs = 5000;
    // Files up to this size get PRAGMA quick_check whole at open (about 6 ms per MB here).
    static constexpr qint64 kFullCheckMaxBytes = 64LL * 1024 * 1024;

    Database();
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    // path ":memory:" gives a private in-memory database. readOnly opens without migrating
    // (a file that is missing or has an older schema is then Unreadable).
    // Opens the cache (cacheSchema()).
    OpenResult open(const QString &path, bool readOnly = false);
    // Opens a file of another schema; the messages name it by schema.fileKind.
    OpenResult open(const QString &path, const DatabaseSchema &schema, bool readOnly = false);
    void close();
    bool isOpen() const;
    bool isReadOnly() const;
    QString path() const;
    sqlite3 *handle() const;

    // Runs SQL without results; returns false and fills error on failure.
    bool exec(const char *sql, QString *error = nullptr);
    // Rolls back the open transaction, if there is one: a failed COMMIT or statement may
    // already have ended it, which is not worth reporting. A failed ROLLBACK is logged.
    void rollbackIfOpen();

    // The first lines of what PRAGMA quick_check reported, for a message ("...; and N more").
    static QString summarizeProblems(const QStringList &problems);

    // Renames a bad file (and its -wal/-shm) to "<path>.broken-<timestamp>" so the user can
    // start fresh without losing it. Returns the new name, or empty with error set.
    // Close every connection to the file first.
    static QString moveAside(const QString &path, QString *error = nullptr);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace fd

Q_DECLARE_METATYPE(fd::Database::OpenResult)
