#include "tests/support/aged_telemetry.h"

#include "core/storage/storage_writer.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace fd::testsupport {

bool writeAgedTelemetry(const QString &path, const QList<double> &agesInDays,
                        const MetricValues &metrics, QString *error)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    StorageWriter writer;
    writer.setRetention({0, 0, 0});
    if (!writer.start(path, error))
        return false;
    StorageBatch batch;
    for (double age : agesInDays) {
        TelemetrySample s;
        s.deviceId = u"dev-1"_s;
        s.timestampMs = now - qint64(age * double(kMsPerDay));
        s.metrics = metrics;
        batch.samples.append(s);
    }
    writer.submit(std::move(batch));
    if (!writer.flush()) {
        if (error)
            *error = u"flushing %1 failed"_s.arg(path);
        return false;
    }
    writer.stop();
    return true;
}

} // namespace fd::testsupport
