// The second floor's seams: decoders behind MessageDecoder (a second, test-only protocol
// flows through the same pipeline as protocol v1, per source), consumers behind
// IngestConsumer (called in registration order, each batch once, each with its own change
// tracker), and SourceConnection's one-batch-in-flight flow control (a slow ingest thread
// gets larger batches, never a lost message).
#include "core/ingest/ingest_consumer.h"
#include "core/ingest/ingest_pipeline.h"
#include "core/ingest/source_connection.h"
#include "core/protocol/decode_sink.h"
#include "core/protocol/message_decoder.h"
#include "core/protocol/protocol_v1_decoder.h"
#include "core/transport/mqtt_client.h"

#include <QDateTime>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace fd;

namespace {

MqttMessage message(const QByteArray &topic, const QByteArray &payload)
{
    return MqttMessage{topic, payload, QDateTime::currentMSecsSinceEpoch(), 1, false};
}

// "kv/{node}/{device}" with payload "name=value;name=value" (value "true"/"false" is a
// bool, digits an int64, else a double; "dead" kills the device): a protocol with paths of
// two segments and typed values, to prove the pipeline knows no protocol.
class KeyValueDecoder final : public MessageDecoder
{
public:
    QString protocolName() const override { return QStringLiteral("kv-test"); }
    QStringList subscriptions() const override { return {QStringLiteral("kv/#")}; }
    bool claims(QByteArrayView topic) const override { return topic.startsWith("kv/"); }
    void decode(const MqttMessage &m, DecodeSink &sink) override
    {
        const QByteArrayView path = QByteArrayView(m.topic).sliced(3);
        if (path.count('/') != 1) {
            sink.reject(-1, RejectReason::UnknownTopic, QStringLiteral("kv: node/device expected"));
            return;
        }
        const int handle = sink.device(path);
        if (m.payload == "dead") {
            sink.death(handle, m.receivedMs);
            return;
        }
        TelemetrySample sample;
        sample.deviceId = sink.deviceId(handle);
        sample.timestampMs = m.receivedMs;
        for (const QByteArray &pair : m.payload.split(';')) {
            const QList<QByteArray> kv = pair.split('=');
            if (kv.size() != 2) {
                sink.reject(handle, RejectReason::BadJson, QStringLiteral("kv: name=value expected"));
                return;
            }
            const QString name = QString::fromUtf8(kv[0]);
            bool isInt = false;
            const qint64 i = kv[1].toLongLong(&isInt);
            if (kv[1] == "true" || kv[1] == "false")
                sample.metrics.append(MetricValue::ofBool(name, kv[1] == "true"));
            else if (isInt)
                sample.metrics.append(MetricValue::ofInt64(name, i));
            else
                sample.metrics.append(MetricValue::ofDouble(name, kv[1].toDouble()));
        }
        sink.metrics(handle, std::move(sample));
    }
};

// Records the order in which consumers saw each batch into a shared log.
class LoggingConsumer final : public IngestConsumer
{
public:
    LoggingConsumer(QString name, QStringList *log, int delayMs = 0)
        : m_name(std::move(name)), m_log(log), m_delayMs(delayMs)
    {
    }
    QString consumerName() const override { return m_name; }
    void attach(FleetState &state) override
    {
        m_state = &state;
        m_tracker = state.addChangeTracker();
    }
    void consume(const IngestBatch &batch) override
    {
        if (m_delayMs > 0)
            QThread::msleep(m_delayMs);  // a slow consumer, on purpose
        m_log->append(m_name + u':' + batch.source + u':' + QString::number(batch.samples.size()));
        samples += batch.samples.size();
        changed += m_state->takeChanged(m_tracker).size();
    }
    qsizetype samples = 0;
    qsizetype changed = 0;

private:
    QString m_name;
    QStringList *m_log;
    int m_delayMs;
    FleetState *m_state = nullptr;
    FleetState::Tracker m_tracker = -1;
};

// Holds each "hold/{node}/{device}" message until a deadline (holdMs after it arrived), then
// applies it in tick(); a lost connection kills every device it has seen at the loss time.
// A message "multi/{node}" reports two devices at once (one message, two events).
class HoldingDecoder final : public MessageDecoder
{
public:
    explicit HoldingDecoder(qint64 holdMs) : m_holdMs(holdMs) {}
    QString protocolName() const override { return QStringLiteral("hold-test"); }
    QStringList subscriptions() const override { return {QStringLiteral("hold/#"), QStringLiteral("multi/#")}; }
    bool claims(QByteArrayView topic) const override { return topic.startsWith("hold/") || topic.startsWith("multi/"); }
    void decode(const MqttMessage &m, DecodeSink &sink) override
    {
        if (m.topic.startsWith("multi/")) {
            const QByteArray node = m.topic.mid(6);
            for (const QByteArray &path : QList<QByteArray>{node, node + QByteArray("/child")}) {
                const int handle = sink.device(path);
                DeviceStatus status;
                status.online = true;
                sink.status(handle, status);
                m_seen.insert(path);
            }
            return;
        }
        m_held.append({m.topic.mid(5), m.receivedMs + m_holdMs});
    }
    qint64 nextDeadlineMs() const override { return m_held.isEmpty() ? 0 : m_held.constFirst().second; }
    void tick(qint64 nowMs, DecodeSink &sink) override
    {
        ++ticks;
        while (!m_held.isEmpty() && m_held.constFirst().second <= nowMs) {
            const QByteArray path = m_held.takeFirst().first;
            const int handle = sink.device(path);
            TelemetrySample sample;
            sample.deviceId = sink.deviceId(handle);
            sample.timestampMs = nowMs;
            sample.metrics.append(MetricValue::ofDouble(QStringLiteral("t"), 1.0));
            sink.metrics(handle, std::move(sample));
            m_seen.insert(path);
        }
    }
    void connectionChanged(bool up, qint64 tsMs, DecodeSink &sink) override
    {
        changes.append(up);
        if (up)
            return;
        for (const QByteArray &path : std::as_const(m_seen))
            sink.death(sink.device(path), tsMs);
    }
    int ticks = 0;
    QList<bool> changes;

private:
    qint64 m_holdMs;
    QList<QPair<QByteArray, qint64>> m_held;
    QSet<QByteArray> m_seen;
};

QByteArray v1Telemetry(quint64 seq)
{
    return R"({"ts":1700000000000,"seq":)" + QByteArray::number(seq) + R"(,"metrics":{"t":1.5}})";
}

} // namespace

