#pragma once

#include "core/domain/device_key.h"
#include "core/domain/telemetry_bucket.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace fd {

// Which table a history read uses. Auto picks by the length of the range (see
// HistoryQuery::chooseResolution): raw rows for short ranges, rollups for long ones.
enum class HistoryResolution { Auto, Raw, Minute, Hour };

// Which resolution Auto picks for a range of a given length.
struct HistoryThresholds
{
    qint64 maxRawSpanMs = 3LL * 60 * 60 * 1000;          // up to 3 h: raw rows
    qint64 maxMinuteSpanMs = 10LL * 24 * 60 * 60 * 1000; // up to 10 d: minute rollups
};

// One asynchronous history read: several series over one time range.
struct HistoryRequest
{
    struct Series
    {
        DeviceKey device;
        QString metric;
    };

    quint64 id = 0;  // filled in by HistoryReader::request()
    QList<Series> series;
    qint64 fromMs = 0;
    qint64 toMs = 0;
    HistoryResolution resolution = HistoryResolution::Auto;
};

struct HistoryResult
{
    quint64 id = 0;
    HistoryResolution resolution = HistoryResolution::Raw;  // what Auto turned into
    qint64 fromMs = 0;
    qint64 toMs = 0;
    QList<HistoryRequest::Series> series;
    QList<TelemetryBuckets> rows;  // one list per series, same order, ascending by time
    QString error;                 // empty on success
    qint64 elapsedMs = 0;
};

} // namespace fd

Q_DECLARE_METATYPE(fd::HistoryResult)
