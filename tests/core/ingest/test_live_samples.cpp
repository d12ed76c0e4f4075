// LiveSamplesConsumer: feeds the session's LiveTelemetry on the ingest thread with every
// accepted sample and reports the changed series coalesced; the samplesDecoded() signal is
// off by default, then coalesced into at most one per interval (never one per message),
// nothing lost, rejects not included, flush() delivers what is pending.

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
    explicit Fixture(LiveTelemetry *live = nullptr)
    {
        consumer = new LiveSamplesConsumer(live);
        pipeline.addConsumer(consumer);
        pipeline.setDecoders(kSource, {std::make_shared<ProtocolV1Decoder>(TopicScheme(), 65536)});
    }
    IngestPipeline pipeline;
    LiveSamplesConsumer *consumer;
};

} // namespace

class TestLiveSamples : public QObject
{
    Q_OBJECT

private slots:
    void offByDefault();
    void coalescedAndComplete();
    void flushDeliversPending();
    void feedsLiveTelemetry();
};

void TestLiveSamples::offByDefault()
{
    Fixture f;
    QSignalSpy spy(f.consumer, &LiveSamplesConsumer::samplesDecoded);
    f.pipeline.processBatch(kSource, {message("fleetdeck/v1/a/telemetry", telemetry(1, 1))});
    f.pipeline.flushNow();
    QVERIFY(spy.isEmpty());
}

void TestLiveSamples::coalescedAndComplete()
{
    Fixture f;
    f.consumer->setIntervalMs(30);
    QSignalSpy spy(f.consumer, &LiveSamplesConsumer::samplesDecoded);
    for (int b = 0; b < 20; ++b) {
        MqttMessageBatch batch;
        for (int i = 0; i < 50; ++i)
            batch.append(message("fleetdeck/v1/dev-" + QByteArray::number(i % 5) + "/telemetry",
                                 telemetry(quint64(b * 50 + i + 1), i)));
        batch.append(message("fleetdeck/v1/dev-0/telemetry", "not json"));  // rejected
        f.pipeline.processBatch(kSource, batch);
    }
    QVERIFY(spy.wait(1000));
    QCOMPARE(spy.size(), 1);  // 20 batches in one emission
    const auto samples = spy.at(0).at(0).value<QList<TelemetrySample>>();
    QCOMPARE(samples.size(), 20 * 50);
    QCOMPARE(samples.first().metrics.first().name, QStringLiteral("temperature"));
    QCOMPARE(samples.first().source, kSource);
    QTest::qWait(100);
    QCOMPARE(spy.size(), 1);  // idle: no more signals
}

void TestLiveSamples::flushDeliversPending()
{
    Fixture f;
    f.consumer->setIntervalMs(10000);
    QSignalSpy spy(f.consumer, &LiveSamplesConsumer::samplesDecoded);
    f.pipeline.processBatch(kSource, {message("fleetdeck/v1/a/telemetry", telemetry(1, 1))});
    QVERIFY(spy.isEmpty());
    f.pipeline.flushNow();
    QCOMPARE(spy.size(), 1);
    f.consumer->setIntervalMs(0);
    f.pipeline.processBatch(kSource, {message("fleetdeck/v1/a/telemetry", telemetry(2, 1))});
    f.pipeline.flushNow();
    QCOMPARE(spy.size(), 1);
}

void TestLiveSamples::feedsLiveTelemetry()
{
    LiveTelemetry live;
    Fixture f(&live);
    QSignalSpy changed(&live, &LiveTelemetry::seriesChanged);
    MqttMessageBatch batch;
    for (int i = 1; i <= 30; ++i)
        batch.append(message("fleetdeck/v1/dev-" + QByteArray::number(i % 3) + "/telemetry", telemetry(quint64(i), i)));
    f.pipeline.processBatch(kSource, batch);
    QVERIFY(changed.wait(1000));  // coalesced, not per message
    QCOMPARE(changed.size(), 1);
    const auto series = changed.at(0).at(0).value<QSet<SeriesKey>>();
    QCOMPARE(series.size(), 3);
    QVERIFY(series.contains(SeriesKey{DeviceKey{kSource, QStringLiteral("dev-1")}, QStringLiteral("temperature")}));
    QCOMPARE(live.seriesCount(), 3);
    QCOMPARE(live.pointCount(), 30);
    const auto buffer = live.buffer({DeviceKey{kSource, QStringLiteral("dev-2")}, QStringLiteral("temperature")});
    QVERIFY(buffer);
    QCOMPARE(buffer->size(), 10);
}

QTEST_GUILESS_MAIN(TestLiveSamples)
#include "test_live_samples.moc"