class TestIngestSeams : public QObject
{
    Q_OBJECT
private slots:
    void secondDecoderFlowsThroughTheSamePipeline();
    void decodersArePerSource();
    void consumersRunInRegistrationOrder();
    void sourceHandsOverOneBatchAtATime();
    void stopDeliversWhatIsHeldBack();
    void decoderTicksAreDueAndReachTheConsumers();
    void connectionLossMarksDevicesStaleAtTheLossTime();
    void aMessageWithSeveralEventsCountsOnce();
    void linkChangesComeAfterTheMessagesBeforeThem();
};

void TestIngestSeams::secondDecoderFlowsThroughTheSamePipeline()
{
    IngestPipeline pipeline;
    QStringList log;
    auto *consumer = new LoggingConsumer(QStringLiteral("c"), &log);
    pipeline.addConsumer(consumer);
    const QString src = QStringLiteral("plant");
    pipeline.setDecoders(src, {std::make_shared<ProtocolV1Decoder>(TopicScheme(), 1024),
                               std::make_shared<KeyValueDecoder>()});
    pipeline.processBatch(src, {
                                   message("kv/gw-1/pump", "rpm=1200;on=true;temp=21.5"),
                                   message("fleetdeck/v1/pump/telemetry", v1Telemetry(1)),
                                   message("kv/gw-1/pump", "garbage"),
                                   message("kv/toplevel", "x=1"),
                                   message("other/topic", "{}"),
                                   message("kv/gw-1/pump", "dead"),
                               });
    const FleetState &state = pipeline.state();
    QCOMPARE(state.devices().size(), 2);  // kv "gw-1/pump" and v1 "pump": different paths
    const int kv = state.indexOf(src, QByteArrayView("gw-1/pump"));
    const int v1 = state.indexOf(src, QByteArrayView("pump"));
    QVERIFY(kv >= 0 && v1 >= 0 && kv != v1);
    const Device &d = state.devices().at(kv);
    QCOMPARE(d.id, QStringLiteral("pump"));
    QCOMPARE(d.key().segments(), (QStringList{QStringLiteral("gw-1"), QStringLiteral("pump")}));
    QVERIFY(!d.online);  // the death came last
    const MetricValue *rpm = findMetricValue(d.metrics, QStringLiteral("rpm"));
    QVERIFY(rpm);
    QCOMPARE(rpm->type, MetricType::Int64);
    QCOMPARE(rpm->integer, 1200);
    QCOMPARE(findMetricValue(d.metrics, QStringLiteral("on"))->type, MetricType::Bool);
    QCOMPARE(*findMetric(d.metrics, QStringLiteral("temp")), 21.5);
    QCOMPARE(d.rejects[std::size_t(RejectReason::BadJson)], 1u);
    const IngestStats stats = pipeline.stats();
    QCOMPARE(stats.received, 6u);
    QCOMPARE(stats.accepted, 3u);  // kv metrics, v1 telemetry, kv death
    QCOMPARE(stats.unattributed[std::size_t(RejectReason::UnknownTopic)], 2u);  // kv/toplevel, other/topic
    QCOMPARE(log, (QStringList{QStringLiteral("c:plant:2")}));
    QCOMPARE(consumer->samples, 2);
}

