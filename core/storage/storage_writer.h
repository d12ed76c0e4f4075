#pragma once

#include "core/storage/retention_policy.h"
#include "core/storage/storage_batch.h"
#include "core/storage/storage_reject.h"

#include <QObject>
#include <QString>

#include <memory>

namespace fd {

// The single writer of the cache: its own thread and its own SQLite connection. submit() is
// thread-safe and cheap (appends to a queue); the thread commits everything queued so far in
// one transaction, so load turns into few, large transactions. Raw telemetry older than the
// retention is deleted periodically. flush() blocks until everything submitted is durable.
//
// Commits are at most one per commitIntervalMs() (default 1 s) unless kCommitRowsThreshold
// rows are waiting, flush() or stop() is called: raw telemetry is clustered by series, so
// every transaction rewrites the newest page of each series it touches; fewer, larger
// transactions keep that write volume down. Data arriving after a quiet period is committed
// at once.
//
// Content the cache refuses (a constraint, a value SQLite cannot hold) never blocks the rest:
// the commit is split until the offending samples or device states are alone, those are
// reported through rejected() and everything else is saved (BatchCommitter::commit()).
// Faults of the file (disk full, I/O error, locked or read-only file): the transaction is
// rolled back, writeFailed() is emitted at the first failure and the batches stay queued
// in order; the writer retries with a growing delay
// (1 s .. 30 s) or at once on flush(). While failing, at most kMaxPendingSamples samples are
// kept; older samples beyond that are dropped and reported through writeFailed(). At stop()
// one last attempt is made; what still fails then is reported and dropped.
// Commits append the points to the staging table (schema v4), one row per device: a few
// sequential pages per commit. Between commits the writer packs staged points into
// compressed per-series blocks and updates the per-minute and per-hour rollups
// (BlockPacker), once max(kPackPoints, kPackPointsPerSeries x series) points are staged or
// kPackIntervalMs after the first unpacked commit, and at stop(); a v3 cache's raw rows are converted to blocks in steps
// of kMigrationStepRows (LegacyTelemetryMigrator; migrationProgress()).
// A device's state (inventory row, latest values, counters) is written at once when the
// device is new or its identity changes, else at most every 30 s (BatchCommitter holds the
// newest state back meanwhile); flush() and stop() write every held-back state. After a
// crash the cached inventory may be up to 30 s behind; its telemetry never is.
// Retention runs at start and every hour, in short transactions of at most kPruneChunkRows
// deleted rows, with queued batches committed in between.
class StorageWriter : public QObject
{
    Q_OBJECT
public:
    static constexpr qsizetype kMaxPendingSamples = 1000000;
    static constexpr int kPruneChunkRows = 20000;
    static constexpr int kPruneIntervalMs = 60 * 60 * 1000;
    static constexpr int kDefaultCommitIntervalMs = 1000;
    static constexpr qsizetype kCommitRowsThreshold = 200000;
    static constexpr qint64 kPackPoints = 65536;
    static constexpr qint64 kPackPointsPerSeries = 32;
    static constexpr int kPackIntervalMs = 30000;
    static constexpr int kMigrationStepRows = 50000;

    explicit StorageWriter(QObject *parent = nullptr);
    ~StorageWriter() override;  // flushes and stops the thread

    // Opens path with its own connection and starts the thread. Returns false with error.
    bool start(const QString &path, QString *error = nullptr);
    void stop();  // flush + stop
    bool isRunning() const;

    // Empty batches are ignored. Batches submitted before start() are written once started.
    void submit(StorageBatch batch);
    // Blocks until everything submitted (and every pruneNow() requested) before this call
    // is committed. False on timeout or if the commit failed (the data stays queued).
    bool flush(int timeoutMs = 10000);

    // Minimum time between two regular commits; 0 commits whatever is queued at once.
    void setCommitIntervalMs(int ms);
    int commitIntervalMs() const;

    // How long raw telemetry and the rollups are kept (by sample timestamp), applied as
    // RetentionPolicy::normalized(): a level never expires before the one below it. Takes
    // effect at the next retention pass (pruneNow() for one at once).
    void setRetention(const RetentionPolicy &policy);
    RetentionPolicy retention() const;
    // Asks the writer thread to delete raw telemetry older than now - retention, in bounded
    // chunks; returns at once. pruned() reports the number of rows; flush() waits for it.
    void pruneNow();
    // Asks the writer thread to pack every staged point into blocks now; flush() waits for it.
    void packNow();

    quint64 committedSamples() const;       // TelemetrySample messages committed
    quint64 committedRows() const;          // telemetry rows (one metric value each)
    quint64 committedTransactions() const;  // batch transactions (retention not counted)
    quint64 prunedRows() const;             // raw telemetry rows deleted by retention
    quint64 rejectedUnits() const;          // samples and device states the cache refused
    // Telemetry samples that were submitted but will never be saved: dropped over
    // kMaxPendingSamples while the file was failing, given up at stop(), or submitted after
    // stop. Zero when nothing was lost.
    quint64 lostSamples() const;
    quint64 prunedRollupRows() const;       // rollup rows deleted by retention
    quint64 packedPoints() const;           // staged points packed into blocks
    quint64 packs() const;                  // pack transactions

signals:
    // Emitted from the writer thread after each step of converting a v3 cache's raw rows
    // into blocks (moved of total rows; moved == total at the end), and once at the end
    // with finished == true.
    void migrationProgress(qint64 moved, qint64 total, bool finished);
    // Emitted from the writer thread (connect queued) when a transaction fails.
    void writeFailed(const QString &message);
    // Emitted from the writer thread after a commit in which the cache refused some units
    // (each one sample or one device state) for what they contain; the rest was saved.
    void rejected(const fd::StorageRejectList &rejects);
    // Emitted from the writer thread when a retention pass has finished.
    void pruned(qint64 rowsDeleted);
    // Emitted from the writer thread when the batch with StorageBatch::deletionId has been
    // committed (committed == true), or given up at stop() after a failure (false).
    void devicesDeleted(quint64 deletionId, bool committed);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace fd
