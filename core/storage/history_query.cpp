#include "core/storage/history_query.h"

#include "core/storage/database.h"

#include <QElapsedTimer>

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace fd {

namespace {

constexpr qint64 kWidth[3] = {0, 60LL * 1000, 60LL * 60 * 1000};

constexpr const char *kRowsSql[3] = {
    nullptr,
    "SELECT bucket_ms, min, max, sum, count FROM telemetry_1m WHERE device_key = ?1"
    " AND metric_key = ?2 AND bucket_ms >= ?3 AND bucket_ms <= ?4 ORDER BY bucket_ms",
    "SELECT bucket_ms, min, max, sum, count FROM telemetry_1h WHERE device_key = ?1"
    " AND metric_key = ?2 AND bucket_ms >= ?3 AND bucket_ms <= ?4 ORDER BY bucket_ms",
};

constexpr const char *kOldestSql[3] = {
    nullptr,
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
    , m_raw(db)
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
    for (int i = 1; ok && i < 3; ++i)
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

bool HistoryQuery::oldestAt(int level, qint64 dk, qint64 mk, bool *found, qint64 *ms, QString *error)
{
    if (level == 0)
        return m_raw.oldestMs(dk, mk, found, ms, error);
    SqlStatement &oldest = m_oldest[level];
    oldest.bindInt64(1, dk);
    oldest.bindInt64(2, mk);
    const int rc = oldest.step();
    *found = rc == SQLITE_ROW;
    if (*found)
        *ms = oldest.columnInt64(0);
    oldest.reset();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        *error = oldest.errorMessage();
        return false;
    }
    return true;
}

bool HistoryQuery::readLevel(int level, qint64 dk, qint64 mk, qint64 fromMs, qint64 toMs,
                             qint64 endLimitMs, TelemetryBuckets *out, QString *error, bool asked)
{
    // Rows that start in [fromMs, toMs] and end by endLimitMs (where a finer level begins).
    const qint64 width = kWidth[level];
    const qint64 lastStart = qMin(toMs, endLimitMs - width);
    if (lastStart < fromMs - (level == 0 ? 0 : fromMs % width))
        return true;
    // Where does this level start for the series? Older parts come from the next level.
    bool hasRows = false;
    qint64 firstMs = 0;
    if (!oldestAt(level, dk, mk, &hasRows, &firstMs, error))
        return false;
    if (level < 2 && (!hasRows || firstMs > fromMs)) {
        const qint64 coarseLimit = hasRows ? qMin(endLimitMs, firstMs) : endLimitMs;
        if (!readLevel(level + 1, dk, mk, fromMs, toMs, coarseLimit, out, error, false))
            return false;
        if (!hasRows)
            return level == 0 ? readRawBuckets(dk, mk, fromMs, lastStart, out, error)  // staged only
                              : !asked || addStaged(level, dk, mk, fromMs, lastStart, out, error);
    }
    if (level == 0)
        return readRawBuckets(dk, mk, fromMs, lastStart, out, error);
    SqlStatement &rows = m_rows[level];
    rows.bindInt64(1, dk);
    rows.bindInt64(2, mk);
    // A bucket starting before fromMs still overlaps the range.
    rows.bindInt64(3, fromMs - (fromMs % width));
    rows.bindInt64(4, lastStart);
    int rc;
    while ((rc = rows.step()) == SQLITE_ROW) {
        TelemetryBucket b;
        b.tMs = rows.columnInt64(0);
        b.widthMs = width;
        b.min = rows.columnDouble(1);
        b.max = rows.columnDouble(2);
        b.count = rows.columnInt64(4);
        b.mean = b.count > 0 ? rows.columnDouble(3) / double(b.count) : std::nan("");
        if (!out->isEmpty() && b.tMs <= out->constLast().tMs)
            continue;  // overlap with the coarser level (should not happen): keep order
        out->append(b);
    }
    rows.reset();
    if (rc != SQLITE_DONE) {
        *error = rows.errorMessage();
        return false;
    }
    // The level asked for reaches the present: complete it with what is staged. (A staged
    // point that replaces a packed one counts twice here until it is packed.)
    return !asked || addStaged(level, dk, mk, fromMs, lastStart, out, error);
}

bool HistoryQuery::readRawBuckets(qint64 dk, qint64 mk, qint64 fromMs, qint64 toMs, TelemetryBuckets *out,
                                  QString *error)
{
    SeriesPoints points;
    if (!m_raw.read(dk, mk, fromMs, toMs, &points, error))
        return false;
    out->reserve(out->size() + qsizetype(points.size()));
    for (const SeriesPoint &p : points) {
        if (!out->isEmpty() && p.tsMs <= out->constLast().tMs)
            continue;  // overlap with the coarser level: keep order
        TelemetryBucket b;
        b.tMs = p.tsMs;
        b.min = b.max = b.mean = p.value;
        b.count = std::isnan(p.value) ? 0 : 1;
        out->append(b);
    }
    return true;
}

// Staged points are in no rollup yet: aggregate them into buckets of this level and merge
// them into the rows read (an existing bucket gains them, a new one is inserted in order).
bool HistoryQuery::addStaged(int level, qint64 dk, qint64 mk, qint64 fromMs, qint64 toMs, TelemetryBuckets *out,
                             QString *error)
{
    const qint64 width = kWidth[level];
    SeriesPoints staged;
    if (!m_raw.readStaged(dk, mk, fromMs - (fromMs % width), toMs + width - 1, &staged, error))
        return false;
    for (const SeriesPoint &p : staged) {
        if (p.type == MetricType::String || !std::isfinite(p.value))
            continue;
        const qint64 bucket = p.tsMs - p.tsMs % width;
        if (bucket > toMs)
            continue;
        auto it = std::lower_bound(out->begin(), out->end(), bucket,
                                   [](const TelemetryBucket &b, qint64 t) { return b.tMs < t; });
        if (it == out->end() || it->tMs != bucket) {
            TelemetryBucket b;
            b.tMs = bucket;
            b.widthMs = width;
            b.min = b.max = b.mean = p.value;
            b.count = 1;
            out->insert(it, b);
            continue;
        }
        if (it->count == 0) {
            it->min = it->max = it->mean = p.value;
            it->count = 1;
            continue;
        }
        it->min = qMin(it->min, p.value);
        it->max = qMax(it->max, p.value);
        it->mean = (it->mean * double(it->count) + p.value) / double(it->count + 1);
        ++it->count;
    }
    return true;
}

bool HistoryQuery::hasSeries(const DeviceKey &device, const QString &metric, bool *found, QString *error)
{
    *found = false;
    qint64 dk = 0;
    qint64 mk = 0;
    if (!prepare(error) || !seriesKeys(device, metric, &dk, &mk, found, error) || !*found)
        return *found || error->isEmpty();
    SqlStatement st;  // the metric may be another device's
    if (!st.prepare(m_db.handle(), "SELECT 1 FROM series WHERE device_key = ?1 AND metric_key = ?2", error))
        return false;
    st.bindInt64(1, dk);
    st.bindInt64(2, mk);
    const int rc = st.step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        *error = st.errorMessage();
        return false;
    }
    *found = rc == SQLITE_ROW;
    return true;
}

bool HistoryQuery::seriesMetrics(const DeviceKey &device, QStringList *names, QString *error)
{
    names->clear();
    SqlStatement st;
    if (!st.prepare(m_db.handle(),
                    "SELECT m.name FROM series s JOIN device_keys k ON k.id = s.device_key"
                    " JOIN metrics m ON m.id = s.metric_key WHERE k.source = ?1 AND k.path = ?2",
                    error))
        return false;
    st.bindText(1, device.source);
    st.bindText(2, device.path);
    int rc;
    while ((rc = st.step()) == SQLITE_ROW)
        names->append(st.columnText(0));
    if (rc != SQLITE_DONE) {
        *error = st.errorMessage();
        return false;
    }
    names->sort();
    return true;
}

bool HistoryQuery::readRaw(const DeviceKey &device, const QString &metric, qint64 fromMs, qint64 toMs,
                           SeriesPoints *out, QString *error)
{
    out->clear();
    if (!prepare(error))
        return false;
    qint64 dk = 0;
    qint64 mk = 0;
    bool found = false;
    if (!seriesKeys(device, metric, &dk, &mk, &found, error))
        return false;
    return !found || m_raw.read(dk, mk, fromMs, toMs, out, error);
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
                     std::numeric_limits<qint64>::max(), out, error, true);
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
