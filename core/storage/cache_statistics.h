#pragma once

#include <QString>

namespace fd {

// Size of the cache on disk and its number of telemetry rows, for the "Cache and retention"
// settings. read() opens its own read-only connection and counts whole tables (a full scan
// of each): it can take seconds on a big cache, so call it off the GUI thread.
struct CacheStatistics
{
    qint64 fileBytes = 0;    // database file + its -wal and -shm files
    qint64 rawRows = -1;     // raw telemetry points (one metric value each); -1: unknown
    qint64 minuteRows = -1;  // per-minute rollup rows
    qint64 hourRows = -1;    // per-hour rollup rows

    bool hasCounts() const { return rawRows >= 0; }

    // Bytes on disk of the database at path with its -wal and -shm files (cheap).
    static qint64 fileSize(const QString &path);
    // fileSize() and the row counts; counts stay -1 (and error is set) when the file cannot
    // be read.
    static CacheStatistics read(const QString &path, QString *error = nullptr);
};

} // namespace fd
