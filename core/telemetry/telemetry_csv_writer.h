#pragma once

#include "core/domain/telemetry_bucket.h"

#include <QList>
#include <QString>

class QIODevice;

namespace fd {

// Writes telemetry as CSV (RFC 4180, UTF-8, "\r\n" line ends), one row per sample:
//
//   timestamp_utc,device,metric,value,min,max,count
//   2026-11-26T09:47:03.123Z,dev-000001,temp,21.5,21.5,21.5,1
//
// Timestamps are ISO 8601 in UTC with milliseconds. Rows of all series are merged in time
// order (ties keep the series order). A rollup bucket is one row stamped with the start of
// the bucket: value is its mean, min/max/count its aggregates. Missing values are empty.
class TelemetryCsvWriter
{
public:
    struct Series
    {
        QString deviceId;
        QString metric;
        TelemetryBuckets rows;  // sorted by time
    };

    static QByteArray header();
    static QString timestamp(qint64 msSinceEpoch);  // "2026-11-26T09:47:03.123Z"
    static QString number(double value);             // shortest round-trip form; NaN -> ""
    // A text cell: quoted when it holds a comma, quote or line break; a leading =, +, -, @,
    // tab or carriage return gets an apostrophe (the guard against CSV formula injection).
    static QByteArray textField(const QString &text);

    // Returns the number of data rows written; -1 with error on an I/O failure.
    static qint64 write(QIODevice *out, const QList<Series> &series, QString *error = nullptr);
    static QByteArray toCsv(const QList<Series> &series);
};

} // namespace fd
