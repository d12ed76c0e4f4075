#include "app/ctl/history_command.h"

#include "app/ctl/device_lookup.h"
#include "app/ctl/history_csv.h"
#include "core/storage/database.h"
#include "core/storage/history_query.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QTextStream>

#include <limits>

using namespace Qt::StringLiterals;

namespace fd {

namespace {

// "2026-11-30T10:00:00Z", with milliseconds or a UTC offset; a date alone is its midnight
// UTC; a time without an offset is UTC. False for anything else.
bool parseTime(const QString &text, qint64 *ms)
{
    QDateTime t;
    if (text.size() == 10) {  // a date alone (QDate would also take the date of a longer text)
        const QDate d = QDate::fromString(text, Qt::ISODate);
        if (d.isValid())
            t = QDateTime(d, QTime(0, 0), Qt::UTC);
    } else {
        // A time without an offset is read as UTC directly: read as local time first and
        // relabelled, a time that local time skips (the spring-forward hour of daylight
        // saving) would move by that hour. A text with an offset fails with "Z" added.
        t = QDateTime::fromString(text + u'Z', Qt::ISODateWithMs);
        if (!t.isValid())
            t = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (t.timeSpec() == Qt::LocalTime)  // no offset, yet not readable as UTC: refuse it
            t = QDateTime();
    }
    if (!t.isValid())
        return false;
    *ms = t.toMSecsSinceEpoch();
    return true;
}

} // namespace

int HistoryCommand::run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Print the history of one metric of one device from a cache as CSV."_s);
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption dbOption(u"db"_s, u"Cache database file."_s, u"FILE"_s);
    const QCommandLineOption deviceOption(u"device"_s, u"The device: its id, or its full path."_s, u"ID"_s);
    const QCommandLineOption sourceOption(
        u"source"_s, u"The device's source (connection name); needed only when the id is heard on several."_s,
        u"NAME"_s);
    const QCommandLineOption metricOption(u"metric"_s, u"The metric's name."_s, u"M"_s);
    const QCommandLineOption fromOption(u"from"_s, u"First time, ISO 8601 (UTC unless an offset is given)."_s,
                                        u"ISO"_s);
    const QCommandLineOption toOption(u"to"_s, u"Last time, ISO 8601 (inclusive)."_s, u"ISO"_s);
    const QCommandLineOption resolutionOption(
        u"resolution"_s, u"raw (every point, the default), 1m or 1h (rollups: min, max, mean, count)."_s,
        u"raw|1m|1h"_s, u"raw"_s);
    const QCommandLineOption csvOption(u"csv"_s, u"Print CSV (the only format)."_s);
    parser.addOptions({dbOption, deviceOption, sourceOption, metricOption, fromOption, toOption, resolutionOption,
                       csvOption});

