#pragma once

// Small builders and raw-SQLite helpers shared by the storage tests (header-only).

#include "core/domain/device.h"
#include "core/domain/telemetry_sample.h"
#include "core/storage/storage_batch.h"

#include <QByteArray>
#include <QDateTime>
#include <QFile>
#include <QString>
#include <QStringList>

#include <sqlite3.h>

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

// A raw sqlite3 connection, independent of the code under test.
class RawDb
{
public:
    explicit RawDb(const QString &path)
    {
        if (sqlite3_open_v2(QFile::encodeName(path).constData(), &m_db,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr)
            != SQLITE_OK) {
            sqlite3_close(m_db);
            m_db = nullptr;
        }
        if (m_db)
            sqlite3_busy_timeout(m_db, 5000);
    }
    ~RawDb() { sqlite3_close(m_db); }
    RawDb(const RawDb &) = delete;
    RawDb &operator=(const RawDb &) = delete;

    bool isOpen() const { return m_db != nullptr; }
    QString exec(const char *sql)  // empty on success, else the error
    {
        char *msg = nullptr;
        if (sqlite3_exec(m_db, sql, nullptr, nullptr, &msg) == SQLITE_OK)
            return {};
        const QString error = QString::fromUtf8(msg ? msg : sqlite3_errmsg(m_db));
        sqlite3_free(msg);
        return error;
    }
    qint64 integer(const char *sql)  // first column of the first row, -1 on error
    {
        sqlite3_stmt *st = nullptr;
        qint64 value = -1;
        if (sqlite3_prepare_v2(m_db, sql, -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
            value = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return value;
    }
    QStringList texts(const char *sql)  // first column of every row
    {
        QStringList out;
        sqlite3_stmt *st = nullptr;
        if (sqlite3_prepare_v2(m_db, sql, -1, &st, nullptr) == SQLITE_OK) {
            while (sqlite3_step(st) == SQLITE_ROW)
                out.append(QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(st, 0))));
        }
        sqlite3_finalize(st);
        return out;
    }

private:
    sqlite3 *m_db = nullptr;
};

} // namespace fd::storagetest