void TestIngestSeams::decodersArePerSource()
{
    IngestPipeline pipeline;
    pipeline.setDecoders(QStringLiteral("a"), {std::make_shared<KeyValueDecoder>()});
    pipeline.setDecoders(QStringLiteral("b"), {std::make_shared<ProtocolV1Decoder>(TopicScheme(), 1024)});
    pipeline.processBatch(QStringLiteral("a"), {message("kv/n/d", "x=1"), message("fleetdeck/v1/d/telemetry", v1Telemetry(1))});
    pipeline.processBatch(QStringLiteral("b"), {message("kv/n/d", "x=1"), message("fleetdeck/v1/d/telemetry", v1Telemetry(1))});
    pipeline.processBatch(QStringLiteral("unknown"), {message("fleetdeck/v1/d/telemetry", v1Telemetry(1))});
    const IngestStats stats = pipeline.stats();
    QCOMPARE(stats.sources.value(QStringLiteral("a")).accepted, 1u);
    QCOMPARE(stats.sources.value(QStringLiteral("a")).rejected, 1u);
    QCOMPARE(stats.sources.value(QStringLiteral("b")).accepted, 1u);
    QCOMPARE(stats.sources.value(QStringLiteral("b")).rejected, 1u);
    QCOMPARE(stats.sources.value(QStringLiteral("unknown")).rejected, 1u);  // no decoders: nothing claimed
    QCOMPARE(pipeline.state().devices().size(), 2);
    QCOMPARE(pipeline.state().devices().at(0).source, QStringLiteral("a"));
    QCOMPARE(pipeline.state().devices().at(1).source, QStringLiteral("b"));
}

void TestIngestSeams::consumersRunInRegistrationOrder()
{
    IngestPipeline pipeline;
    QStringList log;
    auto *first = new LoggingConsumer(QStringLiteral("storage"), &log);
    auto *second = new LoggingConsumer(QStringLiteral("inventory"), &log);
    auto *third = new LoggingConsumer(QStringLiteral("alerts"), &log);
    pipeline.addConsumer(first);
    pipeline.addConsumer(second);
    pipeline.addConsumer(third);
    QCOMPARE(pipeline.consumers(), (QList<IngestConsumer *>{first, second, third}));
    QCOMPARE(first->parent(), &pipeline);  // moves to the ingest thread with the pipeline
    pipeline.setDecoders(QStringLiteral("s"), {std::make_shared<KeyValueDecoder>()});
    pipeline.processBatch(QStringLiteral("s"), {message("kv/n/a", "x=1"), message("kv/n/b", "x=2")});
    pipeline.processBatch(QStringLiteral("s"), {message("kv/n/a", "x=3")});
    QCOMPARE(log, (QStringList{QStringLiteral("storage:s:2"), QStringLiteral("inventory:s:2"),
                               QStringLiteral("alerts:s:2"), QStringLiteral("storage:s:1"),
                               QStringLiteral("inventory:s:1"), QStringLiteral("alerts:s:1")}));
    // Each consumer took its own changes: none took another's.
    QCOMPARE(first->changed, 3);
    QCOMPARE(second->changed, 3);
    QCOMPARE(third->changed, 3);
}

