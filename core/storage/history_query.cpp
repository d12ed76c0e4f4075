#include "core/storage/history_query.h"

#include "core/storage/database.h"

#include <QElapsedTimer>

#include <sqlite3.h>

#include <cmath>
#include <limits>

namespace fd {

namespace {

constexpr qint64 kWidth[3] = {0, 60LL * 1000, 60LL * 60 * 1000};

constexpr const char *kRowsSql[3] = {
    "SELECT ts_ms, value FROM telemetry WHERE device_key = ?1 AND metric_key = ?2"
    " AND ts_ms >= ?3 AND ts_ms <= ?4 ORDER BY ts_ms",
    "SELECT bucket_ms, min, max, sum, count FROM telemetry_1m WHERE device_key = ?1"
    " AND metric_key = ?2 AND bucket_ms >= ?3 AND bucket_ms <= ?4 ORDER BY bucket_ms",
    "SELECT bucket_ms, min, max, sum, count FROM telemetry_1h WHERE device_key = ?1"
    " AND metric_key = ?2 AND bucket_ms >= ?3 AND bucket_ms <= ?4 ORDER BY bucket_ms",
};

constexpr const char *kOldestSql[3] = {
    "SELECT ts_ms FROM telemetry WHERE device_key = ?1 AND metric_key = ?2"
    " ORDER BY ts_ms LIMIT 1",
    "SELECT bucket_ms FROM telemetry_1m WHERE device_key = ?1 AND metric_key = ?2"
    " ORDER BY bucket_ms LIMIT 1",
    "SELECT bucket_ms FROM telemetry_1h WHERE device_key = ?1 AND metric_key = ?2"
    " ORDER BY bucket_ms LIMIT 1",
};

int levelOf(HistoryResolution r)
{
    switch (r) {
    case HistoryResolution::Minute:
        return 1;
    case HistoryResolution::Hour:
        return 2;
    case HistoryResolution::Auto:
    case HistoryResolution::Raw:
        break;
    }
    return 0;
}

} // namespace

HistoryQuery::HistoryQuery(Database &db)
    : m_db(db)
{
}

HistoryResolution HistoryQuery::chooseResolution(qint64 fromMs, qint64 toMs, const Thresholds &t)
{
    const qint64 span = toMs - fromMs;
    if (span <= t.maxRawSpanMs)
        return HistoryResolution::Raw;
    if (span <= t.maxMinuteSpanMs)
        return HistoryResolution::Minute;
    return HistoryResolution::Hour;
}

qint64 HistoryQuery::bucketWidthMs(HistoryResolution resolution)
{
    return kWidth[levelOf(resolution)];
}

bool HistoryQuery::prepare(QString *error)
{
    if (m_prepared)
        return true;
    sqlite3 *db = m_db.handle();
    bool ok = m_deviceKey.prepare(db, "SELECT id FROM device_keys WHERE source = ?1 AND path = ?2", error, true)
              && m_metricKey.prepare(db, "SELECT id FROM metrics WHERE name = ?1", error, true);
    for (int i = 0; ok && i < 3; ++i)
        ok = m_rows[i].prepare(db, kRowsSql[i], error, true)
             && m_oldest[i].prepare(db, kOldestSql[i], error, true);
    m_prepared = ok;
    return ok;
}

bool HistoryQuery::seriesKeys(const DeviceKey &device, const QString &metric, qint64 *dk,
                              qint64 *mk, bool *found, QString *error)
{
    *found = false;
    auto lookup = [error](SqlStatement &st, const QString &value, qint64 *key, bool *hit,
                          const QString *second = nullptr) {
        st.bindText(1, value);
        if (second)
            st.bindText(2, *second);
        const int rc = st.step();
        *hit = rc == SQLITE_ROW;
        if (*hit)
            *key = st.columnInt64(0);
        st.reset();
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            *error = st.errorMessage();
            return false;
        }
        return true;
    };
    bool haveDevice = false;
    bool haveMetric = false;
    if (!lookup(m_deviceKey, device.source, dk, &haveDevice, &device.path)
        || !lookup(m_metricKey, metric, mk, &haveMetric))
        return false;
    *found = haveDevice && haveMetric;
    return true;
}

