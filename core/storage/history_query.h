#pragma once

#include "core/domain/series_point.h"
#include "core/storage/history_request.h"
#include "core/storage/raw_series_reader.h"
#include "core/storage/sql_statement.h"

#include <QCoreApplication>
#include <QStringList>

namespace fd {

class Database;

// Reads a series' history from the cache, synchronously, on the connection it is given
// (HistoryReader runs it on a worker thread with its own read-only connection). Raw points
// come from RawSeriesReader (blocks, staged rows, v3 rows); rollup rows are completed with
// the staged points not packed yet, aggregated on the fly, so a long view reaches the
// present too.
//
// A query at some resolution reads that table for [from, to]. Where that table has no rows
// at the start of the range (raw rows already pruned by retention, or never written at
// that resolution), the older part comes from the next coarser table, bucket by bucket up
// to the first row of the finer one: a long view keeps its history after raw rows expire.
class HistoryQuery
{
    Q_DECLARE_TR_FUNCTIONS(fd::HistoryQuery)
public:
    using Thresholds = HistoryThresholds;

    explicit HistoryQuery(Database &db);

    static HistoryResolution chooseResolution(qint64 fromMs, qint64 toMs,
                                              const Thresholds &thresholds = Thresholds());
    static qint64 bucketWidthMs(HistoryResolution resolution);  // 0 for raw

    // Rows of one series in [fromMs, toMs] at resolution (not Auto); a series the cache
    // does not know gives an empty list. False with error on an SQL failure.
    bool read(const DeviceKey &device, const QString &metric, qint64 fromMs, qint64 toMs,
              HistoryResolution resolution, TelemetryBuckets *out, QString *error);

    // Raw points of one series in [fromMs, toMs] with their types (Int64 exact, strings),
    // ascending; a series the cache does not know gives an empty list.
    bool readRaw(const DeviceKey &device, const QString &metric, qint64 fromMs, qint64 toMs, SeriesPoints *out,
                 QString *error);

    // Whether the cache has a series for device and metric (it may hold no point any more).
    bool hasSeries(const DeviceKey &device, const QString &metric, bool *found, QString *error);

    // The metrics the cache has a series of for device, sorted by name.
    bool seriesMetrics(const DeviceKey &device, QStringList *names, QString *error);

    // Runs a whole request (resolves Auto).
    HistoryResult run(const HistoryRequest &request, const Thresholds &thresholds = Thresholds());

private:
    bool prepare(QString *error);
    bool seriesKeys(const DeviceKey &device, const QString &metric, qint64 *dk, qint64 *mk,
                    bool *found, QString *error);
    // asked: the level of the request (not a coarser one filling in older parts); only it
    // is completed with the staged points.
    bool readLevel(int level, qint64 dk, qint64 mk, qint64 fromMs, qint64 toMs,
                   qint64 endLimitMs, TelemetryBuckets *out, QString *error, bool asked);
    bool oldestAt(int level, qint64 dk, qint64 mk, bool *found, qint64 *ms, QString *error);
    bool readRawBuckets(qint64 dk, qint64 mk, qint64 fromMs, qint64 toMs, TelemetryBuckets *out, QString *error);
    bool addStaged(int level, qint64 dk, qint64 mk, qint64 fromMs, qint64 toMs, TelemetryBuckets *out,
                   QString *error);

    Database &m_db;
    bool m_prepared = false;
    SqlStatement m_deviceKey;
    SqlStatement m_metricKey;
    RawSeriesReader m_raw;
    SqlStatement m_rows[3];    // -, minute, hour
    SqlStatement m_oldest[3];  // first row time of a series at that level (rollups)
};

} // namespace fd
