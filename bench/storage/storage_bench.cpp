// fleetdeck-storagebench, three figures of the telemetry store (docs/performance.md):
//  1. points per second through StorageWriter (WAL, batched transactions on its own thread,
//     staged then packed into blocks; the time includes packing everything) while a reader
//     runs chart-style range queries on its own connection; the WAL size sampled every 20 ms;
//  2. bytes per point of the cache file after >= 1,000,000 points of simulator-like data
//     (SimulatedFleetData) committed second by second, as a recorder would;
//  3. the time to read and decode one series with 24 h of 1 Hz raw points for a chart.
// Prints one JSON object; the figures of 3 are under "history".
#include "core/domain/telemetry_sample.h"
#include "core/storage/database.h"
#include "core/storage/history_query.h"
#include "simulated_fleet_data.h"
#include "core/storage/inventory_store.h"
#include "core/storage/sql_statement.h"
#include "core/storage/storage_writer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTextStream>
#include <QThread>

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <thread>

namespace {

Q_LOGGING_CATEGORY(lcStorageBench, "fleetdeck.bench.storage")

QList<fd::TelemetrySample> makeSamples(int count, int devices, qint64 t0, const QList<QString> &ids,
                                       const QList<QString> &metricNames, qint64 *nextIndex)
{
    QList<fd::TelemetrySample> out;
    out.reserve(count);
    for (int i = 0; i < count; ++i) {
        const qint64 n = (*nextIndex)++;
        fd::TelemetrySample s;
        s.deviceId = ids.at(int(n % devices));
        s.timestampMs = t0 + (n / devices) * 1000;  // 1 Hz per device
        s.seq = quint64(n / devices + 1);
        s.metrics.reserve(metricNames.size());
        for (qsizetype m = 0; m < metricNames.size(); ++m)
            s.metrics.append(fd::MetricValue{metricNames.at(m), double((n + m) % 1000) / 10.0});
        out.append(std::move(s));
    }
    return out;
}

void removeCache(const QString &path)
{
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(path + suffix);
}

// The cache's size once its WAL is checkpointed into it, with a breakdown by table (dbstat).
QJsonObject fileSize(const QString &path)
{
    QJsonObject o;
    fd::Database db;
    if (!db.open(path).ok())
        return o;
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    o.insert(QStringLiteral("file_bytes"), double(QFileInfo(path).size()));
    fd::SqlStatement st;
    if (st.prepare(db.handle(), "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC")) {
        QJsonObject tables;
        while (st.step() == SQLITE_ROW)
            tables.insert(st.columnText(0), double(st.columnInt64(1)));
        o.insert(QStringLiteral("by_table"), tables);
    }
    fd::SqlStatement free;
    if (free.prepare(db.handle(), "PRAGMA freelist_count") && free.step() == SQLITE_ROW)
        o.insert(QStringLiteral("free_pages"), double(free.columnInt64(0)));
    return o;
}

// Phase 2: `devices` devices x 4 metrics, one commit per second of data.
QJsonObject sizePhase(const QString &dir, int devices, qint64 points)
{
    const QString path = QDir(dir).filePath(QStringLiteral("storage-size.sqlite"));
    removeCache(path);
    const qint64 seconds = points / (qint64(devices) * SimulatedFleetData::kMetricsPerSample) + 1;
    const qint64 start = QDateTime::currentMSecsSinceEpoch() - seconds * 1000 - 60000;
    SimulatedFleetData data(devices, start, 42);
    fd::StorageWriter writer;
    writer.setRetention({0, 0, 0});
    writer.setCommitIntervalMs(0);
    QString error;
    if (!writer.start(path, &error))
        return {{QStringLiteral("error"), error}};
    QElapsedTimer timer;
    timer.start();
    for (qint64 s = 0; s < seconds; ++s) {
        fd::StorageBatch b;
        b.samples = data.nextSecond();
        writer.submit(std::move(b));
        if (s % 60 == 59 && !writer.flush(600000))  // keep the queue to about a minute, like live data
            return {{QStringLiteral("error"), QStringLiteral("flush failed")}};
    }
    writer.stop();  // packs what is staged
    const qint64 written = qint64(writer.committedRows());
    QJsonObject o = fileSize(path);
    o.insert(QStringLiteral("points"), double(written));
    o.insert(QStringLiteral("devices"), devices);
    o.insert(QStringLiteral("seconds"), double(seconds));
    o.insert(QStringLiteral("write_s"), double(timer.nsecsElapsed()) / 1e9);
    o.insert(QStringLiteral("bytes_per_point"), written > 0 ? o.value(QStringLiteral("file_bytes")).toDouble() / double(written) : 0.0);
    return o;
}

// Phase 3: one series with 24 h of 1 Hz raw points, read for a chart (HistoryQuery, raw).
QJsonObject historyPhase(const QString &dir)
{
    const QString path = QDir(dir).filePath(QStringLiteral("storage-history.sqlite"));
    removeCache(path);
    constexpr qint64 kSeconds = 24 * 3600;
    const qint64 start = QDateTime::currentMSecsSinceEpoch() - kSeconds * 1000 - 60000;
    SimulatedFleetData data(1, start, 7);
    {
        fd::StorageWriter writer;
        writer.setRetention({0, 0, 0});
        QString error;
        if (!writer.start(path, &error))
            return {{QStringLiteral("error"), error}};
        for (qint64 s = 0; s < kSeconds; s += 60) {
            fd::StorageBatch b;
            for (int i = 0; i < 60; ++i)
                b.samples.append(data.nextSecond());
            writer.submit(std::move(b));
        }
        writer.stop();
    }
    fd::Database db;
    if (!db.open(path, true).ok())
        return {{QStringLiteral("error"), QStringLiteral("cannot open")}};
    fd::HistoryQuery query(db);
    const fd::DeviceKey device(fd::DeviceKey::defaultSource(), QStringLiteral("dev-000001"));
    QList<double> ms;
    qint64 rows = 0;
    for (int run = 0; run < 11; ++run) {
        QElapsedTimer t;
        t.start();
        fd::TelemetryBuckets out;
        QString error;
        if (!query.read(device, QStringLiteral("temperature"), start - 1000, start + kSeconds * 1000 + 1000,
                        fd::HistoryResolution::Raw, &out, &error))
            return {{QStringLiteral("error"), error}};
        ms.append(double(t.nsecsElapsed()) / 1e6);
        rows = out.size();
    }
    const double first = ms.takeFirst();
    std::sort(ms.begin(), ms.end());
    QJsonObject o;
    o.insert(QStringLiteral("raw_24h_ms"), ms.at(ms.size() / 2));
    o.insert(QStringLiteral("raw_24h_first_ms"), first);
    o.insert(QStringLiteral("raw_24h_points"), double(rows));
    return o;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Storage benchmark: telemetry rows/s and WAL size with a reader."));
    p.addHelpOption();
    const QCommandLineOption dirOpt(QStringLiteral("dir"), QStringLiteral("Work directory."), QStringLiteral("DIR"));
    const QCommandLineOption rowsOpt(QStringLiteral("rows"), QStringLiteral("Telemetry rows to write."),
                                     QStringLiteral("N"), QStringLiteral("2000000"));
    const QCommandLineOption devicesOpt(QStringLiteral("devices"), QStringLiteral("Devices."), QStringLiteral("N"),
                                        QStringLiteral("10000"));
    const QCommandLineOption noReaderOpt(QStringLiteral("no-reader"), QStringLiteral("No concurrent reader."));
    const QCommandLineOption sizePointsOpt(QStringLiteral("size-points"),
                                           QStringLiteral("Points of simulator-like data for bytes per point."),
                                           QStringLiteral("N"), QStringLiteral("1000000"));
    const QCommandLineOption sizeDevicesOpt(QStringLiteral("size-devices"), QStringLiteral("Devices for bytes per point."),
                                            QStringLiteral("N"), QStringLiteral("100"));
    p.addOptions({dirOpt, rowsOpt, devicesOpt, noReaderOpt, sizePointsOpt, sizeDevicesOpt});
    p.process(app);
    QTextStream err(stderr);
    const QString dir = p.value(dirOpt);
    if (dir.isEmpty() || !QDir().mkpath(dir)) {
        err << "fleetdeck-storagebench: --dir DIR is required and must be creatable\n";
        return 2;
    }
    const qint64 rows = p.value(rowsOpt).toLongLong();
    const int devices = std::max(1, p.value(devicesOpt).toInt());
    const QString path = QDir(dir).filePath(QStringLiteral("storage-bench.sqlite"));
    removeCache(path);

    const QList<QString> metricNames{QStringLiteral("temperature"), QStringLiteral("humidity"),
                                     QStringLiteral("battery"), QStringLiteral("rssi")};
    QList<QString> ids;
    for (int i = 0; i < devices; ++i)
        ids.append(QStringLiteral("dev-%1").arg(i + 1));
    const qint64 samplesTotal = rows / metricNames.size();
    const qint64 t0 = QDateTime::currentMSecsSinceEpoch() - samplesTotal / devices * 1000 - 60000;

    fd::StorageWriter writer;
    writer.setRetention({0, 0, 0});  // keep everything: the run writes old-looking timestamps
    QString error;
    if (!writer.start(path, &error)) {
        err << "fleetdeck-storagebench: " << error << '\n';
        return 3;
    }
    // Pre-generate, so the timing is the writer's.
    QList<QList<fd::TelemetrySample>> batches;
    constexpr int kBatch = 2000;  // samples per submit, like one ingest drain
    qint64 nextIndex = 0;
    for (qint64 done = 0; done < samplesTotal; done += kBatch)
        batches.append(makeSamples(int(std::min<qint64>(kBatch, samplesTotal - done)), devices, t0, ids, metricNames,
                                   &nextIndex));

    std::atomic<bool> stop{false};
    std::atomic<qint64> walMax{0};
    std::atomic<quint64> queries{0};
    std::atomic<qint64> queryMaxUs{0};
    std::atomic<quint64> readerErrors{0};
    std::thread walSampler([&] {
        while (!stop.load()) {
            walMax.store(std::max(walMax.load(), QFileInfo(path + QStringLiteral("-wal")).size()));
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    std::thread reader;
    if (!p.isSet(noReaderOpt)) {
        reader = std::thread([&] {
            fd::Database db;
            const fd::Database::OpenResult opened = db.open(path, true);
            if (!opened.ok()) {
                qCWarning(lcStorageBench) << "reader cannot open the cache:" << opened.message;
                readerErrors.fetch_add(1);
                return;
            }
            const fd::InventoryStore store(db);
            quint64 k = 0;
            while (!stop.load()) {
                QElapsedTimer t;
                t.start();
                // A chart of one device over the last hour of data.
                const QString &id = ids.at(int((k++ * 7919) % quint64(devices)));
                const auto samples = store.samples(fd::DeviceKey(fd::DeviceKey::defaultSource(), id), 0,
                                                   std::numeric_limits<qint64>::max());
                Q_UNUSED(samples);
                queryMaxUs.store(std::max(queryMaxUs.load(), t.nsecsElapsed() / 1000));
                queries.fetch_add(1);
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
        });
    }

    QElapsedTimer timer;
    timer.start();
    quint64 submitted = 0;
    for (auto &batch : batches) {
        // Like ingest: the producer never waits for a commit, but keep the queue bounded to
        // what the writer accepts without dropping (kMaxPendingSamples).
        while (submitted - writer.committedSamples() > quint64(fd::StorageWriter::kMaxPendingSamples / 2))
            QThread::msleep(1);
        submitted += quint64(batch.size());
        fd::StorageBatch b;
        b.samples = std::move(batch);
        writer.submit(std::move(b));
    }
    bool flushed = writer.flush(600000);
    const double commitSeconds = double(timer.nsecsElapsed()) / 1e9;
    writer.packNow();  // the points/s include packing every point into blocks
    flushed = writer.flush(600000) && flushed;
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    stop.store(true);
    if (reader.joinable())
        reader.join();
    walSampler.join();
    const qint64 walEnd = QFileInfo(path + QStringLiteral("-wal")).size();
    const quint64 committedRows = writer.committedRows();
    const quint64 transactions = writer.committedTransactions();
    const quint64 packs = writer.packs();
    writer.stop();
    const QJsonObject size = sizePhase(dir, std::max(1, p.value(sizeDevicesOpt).toInt()),
                                       p.value(sizePointsOpt).toLongLong());
    const QJsonObject history = historyPhase(dir);

    QJsonObject o;
    o.insert(QStringLiteral("rows"), double(committedRows));
    o.insert(QStringLiteral("seconds"), seconds);
    o.insert(QStringLiteral("rows_per_s"), seconds > 0 ? double(committedRows) / seconds : 0.0);
    o.insert(QStringLiteral("commit_rows_per_s"), commitSeconds > 0 ? double(committedRows) / commitSeconds : 0.0);
    o.insert(QStringLiteral("packs"), double(packs));
    o.insert(QStringLiteral("transactions"), double(transactions));
    o.insert(QStringLiteral("wal_max_bytes"), double(walMax.load()));
    o.insert(QStringLiteral("wal_end_bytes"), double(walEnd));
    o.insert(QStringLiteral("db_bytes"), double(QFileInfo(path).size()));
    o.insert(QStringLiteral("reader_queries"), double(queries.load()));
    o.insert(QStringLiteral("reader_query_max_ms"), double(queryMaxUs.load()) / 1000.0);
    o.insert(QStringLiteral("reader_errors"), double(readerErrors.load()));
    o.insert(QStringLiteral("flushed"), flushed);
    o.insert(QStringLiteral("bytes_per_point"), size.value(QStringLiteral("bytes_per_point")));
    o.insert(QStringLiteral("size"), size);
    o.insert(QStringLiteral("history"), history);
    QTextStream(stdout) << QJsonDocument(o).toJson(QJsonDocument::Compact) << '\n';
    return flushed && committedRows == quint64(samplesTotal * metricNames.size()) ? 0 : 1;
}
