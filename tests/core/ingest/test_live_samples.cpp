// IngestPipeline's decoded samples for live charts: off by default, then coalesced into at
// most one samplesDecoded() per interval (never one signal per message), nothing lost,
// rejects not included, flushNow() delivers what is pending.

#include "core/ingest/ingest_pipeline.h"

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

} // namespace

class TestLiveSamples : public QObject
{
    Q_OBJECT

private slots:
    void offByDefault();
    void coalescedAndComplete();
    void flushDeliversPending();
};

void TestLiveSamples::offByDefault()
{
    IngestPipeline pipeline(TopicScheme(), PayloadCodec(), nullptr);
    QSignalSpy spy(&pipeline, &IngestPipeline::samplesDecoded);
    pipeline.processBatch({message("fleetdeck/v1/a/telemetry", telemetry(1, 1))});
    QTest::qWait(50);
    QVERIFY(spy.isEmpty());
}

void TestLiveSamples::coalescedAndComplete()
{
    IngestPipeline pipeline(TopicScheme(), PayloadCodec(), nullptr);
    pipeline.setLiveSamplesIntervalMs(30);
    QSignalSpy spy(&pipeline, &IngestPipeline::samplesDecoded);
    for (int b = 0; b < 20; ++b) {
        MqttMessageBatch batch;
        for (int i = 0; i < 50; ++i)
            batch.append(message("fleetdeck/v1/dev-" + QByteArray::number(i % 5) + "/telemetry",
                                 telemetry(quint64(b * 50 + i + 1), i)));
        batch.append(message("fleetdeck/v1/dev-0/telemetry", "not json"));  // rejected
        pipeline.processBatch(batch);
    }
    QVERIFY(spy.wait(1000));
    QCOMPARE(spy.size(), 1);  // 20 batches in one emission
    const auto samples = spy.at(0).at(0).value<QList<TelemetrySample>>();
    QCOMPARE(samples.size(), 20 * 50);
    QCOMPARE(samples.first().metrics.first().name, QStringLiteral("temperature"));
    QTest::qWait(100);
    QCOMPARE(spy.size(), 1);  // idle: no more signals
}

void TestLiveSamples::flushDeliversPending()
{
    IngestPipeline pipeline(TopicScheme(), PayloadCodec(), nullptr);
    pipeline.setLiveSamplesIntervalMs(10000);
    QSignalSpy spy(&pipeline, &IngestPipeline::samplesDecoded);
    pipeline.processBatch({message("fleetdeck/v1/a/telemetry", telemetry(1, 1))});
    QVERIFY(spy.isEmpty());
    pipeline.flushNow();
    QCOMPARE(spy.size(), 1);
    pipeline.setLiveSamplesIntervalMs(0);
    pipeline.processBatch({message("fleetdeck/v1/a/telemetry", telemetry(2, 1))});
    pipeline.flushNow();
    QCOMPARE(spy.size(), 1);
}

QTEST_GUILESS_MAIN(TestLiveSamples)
#include "test_live_samples.moc"
