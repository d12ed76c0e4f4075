// Child process of test_storage_telemetry_store (killBetweenStagingAndPackingLosesNothing):
// stages a round of points into the cache, prints "committed N" (N points) once they are
// durable, optionally says "packing" and asks for a pack, then waits to be killed with SIGKILL.
//   storage_crash_child CACHE ROUND commit|pack
#include "core/storage/storage_writer.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QThread>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 4)
        return 2;
    const qint64 round = args.at(2).toLongLong();
    constexpr qint64 kSamples = 40000;
    constexpr int kDevices = 100;
    // Recent enough for the default retention, distinct per round and device.
    const qint64 base = QDateTime::currentMSecsSinceEpoch() - 4LL * 24 * 3600 * 1000;
    fd::StorageWriter writer;
    writer.setCommitIntervalMs(0);
    if (!writer.start(args.at(1)))
        return 3;
    fd::StorageBatch batch;
    for (qint64 i = 0; i < kSamples; ++i) {
        fd::TelemetrySample s;
        s.deviceId = QStringLiteral("dev-%1").arg(i % kDevices);
        s.timestampMs = base + (round * kSamples + i) / kDevices * 1000;
        s.metrics = {fd::MetricValue(QStringLiteral("temp"), double(i % 1000) / 10.0),
                     fd::MetricValue::ofInt64(QStringLiteral("count"), i)};
        batch.samples.append(std::move(s));
    }
    writer.submit(std::move(batch));
    if (!writer.flush(120000))
        return 4;
    std::printf("committed %lld\n", static_cast<long long>(kSamples * 2));
    std::fflush(stdout);
    if (args.at(3) == QLatin1String("pack")) {
        std::printf("packing\n");  // the parent kills on this line: in the middle of the pack
        std::fflush(stdout);
        writer.packNow();
    }
    for (;;)
        QThread::sleep(1);
}
