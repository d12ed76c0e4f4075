// IngestPipeline: decode + state + coalesced publication + persistence, with a real
// StorageWriter on a temporary SQLite file.
#include "core/ingest/ingest_pipeline.h"
#include "core/ingest/inventory_consumer.h"
#include "core/ingest/storage_consumer.h"
#include "core/protocol/protocol_v1_decoder.h"
#include "core/storage/database.h"
#include "core/storage/inventory_store.h"
#include "core/storage/storage_writer.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;

namespace {

MqttMessage message(const QByteArray &topic, const QByteArray &payload)
{
    return MqttMessage{topic, payload, QDateTime::currentMSecsSinceEpoch(), 1, false};
}

// Device time: now, one millisecond per seq (inside the cache's retention).
QByteArray telemetry(quint64 seq, double t)
{
    static const qint64 base = QDateTime::currentMSecsSinceEpoch();
    return QByteArray(R"({"ts":)") + QByteArray::number(base + qint64(seq)) + QByteArray(R"(,"seq":)")
           + QByteArray::number(seq)
           + QByteArray(R"(,"metrics":{"temperature":)") + QByteArray::number(t) + QByteArray("}}");
}

const QString kSource = DeviceKey::defaultSource();

// A pipeline with protocol v1 on source kSource and an inventory consumer.
struct V1Pipeline
{
    explicit V1Pipeline(qsizetype maxPayload = PayloadCodec::kDefaultMaxPayloadBytes, StorageWriter *writer = nullptr)
    {
        if (writer)
            pipeline.addConsumer(new StorageConsumer(writer));
        inventory = new InventoryConsumer;
        pipeline.addConsumer(inventory);
        pipeline.setDecoders(kSource, {std::make_shared<ProtocolV1Decoder>(TopicScheme(), maxPayload)});
    }
    void process(const MqttMessageBatch &batch) { pipeline.processBatch(kSource, batch); }

    IngestPipeline pipeline;
    InventoryConsumer *inventory = nullptr;
};

} // namespace

class TestIngestPipeline : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void decodesAndCoalescesUpdates();
    void countsRejectsByDeviceAndReason();
    void persistsTelemetryAndDevices();
    void unstorableSampleCountsAsRejectOfItsDevice();
    void discardedPayloadIsRejectedAsOversize();
    void farFutureTimestampIsRejected();
    void droppedMessagesAreCountedPerSource();

private:
    QTemporaryDir m_dir;
};

void TestIngestPipeline::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void TestIngestPipeline::decodesAndCoalescesUpdates()
{
    V1Pipeline p;
    IngestPipeline &pipeline = p.pipeline;
    p.inventory->setIntervalMs(50);
    QSignalSpy updates(p.inventory, &InventoryConsumer::devicesUpdated);

    MqttMessageBatch batch;
    for (int d = 0; d < 100; ++d) {
        const QByteArray id = "dev-" + QByteArray::number(d);
        batch.append(message("fleetdeck/v1/" + id + "/status", R"({"online":true,"name":"n","site":"s"})"));
        for (int seq = 1; seq <= 10; ++seq)
            batch.append(message("fleetdeck/v1/" + id + "/telemetry", telemetry(quint64(seq), seq * 1.5)));
    }
    p.process(batch.first(500));
    p.process(batch.sliced(500));
    QVERIFY(updates.isEmpty());  // nothing before the interval: coalesced
    QVERIFY(updates.wait(2000));
    QCOMPARE(updates.size(), 1);  // 1,100 messages -> one update with 100 devices
    const auto changed = updates.at(0).at(0).value<QList<Device>>();
    QCOMPARE(changed.size(), 100);
    QCOMPARE(changed.at(0).lastSeq, 10u);
    QCOMPARE(*findMetric(changed.at(0).metrics, QStringLiteral("temperature")), 15.0);
    QCOMPARE(pipeline.stats().accepted, 1100u);
    QCOMPARE(pipeline.stats().rejected, 0u);
}