void TestIngestSeams::sourceHandsOverOneBatchAtATime()
{
    SourceConnection source(QStringLiteral("broker-a"));
    QSignalSpy ready(&source, &SourceConnection::batchReady);
    MqttClient *client = source.client();
    auto batchOf = [](int from, int n) {
        MqttMessageBatch b;
        for (int i = from; i < from + n; ++i)
            b.append(message("fleetdeck/v1/d/telemetry", v1Telemetry(quint64(i))));
        return b;
    };
    emit client->messagesReceived(batchOf(1, 10));
    QCOMPARE(ready.size(), 1);                  // the first goes out at once
    emit client->messagesReceived(batchOf(11, 5));
    emit client->messagesReceived(batchOf(16, 7));
    QCOMPARE(ready.size(), 1);                  // held back while one is in flight
    source.batchConsumed(QStringLiteral("other"));
    QCOMPARE(ready.size(), 1);                  // another source's batch releases nothing
    source.batchConsumed(QStringLiteral("broker-a"));
    QCOMPARE(ready.size(), 2);                  // the held-back ones, as ONE larger batch
    const auto merged = ready.at(1).at(1).value<MqttMessageBatch>();
    QCOMPARE(merged.size(), 12);
    QCOMPARE(merged.first().payload, v1Telemetry(11));  // order kept
    QCOMPARE(merged.last().payload, v1Telemetry(22));
    source.batchConsumed(QStringLiteral("broker-a"));
    QCOMPARE(ready.size(), 2);
    emit client->messagesReceived(batchOf(23, 1));
    QCOMPARE(ready.size(), 3);                  // idle again: straight through
}

void TestIngestSeams::stopDeliversWhatIsHeldBack()
{
    SourceConnection source(QStringLiteral("broker-a"));
    QSignalSpy ready(&source, &SourceConnection::batchReady);
    emit source.client()->messagesReceived({message("fleetdeck/v1/d/telemetry", v1Telemetry(1))});
    emit source.client()->messagesReceived({message("fleetdeck/v1/d/telemetry", v1Telemetry(2))});
    QCOMPARE(ready.size(), 1);
    source.stop();  // shutdown: nothing received may stay behind
    QCOMPARE(ready.size(), 2);
    QCOMPARE(ready.at(1).at(1).value<MqttMessageBatch>().size(), 1);
}

void TestIngestSeams::decoderTicksAreDueAndReachTheConsumers()
{
    IngestPipeline pipeline;
    QStringList log;
    auto *consumer = new LoggingConsumer(QStringLiteral("c"), &log);
    pipeline.addConsumer(consumer);
    auto decoder = std::make_shared<HoldingDecoder>(150);
    pipeline.setDecoders(QStringLiteral("plant"), {decoder});
    pipeline.processBatch(QStringLiteral("plant"), {message("hold/gw/pump", "x")});
    QCOMPARE(consumer->samples, 0);  // held
    QCOMPARE(pipeline.state().devices().size(), 0);
    // The pipeline's timer calls tick() once the deadline is due; the sample reaches the
    // consumers like one of a batch.
    QTRY_COMPARE_WITH_TIMEOUT(consumer->samples, 1, 5000);
    QCOMPARE(decoder->ticks, 1);
    QCOMPARE(pipeline.state().devices().size(), 1);
    QCOMPARE(pipeline.state().devices().at(0).key(), DeviceKey(QStringLiteral("plant"), QStringLiteral("gw/pump")));
    QCOMPARE(log.constLast(), QStringLiteral("c:plant:1"));
    // Nothing held: no deadline, so the pipeline has no reason to call tick() again.
    QCOMPARE(decoder->nextDeadlineMs(), 0);
    QCOMPARE(decoder->ticks, 1);
}

