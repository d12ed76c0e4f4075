// fd::InboundQueue: the bounded queue between Paho's thread and a connection's thread.
#include "core/transport/inbound_queue.h"

#include <QTest>

using namespace fd;

class TestInboundQueue : public QObject
{
    Q_OBJECT
private slots:
    void keepsOrderAndTakesInChunks();
    void dropsNewestPastTheMessageLimit();
    void dropsPastTheByteLimit();
    void oversizePayloadIsKeptAsItsSizeOnly();
};

void TestInboundQueue::keepsOrderAndTakesInChunks()
{
    InboundQueue q;
    for (int i = 0; i < 10; ++i)
        QVERIFY(q.push("t", QByteArray::number(i), i, 1, false));
    QCOMPARE(q.size(), 10);
    QCOMPARE(q.bytes(), 10 * 2);
    const MqttMessageBatch first = q.take(4);
    QCOMPARE(first.size(), 4);
    QCOMPARE(first.at(3).payload, QByteArray("3"));
    QCOMPARE(q.bytes(), 6 * 2);
    const MqttMessageBatch rest = q.take();
    QCOMPARE(rest.size(), 6);
    QCOMPARE(rest.first().payload, QByteArray("4"));
    QCOMPARE(rest.first().receivedMs, 4);
    QVERIFY(q.isEmpty());
    QCOMPARE(q.bytes(), 0);
}

void TestInboundQueue::dropsNewestPastTheMessageLimit()
{
    InboundQueue q;
    InboundLimits limits;
    limits.maxMessages = 3;
    q.setLimits(limits);
    for (int i = 0; i < 5; ++i)
        q.push("t", QByteArray::number(i), 0, 0, false);
    QCOMPARE(q.size(), 3);
    QCOMPARE(q.dropped(), quint64(2));
    QCOMPARE(q.take().last().payload, QByteArray("2"));
    QVERIFY(q.push(MqttMessage{"t", "again", 0, 0, false}));  // room again once taken
    QCOMPARE(q.dropped(), quint64(2));
}

void TestInboundQueue::dropsPastTheByteLimit()
{
    InboundQueue q;
    InboundLimits limits;
    limits.maxBytes = 1000;
    q.setLimits(limits);
    QVERIFY(q.push("topic", QByteArray(600, 'a'), 0, 0, false));
    QVERIFY(!q.push("topic", QByteArray(600, 'b'), 0, 0, false));
    QVERIFY(q.push("topic", QByteArray(300, 'c'), 0, 0, false));
    QCOMPARE(q.size(), 2);
    QCOMPARE(q.bytes(), 5 + 600 + 5 + 300);
    QCOMPARE(q.dropped(), quint64(1));
}

void TestInboundQueue::oversizePayloadIsKeptAsItsSizeOnly()
{
    InboundQueue q;
    InboundLimits limits;
    limits.maxPayloadBytes = 100;
    limits.maxBytes = 150;  // the 10,000 bytes would not fit: but they are never stored
    q.setLimits(limits);
    QVERIFY(q.push("dev/telemetry", QByteArray(10000, 'x'), 0, 1, false));
    MqttMessage moved{"dev/status", QByteArray(101, 'y'), 0, 1, true};
    QVERIFY(q.push(std::move(moved)));
    const MqttMessageBatch batch = q.take();
    QCOMPARE(batch.size(), 2);
    QVERIFY(batch.at(0).payload.isEmpty());
    QCOMPARE(batch.at(0).discardedPayloadBytes, 10000);
    QCOMPARE(batch.at(0).payloadBytes(), 10000);
    QVERIFY(batch.at(1).payload.isEmpty());
    QCOMPARE(batch.at(1).discardedPayloadBytes, 101);
    QVERIFY(batch.at(1).retained);
}

QTEST_GUILESS_MAIN(TestInboundQueue)
#include "test_inbound_queue.moc"
