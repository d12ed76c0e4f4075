// Tests of fd::TelemetryRingBuffer and fd::TelemetryBuffers: bounded memory, order, spans
// across the wrap, range lookups.

#include "core/telemetry/telemetry_buffers.h"
#include "core/telemetry/telemetry_ring_buffer.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace fd;

namespace {

std::vector<TelemetryPoint> flatten(const std::array<PointSpan, 2> &spans)
{
    std::vector<TelemetryPoint> out;
    for (const PointSpan &s : spans)
        out.insert(out.end(), s.begin(), s.end());
    return out;
}

} // namespace

class TestRingBuffer : public QObject
{
    Q_OBJECT

private slots:
    void growsThenWraps();
    void outOfOrderIsDroppedSameTimeReplaces();
    void boundsAndSpans();
    void shrinkKeepsNewest();
    void buffersAppendSamples();
};

void TestRingBuffer::growsThenWraps()
{
    TelemetryRingBuffer b(5);
    QVERIFY(b.isEmpty());
    for (int i = 0; i < 12; ++i)
        QVERIFY(b.append(i * 10, i));
    QCOMPARE(b.size(), 5);
    QCOMPARE(b.first().tMs, 70);
    QCOMPARE(b.last().tMs, 110);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(b.at(i).value, double(7 + i));
    const auto all = flatten(b.spans(0, b.size()));
    QCOMPARE(all.size(), size_t(5));
    QCOMPARE(all.front().tMs, 70);
    QCOMPARE(all.back().tMs, 110);
    QVERIFY(!b.spans(0, 5)[1].empty());  // wrapped
}

void TestRingBuffer::outOfOrderIsDroppedSameTimeReplaces()
{
    TelemetryRingBuffer b(10);
    b.append(100, 1);
    b.append(200, 2);
    const quint64 rev = b.revision();
    QVERIFY(!b.append(150, 9));
    QCOMPARE(b.droppedOutOfOrder(), quint64(1));
    QCOMPARE(b.revision(), rev);
    QVERIFY(b.append(200, 3));
    QCOMPARE(b.size(), 2);
    QCOMPARE(b.last().value, 3.0);
    QVERIFY(b.revision() > rev);
}

void TestRingBuffer::boundsAndSpans()
{
    TelemetryRingBuffer b(8);
    for (int i = 0; i < 11; ++i)  // keeps 30..100
        b.append(i * 10, i);
    QCOMPARE(b.lowerBound(0), 0);
    QCOMPARE(b.lowerBound(45), 2);
    QCOMPARE(b.lowerBound(50), 2);
    QCOMPARE(b.upperBound(50), 3);
    QCOMPARE(b.upperBound(1000), 8);
    const auto cover = flatten(b.spansCovering(45, 75));
    // 40 (one before), 50, 60, 70, 80 (one after)
    QCOMPARE(cover.size(), size_t(5));
    QCOMPARE(cover.front().tMs, 40);
    QCOMPARE(cover.back().tMs, 80);
    QVERIFY(flatten(b.spans(3, 3)).empty());
}

void TestRingBuffer::shrinkKeepsNewest()
{
    TelemetryRingBuffer b(6);
    for (int i = 0; i < 9; ++i)
        b.append(i, i);
    b.setCapacity(3);
    QCOMPARE(b.size(), 3);
    QCOMPARE(b.first().tMs, 6);
    b.append(9, 9);
    QCOMPARE(b.first().tMs, 7);
    b.setCapacity(10);
    for (int i = 10; i < 15; ++i)
        b.append(i, i);
    QCOMPARE(b.size(), 8);
    QCOMPARE(b.first().tMs, 7);
    QCOMPARE(b.last().tMs, 14);
}

void TestRingBuffer::buffersAppendSamples()
{
    TelemetryBuffers buffers(100);
    QList<TelemetrySample> batch;
    for (int i = 0; i < 3; ++i) {
        TelemetrySample s;
        s.deviceId = u"dev-%1"_s.arg(i);
        s.timestampMs = 1000;
        s.metrics = {{u"temp"_s, 20.0 + i}, {u"hum"_s, 40.0}};
        batch.append(s);
    }
    const QSet<SeriesKey> changed = buffers.append(batch);
    QCOMPARE(changed.size(), 6);
    QCOMPARE(buffers.seriesCount(), 6);
    QCOMPARE(buffers.pointCount(), 6);
    const auto temp1 = buffers.buffer({DeviceKey{DeviceKey::defaultSource(), u"dev-1"_s}, u"temp"_s});
    QVERIFY(temp1);
    QCOMPARE(temp1->last().value, 21.0);
    QCOMPARE(buffers.metricsOf(DeviceKey{DeviceKey::defaultSource(), u"dev-2"_s}), (QStringList{u"temp"_s, u"hum"_s}));
    QVERIFY(!buffers.buffer({DeviceKey{DeviceKey::defaultSource(), u"dev-9"_s}, u"temp"_s}));
    const auto pending = buffers.ensureBuffer({DeviceKey{DeviceKey::defaultSource(), u"dev-9"_s}, u"temp"_s});
    QVERIFY(pending && pending->isEmpty());
    buffers.append({DeviceKey{DeviceKey::defaultSource(), u"dev-9"_s}, u"temp"_s}, 5, 1.5);
    QCOMPARE(pending->size(), 1);  // the same buffer
    // A smaller capacity reaches each buffer with its next point, not all at once.
    for (int i = 0; i < 150; ++i)
        buffers.append({DeviceKey{DeviceKey::defaultSource(), u"dev-9"_s}, u"temp"_s}, 10 + i, double(i));
    QCOMPARE(pending->size(), 100);
    buffers.setCapacityPerSeries(40);
    QCOMPARE(buffers.capacityPerSeries(), 40);
    QCOMPARE(pending->size(), 100);  // untouched until it gets a point
    QCOMPARE(temp1->capacity(), 100);
    buffers.append({DeviceKey{DeviceKey::defaultSource(), u"dev-9"_s}, u"temp"_s}, 500, 7.0);
    QCOMPARE(pending->capacity(), 40);
    QCOMPARE(pending->size(), 40);
    QCOMPARE(pending->last().value, 7.0);
    QCOMPARE(pending->first().tMs, 10 + 150 - 39);
    QCOMPARE(temp1->capacity(), 100);  // quiet series: not resized, and it does not grow
    buffers.clear();
    QCOMPARE(buffers.pointCount(), 0);
    QCOMPARE(pending->size(), 0);
}

QTEST_GUILESS_MAIN(TestRingBuffer)
#include "test_ring_buffer.moc"