void TestIngestSeams::connectionLossMarksDevicesStaleAtTheLossTime()
{
    IngestPipeline pipeline;
    QStringList log;
    auto *consumer = new LoggingConsumer(QStringLiteral("c"), &log);
    pipeline.addConsumer(consumer);
    auto decoder = std::make_shared<HoldingDecoder>(0);
    pipeline.setDecoders(QStringLiteral("plant"), {decoder});
    pipeline.sourceLinkChanged(QStringLiteral("plant"), true, 1000);
    pipeline.processBatch(QStringLiteral("plant"), {message("multi/gw", "")});
    QCOMPARE(pipeline.state().devices().size(), 2);
    for (const Device &d : pipeline.state().devices()) {
        QVERIFY(d.online);
        QCOMPARE(d.staleSinceMs, 0);
    }
    const qint64 changedBefore = consumer->changed;
    const qint64 lossMs = QDateTime::currentMSecsSinceEpoch() - 5000;
    pipeline.sourceLinkChanged(QStringLiteral("plant"), false, lossMs);
    QCOMPARE(decoder->changes, (QList<bool>{true, false}));
    for (const Device &d : pipeline.state().devices()) {
        QVERIFY(!d.online);
        QCOMPARE(d.staleSinceMs, lossMs);
    }
    QCOMPARE(consumer->changed - changedBefore, 2);  // the consumers saw both change
    // A second loss (or a death repeated) does not move the stale time.
    pipeline.sourceLinkChanged(QStringLiteral("plant"), false, lossMs + 1000);
    QCOMPARE(pipeline.state().devices().at(0).staleSinceMs, lossMs);
    // The next status makes it current again.
    pipeline.processBatch(QStringLiteral("plant"), {message("multi/gw", "")});
    for (const Device &d : pipeline.state().devices()) {
        QVERIFY(d.online);
        QCOMPARE(d.staleSinceMs, 0);
    }
}

void TestIngestSeams::aMessageWithSeveralEventsCountsOnce()
{
    IngestPipeline pipeline;
    pipeline.setDecoders(QStringLiteral("plant"), {std::make_shared<HoldingDecoder>(0)});
    pipeline.processBatch(QStringLiteral("plant"), {message("multi/gw", ""), message("multi/gw2", "")});
    QCOMPARE(pipeline.stats().received, 2u);
    QCOMPARE(pipeline.stats().accepted, 2u);  // 4 events, 2 messages
    pipeline.sourceLinkChanged(QStringLiteral("plant"), false, 1000);  // 4 deaths, no message
    QCOMPARE(pipeline.stats().accepted, 2u);
}

void TestIngestSeams::linkChangesComeAfterTheMessagesBeforeThem()
{
    SourceConnection source(QStringLiteral("broker-a"));
    QStringList order;
    connect(&source, &SourceConnection::batchReady, this, [&order](const QString &, const MqttMessageBatch &batch) {
        order.append(QStringLiteral("batch %1").arg(batch.size()));
    });
    connect(&source, &SourceConnection::linkChanged, this,
            [&order](const QString &, bool up, qint64) { order.append(up ? QStringLiteral("up") : QStringLiteral("down")); });
    emit source.client()->stateChanged(ConnectionState::Connected, QString());
    emit source.client()->messagesReceived({message("fleetdeck/v1/d/telemetry", v1Telemetry(1))});
    // In flight: these two wait for batchConsumed() ...
    emit source.client()->messagesReceived({message("fleetdeck/v1/d/telemetry", v1Telemetry(2))});
    emit source.client()->messagesReceived({message("fleetdeck/v1/d/telemetry", v1Telemetry(3))});
    // ... but a loss does not overtake them.
    emit source.client()->stateChanged(ConnectionState::Reconnecting, QStringLiteral("lost"));
    emit source.client()->stateChanged(ConnectionState::Connecting, QStringLiteral("again"));  // still down
    QCOMPARE(order, (QStringList{QStringLiteral("up"), QStringLiteral("batch 1"), QStringLiteral("batch 2"),
                                 QStringLiteral("down")}));
}

QTEST_GUILESS_MAIN(TestIngestSeams)
#include "test_ingest_seams.moc"
