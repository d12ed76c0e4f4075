#include "core/storage/storage_writer.h"

#include "core/storage/batch_committer.h"
#include "core/storage/database.h"
#include "core/storage/storage_log.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QMutex>
#include <QThread>
#include <QWaitCondition>

#include <atomic>
#include <utility>

using namespace Qt::StringLiterals;

namespace fd {

namespace {
constexpr int kInitialRetryMs = 1000;
constexpr int kMaxRetryMs = 30000;
constexpr qint64 kMsPerDay = 24LL * 60 * 60 * 1000;
} // namespace

struct StorageWriter::Impl
{
    explicit Impl(StorageWriter *owner)
        : q(owner)
    {
    }

    StorageWriter *const q;
    Database db;                                // used by the writer thread only while running
    std::unique_ptr<BatchCommitter> committer;  // idem
    std::unique_ptr<QThread> thread;

    // Everything below up to the atomics is guarded by mutex.
    mutable QMutex mutex;
    QWaitCondition wake;      // -> writer thread: work, flush or stop
    QWaitCondition progress;  // -> flush(): something was committed or failed
    QList<StorageBatch> queue;
    qsizetype queuedSamples = 0;
    qsizetype queuedRows = 0;   // metric values in the queue
    quint64 submitted = 0;      // sequence number of the last submitted batch
    quint64 committed = 0;      // every batch up to this one is committed (or given up)
    quint64 failures = 0;       // number of failed commit attempts
    quint64 failedThrough = 0;  // the last failed attempt covered batches up to this one
    quint64 droppedSamples = 0; // dropped over the pending limit, not yet reported
    quint64 pruneRequested = 0;
    quint64 pruneDone = 0;
    quint64 packRequested = 0;
    quint64 packDone = 0;
    bool packTimerArmed = false;  // writer thread: something staged since the last pack
    bool packFailing = false;     // the last pack failed
    QDeadlineTimer nextPack;
    QDeadlineTimer nextMigration{0};  // a failed migration step waits before the next
    bool running = false;
    bool stopping = false;
    bool flushRequested = false;
    bool retryPending = false;
    int retryMs = kInitialRetryMs;
    QDeadlineTimer retryAt;
    QDeadlineTimer nextCommit;  // earliest time of the next regular commit
    QDeadlineTimer nextPrune;
    RetentionPolicy retention;  // as given; normalized when a retention pass starts

    // Retention pass state: writer thread only.
    bool pruneActive = false;
    quint64 pruneTarget = 0;
    BatchCommitter::PruneCutoffs pruneCutoffs;
    qint64 pruneDeleted = 0;
    qint64 pruneRollupsDeleted = 0;
    BatchCommitter::PruneCursor pruneCursor;

    std::atomic<quint64> prunedRollupRows{0};
    std::atomic<int> commitIntervalMs{kDefaultCommitIntervalMs};
    std::atomic<quint64> samples{0};
    std::atomic<quint64> rows{0};
    std::atomic<quint64> transactions{0};
    std::atomic<quint64> prunedRows{0};
    std::atomic<quint64> rejectedUnits{0};
    std::atomic<quint64> lost{0};  // samples given up: over the pending limit, or at stop
    std::atomic<quint64> packedPoints{0};
    std::atomic<quint64> packs{0};
    std::atomic<qsizetype> pendingDeviceStates{0};  // held back by the committer (flush writes them)

