// fd::ReceivePacer: when Paho's receive thread naps so messages are read in one go.
#include "core/transport/receive_pacer.h"

#include <QTest>

using namespace fd;

class TestReceivePacer : public QObject
{
    Q_OBJECT
private slots:
    void napsAtModerateRatesAndReadsTheRestBackToBack();
    void noNapsAtHighRates();
    void noNapsForSparseTraffic();
    void aBacklogIsNeverNappedOn();
    void aNapThatCollectedTooMuchStopsNapsForAWhile();
};

namespace {

struct Run
{
    int messages = 0;
    int naps = 0;
    int waits = 0;           // messages the thread had to wait for (a wake-up each)
    int maxAfterNap = 0;     // most messages read back to back after one nap
    qint64 maxDelayUs = 0;   // longest time a message waited to be handled
};

// A steady stream, one message every intervalUs from startUs for durationUs; handling one
// takes handleUs; the thread naps when the pacer says so (oversleeping by oversleepUs).
Run simulate(ReceivePacer &pacer, qint64 startUs, qint64 intervalUs, qint64 durationUs, qint64 handleUs = 10,
             qint64 oversleepUs = 0)
{
    Run run;
    qint64 now = startUs;
    int sinceNap = -1;
    for (qint64 arrival = startUs; arrival < startUs + durationUs; arrival += intervalUs) {
        qint64 start = now;
        if (now < arrival) {
            start = arrival;
            ++run.waits;
        }
        run.maxDelayUs = std::max(run.maxDelayUs, start - arrival);
        ++run.messages;
        now = start + handleUs;
        if (sinceNap >= 0 && start > arrival)
            run.maxAfterNap = std::max(run.maxAfterNap, ++sinceNap);
        if (const qint64 nap = pacer.messageHandled(start, now); nap > 0) {
            ++run.naps;
            now += nap + oversleepUs;
            pacer.napped(now);
            sinceNap = 0;
        }
    }
    return run;
}

} // namespace

void TestReceivePacer::napsAtModerateRatesAndReadsTheRestBackToBack()
{
    ReceivePacer pacer;  // 8 messages per nap, at most 2 ms, rate over 100 ms windows
    // 4,000 msg/s for a second.
    const Run run = simulate(pacer, 1'000'000, 250, 1'000'000);
    QVERIFY(qAbs(pacer.intervalUs() - 250) <= 10);
    QCOMPARE(run.messages, 4000);
    // No nap before the first rate window is complete; then one per ~9 messages.
    QVERIFY2(run.naps > 300 && run.naps < 500, qPrintable(QString::number(run.naps)));
    // Wake-ups (waits + naps) per message: was 1 without naps.
    const double wakeUpsPerMessage = double(run.waits + run.naps) / run.messages;
    QVERIFY2(wakeUpsPerMessage < 0.35, qPrintable(QString::number(wakeUpsPerMessage)));
    QVERIFY(run.maxAfterNap <= 8);
    QVERIFY(run.maxDelayUs <= 2000);
}

void TestReceivePacer::noNapsAtHighRates()
{
    for (const qint64 interval : {120, 100, 50, 20}) {  // 8,333 to 50,000 msg/s
        ReceivePacer pacer;
        const Run run = simulate(pacer, 0, interval, 1'000'000, 5);
        QCOMPARE(run.naps, 0);
    }
}

void TestReceivePacer::noNapsForSparseTraffic()
{
    for (const qint64 interval : {1500, 5000, 100'000, 3'000'000}) {
        ReceivePacer pacer;
        const Run run = simulate(pacer, 0, interval, 20'000'000);
        QCOMPARE(run.naps, 0);
        QCOMPARE(run.maxDelayUs, 0);  // every message handled as it came
    }
}

void TestReceivePacer::aBacklogIsNeverNappedOn()
{
    ReceivePacer pacer;
    (void)simulate(pacer, 0, 250, 500'000);  // the rate is known: 4,000 msg/s
    // Then 20,000 messages that were all waiting already (handling is slower than arrival).
    const Run run = simulate(pacer, 500'000, 5, 100'000, 10);
    QCOMPARE(run.naps, 0);
}

void TestReceivePacer::aNapThatCollectedTooMuchStopsNapsForAWhile()
{
    ReceivePacer pacer;  // maxBacklog 64, back-off 500 ms
    (void)simulate(pacer, 0, 250, 200'000);
    QVERIFY(qAbs(pacer.intervalUs() - 250) <= 10);  // counted as handled, after naps
    QCOMPARE(pacer.backOffUntilUs(), -1);
    // The machine is busy: a nap that oversleeps by 4 ms (~24 messages) is fine...
    const Run fine = simulate(pacer, 200'000, 250, 50'000, 10, 4000);
    QVERIFY(fine.naps > 5);
    QCOMPARE(pacer.backOffUntilUs(), -1);
    // ... one that oversleeps by 20 ms (~90 messages) stops naps for 500 ms.
    const Run busy = simulate(pacer, 250'000, 250, 50'000, 10, 20'000);
    QCOMPARE(busy.naps, 1);  // then no more for 500 ms
    QVERIFY(pacer.backOffUntilUs() > 200'000);
    const Run after = simulate(pacer, 300'000, 250, 300'000);
    QCOMPARE(after.naps, 0);
    // Naps resume when the back-off is over.
    const Run later = simulate(pacer, 800'000, 250, 400'000);
    QVERIFY(later.naps > 50);
}

QTEST_APPLESS_MAIN(TestReceivePacer)
#include "test_receive_pacer.moc"
