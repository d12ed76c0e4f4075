#pragma once

#include "core/domain/series_point.h"
#include "core/storage/sql_statement.h"

#include <QString>

namespace fd {

class Database;

// The raw telemetry table of schema v3 (`telemetry`: one row per device, metric and
// timestamp) while LegacyTelemetryMigrator converts it to blocks; dropped once empty. Every
// operation is a no-op on a cache that no longer has it. Writer thread, inside a
// transaction its caller holds.
class LegacyTelemetryTable
{
public:
    explicit LegacyTelemetryTable(Database &db);

    // Looks for the table and prepares the statements if it is there.
    bool prepare(QString *error);
    bool exists() const { return m_exists; }

    // Rows of one series in [windowMs, windowEnd(windowMs)) appended to *points (NULL, the
    // NaN of v3, as a NaN Double), ascending.
    bool readWindow(qint64 deviceKey, qint64 metricKey, qint64 windowMs, SeriesPoints *points, QString *error);
    bool deleteWindow(qint64 deviceKey, qint64 metricKey, qint64 windowMs, qint64 *deleted, QString *error);
    bool newestMs(qint64 deviceKey, qint64 metricKey, bool *found, qint64 *ms, QString *error);
    // The first row left (by series, then time).
    bool firstRow(bool *found, qint64 *deviceKey, qint64 *metricKey, qint64 *tsMs, QString *error);
    // Deletes the rows of one series older than cutoffMs, at most maxRows + 1 of them.
    bool prune(qint64 deviceKey, qint64 metricKey, qint64 cutoffMs, qint64 maxRows, qint64 *deleted, QString *error);
    bool deleteDevice(qint64 deviceKey, qint64 *deleted, QString *error);
    bool count(qint64 *rows, QString *error);
    // DROP TABLE (the migration is done); exists() is false afterwards.
    bool drop(QString *error);

private:
    Database &m_db;
    bool m_exists = false;
    SqlStatement m_readWindow;
    SqlStatement m_deleteWindow;
    SqlStatement m_newest;
    SqlStatement m_first;
    SqlStatement m_prune;
    SqlStatement m_deleteDevice;
};

} // namespace fd
