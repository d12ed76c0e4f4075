#pragma once

#include "core/storage/block_packer.h"
#include "core/storage/device_deleter.h"
#include "core/storage/device_state_coalescer.h"
#include "core/storage/legacy_telemetry_migrator.h"
#include "core/storage/legacy_telemetry_table.h"
#include "core/storage/retention_pruner.h"
#include "core/storage/sql_statement.h"
#include "core/storage/storage_batch.h"
#include "core/storage/storage_reject.h"

#include <QHash>
#include <QList>
#include <QPair>
#include <QSet>
#include <QVarLengthArray>
#include <QString>

#include <vector>


namespace fd {

class Database;

// The SQL half of StorageWriter, used only on the writer thread: prepared statements that
// are reused across transactions, the caches of numeric device / metric keys, one
// transaction per commit() (device states and staged telemetry), and the bounded steps
// that run between commits: packing staged points into blocks (BlockPacker), converting a
// v3 cache's raw rows (LegacyTelemetryMigrator) and retention (RetentionPruner). No
// threading in here.
class BatchCommitter
{
public:
    struct CommitStats
    {
        quint64 samples = 0;  // TelemetrySample messages
        quint64 rows = 0;     // telemetry points (one metric value each) staged
        quint64 devices = 0;  // device rows upserted (after de-duplication)
        quint64 deletedDevices = 0;  // device rows deleted (StorageBatch::deletedDevices)
    };

    using PruneCursor = RetentionPruner::Cursor;
    using PruneCutoffs = RetentionPruner::Cutoffs;

    explicit BatchCommitter(Database &db);

    // Prepares the statements and loads the key caches. False with error.
    bool prepare(QString *error);

    // Writes all batches, normally in one transaction: device states, and every sample's
    // metric values appended to telemetry_staging (one row per device). When SQLite refuses
    // it because of what a row contains (a constraint, a value it cannot hold), the commit
    // is split in halves, recursively, until each refused unit (one sample, or one device's
    // state) is alone; those land in *rejects and everything else is saved. False with error
    // only for a fault of the file (disk full, I/O, read-only, locked...): then everything
    // is rolled back, *rejects is left empty, and the batches can be committed again later.
    // Deletions (StorageBatch::deletedDevices) take effect in queue order, each in its own
    // transaction between what was queued before and after it.
    //
    // Device states are coalesced (DeviceStateCoalescer): an update within 30 s of the last
    // write of a device that keeps its identity is held back; writeAllDeviceStates (flush,
    // stop) writes every held-back state now.
    bool commit(const QList<StorageBatch> &batches, CommitStats *stats, StorageRejectList *rejects,
                QString *error, bool writeAllDeviceStates = true);

    qsizetype pendingDeviceStates() const { return m_deviceStates.pending(); }
    // Milliseconds until the first held-back state is due (0: due now; -1: none held back).
    qint64 msUntilDeviceStatesDue() const { return m_deviceStates.msUntilDue(); }
    // Forgets the held-back states (the writer gives up at stop after a failure).
    qsizetype dropPendingDeviceStates() { return m_deviceStates.dropPending(); }

    // Transactions of the last commit() (1 unless it had to be split). For tests and logs.
    int lastCommitTransactions() const { return m_transactions; }

    // Staged points not packed yet (counted since prepare(), which reads what the file has).
    qint64 stagedPoints() const { return m_stagedPoints; }
    // Series (device, metric) the cache knows.
    qsizetype seriesCount() const { return m_series.size(); }
    // Packs every staged point into blocks, in one transaction (BlockPacker::pack).
    bool pack(BlockPacker::Stats *stats, QString *error);

    // True while a v3 cache's raw rows are still being converted.
    bool migrationPending() const { return !m_migrator.isFinished(); }
    qint64 migrationTotalRows() const { return m_migrator.totalRows(); }
    qint64 migrationMovedRows() const { return m_migrator.movedRows(); }
    bool migrateStep(int maxRows, bool *finished, QString *error);

    // One bounded retention step in its own short transaction (RetentionPruner::step).
    bool pruneChunk(const PruneCutoffs &cutoffs, PruneCursor *cursor, int maxRows,
                    qint64 *deleted, qint64 *rollupsDeleted, bool *finished, QString *error);

private:
    // The units of one commit, in order: device states (newest per device), then samples.
    struct Units
    {
        QList<const Device *> devices;
        QList<const TelemetrySample *> samples;
        qsizetype size() const { return devices.size() + samples.size(); }
    };
    // One device's points of one commit, becoming one staging row.
    struct StagingRow
    {
        QVarLengthArray<qint64, 8> series;  // metric keys whose series row is known to exist
        QByteArray data;
        int count = 0;
        qint64 firstMs = 0;
        qint64 lastMs = 0;
        qint64 previousTsMs = 0;
    };
    enum class Fault { None, Content, File };

    bool isolate(const Units &units, qsizetype from, qsizetype to, CommitStats *stats,
                 StorageRejectList *rejects, QString *error);
    bool commitRange(const Units &units, qsizetype from, qsizetype to, CommitStats *stats,
                     QString *error);
    bool fail();  // records the fault of the SQLite error just seen, rolls back; false
    // Deletes the devices of one batch in one transaction (a fault: rolled back, false).
    bool deleteDevices(const QList<DeviceKey> &devices, CommitStats *stats, QString *error);
    bool writeStaging(QString *error);
    void resetStaging();
    bool upsertDevice(const Device &device, qint64 nowMs, QString *error);
    bool deviceKey(const DeviceKey &device, qint64 *key, QString *error);
    bool metricKey(const QString &name, qint64 *key, QString *error);
    bool ensureSeries(qint64 deviceKey, qint64 metricKey, QString *error);
    bool loadCaches(QString *error);
    void forgetUncommittedKeys();
    void rollback();

    Database &m_db;
    DeviceDeleter m_deleter;
    LegacyTelemetryTable m_legacy;
    BlockPacker m_packer;
    LegacyTelemetryMigrator m_migrator;
    RetentionPruner m_pruner;
    SqlStatement m_begin;
    SqlStatement m_commit;
    SqlStatement m_upsertDevice;
    SqlStatement m_upsertMetric;
    SqlStatement m_upsertReject;
    SqlStatement m_deleteRejects;
    SqlStatement m_insertDeviceKey;
    SqlStatement m_insertMetricKey;
    SqlStatement m_insertSeries;
    SqlStatement m_insertStaging;

    QHash<DeviceKey, qint64> m_deviceKeys;
    QHash<QString, qint64> m_metricKeys;
    QSet<QPair<qint64, qint64>> m_series;
    // Keys created in the open transaction; dropped from the caches if it rolls back.
    QList<DeviceKey> m_newDeviceKeys;
    QList<QString> m_newMetricKeys;
    QList<QPair<qint64, qint64>> m_newSeries;
    QHash<qint64, StagingRow> m_staging;  // per device key, reused between commits
    QList<qint64> m_stagingOrder;         // device keys in first-seen order
    // Metric keys by position in the sample, valid within one commitRange(): decoders intern
    // metric names, so the same name is the same string buffer in every sample.
    struct NameKey
    {
        const QChar *data = nullptr;
        qsizetype size = -1;
        qint64 key = 0;
    };
    std::vector<NameKey> m_nameKeys;
    QList<QByteArray> m_reasonKeys;
    DeviceStateCoalescer m_deviceStates;
    Fault m_fault = Fault::None;
    int m_transactions = 0;
    qint64 m_stagedPoints = 0;
};

} // namespace fd
