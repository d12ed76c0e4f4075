// fd::ReceivePacer: when Paho's receive thread naps so messages are read in one go.
#include "core/transport/receive_pacer.h"

#include <QTest>

using namespace fd;

class TestReceivePacer : public QObject
{
    Q_OBJECT
private slots:
    void napsAfterAWaitedForMessageAtTheMeasuredRate();
    void neverNapsInABacklog();
    void sparseTrafficNeverNaps();
    void napIsCappedAndHasAFloor();
    void whatArrivedDuringANapIsABacklog();
    void aNapThatCollectedTooMuchStopsNapsForAWhile();
};

namespace {
constexpr qint64 kHandleUs = 10;  // handling one message
}

void TestReceivePacer::napsAfterAWaitedForMessageAtTheMeasuredRate()
{
    ReceivePacer pacer;  // 8 messages per nap, at most 2 ms
    // 4,000 msg/s: one message every 250 µs, each waited for.
    qint64 t = 1'000'000;
    QCOMPARE(pacer.messageHandled(t, t + kHandleUs), 0);  // one message says nothing of the rate
    t += 250;
    const qint64 nap = pacer.messageHandled(t, t + kHandleUs);
    QCOMPARE(pacer.intervalUs(), 250);
    QCOMPARE(nap, 8 * 250);
    // After the nap, the 8 messages that collected are read back to back: no nap.
    pacer.napped(t + kHandleUs + nap);
    qint64 now = t + kHandleUs + nap;
    for (int i = 0; i < 8; ++i) {
        QCOMPARE(pacer.messageHandled(now + 2, now + 2 + kHandleUs), 0);
        now += 2 + kHandleUs;
    }
    // The next one (the 9th after t) is waited for again: a nap from this cycle's rate
    // (9 intervals in 2,250 µs since the last waited-for message).
    const qint64 next = t + 9 * 250;
    QCOMPARE(pacer.messageHandled(next, next + kHandleUs), 8 * 250);
    QCOMPARE(pacer.intervalUs(), 250);
}

void TestReceivePacer::neverNapsInABacklog()
{
    ReceivePacer pacer;
    qint64 t = 5'000'000;
    for (int i = 0; i < 10'000; ++i) {
        QCOMPARE(pacer.messageHandled(t, t + kHandleUs), 0);
        t += kHandleUs + 5;  // the next one was already waiting
    }
}

void TestReceivePacer::sparseTrafficNeverNaps()
{
    ReceivePacer pacer;
    // 100 msg/s: a nap of at most 2 ms would collect nothing, only add a wake-up.
    qint64 t = 0;
    for (int i = 0; i < 100; ++i) {
        QCOMPARE(pacer.messageHandled(t, t + kHandleUs), 0);
        t += 10'000;
    }
    // 1,000 msg/s: two messages per 2 ms, worth a nap, capped at 2 ms.
    for (int i = 0; i < 3; ++i) {
        t += 1000;
        (void)pacer.messageHandled(t, t + kHandleUs);
    }
    t += 1000;
    QCOMPARE(pacer.messageHandled(t, t + kHandleUs), 2000);
}

void TestReceivePacer::napIsCappedAndHasAFloor()
{
    ReceivePacer::Settings settings;
    settings.targetMessages = 8;
    settings.maxNapUs = 2000;
    settings.minNapUs = 500;
    settings.idleGapUs = 5;
    {
        // 50,000 msg/s, each waited for: 8 x 20 µs = 160 µs is below the floor.
        ReceivePacer pacer(settings);
        qint64 t = 0;
        for (int i = 0; i < 20; ++i) {
            QCOMPARE(pacer.messageHandled(t, t + 2), 0);
            t += 20;
        }
    }
    {
        // 800 msg/s: 8 x 1,250 µs is capped at 2 ms.
        ReceivePacer pacer(settings);
        (void)pacer.messageHandled(0, 2);
        QCOMPARE(pacer.messageHandled(900, 902), 2000);
    }
}

void TestReceivePacer::whatArrivedDuringANapIsABacklog()
{
    ReceivePacer pacer;
    qint64 t = 0;
    (void)pacer.messageHandled(t, t + kHandleUs);
    t += 250;
    const qint64 nap = pacer.messageHandled(t, t + kHandleUs);
    QVERIFY(nap > 0);
    const qint64 woke = t + kHandleUs + nap;
    pacer.napped(woke);
    // Handed over 50 µs after waking (Paho read it meanwhile): not waited for, no nap.
    QCOMPARE(pacer.messageHandled(woke + 50, woke + 60), 0);
}

void TestReceivePacer::aNapThatCollectedTooMuchStopsNapsForAWhile()
{
    ReceivePacer pacer;  // maxBacklog 16, back-off 200 ms
    qint64 t = 0;
    (void)pacer.messageHandled(t, t + kHandleUs);
    t += 250;
    const qint64 nap = pacer.messageHandled(t, t + kHandleUs);
    QCOMPARE(nap, 2000);
    // The machine was busy: the nap lasted 10 ms and 40 messages were waiting.
    qint64 now = t + 10'000;
    pacer.napped(now);
    for (int i = 0; i < 40; ++i) {
        QCOMPARE(pacer.messageHandled(now + 1, now + 1 + kHandleUs), 0);
        now += 1 + kHandleUs;
    }
    // Caught up: no nap now, nor for the next 200 ms, whatever the rate.
    const qint64 caughtUp = now + 250;
    QCOMPARE(pacer.messageHandled(caughtUp, caughtUp + kHandleUs), 0);
    QCOMPARE(pacer.backOffUntilUs(), caughtUp + 200'000);
    qint64 u = caughtUp;
    while (u + 250 < caughtUp + 200'000) {
        u += 250;
        QCOMPARE(pacer.messageHandled(u, u + kHandleUs), 0);
    }
    // Then naps resume.
    u += 500;
    QCOMPARE(pacer.messageHandled(u, u + kHandleUs), 2000);
}

QTEST_APPLESS_MAIN(TestReceivePacer)
#include "test_receive_pacer.moc"
