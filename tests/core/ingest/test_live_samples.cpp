// LiveSamplesConsumer: feeds the session's LiveTelemetry on the ingest thread with every
// accepted sample (rejects not included) and has it report the changed series coalesced:
// at most one seriesChanged() per interval, never one per message; flush() reports what
// is pending at once.

#include "core/ingest/ingest_pipeline.h"
#include "core/ingest/live_samples_consumer.h"
#include "core/protocol/protocol_v1_decoder.h"
#include "core/telemetry/live_telemetry.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

using namespace fd;

namespace {

MqttMessage message(const QByteArray &topic, const QByteArray &payload)
{
    return MqttMessage{topic, payload, QDateTime::currentMSecsSinceEpoch(), 1, false};
}

QByteArray telemetry(quint64 seq, double value)
{
    return R"({"ts":)" + QByteArray::number(1700000000000LL + qint64(seq) * 1000) + R"(,"seq":)"
           + QByteArray::number(seq) + R"(,"metrics":{"temperature":)" + QByteArray::number(value) + "}}";
}

const QString kSource = QStringLiteral("default");

struct Fixture
{
    Fixture()
    {
        consumer = new LiveSamplesConsumer(&live);
        pipeline.addConsumer(consumer);
        pipeline.setDecoders(kSource, {std::make_shared<ProtocolV1Decoder>(TopicScheme(), 65536)});
    }
    LiveTelemetry live;
    IngestPipeline pipeline;
    LiveSamplesConsumer *consumer;
};

} // namespace

class TestLiveSamples : public QObject
{
    Q_OBJECT

private slots:
    void feedsLiveTelemetry();
    void coalescedAndComplete();
    void flushReportsPending();
};

void TestLiveSamples::feedsLiveTelemetry()
{
    Fixture f;
    QSignalSpy changed(&f.live, &LiveTelemetry::seriesChanged);
    MqttMessageBatch batch;
    for (int i = 1; i <= 30; ++i)
        batch.append(message("fleetdeck/v1/dev-" + QByteArray::number(i % 3) + "/telemetry", telemetry(quint64(i), i)));
    f.pipeline.processBatch(kSource, batch);
    QVERIFY(changed.wait(1000));  // coalesced, not per message
    QCOMPARE(changed.size(), 1);
    const auto series = changed.at(0).at(0).value<QSet<SeriesKey>>();
    QCOMPARE(series.size(), 3);
    QVERIFY(series.contains(SeriesKey{DeviceKey{kSource, QStringLiteral("dev-1")}, QStringLiteral("temperature")}));
    QCOMPARE(f.live.seriesCount(), 3);
    QCOMPARE(f.live.pointCount(), 30);
    const auto buffer = f.live.buffer({DeviceKey{kSource, QStringLiteral("dev-2")}, QStringLiteral("temperature")});
    QVERIFY(buffer);
    QCOMPARE(buffer->size(), 10);
}

void TestLiveSamples::coalescedAndComplete()
{
    Fixture f;
    f.consumer->setIntervalMs(30);
    QSignalSpy changed(&f.live, &LiveTelemetry::seriesChanged);
    for (int b = 0; b < 20; ++b) {
        MqttMessageBatch batch;
        for (int i = 0; i < 50; ++i)
            batch.append(message("fleetdeck/v1/dev-" + QByteArray::number(i % 5) + "/telemetry",
                                 telemetry(quint64(b * 50 + i + 1), i)));
        batch.append(message("fleetdeck/v1/dev-0/telemetry", "not json"));  // rejected
        f.pipeline.processBatch(kSource, batch);
    }
    QVERIFY(changed.wait(1000));
    QCOMPARE(changed.size(), 1);  // 20 batches, one report
    QCOMPARE(changed.at(0).at(0).value<QSet<SeriesKey>>().size(), 5);
    QCOMPARE(f.live.pointCount(), 20 * 50);  // every accepted sample, no reject
    QVERIFY(!changed.wait(100));  // idle: nothing more
}

void TestLiveSamples::flushReportsPending()
{
    Fixture f;
    f.consumer->setIntervalMs(10000);
    QSignalSpy changed(&f.live, &LiveTelemetry::seriesChanged);
    f.pipeline.processBatch(kSource, {message("fleetdeck/v1/a/telemetry", telemetry(1, 1))});
    QVERIFY(changed.isEmpty());
    f.pipeline.flushNow();
    QCOMPARE(changed.size(), 1);
    f.pipeline.flushNow();  // nothing new: nothing reported
    QCOMPARE(changed.size(), 1);
}

QTEST_GUILESS_MAIN(TestLiveSamples)
#include "test_live_samples.moc"
