// IngestPipeline: decode + state + coalesced publication + persistence, with a real
// StorageWriter on a temporary SQLite file.
#include "core/ingest/ingest_pipeline.h"
#include "core/ingest/inventory_consumer.h"
#include "core/ingest/storage_consumer.h"
#include "core/protocol/protocol_v1_decoder.h"
#include "core/storage/database.h"
#include "core/storage/inventory_store.h"
#include "core/storage/storage_writer.h"
#include "tests/support/linear_cost.h"

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
    void rejectedMessagesCreateNoDevice();
    void unknownDeviceRejectsAreBounded();
    void deviceLimitPerSource();
    void metricLimitPerDevice();
    void aDeviceWithManyMetricsCostsLinearTime();

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

void TestIngestPipeline::rejectedMessagesCreateNoDevice()
{
    // Garbage under the prefix (any id, any payload) used to create a device that was kept
    // forever, in the inventory and in the cache. Now its rejects are counted by source and
    // path, and a device exists only once one of its messages is accepted.
    const QString path = m_dir.filePath(QStringLiteral("ghosts.sqlite"));
    StorageWriter writer;
    QString error;
    QVERIFY2(writer.start(path, &error), qPrintable(error));
    V1Pipeline p(1024, &writer);
    p.process({
        message("fleetdeck/v1/ghost/telemetry", "not json"),
        message("fleetdeck/v1/ghost/telemetry", R"({"ts":1,"seq":"x","metrics":{}})"),
        message("fleetdeck/v1/ghost/status", R"({"online":"yes"})"),
        message("fleetdeck/v1/ghost/telemetry", QByteArray(2048, ' ')),
        message("fleetdeck/v1/other-ghost/status", "["),
    });
    p.pipeline.flushNow();
    QVERIFY(p.pipeline.state().devices().isEmpty());
    IngestStats stats = p.pipeline.stats();
    QCOMPARE(stats.rejected, 5u);
    QCOMPARE(stats.accepted, 0u);
    const SourceIngestStats &source = stats.sources[kSource];
    QCOMPARE(source.unknownDevices.size(), 2);
    const RejectCounts ghost = source.unknownDevices.value(QStringLiteral("ghost"));
    QCOMPARE(ghost[std::size_t(RejectReason::BadJson)], 1u);
    QCOMPARE(ghost[std::size_t(RejectReason::WrongType)], 2u);
    QCOMPARE(ghost[std::size_t(RejectReason::Oversize)], 1u);
    QCOMPARE(source.unknownDevices.value(QStringLiteral("other-ghost"))[std::size_t(RejectReason::BadJson)], 1u);
    QCOMPARE(totalRejects(source.unattributed), 0u);
    QVERIFY(writer.flush());
    {
        Database db;
        QVERIFY(db.open(path, true).ok());
        QVERIFY(InventoryStore(db).loadDevices(&error).isEmpty());
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    // Accepted after all: a device, with the rejects it had before.
    p.process({message("fleetdeck/v1/ghost/telemetry", telemetry(1, 20))});
    QCOMPARE(p.pipeline.state().devices().size(), 1);
    const Device &d = p.pipeline.state().devices().at(0);
    QCOMPARE(d.id, QStringLiteral("ghost"));
    QCOMPARE(d.rejects[std::size_t(RejectReason::WrongType)], 2u);
    QCOMPARE(d.rejectedCount(), 4u);
    QCOMPARE(d.messageCount, 1u);
    stats = p.pipeline.stats();
    QVERIFY(!stats.sources[kSource].unknownDevices.contains(QStringLiteral("ghost")));
    QVERIFY(stats.sources[kSource].unknownDevices.contains(QStringLiteral("other-ghost")));
    // A reject of a known device counts on it, as before.
    p.process({message("fleetdeck/v1/ghost/telemetry", "{")});
    QCOMPARE(p.pipeline.state().devices().at(0).rejects[std::size_t(RejectReason::BadJson)], 2u);
}

void TestIngestPipeline::unknownDeviceRejectsAreBounded()
{
    V1Pipeline p;
    MqttMessageBatch batch;
    const int ids = int(SourceIngestStats::kMaxUnknownDevices) + 500;
    for (int i = 0; i < ids; ++i)
        batch.append(message("fleetdeck/v1/junk-" + QByteArray::number(i) + "/telemetry", "{"));
    p.process(batch);
    QVERIFY(p.pipeline.state().devices().isEmpty());
    const IngestStats stats = p.pipeline.stats();
    QCOMPARE(stats.sources[kSource].unknownDevices.size(), SourceIngestStats::kMaxUnknownDevices);
    QCOMPARE(stats.sources[kSource].unattributed[std::size_t(RejectReason::BadJson)], 500u);
    QCOMPARE(stats.unattributed[std::size_t(RejectReason::BadJson)], 500u);
    QCOMPARE(stats.rejected, quint64(ids));
}

void TestIngestPipeline::deviceLimitPerSource()
{
    const QString path = m_dir.filePath(QStringLiteral("device-limit.sqlite"));
    StorageWriter writer;
    QString error;
    QVERIFY2(writer.start(path, &error), qPrintable(error));
    V1Pipeline p(PayloadCodec::kDefaultMaxPayloadBytes, &writer);
    const QString other = QStringLiteral("other");
    p.pipeline.setDecoders(other, {std::make_shared<ProtocolV1Decoder>(TopicScheme(), PayloadCodec::kDefaultMaxPayloadBytes)});
    IngestLimits limits;
    limits.maxDevicesPerSource = 3;
    p.pipeline.setLimits(limits);

    MqttMessageBatch batch;
    for (int d = 0; d < 5; ++d)
        batch.append(message("fleetdeck/v1/dev-" + QByteArray::number(d) + "/telemetry", telemetry(1, d)));
    p.process(batch);
    p.pipeline.processBatch(other, batch);  // the limit is per source: the other has its own
    const FleetState &state = p.pipeline.state();
    QCOMPARE(state.deviceCount(kSource), 3);
    QCOMPARE(state.deviceCount(other), 3);
    IngestStats stats = p.pipeline.stats();
    QCOMPARE(stats.sources[kSource].accepted, 3u);
    QCOMPARE(stats.sources[kSource].rejected, 2u);
    const auto &refused = stats.sources[kSource].unknownDevices;
    QCOMPARE(refused.size(), 2);
    QCOMPARE(refused.value(QStringLiteral("dev-3"))[std::size_t(RejectReason::DeviceLimit)], 1u);
    QCOMPARE(refused.value(QStringLiteral("dev-4"))[std::size_t(RejectReason::DeviceLimit)], 1u);

    // Known devices keep working; a new status is refused like telemetry.
    p.process({message("fleetdeck/v1/dev-0/telemetry", telemetry(2, 9)),
               message("fleetdeck/v1/dev-3/status", R"({"online":true})")});
    QCOMPARE(state.devices().at(state.indexOf(DeviceKey(kSource, QStringLiteral("dev-0")))).messageCount, 2u);
    QCOMPARE(state.deviceCount(kSource), 3);
    stats = p.pipeline.stats();
    QCOMPARE(stats.sources[kSource].unknownDevices.value(QStringLiteral("dev-3"))[std::size_t(RejectReason::DeviceLimit)],
             2u);

    p.pipeline.flushNow();
    QVERIFY(writer.flush());
    {
        Database db;
        QVERIFY(db.open(path, true).ok());
        QCOMPARE(InventoryStore(db).loadDevices(&error).size(), 6);
        QCOMPARE(InventoryStore(db).sampleCount(), 7);
    }

    // A higher limit: the refused device comes in, with the rejects it had.
    limits.maxDevicesPerSource = 4;
    p.pipeline.setLimits(limits);
    p.process({message("fleetdeck/v1/dev-3/telemetry", telemetry(1, 3))});
    QCOMPARE(state.deviceCount(kSource), 4);
    const Device &d3 = state.devices().at(state.indexOf(DeviceKey(kSource, QStringLiteral("dev-3"))));
    QCOMPARE(d3.rejects[std::size_t(RejectReason::DeviceLimit)], 2u);
    QCOMPARE(d3.messageCount, 1u);
}

void TestIngestPipeline::metricLimitPerDevice()
{
    const QString path = m_dir.filePath(QStringLiteral("metric-limit.sqlite"));
    StorageWriter writer;
    QString error;
    QVERIFY2(writer.start(path, &error), qPrintable(error));
    V1Pipeline p(PayloadCodec::kDefaultMaxPayloadBytes, &writer);
    IngestLimits limits;
    limits.maxMetricsPerDevice = 2;
    p.pipeline.setLimits(limits);
    const qint64 ts = QDateTime::currentMSecsSinceEpoch();
    auto payload = [ts](int seq, const QByteArray &metrics) -> QByteArray {
        return R"({"ts":)" + QByteArray::number(ts + seq) + R"(,"seq":)" + QByteArray::number(seq)
               + R"(,"metrics":{)" + metrics + "}}";
    };
    p.process({message("fleetdeck/v1/m/telemetry", payload(1, R"("a":1,"b":2)")),
               // "c" is one too many: dropped and counted, "a" applied, the message accepted
               message("fleetdeck/v1/m/telemetry", payload(2, R"("a":10,"c":3)")),
               // nothing known: a rejected message
               message("fleetdeck/v1/m/telemetry", payload(3, R"("c":4,"d":5)"))});
    const Device &d = p.pipeline.state().devices().at(0);
    QCOMPARE(d.metrics.size(), 2);
    QCOMPARE(*findMetric(d.metrics, QStringLiteral("a")), 10.0);
    QCOMPARE(d.rejects[std::size_t(RejectReason::MetricLimit)], 2u);
    QCOMPARE(d.messageCount, 2u);
    QCOMPARE(d.lastSeq, 2u);
    const IngestStats stats = p.pipeline.stats();
    QCOMPARE(stats.accepted, 2u);
    QCOMPARE(stats.rejected, 1u);

    p.pipeline.flushNow();
    QVERIFY(writer.flush());
    Database db;
    QVERIFY(db.open(path, true).ok());
    InventoryStore store(db);
    QCOMPARE(store.sampleCount(), 3);  // a, b; then a: never c or d
    const QList<Device> devices = store.loadDevices(&error);
    QCOMPARE(devices.size(), 1);
    QCOMPARE(devices.at(0).metrics.size(), 2);
    QCOMPARE(devices.at(0).rejects[std::size_t(RejectReason::MetricLimit)], 2u);  // persisted by key
}

void TestIngestPipeline::aDeviceWithManyMetricsCostsLinearTime()
{
    // Decode + state per metric of one device: a message of a device with 4,000 metrics
    // must cost about as much per metric as one of a device with 50 (finding each metric
    // among the device's by scanning them made it over 10x more per metric).
    auto perMetricNs = [](int metrics) {
        V1Pipeline p(4 << 20);
        IngestLimits limits;
        limits.maxMetricsPerDevice = 5000;  // over the default, to see the growth
        p.pipeline.setLimits(limits);
        QByteArray payload(R"({"ts":1700000000000,"seq":1,"metrics":{)");
        for (int i = 0; i < metrics; ++i)
            payload += (i ? ",\"m" : "\"m") + QByteArray::number(i) + "\":" + QByteArray::number(i);
        payload += "}}";
        const MqttMessageBatch batch{message("fleetdeck/v1/big/telemetry", payload)};
        p.process(batch);  // creates the metrics; the runs below update them
        if (p.pipeline.state().devices().value(0).metrics.size() != metrics)
            return -1.0;
        return test::bestNsPerUnit([&] { p.process(batch); }, metrics);
    };
    const double few = perMetricNs(50);
    const double many = perMetricNs(4000);
    qInfo("ingest: %.0f ns per metric of a device with 50 metrics, %.0f ns with 4,000", few, many);
    QVERIFY(few > 0 && many > 0);
    QVERIFY2(many < 4 * few, qPrintable(QStringLiteral("%1 ns vs %2 ns per metric").arg(many).arg(few)));
}

QTEST_GUILESS_MAIN(TestIngestPipeline)
#include "test_ingest_pipeline.moc"