    void run();
    void commitQueued(QMutexLocker<QMutex> &lock);
    void pruneStep(QMutexLocker<QMutex> &lock);
    bool packDue() const;
    qint64 packThreshold() const;
    void packStaged(QMutexLocker<QMutex> &lock);
    void migrateStep(QMutexLocker<QMutex> &lock);
    void finishPrune();
    BatchCommitter::PruneCutoffs cutoffs(qint64 nowMs) const;
    qsizetype enforcePendingLimit();
    void report(QMutexLocker<QMutex> &lock, const QString &message);
    // What the operator can do about a failed commit, from SQLite's words for it.
    static QString remedy(const QString &error);
};

void StorageWriter::Impl::run()
{
    QMutexLocker lock(&mutex);
    for (;;) {
        const bool urgent = flushRequested || stopping;
        const bool due = nextCommit.hasExpired() || queuedRows >= kCommitRowsThreshold;
        const bool retryDue = !retryPending || retryAt.hasExpired();
        // Under sustained load commits are always due: staging must not grow without bound
        // (readers scan it), so a full staging table is packed before the next commit.
        if (!queue.isEmpty() && !retryPending && !packFailing && committer->stagedPoints() >= packThreshold()) {
            packStaged(lock);
            continue;
        }
        // Device states held back (BatchCommitter coalesces them) are written when due, or
        // by a flush or stop even with nothing queued.
        const qint64 statesDueIn = committer->msUntilDeviceStatesDue();
        const bool statesWaiting = statesDueIn == 0 || (statesDueIn > 0 && urgent);
        if ((!queue.isEmpty() || statesWaiting) && (urgent || (due && retryDue) || (queue.isEmpty() && retryDue))) {
            commitQueued(lock);
            continue;
        }
        if (stopping)
            break;
        if (packDue()) {
            packStaged(lock);
            continue;
        }
        if (pruneActive || pruneRequested > pruneDone || nextPrune.hasExpired()) {
            pruneStep(lock);
            continue;
        }
        const bool migrating = committer->migrationPending();
        if (migrating && nextMigration.hasExpired()) {
            migrateStep(lock);
            continue;
        }
        QDeadlineTimer deadline = nextPrune;
        if (packTimerArmed && nextPack < deadline)
            deadline = nextPack;
        if (statesDueIn > 0 && QDeadlineTimer(statesDueIn) < deadline)
            deadline = QDeadlineTimer(statesDueIn);
        if (migrating && nextMigration < deadline)
            deadline = nextMigration;
        if (!queue.isEmpty()) {
            QDeadlineTimer commitAt = nextCommit;
            if (retryPending && commitAt < retryAt)
                commitAt = retryAt;
            if (commitAt < deadline)
                deadline = commitAt;
        }
        wake.wait(&mutex, deadline);
    }
    // What is staged is safe already; packing it now leaves a closed cache all in blocks.
    if (committer->stagedPoints() > 0 && !retryPending)
        packStaged(lock);
    // An unfinished retention pass simply starts again next time; release waiters.
    pruneActive = false;
    packDone = packRequested;
    pruneDone = pruneRequested;
    running = false;
    progress.wakeAll();
}

void StorageWriter::Impl::commitQueued(QMutexLocker<QMutex> &lock)
{
    QList<StorageBatch> work;
    work.swap(queue);
    const qsizetype workSamples = queuedSamples;
    const qsizetype workRows = queuedRows;
    queuedSamples = 0;
    queuedRows = 0;
    const quint64 upTo = submitted;
    const bool writeAllStates = flushRequested || stopping;
    flushRequested = false;
    const quint64 dropped = std::exchange(droppedSamples, 0);
    lock.unlock();

    QElapsedTimer timer;
    timer.start();
    BatchCommitter::CommitStats stats;
    StorageRejectList rejects;
    QString error;
    const bool ok = committer->commit(work, &stats, &rejects, &error, writeAllStates);
    pendingDeviceStates = committer->pendingDeviceStates();
    if (ok) {
        samples += stats.samples;
        rows += stats.rows;
        transactions += quint64(committer->lastCommitTransactions());
        rejectedUnits += quint64(rejects.size());
        qCDebug(lcStorage) << "committed" << work.size() << "batches," << stats.devices
                           << "devices," << stats.rows << "rows in" << timer.elapsed() << "ms";
        if (stats.deletedDevices > 0)
            qCInfo(lcStorage) << "deleted" << stats.deletedDevices << "devices and their telemetry";
    }

    lock.relock();
    nextCommit = QDeadlineTimer(commitIntervalMs.load());
    QString message;
    QList<quint64> deletions;  // reported once committed, or given up at stop
    if (ok || stopping) {
        for (const StorageBatch &batch : std::as_const(work)) {
            if (batch.deletionId != 0)
                deletions.append(batch.deletionId);
        }
    }
    if (ok) {
        committed = upTo;
        retryPending = false;
        retryMs = kInitialRetryMs;
        if (!packTimerArmed && committer->stagedPoints() > 0) {
            packTimerArmed = true;
            nextPack = QDeadlineTimer(kPackIntervalMs);
        }
    } else {
        ++failures;
        failedThrough = upTo;
        if (stopping) {
            committed = upTo;  // nothing more will be tried: give up, loudly
            lost += quint64(workSamples);
            committer->dropPendingDeviceStates();
            pendingDeviceStates = 0;
            message = tr("Saving to the cache %1 failed while stopping (%2); %3 telemetry samples "
                         "and the latest state of the devices in them were not saved.")
                          .arg(db.path(), error)
                          .arg(workSamples);
        } else {
            work.append(std::move(queue));
            queue = std::move(work);
            queuedSamples += workSamples;
            queuedRows += workRows;
            retryPending = true;
            retryAt = QDeadlineTimer(retryMs);
            message = tr("Saving to the cache %1 failed: %2. The data is kept in memory and "
                         "saving is retried in %3 s; %4.")
                          .arg(db.path(), error)
                          .arg(retryMs / 1000)
                          .arg(remedy(error));
            retryMs = qMin(retryMs * 2, kMaxRetryMs);
        }
    }
    progress.wakeAll();
    if (!deletions.isEmpty()) {
        lock.unlock();  // never emit under the lock
        for (quint64 id : std::as_const(deletions))
            emit q->devicesDeleted(id, ok);
        lock.relock();
    }
    if (!message.isEmpty())
        report(lock, message);
    if (!rejects.isEmpty()) {
        lock.unlock();
        emit q->rejected(rejects);
        lock.relock();
    }
    if (dropped > 0)
        report(lock, tr("The cache %1 cannot keep up: %2 telemetry samples waiting to be saved "
                        "were dropped (more than %3 were pending).")
                         .arg(db.path())
                         .arg(dropped)
                         .arg(kMaxPendingSamples));
}

// Packing has a cost per series (a block, its rollup buckets): enough points per series per
// pack keep it low; the interval bounds how much readers scan in the staging table.
qint64 StorageWriter::Impl::packThreshold() const
{
    return qMax<qint64>(kPackPoints, kPackPointsPerSeries * qint64(committer->seriesCount()));
}

bool StorageWriter::Impl::packDue() const
{
    if (retryPending)
        return false;  // the file is failing: commits retry first
    if (packRequested > packDone)
        return true;
    return committer->stagedPoints() > 0
           && (committer->stagedPoints() >= packThreshold() || (packTimerArmed && nextPack.hasExpired()));
}

void StorageWriter::Impl::packStaged(QMutexLocker<QMutex> &lock)
{
    const quint64 target = packRequested;
    lock.unlock();
    QElapsedTimer timer;
    timer.start();
    BlockPacker::Stats stats;
    QString error;
    const bool ok = committer->pack(&stats, &error);
    if (ok) {
        packedPoints += quint64(stats.points);
        ++packs;
        qCDebug(lcStorage) << "packed" << stats.points << "points of" << stats.stagedRows << "staged rows into"
                           << stats.blocks << "blocks in" << timer.elapsed() << "ms";
    }
    lock.relock();
    packTimerArmed = false;
    packDone = target;
    packFailing = !ok;
    progress.wakeAll();
    if (!ok) {
        // Staged rows are safe; packing is retried with the next commit's schedule.
        packTimerArmed = true;
        nextPack = QDeadlineTimer(retryMs);
        report(lock, tr("Packing telemetry in the cache %1 failed: %2. The points stay in the cache's staging "
                        "table and packing is retried.")
                         .arg(db.path(), error));
        return;
    }
    if (stats.damagedRows > 0)
        report(lock, tr("The cache %1 had %2 damaged rows of recent telemetry; they were dropped.")
                         .arg(db.path())
                         .arg(stats.damagedRows));
}

void StorageWriter::Impl::migrateStep(QMutexLocker<QMutex> &lock)
{
    lock.unlock();
    bool finished = false;
    QString error;
    const bool ok = committer->migrateStep(kMigrationStepRows, &finished, &error);
    const qint64 moved = committer->migrationMovedRows();
    const qint64 total = qMax(moved, committer->migrationTotalRows());
    if (ok)
        emit q->migrationProgress(moved, total, finished);
    lock.relock();
    if (!ok) {
        nextMigration = QDeadlineTimer(kMaxRetryMs);
        report(lock, tr("Converting the cache %1 to compressed telemetry failed: %2. It continues later; "
                        "nothing is lost.")
                         .arg(db.path(), error));
    }
}

void StorageWriter::Impl::pruneStep(QMutexLocker<QMutex> &lock)
{
    if (!pruneActive) {
        pruneActive = true;
        pruneTarget = pruneRequested;
        pruneDeleted = 0;
        pruneRollupsDeleted = 0;
        pruneCursor = {};
        pruneCutoffs = cutoffs(QDateTime::currentMSecsSinceEpoch());
        if (pruneCutoffs.keepsAll()) {  // retention off
            finishPrune();
            lock.unlock();
            emit q->pruned(0);
            lock.relock();
            return;
        }
        // Staged points are pruned from blocks like the rest: pack them first (unless
        // packing is failing; then a later pass prunes them).
        if (pruneCutoffs.rawMs != BatchCommitter::PruneCutoffs::kKeepAll && committer->stagedPoints() > 0
            && !packFailing)
            packStaged(lock);
    }
    lock.unlock();
    qint64 deleted = 0;
    qint64 rollupsDeleted = 0;
    bool finished = false;
    QString error;
    const bool ok = committer->pruneChunk(pruneCutoffs, &pruneCursor, kPruneChunkRows, &deleted,
                                          &rollupsDeleted, &finished, &error);
    prunedRows += quint64(deleted);
    prunedRollupRows += quint64(rollupsDeleted);
    pruneDeleted += deleted;
    pruneRollupsDeleted += rollupsDeleted;
    lock.relock();
    if (!ok) {
        finishPrune();
        report(lock, tr("Deleting old telemetry from the cache %1 failed: %2. It is retried in "
                        "an hour.")
                         .arg(db.path(), error));
        return;
    }
    if (finished) {
        const qint64 total = pruneDeleted;
        finishPrune();
        if (total > 0 || pruneRollupsDeleted > 0)
            qCInfo(lcStorage) << "retention deleted" << total << "raw telemetry rows and"
                              << pruneRollupsDeleted << "rollup rows";
        lock.unlock();
        emit q->pruned(total);
        lock.relock();
    }
}

BatchCommitter::PruneCutoffs StorageWriter::Impl::cutoffs(qint64 nowMs) const
{
    const RetentionPolicy policy = retention.normalized();
    auto cutoff = [nowMs](int days) {
        return RetentionPolicy::keepsForever(days) ? BatchCommitter::PruneCutoffs::kKeepAll
                                                   : nowMs - days * kMsPerDay;
    };
    BatchCommitter::PruneCutoffs c;
    c.rawMs = cutoff(policy.rawDays);
    c.minuteMs = cutoff(policy.minuteDays);
    c.hourMs = cutoff(policy.hourDays);
    return c;
}

void StorageWriter::Impl::finishPrune()
{
    pruneActive = false;
    pruneDone = pruneTarget;
    nextPrune = QDeadlineTimer(kPruneIntervalMs);
    progress.wakeAll();
}

qsizetype StorageWriter::Impl::enforcePendingLimit()
{
    qsizetype excess = queuedSamples - kMaxPendingSamples;
    qsizetype dropped = 0;
    for (StorageBatch &batch : queue) {
        if (excess <= 0)
            break;
        const qsizetype n = qMin(batch.samples.size(), excess);
        for (qsizetype i = 0; i < n; ++i)
            queuedRows -= batch.samples.at(i).metrics.size();
        batch.samples.remove(0, n);
        excess -= n;
        dropped += n;
    }
    queuedSamples -= dropped;
    return dropped;
}

QString StorageWriter::Impl::remedy(const QString &error)
{
    // sqlite3_errstr(SQLITE_BUSY / SQLITE_LOCKED) and (SQLITE_FULL).
    if (error.contains(u"database is locked") || error.contains(u"database table is locked"))
        return tr("another program holds a lock on the file: close it (another FleetDeck, fleetdeckctl or an "
                  "SQLite tool using this cache)");
    if (error.contains(u"disk is full"))
        return tr("free disk space on its drive");
    return tr("free disk space or check the file");
}

void StorageWriter::Impl::report(QMutexLocker<QMutex> &lock, const QString &message)
{
    qCWarning(lcStorage).noquote() << message;
    lock.unlock();  // never emit under the lock: a direct connection could call back into us
    emit q->writeFailed(message);
    lock.relock();
}

StorageWriter::StorageWriter(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Impl>(this))
{
    qRegisterMetaType<fd::StorageRejectList>();
}

StorageWriter::~StorageWriter()
{
    stop();
    QMutexLocker lock(&d->mutex);
    if (!d->queue.isEmpty())  // submitted, but the writer never started successfully
        qCWarning(lcStorage).noquote()
            << "cache writer destroyed with" << d->queuedSamples << "telemetry samples and"
            << d->queue.size() << "batches that were never saved (it was not running)";
}

bool StorageWriter::start(const QString &path, QString *error)
{
    auto fail = [error](const QString &message) {
        qCWarning(lcStorage).noquote() << message;
        if (error)
            *error = message;
        return false;
    };
    if (d->thread)
        return fail(tr("The cache writer is already running on %1.").arg(d->db.path()));
    const Database::OpenResult opened = d->db.open(path);
    if (!opened.ok())
        return fail(opened.message);
    // A bigger page cache keeps the hot b-tree pages of many series in memory.
    QString sqlError;
    auto committer = std::make_unique<BatchCommitter>(d->db);
    if (!d->db.exec("PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;"
                    " PRAGMA journal_size_limit = 67108864;",
                    &sqlError)
        || !committer->prepare(&sqlError)) {
        committer.reset();
        d->db.close();
        return fail(tr("Cannot prepare the cache %1 for writing: %2").arg(path, sqlError));
    }
    {
        QMutexLocker lock(&d->mutex);
        d->committer = std::move(committer);
        d->running = true;
        d->stopping = false;
        d->retryPending = false;
        d->nextCommit = QDeadlineTimer(0);
        d->nextPrune = QDeadlineTimer(0);  // retention once at start
    }
    d->thread.reset(QThread::create([this] { d->run(); }));
    d->thread->setObjectName(u"fleetdeck-storage"_s);
    d->thread->start();
    return true;
}

void StorageWriter::stop()
{
    if (!d->thread)
        return;
    {
        QMutexLocker lock(&d->mutex);
        d->stopping = true;
        d->wake.wakeAll();
    }
    d->thread->wait();
    d->thread.reset();
    d->committer.reset();
    d->db.close();
}

bool StorageWriter::isRunning() const
{
    QMutexLocker lock(&d->mutex);
    return d->running;
}

void StorageWriter::submit(StorageBatch batch)
{
    if (batch.isEmpty())
        return;
    qsizetype rows = 0;
    for (const TelemetrySample &sample : std::as_const(batch.samples))
        rows += sample.metrics.size();
    QMutexLocker lock(&d->mutex);
    if (d->stopping) {
        const QString message = tr("%1 telemetry samples and %2 device updates arrived after "
                                   "the cache writer stopped and were not saved.")
                                    .arg(batch.samples.size())
                                    .arg(batch.devices.size());
        lock.unlock();
        qCWarning(lcStorage).noquote() << message;
        d->lost += quint64(batch.samples.size());
        emit writeFailed(message);
        return;
    }
    const bool wasEmpty = d->queue.isEmpty();
    d->queuedSamples += batch.samples.size();
    d->queuedRows += rows;
    d->queue.append(std::move(batch));
    ++d->submitted;
    if (d->queuedSamples > kMaxPendingSamples) {
        const auto dropped = quint64(d->enforcePendingLimit());
        d->droppedSamples += dropped;
        d->lost += dropped;
    }
    // The writer only needs a nudge when it may have to commit earlier than planned.
    if (wasEmpty || d->queuedRows >= kCommitRowsThreshold)
        d->wake.wakeOne();
}

bool StorageWriter::flush(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    QMutexLocker lock(&d->mutex);
    if (d->pendingDeviceStates.load() > 0 && d->running && !d->stopping) {
        // An empty batch: a commit that writes the device states held back.
        d->queue.append(StorageBatch{});
        ++d->submitted;
    }
    const quint64 target = d->submitted;
    const quint64 pruneTarget = d->pruneRequested;
    const quint64 packTarget = d->packRequested;
    const quint64 failuresBefore = d->failures;
    auto done = [&] {
        return d->committed >= target && d->pruneDone >= pruneTarget && d->packDone >= packTarget;
    };
    if (done())
        return true;
    d->flushRequested = true;
    d->wake.wakeOne();
    while (!done()) {
        if (!d->running)
            return false;
        if (d->failures != failuresBefore && d->failedThrough >= target && d->committed < target)
            return false;
        if (!d->progress.wait(&d->mutex, deadline))
            return done();
    }
    return true;
}

void StorageWriter::setCommitIntervalMs(int ms)
{
    d->commitIntervalMs = qMax(0, ms);
    QMutexLocker lock(&d->mutex);
    d->nextCommit = QDeadlineTimer(0);
    d->wake.wakeOne();
}

int StorageWriter::commitIntervalMs() const
{
    return d->commitIntervalMs.load();
}

void StorageWriter::setRetention(const RetentionPolicy &policy)
{
    QMutexLocker lock(&d->mutex);
    d->retention = policy;
}

RetentionPolicy StorageWriter::retention() const
{
    QMutexLocker lock(&d->mutex);
    return d->retention;
}

quint64 StorageWriter::prunedRollupRows() const
{
    return d->prunedRollupRows.load();
}

void StorageWriter::packNow()
{
    QMutexLocker lock(&d->mutex);
    ++d->packRequested;
    d->wake.wakeOne();
}

quint64 StorageWriter::packedPoints() const
{
    return d->packedPoints.load();
}

quint64 StorageWriter::packs() const
{
    return d->packs.load();
}

void StorageWriter::pruneNow()
{
    QMutexLocker lock(&d->mutex);
    ++d->pruneRequested;
    d->wake.wakeOne();
}

quint64 StorageWriter::committedSamples() const
{
    return d->samples.load();
}

quint64 StorageWriter::committedRows() const
{
    return d->rows.load();
}

quint64 StorageWriter::committedTransactions() const
{
    return d->transactions.load();
}

quint64 StorageWriter::rejectedUnits() const
{
    return d->rejectedUnits.load();
}

quint64 StorageWriter::lostSamples() const
{
    return d->lost.load();
}

quint64 StorageWriter::prunedRows() const
{
    return d->prunedRows.load();
}

} // namespace fd
