#include "core/telemetry/telemetry_csv_writer.h"

#include <QBuffer>
#include <QDateTime>
#include <QIODevice>
#include <QLocale>

#include <cmath>
#include <queue>
#include <vector>

using namespace Qt::StringLiterals;

namespace fd {

namespace {

// A text cell (device and metric names come from devices): quoted when needed, and a cell
// that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage
// return) gets a leading apostrophe, the usual guard against CSV formula injection.
QByteArray field(const QString &text)
{
    QByteArray utf8 = text.toUtf8();
    if (!utf8.isEmpty() && QByteArrayView("=+-@\t\r").contains(utf8.front()))
        utf8.prepend('\'');
    if (utf8.contains(',') || utf8.contains('"') || utf8.contains('\n') || utf8.contains('\r')) {
        utf8.replace("\"", "\"\"");
        utf8.prepend('"');
        utf8.append('"');
    }
    return utf8;
}

} // namespace

QByteArray TelemetryCsvWriter::textField(const QString &text)
{
    return field(text);
}

QByteArray TelemetryCsvWriter::header()
{
    return QByteArrayLiteral("timestamp_utc,device,metric,value,min,max,count\r\n");
}

QString TelemetryCsvWriter::timestamp(qint64 msSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch, Qt::UTC)
        .toString(u"yyyy-MM-ddTHH:mm:ss.zzz'Z'"_s);
}

QString TelemetryCsvWriter::number(double value)
{
    if (std::isnan(value))
        return QString();
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

qint64 TelemetryCsvWriter::write(QIODevice *out, const QList<Series> &series, QString *error)
{
    auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        return qint64(-1);
    };
    if (out->write(header()) < 0)
        return fail(out->errorString());

    // k-way merge by (time, series index).
    using Cursor = std::pair<qint64, std::pair<qsizetype, qsizetype>>;  // t, (series, row)
    std::priority_queue<Cursor, std::vector<Cursor>, std::greater<>> heap;
    QList<QByteArray> device;
    QList<QByteArray> metric;
    for (qsizetype s = 0; s < series.size(); ++s) {
        device.append(field(series.at(s).deviceId));
        metric.append(field(series.at(s).metric));
        if (!series.at(s).rows.isEmpty())
            heap.push({series.at(s).rows.constFirst().tMs, {s, 0}});
    }
    qint64 written = 0;
    QByteArray line;
    while (!heap.empty()) {
        const auto [t, pos] = heap.top();
        heap.pop();
        const auto [s, r] = pos;
        const TelemetryBucket &b = series.at(s).rows.at(r);
        const bool empty = b.count <= 0;
        line.clear();
        line += timestamp(b.tMs).toLatin1();
        line += ',' + device.at(s) + ',' + metric.at(s) + ',';
        line += (empty ? QString() : number(b.mean)).toLatin1() + ',';
        line += (empty ? QString() : number(b.min)).toLatin1() + ',';
        line += (empty ? QString() : number(b.max)).toLatin1() + ',';
        line += QByteArray::number(b.count) + "\r\n";
        if (out->write(line) != line.size())
            return fail(out->errorString());
        ++written;
        if (r + 1 < series.at(s).rows.size())
            heap.push({series.at(s).rows.at(r + 1).tMs, {s, r + 1}});
    }
    return written;
}

QByteArray TelemetryCsvWriter::toCsv(const QList<Series> &series)
{
    QByteArray data;
    QBuffer buffer(&data);
    buffer.open(QIODevice::WriteOnly);
    write(&buffer, series);
    return data;
}

} // namespace fd
