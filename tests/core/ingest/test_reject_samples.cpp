// The last rejected messages per reason (IngestStats::recentRejects), fed through the real
// pipeline and protocol v1 decoder: last N per reason, only a capped preview copied, one
// sample per message and reason, memory bounded whatever the traffic, previews escaped
// (PayloadPreview), reset.
#include "core/domain/payload_preview.h"
#include "core/ingest/ingest_pipeline.h"
#include "core/ingest/inventory_consumer.h"
#include "core/protocol/protocol_v1_decoder.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

using namespace fd;

namespace {

MqttMessage message(const QByteArray &topic, const QByteArray &payload, qint64 receivedMs = 0)
{
    return MqttMessage{topic, payload, receivedMs > 0 ? receivedMs : QDateTime::currentMSecsSinceEpoch(), 1, false};
}

const QString kSource = QStringLiteral("plant-a");

struct V1Pipeline
{
    explicit V1Pipeline(qsizetype maxPayload = 1024)
    {
        pipeline.addConsumer(new InventoryConsumer);
        pipeline.setDecoders(kSource, {std::make_shared<ProtocolV1Decoder>(TopicScheme(), maxPayload)});
    }
    void process(const MqttMessageBatch &batch) { pipeline.processBatch(kSource, batch); }
    IngestPipeline pipeline;
};

const QByteArray kMarkup("<b>x</b>\x00\xff", 10);

} // namespace

class TestRejectSamples : public QObject
{
    Q_OBJECT
private slots:
    void keepsTheLastFivePerReason();
    void previewIsEscapedTextOrHex();
    void memoryIsBoundedWhateverTheTraffic();
    void resetClearsCountersAndSamples();
    void otaTrafficIsIgnoredNotRejected();
    void pkiTrafficIsIgnoredNotRejected();
};

void TestRejectSamples::keepsTheLastFivePerReason()
{
    V1Pipeline p;
    MqttMessageBatch batch;
    for (int i = 0; i < 8; ++i)
        batch.append(message("fleetdeck/v1/dev-1/telemetry", "not json " + QByteArray::number(i), 1000 + i));
    batch.append(message("fleetdeck/v1/dev-2/telemetry", kMarkup, 2000));
    batch.append(message("fleetdeck/v1/bad id/telemetry", "{}", 3000));
    batch.append(message("fleetdeck/v1/dev-1/firmware", "{}", 4000));
    p.process(batch);

    const IngestStats stats = p.pipeline.stats();
    const RecentRejects &recent = stats.recentRejects;
    const QList<RejectSample> &bad = recent.samples(RejectReason::BadJson);
    QCOMPARE(bad.size(), RecentRejects::kPerReason);
    // The oldest went: "not json 4" .. "not json 7", then the markup payload.
    QCOMPARE(bad.first().preview, QByteArray("not json 4"));
    QCOMPARE(bad.at(3).preview, QByteArray("not json 7"));
    QCOMPARE(bad.last().preview, kMarkup);
    QCOMPARE(bad.last().device, QStringLiteral("dev-2"));
    QCOMPARE(bad.last().source, kSource);
    QCOMPARE(bad.last().topic, QByteArray("fleetdeck/v1/dev-2/telemetry"));
    QCOMPARE(bad.last().receivedMs, 2000);
    QCOMPARE(bad.last().payloadBytes, kMarkup.size());
    QCOMPARE(recent.samples(RejectReason::BadDeviceId).size(), 1);
    QVERIFY(recent.samples(RejectReason::BadDeviceId).first().device.isEmpty());  // names no valid device
    QCOMPARE(recent.samples(RejectReason::UnknownTopic).size(), 1);
    QCOMPARE(recent.samples(RejectReason::UnknownTopic).first().topic, QByteArray("fleetdeck/v1/dev-1/firmware"));
    QCOMPARE(recent.size(), 7);
    // Newest first over every reason.
    const QList<RejectSample> all = recent.all();
    QCOMPARE(all.size(), 7);
    QCOMPARE(all.first().receivedMs, 4000);
    QCOMPARE(all.last().preview, QByteArray("not json 4"));
    // Counting is unchanged: every reject counted, only the samples are bounded.
    QCOMPARE(stats.rejected, 11u);
    QCOMPARE(p.pipeline.state().devices().size(), 0);  // rejects make no device
}

