#pragma once

#include "core/storage/sql_statement.h"
#include "core/storage/storage_batch.h"

#include <QHash>
#include <QList>
#include <QPair>
#include <QSet>
#include <QString>

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
    };

    // Position of a retention pass: the last (device_key, metric_key) series fully pruned.
    struct PruneCursor
    {
        qint64 deviceKey = -1;
        qint64 metricKey = -1;
    };

    explicit BatchCommitter(Database &db);

    // Prepares the statements and loads the key caches. False with error.
    bool prepare(QString *error);

    // Writes all batches in one transaction; on failure rolls back completely (the batches
    // can be committed again later) and returns false with error.
    bool commit(const QList<StorageBatch> &batches, CommitStats *stats, QString *error);

    // One bounded retention step in its own short transaction: deletes telemetry older than
    // cutoffMs from the series after cursor, at most about maxRows rows, and advances
    // cursor. *finished is set when every series has been visited.
    bool pruneChunk(qint64 cutoffMs, PruneCursor *cursor, int maxRows, qint64 *deleted,
                    bool *finished, QString *error);

private:
    struct Row
    {
        qint64 deviceKey;
        qint64 metricKey;
        qint64 tsMs;
        double value;
    };

    bool upsertDevice(const Device &device, qint64 nowMs, QString *error);
    bool deviceKey(const QString &deviceId, qint64 *key, QString *error);
    bool metricKey(const QString &name, qint64 *key, QString *error);
    bool ensureSeries(qint64 deviceKey, qint64 metricKey, QString *error);
    bool loadCaches(QString *error);
    void forgetUncommittedKeys();
    void rollback();

    Database &m_db;
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

    QHash<QString, qint64> m_deviceKeys;
    QHash<QString, qint64> m_metricKeys;
    QSet<QPair<qint64, qint64>> m_series;
    // Keys created in the open transaction; dropped from the caches if it rolls back.
    QList<QString> m_newDeviceKeys;
    QList<QString> m_newMetricKeys;
    QList<QPair<qint64, qint64>> m_newSeries;
    std::vector<Row> m_rows;  // reused between commits
    QList<QByteArray> m_reasonKeys;
};

} // namespace fd
