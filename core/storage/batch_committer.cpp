#include "core/storage/batch_committer.h"

#include "core/domain/device_tags.h"
#include "core/storage/database.h"
#include "core/storage/staging_record_codec.h"
#include "core/storage/storage_log.h"

#include <QDateTime>

#include <sqlite3.h>

#include <algorithm>
#include <limits>
#include <array>
#include <cmath>
#include <tuple>

using namespace Qt::StringLiterals;

namespace fd {

namespace {

constexpr const char kUpsertDevice[] =
    "INSERT INTO devices(id, name, model, fw_version, site, online, last_seen_ms,"
    " last_telemetry_ms, last_seq, message_count, updated_ms, source, path, tags, stale_since_ms,"
    " sparkplug_bdseq, sparkplug_births, sparkplug_deaths, sparkplug_birth_ms, sparkplug_death_ms,"
    " sparkplug_rebirth_cause, sparkplug_rebirth_ms)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)"
    " ON CONFLICT(source, path) DO UPDATE SET id = excluded.id, name = excluded.name, model = excluded.model,"
    " fw_version = excluded.fw_version, site = excluded.site, tags = excluded.tags, online = excluded.online,"
    " last_seen_ms = excluded.last_seen_ms, last_telemetry_ms = excluded.last_telemetry_ms,"
    " last_seq = excluded.last_seq, message_count = excluded.message_count,"
    " updated_ms = excluded.updated_ms, stale_since_ms = excluded.stale_since_ms,"
    " sparkplug_bdseq = excluded.sparkplug_bdseq, sparkplug_births = excluded.sparkplug_births,"
    " sparkplug_deaths = excluded.sparkplug_deaths, sparkplug_birth_ms = excluded.sparkplug_birth_ms,"
    " sparkplug_death_ms = excluded.sparkplug_death_ms, sparkplug_rebirth_cause = excluded.sparkplug_rebirth_cause,"
    " sparkplug_rebirth_ms = excluded.sparkplug_rebirth_ms";

constexpr const char kUpsertMetric[] =
    "INSERT INTO device_metrics(source, path, metric, type, value) VALUES(?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT(source, path, metric) DO UPDATE SET type = excluded.type, value = excluded.value";

constexpr const char kUpsertReject[] =
    "INSERT INTO device_rejects(source, path, reason, count) VALUES(?1, ?2, ?3, ?4)"
    " ON CONFLICT(source, path, reason) DO UPDATE SET count = excluded.count";

constexpr const char kDeleteRejects[] = "DELETE FROM device_rejects WHERE source = ?1 AND path = ?2";

constexpr const char kInsertStaging[] =
    "INSERT INTO telemetry_staging(device_key, count, first_ms, last_ms, data) VALUES(?1, ?2, ?3, ?4, ?5)";

} // namespace

BatchCommitter::BatchCommitter(Database &db)
    : m_db(db)
    , m_deleter(db)
    , m_legacy(db)
    , m_packer(db, m_legacy)
    , m_migrator(db, m_legacy)
    , m_pruner(db, m_legacy)
{
    for (RejectReason reason : kAllRejectReasons)
        m_reasonKeys.append(rejectReasonKey(reason).toUtf8());
}

bool BatchCommitter::prepare(QString *error)
{
    sqlite3 *db = m_db.handle();
    const bool ok =
        m_begin.prepare(db, "BEGIN IMMEDIATE", error, true)
        && m_commit.prepare(db, "COMMIT", error, true)
        && m_upsertDevice.prepare(db, kUpsertDevice, error, true)
        && m_upsertMetric.prepare(db, kUpsertMetric, error, true)
        && m_upsertReject.prepare(db, kUpsertReject, error, true)
        && m_deleteRejects.prepare(db, kDeleteRejects, error, true)
        && m_insertDeviceKey.prepare(db, "INSERT INTO device_keys(source, path) VALUES(?1, ?2)", error, true)
        && m_insertMetricKey.prepare(db, "INSERT INTO metrics(name) VALUES(?1)", error, true)
        && m_insertSeries.prepare(db,
                                  "INSERT OR IGNORE INTO series(device_key, metric_key)"
                                  " VALUES(?1, ?2)",
                                  error, true)
        && m_insertStaging.prepare(db, kInsertStaging, error, true) && m_deleter.prepare(error)
        && m_legacy.prepare(error) && m_packer.prepare(error) && m_migrator.prepare(error)
        && m_pruner.prepare(error);
    if (!ok)
        return false;
    qint64 stagedRows = 0;
    if (!m_packer.stagedCount(&stagedRows, &m_stagedPoints, error))
        return false;
    return loadCaches(error);
}

bool BatchCommitter::loadCaches(QString *error)
{
    m_deviceKeys.clear();
    m_metricKeys.clear();
    m_series.clear();
    auto load = [this, error](const char *sql, const auto &onRow) {
        SqlStatement st;
        if (!st.prepare(m_db.handle(), sql, error))
            return false;
        int rc;
        while ((rc = st.step()) == SQLITE_ROW)
            onRow(st);
        if (rc != SQLITE_DONE) {
            *error = st.errorMessage();
            return false;
        }
        return true;
    };
    return load("SELECT id, source, path FROM device_keys",
                [this](const SqlStatement &st) {
                    m_deviceKeys.insert(DeviceKey{st.columnText(1), st.columnText(2)}, st.columnInt64(0));
                })
           && load("SELECT id, name FROM metrics",
                   [this](const SqlStatement &st) {
                       m_metricKeys.insert(st.columnText(1), st.columnInt64(0));
                   })
           && load("SELECT device_key, metric_key FROM series", [this](const SqlStatement &st) {
                  m_series.insert(qMakePair(st.columnInt64(0), st.columnInt64(1)));
              });
}

bool BatchCommitter::commit(const QList<StorageBatch> &batches, CommitStats *stats,
                            StorageRejectList *rejects, QString *error, bool writeAllDeviceStates)
{
    *stats = CommitStats{};
    rejects->clear();
    m_transactions = 0;
    StorageRejectList found;
    // A batch that deletes devices starts a segment: what was queued before it is written
    // first, then the deletion, then the rest. Each segment is its own transaction(s); a
    // fault of the file stops here, and writing everything again later is idempotent.
    qsizetype begin = 0;
    do {
        qsizetype end = begin + 1;
        while (end < batches.size() && batches.at(end).deletedDevices.isEmpty())
            ++end;
        if (begin < batches.size() && !batches.at(begin).deletedDevices.isEmpty()) {
            m_deviceStates.forget(batches.at(begin).deletedDevices);  // held back: die with them
            if (!deleteDevices(batches.at(begin).deletedDevices, stats, error))
                return false;
        }
        // The newest state of each device wins; earlier copies in the queue are not written.
        QList<const Device *> newest;
        QHash<DeviceKey, qsizetype> indexOf;
        Units units;
        for (qsizetype b = begin; b < qMin(end, batches.size()); ++b) {
            for (const Device &device : batches.at(b).devices) {
                const DeviceKey key = device.key();
                const auto it = indexOf.constFind(key);
                if (it == indexOf.cend()) {
                    indexOf.insert(key, newest.size());
                    newest.append(&device);
                } else {
                    newest[it.value()] = &device;
                }
            }
            for (const TelemetrySample &sample : batches.at(b).samples)
                units.samples.append(&sample);
        }
        using Mode = DeviceStateCoalescer::Mode;
        const Mode mode = end < batches.size() ? Mode::BeforeDelete
                                               : (writeAllDeviceStates ? Mode::WriteAll : Mode::Coalesce);
        units.devices = m_deviceStates.select(newest, mode);
        if (units.size() > 0 && !isolate(units, 0, units.size(), stats, &found, error))
            return false;
        m_deviceStates.written(units.devices);  // or refused for their content: not retried
        begin = end;
    } while (begin < batches.size());
    *rejects = std::move(found);
    return true;
}

bool BatchCommitter::deleteDevices(const QList<DeviceKey> &devices, CommitStats *stats, QString *error)
{
    ++m_transactions;
    m_fault = Fault::None;
    if (!m_begin.execute(error))
        return fail();
    DeviceDeleter::Counts deleted;
    for (const DeviceKey &device : devices) {
        if (!m_deleter.deleteDevice(device, &deleted, error))
            return fail();
    }
    if (!m_commit.execute(error))
        return fail();
    m_packer.forgetSeries();  // their blocks are gone
    stats->deletedDevices += quint64(deleted.devices);
    return true;
}

// Commits units [from, to) in one transaction; if SQLite refuses it for its content, commits
// each half on its own, down to single units, which are then rejected. Order is kept (the
// first half before the second), so a later value or device state still wins. A fault of
// the file stops at once.
bool BatchCommitter::isolate(const Units &units, qsizetype from, qsizetype to, CommitStats *stats,
                             StorageRejectList *rejects, QString *error)
{
    if (commitRange(units, from, to, stats, error))
        return true;
    if (m_fault != Fault::Content)
        return false;
    if (to - from == 1) {
        StorageReject reject;
        reject.error = *error;
        if (from < units.devices.size()) {
            reject.device = units.devices.at(from)->key();
            reject.deviceState = true;
        } else {
            const TelemetrySample *sample = units.samples.at(from - units.devices.size());
            reject.device = sample->key();
            reject.timestampMs = sample->timestampMs;
        }
        qCWarning(lcStorage).noquote()
            << "the cache refused" << (reject.deviceState ? "the state of" : "a sample of")
            << reject.device.source << reject.device.path << ":" << reject.error;
        rejects->append(std::move(reject));
        error->clear();
        return true;
    }
    const qsizetype mid = from + (to - from) / 2;
    return isolate(units, from, mid, stats, rejects, error) && isolate(units, mid, to, stats, rejects, error);
}

bool BatchCommitter::commitRange(const Units &units, qsizetype from, qsizetype to, CommitStats *stats,
                                 QString *error)
{
    ++m_transactions;
    m_fault = Fault::None;
    if (!m_begin.execute(error))
        return fail();
    m_newDeviceKeys.clear();
    m_newMetricKeys.clear();
    m_newSeries.clear();

    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    const qsizetype deviceCount = units.devices.size();
    for (qsizetype i = from; i < qMin(to, deviceCount); ++i) {
        if (!upsertDevice(*units.devices.at(i), nowMs, error))
            return fail();
    }

    quint64 samples = 0;
    quint64 points = 0;
    resetStaging();  // rows a failed attempt left half built
    m_nameKeys.clear();
    for (qsizetype i = qMax(from, deviceCount); i < to; ++i) {
        const TelemetrySample &sample = *units.samples.at(i - deviceCount);
        if (sample.metrics.isEmpty()) {
            ++samples;
            continue;
        }
        qint64 dk = 0;
        if (!deviceKey(sample.key(), &dk, error))
            return fail();
        auto it = m_staging.find(dk);
        if (it == m_staging.end())
            it = m_staging.insert(dk, StagingRow());
        StagingRow &row = it.value();
        if (row.count == 0) {
            StagingRecordCodec::begin(&row.data);
            row.firstMs = row.lastMs = sample.timestampMs;
            row.previousTsMs = 0;  // the first delta is the timestamp itself
            m_stagingOrder.append(dk);
        }
        if (m_nameKeys.size() < size_t(sample.metrics.size()))
            m_nameKeys.resize(size_t(sample.metrics.size()));
        for (qsizetype m = 0; m < sample.metrics.size(); ++m) {
            const MetricValue &metric = sample.metrics.at(m);
            NameKey &cached = m_nameKeys[size_t(m)];
            qint64 mk = cached.key;
            if (cached.data != metric.name.constData() || cached.size != metric.name.size()) {
                if (!metricKey(metric.name, &mk, error))
                    return fail();
                cached = NameKey{metric.name.constData(), metric.name.size(), mk};
            }
            if (!row.series.contains(mk)) {
                if (!ensureSeries(dk, mk, error))
                    return fail();
                row.series.append(mk);
            }
            StagingRecordCodec::append(&row.data, row.previousTsMs, mk, sample.timestampMs, metric);
            row.previousTsMs = sample.timestampMs;
            ++row.count;
            ++points;
        }
        row.firstMs = qMin(row.firstMs, sample.timestampMs);
        row.lastMs = qMax(row.lastMs, sample.timestampMs);
        ++samples;
    }
    if (!writeStaging(error) || !m_commit.execute(error))
        return fail();
    m_stagedPoints += qint64(points);
    stats->samples += samples;
    stats->rows += points;
    stats->devices += quint64(qMax<qsizetype>(0, qMin(to, deviceCount) - from));
    m_newDeviceKeys.clear();
    m_newMetricKeys.clear();
    m_newSeries.clear();
    return true;
}

// Only errors that a different content would not have raised count as content: a constraint
// of our schema (e.g. two names that are equal once stored as UTF-8, a NOT NULL rollup whose
// sum became NaN), a value too big or of the wrong type. Everything else (full, I/O, busy,
// locked, read-only, corrupt, out of memory, a trigger someone else put on our tables...) is
// the file's or the machine's and is retried: splitting on those would throw good data away.
bool BatchCommitter::fail()
{
    const int code = sqlite3_extended_errcode(m_db.handle());
    switch (code & 0xff) {
    case SQLITE_CONSTRAINT:
        m_fault = code == SQLITE_CONSTRAINT_TRIGGER ? Fault::File : Fault::Content;
        break;
    case SQLITE_TOOBIG:
    case SQLITE_MISMATCH:
        m_fault = Fault::Content;
        break;
    default:
        m_fault = Fault::File;
        break;
    }
    rollback();
    return false;
}

void BatchCommitter::resetStaging()
{
    for (qint64 dk : std::as_const(m_stagingOrder))
        m_staging[dk].count = 0;
    m_stagingOrder.clear();
}

// One staging row per device of this commit, in the order the devices first appeared.
// Rows are reset (count 0) even when the insert fails: the transaction is retried whole.
bool BatchCommitter::writeStaging(QString *error)
{
    bool ok = true;
    for (qint64 dk : std::as_const(m_stagingOrder)) {
        StagingRow &row = m_staging[dk];
        if (ok) {
            StagingRecordCodec::finish(&row.data, row.count);
            m_insertStaging.bindInt64(1, dk);
            m_insertStaging.bindInt64(2, row.count);
            m_insertStaging.bindInt64(3, row.firstMs);
            m_insertStaging.bindInt64(4, row.lastMs);
            m_insertStaging.bindBlob(5, row.data);
            ok = m_insertStaging.execute(error);
        }
    }
    resetStaging();
    if (m_staging.size() > 65536)  // a fleet that shrank: do not keep its buffers forever
        m_staging.clear();
    return ok;
}

bool BatchCommitter::upsertDevice(const Device &device, qint64 nowMs, QString *error)
{
    const DeviceKey key = device.key();
    const QByteArray source = key.source.toUtf8();
    const QByteArray path = key.path.toUtf8();
    SqlStatement &up = m_upsertDevice;
    up.bindText(1, device.id);
    up.bindText(2, device.name);
    up.bindText(3, device.model);
    up.bindText(4, device.fwVersion);
    up.bindText(5, device.site);
    up.bindInt64(6, device.online ? 1 : 0);
    up.bindInt64(7, device.lastSeenMs);
    up.bindInt64(8, device.lastTelemetryMs);
    up.bindInt64(9, qint64(device.lastSeq));        // bit pattern; read back as quint64
    up.bindInt64(10, qint64(device.messageCount));
    up.bindInt64(11, nowMs);
    up.bindText(12, source);
    up.bindText(13, path);
    up.bindText(14, joinTags(device.tags));  // schema v5: joined by U+001F, '' = none
    const SparkplugSession &sp = device.sparkplug;  // schema v6
    up.bindInt64(15, device.staleSinceMs);
    up.bindInt64(16, sp.bdSeq);
    up.bindInt64(17, sp.births);
    up.bindInt64(18, sp.deaths);
    up.bindInt64(19, sp.lastBirthMs);
    up.bindInt64(20, sp.lastDeathMs);
    up.bindText(21, sp.lastRebirthCause);
    up.bindInt64(22, sp.lastRebirthMs);
    if (!up.execute(error))
        return false;

    for (const MetricValue &metric : device.metrics) {
        m_upsertMetric.bindText(1, source);
        m_upsertMetric.bindText(2, path);
        m_upsertMetric.bindText(3, metric.name);
        m_upsertMetric.bindInt64(4, qint64(metric.type));
        switch (metric.type) {
        case MetricType::Int64:
        case MetricType::Bool: m_upsertMetric.bindInt64(5, metric.integer); break;
        case MetricType::String: m_upsertMetric.bindText(5, metric.text); break;
        case MetricType::Double: m_upsertMetric.bindDouble(5, metric.value); break;
        }
        if (!m_upsertMetric.execute(error))
            return false;
    }
    // The stored counters become the device's: one DELETE of its rows (a cheap seek when it
    // has none, the common case), then the counters that are not zero.
    m_deleteRejects.bindText(1, source);
    m_deleteRejects.bindText(2, path);
    if (!m_deleteRejects.execute(error))
        return false;
    for (size_t i = 0; i < device.rejects.size(); ++i) {
        const quint32 count = device.rejects[i];
        if (count == 0)
            continue;
        m_upsertReject.bindText(1, source);
        m_upsertReject.bindText(2, path);
        m_upsertReject.bindText(3, m_reasonKeys.at(qsizetype(i)));
        m_upsertReject.bindInt64(4, count);
        if (!m_upsertReject.execute(error))
            return false;
    }
    return true;
}

bool BatchCommitter::deviceKey(const DeviceKey &device, qint64 *key, QString *error)
{
    const auto it = m_deviceKeys.constFind(device);
    if (it != m_deviceKeys.cend()) {
        *key = it.value();
        return true;
    }
    m_insertDeviceKey.bindText(1, device.source);
    m_insertDeviceKey.bindText(2, device.path);
    if (!m_insertDeviceKey.execute(error))
        return false;
    *key = sqlite3_last_insert_rowid(m_db.handle());
    m_deviceKeys.insert(device, *key);
    m_newDeviceKeys.append(device);
    return true;
}

bool BatchCommitter::metricKey(const QString &name, qint64 *key, QString *error)
{
    const auto it = m_metricKeys.constFind(name);
    if (it != m_metricKeys.cend()) {
        *key = it.value();
        return true;
    }
    m_insertMetricKey.bindText(1, name);
    if (!m_insertMetricKey.execute(error))
        return false;
    *key = sqlite3_last_insert_rowid(m_db.handle());
    m_metricKeys.insert(name, *key);
    m_newMetricKeys.append(name);
    return true;
}

bool BatchCommitter::ensureSeries(qint64 deviceKey, qint64 metricKey, QString *error)
{
    const auto series = qMakePair(deviceKey, metricKey);
    if (m_series.contains(series))
        return true;
    m_insertSeries.bindInt64(1, deviceKey);
    m_insertSeries.bindInt64(2, metricKey);
    if (!m_insertSeries.execute(error))
        return false;
    m_series.insert(series);
    m_newSeries.append(series);
    m_packer.noteNewSeries(deviceKey, metricKey);  // no blocks: nothing to look up when packing
    return true;
}

void BatchCommitter::forgetUncommittedKeys()
{
    for (const DeviceKey &device : std::as_const(m_newDeviceKeys))
        m_deviceKeys.remove(device);
    for (const QString &name : std::as_const(m_newMetricKeys))
        m_metricKeys.remove(name);
    for (const auto &series : std::as_const(m_newSeries))
        m_series.remove(series);
    m_newDeviceKeys.clear();
    m_newMetricKeys.clear();
    m_newSeries.clear();
}

void BatchCommitter::rollback()
{
    if (!m_newSeries.isEmpty()) {  // series rows of this transaction are gone again
        for (StagingRow &row : m_staging)
            row.series.clear();
    }
    forgetUncommittedKeys();
    m_db.rollbackIfOpen();
}

bool BatchCommitter::pruneChunk(const PruneCutoffs &cutoffs, PruneCursor *cursor, int maxRows,
                                qint64 *deleted, qint64 *rollupsDeleted, bool *finished,
                                QString *error)
{
    const bool ok = m_pruner.step(cutoffs, cursor, maxRows, deleted, rollupsDeleted, finished, error);
    m_packer.forgetSeries();  // blocks it knew may be gone
    return ok;
}

bool BatchCommitter::pack(BlockPacker::Stats *stats, QString *error)
{
    if (!m_packer.pack(stats, error))
        return false;
    m_stagedPoints = 0;
    return true;
}

bool BatchCommitter::migrateStep(int maxRows, bool *finished, QString *error)
{
    const bool ok = m_migrator.step(maxRows, finished, error);
    m_packer.forgetSeries();
    return ok;
}

} // namespace fd
