#pragma once

#include "tests/support/raw_db.h"

// Small builders and raw-SQLite helpers shared by the storage tests (header-only).

#include "core/domain/device.h"
#include "core/domain/telemetry_sample.h"
#include "core/storage/database.h"
#include "core/storage/raw_series_reader.h"
#include "core/storage/sql_statement.h"
#include "core/storage/storage_batch.h"

#include <QByteArray>
#include <QDateTime>
#include <QFile>
#include <QString>
#include <QStringList>

#include <limits>


namespace fd::storagetest {

// A protocol v1 device of the source "default" (caches from before sources existed).
inline DeviceKey v1(const QString &id)
{
    return DeviceKey{DeviceKey::defaultSource(), id};
}

// A recent time (ms since epoch) to base test timestamps on, so retention (7 days by
// default, run when a writer starts) never deletes test data behind a test's back.
inline qint64 t0()
{
    static const qint64 base = QDateTime::currentMSecsSinceEpoch() - 3600 * 1000;
    return base;
}

inline QString deviceId(int i)
{
    return QStringLiteral("dev-%1").arg(i, 6, 10, QLatin1Char('0'));
}

inline Device makeDevice(const QString &id, int variant = 0)
{
    Device d;
    d.id = id;
    d.name = QStringLiteral("Device ") + id;
    d.model = QStringLiteral("TH-%1").arg(variant % 3);
    d.fwVersion = QStringLiteral("1.%1.0").arg(variant % 5);
    d.site = QStringLiteral("site-%1").arg(variant % 7);
    d.online = variant % 2 == 0;
    d.lastSeenMs = 1700000000000LL + variant;
    d.lastTelemetryMs = 1700000000000LL + variant - 5;
    d.lastSeq = quint64(variant) * 3;
    d.messageCount = quint64(variant) * 10;
    d.metrics = {MetricValue{QStringLiteral("temp"), 20.0 + variant % 10},
                 MetricValue{QStringLiteral("hum"), 40.0 + variant % 20}};
    return d;
}

inline TelemetrySample makeSample(const QString &id, qint64 ts, const MetricValues &metrics)
{
    TelemetrySample s;
    s.deviceId = id;
    s.timestampMs = ts;
    s.metrics = metrics;
    return s;
}

inline MetricValues threeMetrics(double base)
{
    return {MetricValue{QStringLiteral("temp"), base}, MetricValue{QStringLiteral("hum"), base + 1},
            MetricValue{QStringLiteral("volt"), base + 2}};
}

inline QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

inline bool writeAll(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

using RawDb = fd::test::RawDb;  // tests/support/raw_db.h

// Copies every raw point of the cache at path (blocks, staged rows, v3 rows: what
// RawSeriesReader reads) into the plain table raw_points(device_key, metric_key, ts_ms,
// value), so a test can check raw telemetry with SQL as it could before schema v4. NaN and
// strings are NULL. Returns the number of points, -1 on failure.
inline qint64 materializeRawPoints(const QString &path)
{
    Database db;
    if (!db.open(path).ok())
        return -1;
    QString error;
    if (!db.exec("DROP TABLE IF EXISTS raw_points;"
                 " CREATE TABLE raw_points(device_key INTEGER, metric_key INTEGER, ts_ms INTEGER, value REAL);",
                 &error))
        return -1;
    SqlStatement series;
    SqlStatement insert;
    if (!series.prepare(db.handle(), "SELECT device_key, metric_key FROM series", &error)
        || !insert.prepare(db.handle(), "INSERT INTO raw_points VALUES(?1, ?2, ?3, ?4)", &error))
        return -1;
    RawSeriesReader reader(db);
    qint64 total = 0;
    SeriesPoints points;
    while (series.step() == SQLITE_ROW) {
        const qint64 dk = series.columnInt64(0);
        const qint64 mk = series.columnInt64(1);
        if (!reader.read(dk, mk, std::numeric_limits<qint64>::min(), std::numeric_limits<qint64>::max(), &points,
                         &error))
            return -1;
        for (const SeriesPoint &p : points) {
            insert.bindInt64(1, dk);
            insert.bindInt64(2, mk);
            insert.bindInt64(3, p.tsMs);
            if (p.type == MetricType::String)
                insert.bindNull(4);
            else
                insert.bindDouble(4, p.value);
            if (!insert.execute(&error))
                return -1;
            ++total;
        }
    }
    return total;
}

} // namespace fd::storagetest