void TestRejectSamples::previewIsEscapedTextOrHex()
{
    // Markup and bytes that are not text: plain characters and escapes, never markup.
    QCOMPARE(PayloadPreview::kindOf(kMarkup), PayloadPreview::Kind::Text);
    QCOMPARE(PayloadPreview::format(kMarkup), QStringLiteral("<b>x</b>\\x00\\xff"));
    QCOMPARE(PayloadPreview::format(QByteArray("a\\b\tc")), QStringLiteral("a\\\\b\\tc"));
    QCOMPARE(PayloadPreview::format(QByteArray("temp \xc2\xb0" "C")), QStringLiteral("temp °C"));
    QCOMPARE(PayloadPreview::format(QByteArray()), QStringLiteral("(empty payload)"));
    // Mostly binary: a hex dump with an ASCII column.
    const QByteArray binary = QByteArray::fromHex("00010203fffefd3c623e41");
    QCOMPARE(PayloadPreview::kindOf(binary), PayloadPreview::Kind::Hex);
    QCOMPARE(PayloadPreview::format(binary),
             QStringLiteral("0000  00 01 02 03 ff fe fd 3c  62 3e 41                 .......<b>A"));
    // A preview shorter than the payload says how much was not kept.
    QVERIFY(PayloadPreview::format(QByteArray(256, 'a'), 300).endsWith(QStringLiteral("\n… 44 bytes not kept (300 bytes in all)")));
}

void TestRejectSamples::memoryIsBoundedWhateverTheTraffic()
{
    // 20,000 rejects: big payloads (kept: 256 bytes), long topics (kept: 256 bytes), a
    // thousand devices; whatever comes, at most kPerReason samples per reason of capped size.
    V1Pipeline p(512 * 1024);
    const QByteArray big(64 * 1024, 'x');
    const QByteArray longTopic = "fleetdeck/v1/" + QByteArray(4000, 'a') + "/telemetry";
    for (int round = 0; round < 20; ++round) {
        MqttMessageBatch batch;
        for (int i = 0; i < 1000; ++i) {
            const QByteArray device = "dev-" + QByteArray::number(i);
            batch.append(i % 2 ? message("fleetdeck/v1/" + device + "/telemetry", big)
                               : message(longTopic, "{"));
        }
        p.process(batch);
    }
    const IngestStats stats = p.pipeline.stats();
    QCOMPARE(stats.rejected, 20000u);
    const RecentRejects &recent = stats.recentRejects;
    QVERIFY(recent.size() <= RecentRejects::kPerReason * qsizetype(kAllRejectReasons.size()));
    QVERIFY(recent.size() >= 2);
    qsizetype bytes = 0;
    for (const RejectSample &s : recent.all()) {
        QVERIFY(s.preview.size() <= RejectSample::kPreviewBytes);
        QVERIFY(s.topic.size() <= RejectSample::kTopicBytes);
        QVERIFY(s.detail.size() <= RejectSample::kDetailChars);
        bytes += s.preview.size() + s.topic.size();
        if (s.preview.startsWith('x'))
            QCOMPARE(s.payloadBytes, big.size());  // the real size is reported, not copied
    }
    QVERIFY2(bytes <= 50 * 512, qPrintable(QString::number(bytes)));
}