bool HistoryQuery::readLevel(int level, qint64 dk, qint64 mk, qint64 fromMs, qint64 toMs,
                             qint64 endLimitMs, TelemetryBuckets *out, QString *error)
{
    // Rows that start in [fromMs, toMs] and end by endLimitMs (where a finer level begins).
    const qint64 width = kWidth[level];
    const qint64 lastStart = qMin(toMs, endLimitMs - width);
    if (lastStart < fromMs - (level == 0 ? 0 : fromMs % width))
        return true;
    // Where does this level start for the series? Older parts come from the next level.
    SqlStatement &oldest = m_oldest[level];
    oldest.bindInt64(1, dk);
    oldest.bindInt64(2, mk);
    int rc = oldest.step();
    const bool hasRows = rc == SQLITE_ROW;
    const qint64 firstMs = hasRows ? oldest.columnInt64(0) : 0;
    oldest.reset();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        *error = oldest.errorMessage();
        return false;
    }
    if (level < 2 && (!hasRows || firstMs > fromMs)) {
        const qint64 coarseLimit = hasRows ? qMin(endLimitMs, firstMs) : endLimitMs;
        if (!readLevel(level + 1, dk, mk, fromMs, toMs, coarseLimit, out, error))
            return false;
        if (!hasRows)
            return true;
    }
    SqlStatement &rows = m_rows[level];
    rows.bindInt64(1, dk);
    rows.bindInt64(2, mk);
    // A bucket starting before fromMs still overlaps the range.
    rows.bindInt64(3, level == 0 ? fromMs : fromMs - (fromMs % width));
    rows.bindInt64(4, lastStart);
    while ((rc = rows.step()) == SQLITE_ROW) {
        TelemetryBucket b;
        b.tMs = rows.columnInt64(0);
        b.widthMs = width;
        if (level == 0) {
            const double v = rows.columnDouble(1);
            b.min = b.max = b.mean = v;
            b.count = std::isnan(v) ? 0 : 1;
        } else {
            b.min = rows.columnDouble(1);
            b.max = rows.columnDouble(2);
            b.count = rows.columnInt64(4);
            b.mean = b.count > 0 ? rows.columnDouble(3) / double(b.count) : std::nan("");
        }
        if (!out->isEmpty() && b.tMs <= out->constLast().tMs)
            continue;  // overlap with the coarser level (should not happen): keep order
        out->append(b);
    }
    rows.reset();
    if (rc != SQLITE_DONE) {
        *error = rows.errorMessage();
        return false;
    }
    return true;
}

bool HistoryQuery::read(const DeviceKey &device, const QString &metric, qint64 fromMs,
                        qint64 toMs, HistoryResolution resolution, TelemetryBuckets *out,
                        QString *error)
{
    out->clear();
    if (!prepare(error))
        return false;
    qint64 dk = 0;
    qint64 mk = 0;
    bool found = false;
    if (!seriesKeys(device, metric, &dk, &mk, &found, error))
        return false;
    if (!found)
        return true;
    return readLevel(levelOf(resolution), dk, mk, fromMs, toMs,
                     std::numeric_limits<qint64>::max(), out, error);
}

HistoryResult HistoryQuery::run(const HistoryRequest &request, const Thresholds &thresholds)
{
    QElapsedTimer timer;
    timer.start();
    HistoryResult result;
    result.id = request.id;
    result.fromMs = request.fromMs;
    result.toMs = request.toMs;
    result.series = request.series;
    result.resolution = request.resolution == HistoryResolution::Auto
                            ? chooseResolution(request.fromMs, request.toMs, thresholds)
                            : request.resolution;
    for (const HistoryRequest::Series &s : request.series) {
        TelemetryBuckets rows;
        QString error;
        if (!read(s.device, s.metric, request.fromMs, request.toMs, result.resolution, &rows, &error)) {
            result.error = tr("Reading the history of %1 / %2 from the cache %3 failed: %4")
                               .arg(s.device.displayString(), s.metric, m_db.path(), error);
            rows.clear();
        }
        result.rows.append(std::move(rows));
    }
    result.elapsedMs = timer.elapsed();
    return result;
}

} // namespace fd
