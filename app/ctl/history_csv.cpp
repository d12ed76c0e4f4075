#include "app/ctl/history_csv.h"

#include "core/telemetry/telemetry_csv_writer.h"

#include <cmath>

namespace fd {

namespace {

// A double cell: TelemetryCsvWriter's shortest round-trip form (NaN empty), except that
// -0.0 keeps its sign ("-0"; QString::number drops it), as the cache does.
QByteArray numberCell(double value)
{
    if (value == 0.0 && std::signbit(value))
        return QByteArrayLiteral("-0");
    return TelemetryCsvWriter::number(value).toLatin1();
}

} // namespace

QByteArray HistoryCsv::rawHeader()
{
    return QByteArrayLiteral("time,value\n");
}

QByteArray HistoryCsv::rollupHeader()
{
    return QByteArrayLiteral("time,min,max,mean,count\n");
}

QByteArray HistoryCsv::rawRow(const SeriesPoint &point)
{
    QByteArray row = TelemetryCsvWriter::timestamp(point.tsMs).toLatin1();
    row += ',';
    switch (point.type) {
    case MetricType::Double:
        row += numberCell(point.value);
        break;
    case MetricType::Int64:
        row += QByteArray::number(point.integer);
        break;
    case MetricType::Bool:
        row += point.integer != 0 ? "true" : "false";
        break;
    case MetricType::String:
        row += TelemetryCsvWriter::textField(point.text);
        break;
    }
    row += '\n';
    return row;
}

QByteArray HistoryCsv::rollupRow(const TelemetryBucket &bucket)
{
    QByteArray row = TelemetryCsvWriter::timestamp(bucket.tMs).toLatin1();
    for (double v : {bucket.min, bucket.max, bucket.mean}) {
        row += ',';
        if (bucket.count > 0)
            row += numberCell(v);
    }
    row += ',';
    row += QByteArray::number(bucket.count);
    row += '\n';
    return row;
}

} // namespace fd
