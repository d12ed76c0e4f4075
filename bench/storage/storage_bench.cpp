// fleetdeck-storagebench: telemetry rows per second through StorageWriter (WAL, batched
// transactions on its own thread) while a reader runs chart-style range queries on its own
// connection; the WAL file size is sampled every 20 ms. Prints one JSON object.
#include "core/domain/telemetry_sample.h"
#include "core/storage/database.h"
#include "core/storage/inventory_store.h"
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
    p.addOptions({dirOpt, rowsOpt, devicesOpt, noReaderOpt});
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
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(path + suffix);

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
    const bool flushed = writer.flush(600000);
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    stop.store(true);
    if (reader.joinable())
        reader.join();
    walSampler.join();
    const qint64 walEnd = QFileInfo(path + QStringLiteral("-wal")).size();
    const quint64 committedRows = writer.committedRows();
    const quint64 transactions = writer.committedTransactions();
    writer.stop();

    QJsonObject o;
    o.insert(QStringLiteral("rows"), double(committedRows));
    o.insert(QStringLiteral("seconds"), seconds);
    o.insert(QStringLiteral("rows_per_s"), seconds > 0 ? double(committedRows) / seconds : 0.0);
    o.insert(QStringLiteral("transactions"), double(transactions));
    o.insert(QStringLiteral("wal_max_bytes"), double(walMax.load()));
    o.insert(QStringLiteral("wal_end_bytes"), double(walEnd));
    o.insert(QStringLiteral("db_bytes"), double(QFileInfo(path).size()));
    o.insert(QStringLiteral("reader_queries"), double(queries.load()));
    o.insert(QStringLiteral("reader_query_max_ms"), double(queryMaxUs.load()) / 1000.0);
    o.insert(QStringLiteral("reader_errors"), double(readerErrors.load()));
    o.insert(QStringLiteral("flushed"), flushed);
    QTextStream(stdout) << QJsonDocument(o).toJson(QJsonDocument::Compact) << '\n';
    return flushed && committedRows == quint64(samplesTotal * metricNames.size()) ? 0 : 1;
}
