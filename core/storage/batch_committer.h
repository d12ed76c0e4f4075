#pragma once

#include "core/storage/device_deleter.h"
#include "core/storage/sql_statement.h"
#include "core/storage/storage_batch.h"
#include "core/storage/storage_reject.h"

#include <QHash>
#include <QList>
#include <QPair>
#include <QSet>
#include <QString>

#include <limits>
#include <vector>

namespace fd {

class Database;

// The SQL half of StorageWriter, used only on the writer thread: prepared statements that
// are reused across transactions, the caches of numeric device / metric keys, one
// transaction per commit() and bounded retention chunks. No threading in here.
class BatchCommitter
{
public:
    struct CommitStats
    {
        quint64 samples = 0;  // TelemetrySample messages
        quint64 rows = 0;     // telemetry rows (one metric value each)
        quint64 devices = 0;  // device rows upserted (after de-duplication)
        quint64 deletedDevices = 0;  // device rows deleted (StorageBatch::deletedDevices)
    };

    // Position of a retention pass: the last (device_key, metric_key) series fully pruned.
    struct PruneCursor
    {
        qint64 deviceKey = -1;
        qint64 metricKey = -1;
    };

    // Rows older than these times (ms since epoch) are deleted; kKeepAll keeps a table.
    struct PruneCutoffs
    {
        static constexpr qint64 kKeepAll = std::numeric_limits<qint64>::min();
        qint64 rawMs = kKeepAll;
        qint64 minuteMs = kKeepAll;
        qint64 hourMs = kKeepAll;
        bool keepsAll() const { return rawMs == kKeepAll && minuteMs == kKeepAll && hourMs == kKeepAll; }
    };

    static constexpr qint64 kMinuteMs = 60 * 1000;
    static constexpr qint64 kHourMs = 60 * 60 * 1000;

    explicit BatchCommitter(Database &db);

    // Prepares the statements and loads the key caches. False with error.
    bool prepare(QString *error);

    // Writes all batches, normally in one transaction. When SQLite refuses it because of
    // what a row contains (a constraint, a value it cannot hold), the commit is split in
    // halves, recursively, until each refused unit (one sample, or one device's state) is
    // alone; those land in *rejects and everything else is saved. False with error only for
    // a fault of the file (disk full, I/O, read-only, locked...): then everything is rolled
    // back or idempotent to write again, *rejects is left empty, and the batches can be
    // committed again later. Deletions (StorageBatch::deletedDevices) take effect in queue
    // order, each in its own transaction between what was queued before and after it.
    bool commit(const QList<StorageBatch> &batches, CommitStats *stats, StorageRejectList *rejects,
                QString *error);

    // Transactions of the last commit() (1 unless it had to be split). For tests and logs.
    int lastCommitTransactions() const { return m_transactions; }

    // One bounded retention step in its own short transaction: deletes raw telemetry and
    // rollups older than their cutoffs from the series after cursor, at most about maxRows
    // rows, and advances cursor. *deleted counts raw rows, *rollupsDeleted rollup rows.
    // *finished is set when every series has been visited.
    bool pruneChunk(const PruneCutoffs &cutoffs, PruneCursor *cursor, int maxRows,
                    qint64 *deleted, qint64 *rollupsDeleted, bool *finished, QString *error);

private:
    struct Row
    {
        qint64 deviceKey;
        qint64 metricKey;
        qint64 tsMs;
        double value;
    };

    // Running aggregate of one rollup bucket while the sorted rows are written.
    struct Aggregate
    {
        qint64 deviceKey = -1;
        qint64 metricKey = -1;
        qint64 bucketMs = 0;
        double min = 0;
        double max = 0;
        double sum = 0;
        qint64 count = 0;
    };
    struct BucketKey
    {
        qint64 deviceKey;
        qint64 metricKey;
        qint64 bucketMs;
        friend bool operator==(const BucketKey &, const BucketKey &) = default;
        friend size_t qHash(const BucketKey &k, size_t seed = 0) noexcept
        {
            return qHashMulti(seed, k.deviceKey, k.metricKey, k.bucketMs);
        }
    };

    // The units of one commit, in order: device states (newest per device), then samples.
    struct Units
    {
        QList<const Device *> devices;
        QList<const TelemetrySample *> samples;
        qsizetype size() const { return devices.size() + samples.size(); }
    };
    enum class Fault { None, Content, File };

    bool isolate(const Units &units, qsizetype from, qsizetype to, CommitStats *stats,
                 StorageRejectList *rejects, QString *error);
    bool commitRange(const Units &units, qsizetype from, qsizetype to, CommitStats *stats,
                     QString *error);
    bool fail();  // records the fault of the SQLite error just seen, rolls back; false
    // Deletes the devices of one batch in one transaction (a fault: rolled back, false).
    bool deleteDevices(const QList<DeviceKey> &devices, CommitStats *stats, QString *error);
    bool writeRows(QString *error);
    bool addToRollup(Aggregate &agg, qint64 widthMs, const Row &row, SqlStatement &upsert,
                     QString *error);
    bool flushRollup(Aggregate &agg, SqlStatement &upsert, QString *error);
    bool recomputeDirtyBuckets(QString *error);
    bool upsertDevice(const Device &device, qint64 nowMs, QString *error);
    bool deviceKey(const DeviceKey &device, qint64 *key, QString *error);
    bool metricKey(const QString &name, qint64 *key, QString *error);
    bool ensureSeries(qint64 deviceKey, qint64 metricKey, QString *error);
    bool loadCaches(QString *error);
    void forgetUncommittedKeys();
    void rollback();

    Database &m_db;
    DeviceDeleter m_deleter;
    SqlStatement m_begin;
    SqlStatement m_commit;
    SqlStatement m_upsertDevice;
    SqlStatement m_upsertMetric;
    SqlStatement m_upsertReject;
    SqlStatement m_deleteReject;
    SqlStatement m_insertDeviceKey;
    SqlStatement m_insertMetricKey;
    SqlStatement m_insertSeries;
    SqlStatement m_insertRow;
    SqlStatement m_nextSeries;
    SqlStatement m_pruneSeries;
    SqlStatement m_pruneMinute;
    SqlStatement m_pruneHour;
    SqlStatement m_updateRow;
    SqlStatement m_upsertMinute;
    SqlStatement m_upsertHour;
    SqlStatement m_deleteMinute;
    SqlStatement m_recomputeMinute;
    SqlStatement m_deleteHour;
    SqlStatement m_recomputeHour;

    QHash<DeviceKey, qint64> m_deviceKeys;
    QHash<QString, qint64> m_metricKeys;
    QSet<QPair<qint64, qint64>> m_series;
    // Keys created in the open transaction; dropped from the caches if it rolls back.
    QList<DeviceKey> m_newDeviceKeys;
    QList<QString> m_newMetricKeys;
    QList<QPair<qint64, qint64>> m_newSeries;
    std::vector<Row> m_rows;  // reused between commits
    QSet<BucketKey> m_dirtyMinutes;  // buckets with a replaced raw value: recomputed exactly
    QList<QByteArray> m_reasonKeys;
    Fault m_fault = Fault::None;
    int m_transactions = 0;
};

} // namespace fd