void TestIngestPipeline::countsRejectsByDeviceAndReason()
{
    V1Pipeline p(1024);
    IngestPipeline &pipeline = p.pipeline;
    MqttMessageBatch batch{
        message("fleetdeck/v1/a/telemetry", "not json"),
        message("fleetdeck/v1/a/telemetry", R"({"ts":1,"seq":"x","metrics":{}})"),
        message("fleetdeck/v1/a/telemetry", QByteArray(2048, ' ')),
        message("fleetdeck/v1/a/status", R"({"online":"yes"})"),
        message("fleetdeck/v1/bad id/telemetry", telemetry(1, 1)),
        message("fleetdeck/v1/a/firmware", "{}"),
        message("fleetdeck/v1/a/telemetry", telemetry(1, 2)),
    };
    p.process(batch);
    const FleetState &state = pipeline.state();
    QCOMPARE(state.devices().size(), 1);
    const Device &a = state.devices().at(0);
    QCOMPARE(a.rejects[std::size_t(RejectReason::BadJson)], 1u);
    QCOMPARE(a.rejects[std::size_t(RejectReason::WrongType)], 2u);
    QCOMPARE(a.rejects[std::size_t(RejectReason::Oversize)], 1u);
    QCOMPARE(a.messageCount, 1u);
    const IngestStats stats = pipeline.stats();
    QCOMPARE(stats.received, 7u);
    QCOMPARE(stats.accepted, 1u);
    QCOMPARE(stats.rejected, 6u);
    QCOMPARE(stats.unattributed[std::size_t(RejectReason::BadDeviceId)], 1u);
    QCOMPARE(stats.unattributed[std::size_t(RejectReason::UnknownTopic)], 1u);
    QCOMPARE(stats.sources.value(kSource).received, 7u);
    QCOMPARE(stats.sources.value(kSource).rejected, 6u);
}