void TestRejectSamples::resetClearsCountersAndSamples()
{
    V1Pipeline p;
    p.process({message("fleetdeck/v1/dev-1/telemetry", R"({"ts":1,"seq":1,"metrics":{"t":1}})"),
               message("fleetdeck/v1/dev-1/telemetry", "nope"),
               message("fleetdeck/v1/dev-9/telemetry", "nope"),
               message("fleetdeck/v1/x/y/z", "nope")});
    QCOMPARE(p.pipeline.stats().rejected, 3u);
    QCOMPARE(p.pipeline.state().devices().first().rejects[std::size_t(RejectReason::BadJson)], 1u);
    QVERIFY(!p.pipeline.stats().recentRejects.isEmpty());

    QSignalSpy published(&p.pipeline, &IngestPipeline::statsUpdated);
    p.pipeline.resetRejects();
    QCOMPARE(published.size(), 1);  // at once
    const IngestStats stats = published.first().first().value<IngestStats>();
    QCOMPARE(stats.rejected, 0u);
    QCOMPARE(totalRejects(stats.unattributed), 0u);
    QVERIFY(stats.sources.value(kSource).unknownDevices.isEmpty());
    QCOMPARE(stats.sources.value(kSource).rejected, 0u);
    QVERIFY(stats.recentRejects.isEmpty());
    QCOMPARE(stats.received, 4u);  // since the start: kept
    QCOMPARE(stats.accepted, 1u);
    QCOMPARE(p.pipeline.state().devices().first().rejectedCount(), 0u);
}

QTEST_GUILESS_MAIN(TestRejectSamples)
// {prefix}/+/ota/# belongs to the rollout runner (job documents, chunks, OTA statuses): the
// v1 decoder ignores it like its own cmd echoes; no reject, no device, whatever the payload.
void TestRejectSamples::otaTrafficIsIgnoredNotRejected()
{
    V1Pipeline p;
    MqttMessageBatch batch;
    batch.append(message("fleetdeck/v1/dev-1/ota/job", R"({"job_id":"abcd1234-1"})"));
    batch.append(message("fleetdeck/v1/dev-1/ota/job", QByteArray()));  // a cleared job
    batch.append(message("fleetdeck/v1/dev-1/ota/chunk/request", R"({"job_id":"abcd1234-1","offset":0,"length":16})"));
    batch.append(message("fleetdeck/v1/dev-1/ota/chunk", QByteArray(5000, 'x')));  // over the payload limit
    batch.append(message("fleetdeck/v1/dev-1/ota/status", "not json"));
    batch.append(message("fleetdeck/v1/bad id/ota/status", "{}"));
    p.process(batch);
    QCOMPARE(p.pipeline.stats().rejected, 0u);
    QCOMPARE(p.pipeline.stats().recentRejects.size(), 0);
    QCOMPARE(p.pipeline.state().devices().size(), 0);

    // Next to it, the device's telemetry still counts and an unknown kind is still a reject.
    p.process({message("fleetdeck/v1/dev-1/status", R"({"online":true})"), message("fleetdeck/v1/dev-1/otax", "{}")});
    QCOMPARE(p.pipeline.stats().rejected, 1u);
    QCOMPARE(p.pipeline.stats().recentRejects.samples(RejectReason::UnknownTopic).size(), 1);
}

// {prefix}/+/pki/# belongs to the provisioning service (rotation CSRs and the certificates it
// answers with): ignored like the OTA tree; no reject, no device, whatever the payload.
void TestRejectSamples::pkiTrafficIsIgnoredNotRejected()
{
    V1Pipeline p;
    MqttMessageBatch batch;
    batch.append(message("fleetdeck/v1/dev-1/pki/csr", R"({"v":1,"nonce":"00112233445566778899aabbccddeeff","ts":1,"csr":"x"})"));
    batch.append(message("fleetdeck/v1/dev-1/pki/cert", R"({"v":1,"status":"accepted"})"));
    batch.append(message("fleetdeck/v1/dev-1/pki/csr", QByteArray(5000, 'x')));  // over the payload limit
    batch.append(message("fleetdeck/v1/dev-1/pki", "not json"));
    batch.append(message("fleetdeck/v1/bad id/pki/csr", "{}"));
    p.process(batch);
    QCOMPARE(p.pipeline.stats().rejected, 0u);
    QCOMPARE(p.pipeline.stats().recentRejects.size(), 0);
    QCOMPARE(p.pipeline.state().devices().size(), 0);

    p.process({message("fleetdeck/v1/dev-1/status", R"({"online":true})"), message("fleetdeck/v1/dev-1/pkix", "{}")});
    QCOMPARE(p.pipeline.stats().rejected, 1u);
    QCOMPARE(p.pipeline.stats().recentRejects.samples(RejectReason::UnknownTopic).size(), 1);
}

#include "test_reject_samples.moc"
