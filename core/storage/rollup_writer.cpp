#include "core/storage/rollup_writer.h"

#include "core/storage/database.h"
#include "core/storage/telemetry_layout.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fd {

namespace {

// A bucket that already has rows gains the new aggregate. Sums are clamped to the finite
// range (see counts()).
constexpr const char kUpsertMinute[] =
    "INSERT INTO telemetry_1m(device_key, metric_key, bucket_ms, min, max, sum, count)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    " ON CONFLICT(device_key, metric_key, bucket_ms) DO UPDATE SET"
    " min = min(telemetry_1m.min, excluded.min), max = max(telemetry_1m.max, excluded.max),"
    " sum = max(-1.7976931348623157e308, min(1.7976931348623157e308, telemetry_1m.sum + excluded.sum)),"
    " count = telemetry_1m.count + excluded.count";

constexpr const char kUpsertHour[] =
    "INSERT INTO telemetry_1h(device_key, metric_key, bucket_ms, min, max, sum, count)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    " ON CONFLICT(device_key, metric_key, bucket_ms) DO UPDATE SET"
    " min = min(telemetry_1h.min, excluded.min), max = max(telemetry_1h.max, excluded.max),"
    " sum = max(-1.7976931348623157e308, min(1.7976931348623157e308, telemetry_1h.sum + excluded.sum)),"
    " count = telemetry_1h.count + excluded.count";

// Only finite numbers: an infinity would turn a bucket's sum into NaN (inf - inf), which
// SQLite stores as NULL and the NOT NULL rollup columns refuse: a poisoned pack.
constexpr const char kRecomputeHour[] =
    "INSERT INTO telemetry_1h(device_key, metric_key, bucket_ms, min, max, sum, count)"
    " SELECT ?1, ?2, ?3, min(min), max(max),"
    " max(-1.7976931348623157e308, min(1.7976931348623157e308, sum(sum))), sum(count) FROM telemetry_1m"
    " WHERE device_key = ?1 AND metric_key = ?2 AND bucket_ms >= ?3 AND bucket_ms < ?3 + 3600000"
    " HAVING count(*) > 0";

bool counts(const SeriesPoint &p)
{
    return p.type != MetricType::String && std::isfinite(p.value);
}

// A partial sum stays finite, so the upsert's stored + new never meets inf - inf either.
double clampedSum(double a, double b)
{
    return std::clamp(a + b, -std::numeric_limits<double>::max(), std::numeric_limits<double>::max());
}

} // namespace

RollupWriter::RollupWriter(Database &db)
    : m_db(db)
{
}

bool RollupWriter::prepare(QString *error)
{
    sqlite3 *db = m_db.handle();
    return m_upsertMinute.prepare(db, kUpsertMinute, error, true) && m_upsertHour.prepare(db, kUpsertHour, error, true)
           && m_deleteMinute.prepare(db,
                                     "DELETE FROM telemetry_1m WHERE device_key = ?1 AND metric_key = ?2"
                                     " AND bucket_ms = ?3",
                                     error, true)
           && m_recomputeHour.prepare(db, kRecomputeHour, error, true)
           && m_deleteHour.prepare(db,
                                   "DELETE FROM telemetry_1h WHERE device_key = ?1 AND metric_key = ?2"
                                   " AND bucket_ms = ?3",
                                   error, true);
}

bool RollupWriter::add(qint64 deviceKey, qint64 metricKey, std::span<const SeriesPoint> points, QString *error)
{
    return aggregate(deviceKey, metricKey, points, m_upsertMinute, m_upsertHour, error);
}

bool RollupWriter::recomputeMinutes(qint64 deviceKey, qint64 metricKey, const QList<qint64> &minuteBuckets,
                                    std::span<const SeriesPoint> points, QString *error)
{
    auto run = [&](SqlStatement &st, qint64 bucket) {
        st.bindInt64(1, deviceKey);
        st.bindInt64(2, metricKey);
        st.bindInt64(3, bucket);
        return st.execute(error);
    };
    QList<qint64> hours;
    for (qint64 minute : minuteBuckets) {
        if (!run(m_deleteMinute, minute))
            return false;
        Aggregate agg;
        for (const SeriesPoint &p : points) {
            if (!counts(p) || telemetry_layout::bucketStart(p.tsMs, telemetry_layout::kMinuteMs) != minute)
                continue;
            if (agg.count == 0) {
                agg = Aggregate{minute, p.value, p.value, p.value, 1};
                continue;
            }
            agg.min = qMin(agg.min, p.value);
            agg.max = qMax(agg.max, p.value);
            agg.sum = clampedSum(agg.sum, p.value);
            ++agg.count;
        }
        if (agg.count > 0 && !write(m_upsertMinute, deviceKey, metricKey, agg, error))
            return false;
        const qint64 hour = telemetry_layout::bucketStart(minute, telemetry_layout::kHourMs);
        if (!hours.contains(hour))
            hours.append(hour);
    }
    for (qint64 hour : std::as_const(hours)) {
        if (!run(m_deleteHour, hour) || !run(m_recomputeHour, hour))
            return false;
    }
    return true;
}

bool RollupWriter::aggregate(qint64 deviceKey, qint64 metricKey, std::span<const SeriesPoint> points,
                             SqlStatement &minute, SqlStatement &hour, QString *error)
{
    Aggregate m;
    Aggregate h;
    auto addTo = [&](Aggregate &agg, SqlStatement &st, qint64 widthMs, const SeriesPoint &p) {
        const qint64 bucket = telemetry_layout::bucketStart(p.tsMs, widthMs);
        if (agg.count > 0 && agg.bucketMs != bucket) {
            if (!write(st, deviceKey, metricKey, agg, error))
                return false;
            agg.count = 0;
        }
        if (agg.count == 0) {
            agg = Aggregate{bucket, p.value, p.value, p.value, 1};
            return true;
        }
        agg.min = qMin(agg.min, p.value);
        agg.max = qMax(agg.max, p.value);
        agg.sum = clampedSum(agg.sum, p.value);
        ++agg.count;
        return true;
    };
    for (const SeriesPoint &p : points) {
        if (!counts(p))
            continue;
        if (!addTo(m, minute, telemetry_layout::kMinuteMs, p) || !addTo(h, hour, telemetry_layout::kHourMs, p))
            return false;
    }
    return (m.count == 0 || write(minute, deviceKey, metricKey, m, error))
           && (h.count == 0 || write(hour, deviceKey, metricKey, h, error));
}

bool RollupWriter::write(SqlStatement &st, qint64 deviceKey, qint64 metricKey, const Aggregate &agg, QString *error)
{
    st.bindInt64(1, deviceKey);
    st.bindInt64(2, metricKey);
    st.bindInt64(3, agg.bucketMs);
    st.bindDouble(4, agg.min);
    st.bindDouble(5, agg.max);
    st.bindDouble(6, agg.sum);
    st.bindInt64(7, agg.count);
    return st.execute(error);
}

} // namespace fd