void TestIngestPipeline::persistsTelemetryAndDevices()
{
    const QString path = m_dir.filePath(QStringLiteral("pipeline.sqlite"));
    StorageWriter writer;
    QString error;
    QVERIFY2(writer.start(path, &error), qPrintable(error));
    {
        V1Pipeline p(PayloadCodec::kDefaultMaxPayloadBytes, &writer);
        MqttMessageBatch batch{message("fleetdeck/v1/x/status", R"({"online":true,"name":"X"})")};
        for (int seq = 1; seq <= 50; ++seq)
            batch.append(message("fleetdeck/v1/x/telemetry", telemetry(quint64(seq), seq)));
        batch.append(message("fleetdeck/v1/x/telemetry", "{"));
        p.process(batch);
        p.pipeline.flushNow();
    }
    QVERIFY(writer.flush());

    Database db;
    QVERIFY(db.open(path).ok());
    InventoryStore store(db);
    const QList<Device> devices = store.loadDevices(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(devices.size(), 1);
    QCOMPARE(devices.at(0).name, QStringLiteral("X"));
    QCOMPARE(*findMetric(devices.at(0).metrics, QStringLiteral("temperature")), 50.0);
    QCOMPARE(devices.at(0).rejects[std::size_t(RejectReason::BadJson)], 1u);
    QCOMPARE(store.sampleCount(), 50);
}

void TestIngestPipeline::unstorableSampleCountsAsRejectOfItsDevice()
{
    const QString path = m_dir.filePath(QStringLiteral("unstorable.sqlite"));
    StorageWriter writer;
    QString error;
    QVERIFY2(writer.start(path, &error), qPrintable(error));
    QVERIFY(writer.flush());
    // A constraint that a second metric name starting with "evil" breaks: stands in for any
    // content SQLite refuses. Everything else must still be saved.
    {
        Database raw;
        QVERIFY(raw.open(path).ok());
        QVERIFY(raw.exec("CREATE UNIQUE INDEX poison ON metrics(substr(name, 1, 4)) WHERE name LIKE 'evil%'", &error));
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto evilMetric = [now](int seq, const char *name) -> QByteArray {
        return QByteArray(R"({"ts":)") + QByteArray::number(now + seq) + R"(,"seq":)" + QByteArray::number(seq)
               + R"(,"metrics":{")" + name + R"(":1}})";
    };
    V1Pipeline p(PayloadCodec::kDefaultMaxPayloadBytes, &writer);
    connect(&writer, &StorageWriter::rejected, &p.pipeline, &IngestPipeline::applyStorageRejects);
    MqttMessageBatch batch;
    for (int seq = 1; seq <= 20; ++seq) {
        batch.append(message("fleetdeck/v1/good/telemetry", telemetry(quint64(seq), seq)));
        batch.append(message("fleetdeck/v1/evil/telemetry", evilMetric(seq, seq == 9 ? "evil_b" : "evil_a")));
    }
    p.process(batch);
    QCOMPARE(p.pipeline.stats().accepted, 40u);
    QVERIFY(writer.flush());
    QTRY_COMPARE(p.pipeline.stats().rejected, 1u);
    QCOMPARE(p.pipeline.stats().accepted, 39u);
    QCOMPARE(p.pipeline.stats().sources.value(kSource).rejected, 1u);
    const int evil = p.pipeline.state().indexOf(DeviceKey{kSource, QStringLiteral("evil")});
    QVERIFY(evil >= 0);
    QCOMPARE(p.pipeline.state().devices().at(evil).rejects[std::size_t(RejectReason::Unstorable)], 1u);
    Database db;
    QVERIFY(db.open(path).ok());
    QCOMPARE(InventoryStore(db).sampleCount(), 39);
}

// The transport did not copy a payload over the limit; the decoder still says why.
void TestIngestPipeline::discardedPayloadIsRejectedAsOversize()
{
    V1Pipeline p;
    MqttMessage big = message("fleetdeck/v1/big/telemetry", QByteArray());
    big.discardedPayloadBytes = 10 * 1024 * 1024;
    p.process({big, message("fleetdeck/v1/big/telemetry", telemetry(1, 1))});
    const int index = p.pipeline.state().indexOf(DeviceKey{kSource, QStringLiteral("big")});
    QVERIFY(index >= 0);
    QCOMPARE(p.pipeline.state().devices().at(index).rejects[std::size_t(RejectReason::Oversize)], 1u);
    QCOMPARE(p.pipeline.stats().accepted, 1u);
    QCOMPARE(p.pipeline.stats().rejected, 1u);
}

// Issue 8: a "ts" a year ahead was stored, never pruned, and pinned "last telemetry".
void TestIngestPipeline::farFutureTimestampIsRejected()
{
    V1Pipeline p;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto at = [](qint64 ts, int seq) -> QByteArray {
        return QByteArray(R"({"ts":)") + QByteArray::number(ts) + R"(,"seq":)" + QByteArray::number(seq)
               + R"(,"metrics":{"t":1}})";
    };
    constexpr qint64 kYear = 365LL * 24 * 3600 * 1000;
    p.process({message("fleetdeck/v1/clock/telemetry", at(now + kYear, 1)),
               message("fleetdeck/v1/clock/telemetry", at(now + 30 * 60 * 1000, 2)),  // within the hour
               message("fleetdeck/v1/clock/telemetry", at(now - kYear, 3))});          // backfill: fine
    const int index = p.pipeline.state().indexOf(DeviceKey{kSource, QStringLiteral("clock")});
    QVERIFY(index >= 0);
    const Device &d = p.pipeline.state().devices().at(index);
    QCOMPARE(d.rejects[std::size_t(RejectReason::FutureTimestamp)], 1u);
    QCOMPARE(d.lastTelemetryMs, now + 30 * 60 * 1000);
    QCOMPARE(p.pipeline.stats().accepted, 2u);

    V1Pipeline unchecked;
    unchecked.pipeline.setMaxFutureSkewMs(-1);
    unchecked.process({message("fleetdeck/v1/clock/telemetry", at(now + kYear, 1))});
    QCOMPARE(unchecked.pipeline.stats().accepted, 1u);
}

void TestIngestPipeline::droppedMessagesAreCountedPerSource()
{
    V1Pipeline p;
    QSignalSpy published(&p.pipeline, &IngestPipeline::statsUpdated);
    p.pipeline.setDropped(kSource, 120);
    p.pipeline.setDropped(QStringLiteral("other"), 5);
    QCOMPARE(p.pipeline.stats().dropped, 125u);
    QCOMPARE(p.pipeline.stats().sources.value(kSource).dropped, 120u);
    QVERIFY(!published.isEmpty());  // shown at once, also when no traffic gets through
    QCOMPARE(published.last().at(0).value<IngestStats>().dropped, 125u);
}

QTEST_GUILESS_MAIN(TestIngestPipeline)
#include "test_ingest_pipeline.moc"
