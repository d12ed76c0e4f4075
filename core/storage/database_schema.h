#pragma once

#include <QtGlobal>

#include <span>

namespace fd {

// One step of a schema's ordered migrations. PRAGMA user_version holds the schema version;
// Database::open() runs every step whose version is above the file's, each in its own
// transaction, and refuses files newer than it knows.
struct MigrationStep
{
    int toVersion;            // user_version after this step
    const char *description;  // for logs and error messages
    const char *sql;          // one or more statements, run inside one transaction
};

// What Database::open() needs to know about one kind of FleetDeck file: the ordered
// migrations that build it, how a file of this kind is recognised, how durable its commits
// are and how the operator calls it. The cache is cacheSchema() (core/storage/schema.h);
// the operations store has its own (core/operations/operations_schema.h).
//
// Every schema's first step creates meta(key TEXT PRIMARY KEY, value TEXT NOT NULL):
// each migration records the FleetDeck version that ran it as meta.migrated_by.
struct DatabaseSchema
{
    std::span<const MigrationStep> migrations;  // ascending; the last one is the current version

    // PRAGMA application_id of files of this kind. 0: not set (the cache, whose files
    // predate it); open() refuses (untouched) a file that has an id: another application's.
    // Otherwise the first migration sets it, in the same transaction, and open() refuses
    // (untouched) a file with another id, or with id 0 that already has a schema or tables.
    qint32 applicationId = 0;

    // PRAGMA synchronous = FULL (every commit is on disk before it returns, also in WAL
    // mode) instead of NORMAL (a power loss may lose the last commits, never consistency).
    bool synchronousFull = false;

    // Noun phrases for the operator, marked with QT_TRANSLATE_NOOP("fd::Database", ...):
    // "The <fileKind> /path is damaged", "... to start with an empty <emptyKind>".
    const char *fileKind = nullptr;
    const char *emptyKind = nullptr;

    // Tables that grow with history (raw telemetry, rollups). A file above
    // Database::kFullCheckMaxBytes gets PRAGMA quick_check of every other table at open, and
    // the whole-file check later in the background (BackgroundIntegrityCheck): a check of
    // gigabytes must not hold up the start.
    std::span<const char *const> bulkTables;

    int version() const { return migrations.empty() ? 0 : migrations.back().toVersion; }
};

} // namespace fd
