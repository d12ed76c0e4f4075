#include "core/storage/batch_committer.h"

#include "core/storage/database.h"
#include "core/storage/storage_log.h"

#include <QDateTime>

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <tuple>

using namespace Qt::StringLiterals;

namespace fd {

namespace {

constexpr const char kUpsertDevice[] =
    "INSERT INTO devices(id, name, model, fw_version, site, online, last_seen_ms,"
    " last_telemetry_ms, last_seq, message_count, updated_ms, source, path)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
    " ON CONFLICT(source, path) DO UPDATE SET id = excluded.id, name = excluded.name, model = excluded.model,"
    " fw_version = excluded.fw_version, site = excluded.site, online = excluded.online,"
    " last_seen_ms = excluded.last_seen_ms, last_telemetry_ms = excluded.last_telemetry_ms,"
    " last_seq = excluded.last_seq, message_count = excluded.message_count,"
    " updated_ms = excluded.updated_ms";

constexpr const char kUpsertMetric[] =
    "INSERT INTO device_metrics(source, path, metric, type, value) VALUES(?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT(source, path, metric) DO UPDATE SET type = excluded.type, value = excluded.value";

constexpr const char kUpsertReject[] =
    "INSERT INTO device_rejects(source, path, reason, count) VALUES(?1, ?2, ?3, ?4)"
    " ON CONFLICT(source, path, reason) DO UPDATE SET count = excluded.count";

constexpr const char kDeleteReject[] =
    "DELETE FROM device_rejects WHERE source = ?1 AND path = ?2 AND reason = ?3";

// Deletes the oldest rows of one series below ?3, at most ?4 + 1 of them: the subquery
// finds the timestamp of the (?4 + 1)-th old row (NULL if there are fewer).
constexpr const char kPruneSeries[] =
    "DELETE FROM telemetry WHERE device_key = ?1 AND metric_key = ?2 AND ts_ms < ?3"
    " AND ts_ms <= coalesce((SELECT ts_ms FROM telemetry"
    "   WHERE device_key = ?1 AND metric_key = ?2 AND ts_ms < ?3"
    "   ORDER BY ts_ms LIMIT 1 OFFSET ?4), ?3)";

constexpr const char kPruneMinute[] =
    "DELETE FROM telemetry_1m WHERE device_key = ?1 AND metric_key = ?2 AND bucket_ms < ?3"
    " AND bucket_ms <= coalesce((SELECT bucket_ms FROM telemetry_1m"
    "   WHERE device_key = ?1 AND metric_key = ?2 AND bucket_ms < ?3"
    "   ORDER BY bucket_ms LIMIT 1 OFFSET ?4), ?3)";

constexpr const char kPruneHour[] =
    "DELETE FROM telemetry_1h WHERE device_key = ?1 AND metric_key = ?2 AND bucket_ms < ?3"
    " AND bucket_ms <= coalesce((SELECT bucket_ms FROM telemetry_1h"
    "   WHERE device_key = ?1 AND metric_key = ?2 AND bucket_ms < ?3"
    "   ORDER BY bucket_ms LIMIT 1 OFFSET ?4), ?3)";

// Rollup upserts: a bucket that already has rows gains this commit's aggregate.
constexpr const char kUpsertMinute[] =
    "INSERT INTO telemetry_1m(device_key, metric_key, bucket_ms, min, max, sum, count)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    " ON CONFLICT(device_key, metric_key, bucket_ms) DO UPDATE SET"
    " min = min(telemetry_1m.min, excluded.min), max = max(telemetry_1m.max, excluded.max),"
    " sum = telemetry_1m.sum + excluded.sum, count = telemetry_1m.count + excluded.count";

constexpr const char kUpsertHour[] =
    "INSERT INTO telemetry_1h(device_key, metric_key, bucket_ms, min, max, sum, count)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    " ON CONFLICT(device_key, metric_key, bucket_ms) DO UPDATE SET"
    " min = min(telemetry_1h.min, excluded.min), max = max(telemetry_1h.max, excluded.max),"
    " sum = telemetry_1h.sum + excluded.sum, count = telemetry_1h.count + excluded.count";

// Exact recomputation of one bucket (after a raw value was replaced).
constexpr const char kRecomputeMinute[] =
    "INSERT INTO telemetry_1m(device_key, metric_key, bucket_ms, min, max, sum, count)"
    " SELECT ?1, ?2, ?3, min(value), max(value), sum(value), count(value) FROM telemetry"
    " WHERE device_key = ?1 AND metric_key = ?2 AND ts_ms >= ?3 AND ts_ms < ?3 + 60000"
    " AND value IS NOT NULL HAVING count(value) > 0";

constexpr const char kRecomputeHour[] =
    "INSERT INTO telemetry_1h(device_key, metric_key, bucket_ms, min, max, sum, count)"
    " SELECT ?1, ?2, ?3, min(min), max(max), sum(sum), sum(count) FROM telemetry_1m"
    " WHERE device_key = ?1 AND metric_key = ?2 AND bucket_ms >= ?3 AND bucket_ms < ?3 + 3600000"
    " HAVING count(*) > 0";

constexpr int kSeriesPerPruneQuery = 256;

qint64 bucketStart(qint64 tMs, qint64 widthMs)
{
    return tMs - tMs % widthMs;  // the same expression as in SQL (schema v2)
}

} // namespace

BatchCommitter::BatchCommitter(Database &db)
    : m_db(db)
    , m_deleter(db)
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
        && m_deleteReject.prepare(db, kDeleteReject, error, true)
        && m_insertDeviceKey.prepare(db, "INSERT INTO device_keys(source, path) VALUES(?1, ?2)", error, true)
        && m_insertMetricKey.prepare(db, "INSERT INTO metrics(name) VALUES(?1)", error, true)
        && m_insertSeries.prepare(db,
                                  "INSERT OR IGNORE INTO series(device_key, metric_key)"
                                  " VALUES(?1, ?2)",
                                  error, true)
        && m_insertRow.prepare(db,
                               "INSERT OR IGNORE INTO telemetry(device_key, metric_key, ts_ms,"
                               " value) VALUES(?1, ?2, ?3, ?4)",
                               error, true)
        && m_updateRow.prepare(db,
                               "UPDATE telemetry SET value = ?4 WHERE device_key = ?1"
                               " AND metric_key = ?2 AND ts_ms = ?3",
                               error, true)
        && m_upsertMinute.prepare(db, kUpsertMinute, error, true)
        && m_upsertHour.prepare(db, kUpsertHour, error, true)
        && m_deleteMinute.prepare(db,
                                  "DELETE FROM telemetry_1m WHERE device_key = ?1"
                                  " AND metric_key = ?2 AND bucket_ms = ?3",
                                  error, true)
        && m_recomputeMinute.prepare(db, kRecomputeMinute, error, true)
        && m_deleteHour.prepare(db,
                                "DELETE FROM telemetry_1h WHERE device_key = ?1"
                                " AND metric_key = ?2 AND bucket_ms = ?3",
                                error, true)
        && m_recomputeHour.prepare(db, kRecomputeHour, error, true)
        && m_pruneMinute.prepare(db, kPruneMinute, error, true)
        && m_pruneHour.prepare(db, kPruneHour, error, true)
        && m_nextSeries.prepare(db,
                                "SELECT device_key, metric_key FROM series"
                                " WHERE (device_key, metric_key) > (?1, ?2)"
                                " ORDER BY device_key, metric_key LIMIT ?3",
                                error, true)
        && m_pruneSeries.prepare(db, kPruneSeries, error, true) && m_deleter.prepare(error);
    return ok && loadCaches(error);
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
                            StorageRejectList *rejects, QString *error)
{
    *stats = CommitStats{};
    rejects->clear();
    m_transactions = 0;
    StorageRejectList found;
    // A batch that deletes devices starts a segment: what was queued before it is written
    // first, then the deletion, then the rest. Each segment is its own transaction(s); a
    // fault of the file stops here, and writing everything again later is idempotent.
    qsizetype begin = 0;
    while (begin < batches.size()) {
        qsizetype end = begin + 1;
        while (end < batches.size() && batches.at(end).deletedDevices.isEmpty())
            ++end;
        if (!batches.at(begin).deletedDevices.isEmpty()
            && !deleteDevices(batches.at(begin).deletedDevices, stats, error))
            return false;
        // The newest state of each device wins; earlier copies in the queue are not written.
        Units units;
        QHash<DeviceKey, qsizetype> indexOf;
        for (qsizetype b = begin; b < end; ++b) {
            for (const Device &device : batches.at(b).devices) {
                const DeviceKey key = device.key();
                const auto it = indexOf.constFind(key);
                if (it == indexOf.cend()) {
                    indexOf.insert(key, units.devices.size());
                    units.devices.append(&device);
                } else {
                    units.devices[it.value()] = &device;
                }
            }
            for (const TelemetrySample &sample : batches.at(b).samples)
                units.samples.append(&sample);
        }
        if (units.size() > 0 && !isolate(units, 0, units.size(), stats, &found, error))
            return false;
        begin = end;
    }
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
    m_rows.clear();
    for (qsizetype i = qMax(from, deviceCount); i < to; ++i) {
        const TelemetrySample &sample = *units.samples.at(i - deviceCount);
        qint64 dk = 0;
        if (!deviceKey(sample.key(), &dk, error))
            return fail();
        for (const MetricValue &metric : sample.metrics) {
            if (!metric.isNumeric())
                continue;  // strings are kept as the latest value only, not as history
            qint64 mk = 0;
            if (!metricKey(metric.name, &mk, error) || !ensureSeries(dk, mk, error))
                return fail();
            m_rows.push_back(Row{dk, mk, sample.timestampMs, metric.value});
        }
        ++samples;
    }
    // Key order makes consecutive inserts land on the same b-tree pages; stable, so the
    // later of two values with the same key is written last and wins.
    std::stable_sort(m_rows.begin(), m_rows.end(), [](const Row &a, const Row &b) {
        return std::tie(a.deviceKey, a.metricKey, a.tsMs) < std::tie(b.deviceKey, b.metricKey, b.tsMs);
    });
    if (!writeRows(error) || !m_commit.execute(error))
        return fail();
    stats->samples += samples;
    stats->rows += m_rows.size();
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

// Inserts the sorted raw rows and keeps the rollups in step. A row whose key already exists
// replaces the stored value (the later value wins, as before v2); its minute bucket is then
// recomputed from the raw rows, since an incremental update cannot take the old value out.
bool BatchCommitter::writeRows(QString *error)
{
    m_dirtyMinutes.clear();
    Aggregate minute;
    Aggregate hour;
    for (const Row &row : m_rows) {
        m_insertRow.bindInt64(1, row.deviceKey);
        m_insertRow.bindInt64(2, row.metricKey);
        m_insertRow.bindInt64(3, row.tsMs);
        m_insertRow.bindDouble(4, row.value);
        if (!m_insertRow.execute(error))
            return false;
        if (sqlite3_changes64(m_db.handle()) == 0) {  // existing key: replace the value
            m_updateRow.bindInt64(1, row.deviceKey);
            m_updateRow.bindInt64(2, row.metricKey);
            m_updateRow.bindInt64(3, row.tsMs);
            m_updateRow.bindDouble(4, row.value);
            if (!m_updateRow.execute(error))
                return false;
            m_dirtyMinutes.insert({row.deviceKey, row.metricKey, bucketStart(row.tsMs, kMinuteMs)});
            continue;
        }
        if (std::isnan(row.value))
            continue;
        if (!addToRollup(minute, kMinuteMs, row, m_upsertMinute, error)
            || !addToRollup(hour, kHourMs, row, m_upsertHour, error))
            return false;
    }
    return flushRollup(minute, m_upsertMinute, error) && flushRollup(hour, m_upsertHour, error)
           && recomputeDirtyBuckets(error);
}

bool BatchCommitter::addToRollup(Aggregate &agg, qint64 widthMs, const Row &row,
                                 SqlStatement &upsert, QString *error)
{
    const qint64 bucket = bucketStart(row.tsMs, widthMs);
    if (agg.count > 0
        && (agg.deviceKey != row.deviceKey || agg.metricKey != row.metricKey || agg.bucketMs != bucket)) {
        if (!flushRollup(agg, upsert, error))
            return false;
    }
    if (agg.count == 0) {
        agg = Aggregate{row.deviceKey, row.metricKey, bucket, row.value, row.value, row.value, 1};
        return true;
    }
    agg.min = qMin(agg.min, row.value);
    agg.max = qMax(agg.max, row.value);
    agg.sum += row.value;
    ++agg.count;
    return true;
}

bool BatchCommitter::flushRollup(Aggregate &agg, SqlStatement &upsert, QString *error)
{
    if (agg.count == 0)
        return true;
    upsert.bindInt64(1, agg.deviceKey);
    upsert.bindInt64(2, agg.metricKey);
    upsert.bindInt64(3, agg.bucketMs);
    upsert.bindDouble(4, agg.min);
    upsert.bindDouble(5, agg.max);
    upsert.bindDouble(6, agg.sum);
    upsert.bindInt64(7, agg.count);
    agg.count = 0;
    return upsert.execute(error);
}

bool BatchCommitter::recomputeDirtyBuckets(QString *error)
{
    if (m_dirtyMinutes.isEmpty())
        return true;
    QSet<BucketKey> hours;
    auto run = [error](SqlStatement &st, const BucketKey &k) {
        st.bindInt64(1, k.deviceKey);
        st.bindInt64(2, k.metricKey);
        st.bindInt64(3, k.bucketMs);
        return st.execute(error);
    };
    for (const BucketKey &k : std::as_const(m_dirtyMinutes)) {
        if (!run(m_deleteMinute, k) || !run(m_recomputeMinute, k))
            return false;
        hours.insert({k.deviceKey, k.metricKey, bucketStart(k.bucketMs, kHourMs)});
    }
    for (const BucketKey &k : std::as_const(hours)) {
        if (!run(m_deleteHour, k) || !run(m_recomputeHour, k))
            return false;
    }
    m_dirtyMinutes.clear();
    return true;
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
    for (size_t i = 0; i < device.rejects.size(); ++i) {
        const quint32 count = device.rejects[i];
        SqlStatement &st = count > 0 ? m_upsertReject : m_deleteReject;
        st.bindText(1, source);
        st.bindText(2, path);
        st.bindText(3, m_reasonKeys.at(qsizetype(i)));
        if (count > 0)
            st.bindInt64(4, count);
        if (!st.execute(error))
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
    forgetUncommittedKeys();
    // A failed COMMIT or statement may already have ended the transaction; then there is
    // nothing to roll back and SQLite says so, which is not an error worth reporting.
    if (!sqlite3_get_autocommit(m_db.handle())) {
        QString error;
        if (!m_db.exec("ROLLBACK", &error))
            qCWarning(lcStorage).noquote() << "rollback failed:" << error;
    }
}

bool BatchCommitter::pruneChunk(const PruneCutoffs &cutoffs, PruneCursor *cursor, int maxRows,
                                qint64 *deleted, qint64 *rollupsDeleted, bool *finished,
                                QString *error)
{
    *deleted = 0;
    *rollupsDeleted = 0;
    *finished = false;
    maxRows = qMax(1, maxRows);
    if (!m_begin.execute(error))
        return false;
    QList<QPair<qint64, qint64>> series;
    m_nextSeries.bindInt64(1, cursor->deviceKey);
    m_nextSeries.bindInt64(2, cursor->metricKey);
    m_nextSeries.bindInt64(3, kSeriesPerPruneQuery);
    int rc;
    while ((rc = m_nextSeries.step()) == SQLITE_ROW)
        series.append(qMakePair(m_nextSeries.columnInt64(0), m_nextSeries.columnInt64(1)));
    if (rc != SQLITE_DONE) {
        *error = m_nextSeries.errorMessage();
        m_nextSeries.reset();
        rollback();
        return false;
    }
    m_nextSeries.reset();

    PruneCursor position = *cursor;
    bool budgetLeft = true;
    const std::array<std::pair<SqlStatement *, qint64>, 3> tables = {{
        {&m_pruneSeries, cutoffs.rawMs},
        {&m_pruneMinute, cutoffs.minuteMs},
        {&m_pruneHour, cutoffs.hourMs},
    }};
    for (const auto &s : std::as_const(series)) {
        for (const auto &[statement, cutoff] : tables) {
            if (cutoff == PruneCutoffs::kKeepAll)
                continue;
            const qint64 budget = maxRows - *deleted - *rollupsDeleted;
            statement->bindInt64(1, s.first);
            statement->bindInt64(2, s.second);
            statement->bindInt64(3, cutoff);
            statement->bindInt64(4, budget - 1);
            if (!statement->execute(error)) {
                rollback();
                *deleted = *rollupsDeleted = 0;
                return false;
            }
            const qint64 n = sqlite3_changes64(m_db.handle());
            (statement == &m_pruneSeries ? *deleted : *rollupsDeleted) += n;
            if (n >= budget) {  // possibly more in this series: resume here next time
                budgetLeft = false;
                break;
            }
        }
        if (!budgetLeft)
            break;
        position = PruneCursor{s.first, s.second};
    }
    if (!m_commit.execute(error)) {
        rollback();
        *deleted = *rollupsDeleted = 0;
        return false;
    }
    *cursor = position;
    *finished = budgetLeft && series.size() < kSeriesPerPruneQuery;
    return true;
}

} // namespace fd