    QTextStream err(stderr);
    const char *const prefix = "fleetdeckctl history: ";
    // parse(), not process(): process() ends the program with exit code 1 on an unknown
    // option or a missing value, which here means "no such device or metric".
    if (!parser.parse(QStringList{u"fleetdeckctl history"_s} + arguments)) {
        err << prefix << parser.errorText() << '\n';
        return 2;
    }
    if (parser.isSet(helpOption))
        parser.showHelp(0);
    if (!parser.positionalArguments().isEmpty()) {
        err << prefix << "unexpected argument " << parser.positionalArguments().constFirst() << '\n';
        return 2;
    }
    const QString path = parser.value(dbOption);
    const QString name = parser.value(deviceOption);
    const QString metric = parser.value(metricOption);
    const QString source = parser.value(sourceOption);
    for (const auto &[option, value] : {std::pair{"--db FILE", path}, {"--device ID", name}, {"--metric M", metric}}) {
        if (value.isEmpty()) {
            err << prefix << option << " is required\n";
            return 2;
        }
    }
    if (!parser.isSet(csvOption)) {
        err << prefix << "say --csv (CSV is the only output format)\n";
        return 2;
    }
    qint64 fromMs = std::numeric_limits<qint64>::min();
    qint64 toMs = std::numeric_limits<qint64>::max();
    if (parser.isSet(fromOption) && !parseTime(parser.value(fromOption), &fromMs)) {
        err << prefix << "--from " << parser.value(fromOption)
            << " is not an ISO 8601 time (e.g. 2026-11-30T10:00:00Z)\n";
        return 2;
    }
    if (parser.isSet(toOption) && !parseTime(parser.value(toOption), &toMs)) {
        err << prefix << "--to " << parser.value(toOption) << " is not an ISO 8601 time (e.g. 2026-11-30T11:00:00Z)\n";
        return 2;
    }
    if (fromMs > toMs) {
        err << prefix << "--from is after --to\n";
        return 2;
    }
    const QString resolutionText = parser.value(resolutionOption);
    HistoryResolution resolution = HistoryResolution::Raw;
    if (resolutionText == u"1m")
        resolution = HistoryResolution::Minute;
    else if (resolutionText == u"1h")
        resolution = HistoryResolution::Hour;
    else if (resolutionText != u"raw") {
        err << prefix << "--resolution must be raw, 1m or 1h, not " << resolutionText << '\n';
        return 2;
    }
    if (!QFileInfo::exists(path)) {
        err << prefix << path << " does not exist\n";
        return 2;
    }
    // Read-only when the file is current; a cache of an older FleetDeck is migrated first
    // (its old raw rows are read as they are until the writer converts them).
    Database db;
    Database::OpenResult opened = db.open(path, /*readOnly=*/true);
    if (!opened.ok())
        opened = db.open(path);
    if (!opened.ok()) {
        err << prefix << opened.message << '\n';
        return 2;
    }

    int exitCode = 0;
    const std::optional<DeviceKey> found = DeviceLookup::find(db, name, source, path, prefix, "", err, &exitCode);
    if (!found)
        return exitCode;
    const DeviceKey device = *found;
    QString error;

    HistoryQuery query(db);
    QFile out;
    if (!out.open(stdout, QIODevice::WriteOnly)) {
        err << prefix << "cannot write to the standard output\n";
        return 2;
    }
    QByteArray text;
    bool ok = false;
    bool empty = false;
    if (resolution == HistoryResolution::Raw) {
        SeriesPoints points;
        ok = query.readRaw(device, metric, fromMs, toMs, &points, &error);
        empty = points.empty();
        text = HistoryCsv::rawHeader();
        for (const SeriesPoint &p : points)
            text += HistoryCsv::rawRow(p);
    } else {
        TelemetryBuckets buckets;
        ok = query.read(device, metric, fromMs, toMs, resolution, &buckets, &error);
        empty = buckets.isEmpty();
        text = HistoryCsv::rollupHeader();
        for (const TelemetryBucket &b : std::as_const(buckets))
            text += HistoryCsv::rollupRow(b);
    }
    if (!ok) {
        err << prefix << "reading " << device.displayString() << " / " << metric << " failed: " << error << '\n';
        return 2;
    }
    if (empty) {
        // Nothing in the range: say whether the device has that metric at all (a lookup of
        // the series' keys, not a read of its whole history).
        bool known = false;
        QString lookupError;
        if (query.hasSeries(device, metric, &known, &lookupError) && !known) {
            QStringList metrics;
            QString listError;
            if (query.seriesMetrics(device, &metrics, &listError))
                metrics.removeAll(metric);
            err << prefix << device.displayString() << " has no history of " << metric;
            if (!metrics.isEmpty())
                err << " (its metrics: " << metrics.join(u", "_s) << ')';
            err << '\n';
            return 1;
        }
    }
    if (out.write(text) != text.size() || !out.flush()) {
        err << prefix << "writing the CSV failed: " << out.errorString() << '\n';
        return 2;
    }
    return 0;
}

} // namespace fd
